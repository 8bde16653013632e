import { Link } from "@remix-run/react";
import type { DashboardData } from "~/progress/dashboard.server";
import { MasteryBar } from "./progress/mastery-bar";
import { overallInWords, plural } from "./progress/format";

function dueBreakdown(due: DashboardData["due"]) {
  const parts = [
    due.review ? `${due.review} to review` : null,
    due.learning ? `${due.learning} in learning` : null,
    due.new ? `${due.new} new` : null,
  ].filter(Boolean);
  return parts.join(", ");
}

export function Dashboard({ data }: { data: DashboardData }) {
  return (
    <div className="dashboard">
      <h1>Today</h1>
      {data.firstSteps ? <FirstSteps data={data} lesson={data.firstSteps} /> : null}
      <div className="dashboard-grid">
        <section aria-labelledby="due-title" className="panel">
          <h2 id="due-title">Reviews</h2>
          <DailyGoal today={data.today} due={data.due.total} />
          <p className="big-number" data-testid="due-count">
            {data.due.total === 0 ? "Nothing is due right now." : `${plural(data.due.total, "item")} due today`}
          </p>
          {data.due.total > 0 ? (
            <>
              <p className="muted">{dueBreakdown(data.due)}</p>
              <Link className="button" to="/review">
                Start the review
              </Link>
            </>
          ) : data.nextLesson ? (
            // No button to an empty review: the way on is a lesson, whose flashcards join the review when the learner chooses to study them.
            <p>
              New flashcards join your review from the lessons you choose to study.{" "}
              <Link to={`/lessons/${data.nextLesson.slug}`}>Read {data.nextLesson.title}</Link> and study its flashcards at the end.
            </p>
          ) : (
            <p className="muted">{data.due.nextDue ? "Come back when your next reviews are due." : "Study a lesson\u2019s flashcards to get new ones."}</p>
          )}
        </section>
        <section aria-labelledby="streak-title" className="panel">
          <h2 id="streak-title">Streak</h2>
          <p className="big-number" data-testid="streak">
            {plural(data.streak.days, "day")} in a row
          </p>
          <p className="muted">
            {data.streak.days === 0
              ? "Review anything today to start a streak."
              : data.streak.today
              ? "You reviewed today."
              : "Review today to keep it going."}
          </p>
        </section>
        <section aria-labelledby="next-title" className="panel">
          <h2 id="next-title">Next lesson</h2>
          {data.nextLesson ? (
            <p>
              <Link to={`/lessons/${data.nextLesson.slug}`}>{data.nextLesson.title}</Link>
            </p>
          ) : data.revisit ? (
            <p>
              Every lesson is started. Your weakest topic is <Link to={`/progress/${data.revisit.slug}`}>{data.revisit.title}</Link> (
              {data.revisit.level}).
            </p>
          ) : (
            <p>You have started every lesson. Keep reviewing to make it stick.</p>
          )}
          <p className="muted">
            {data.lessonsStarted} of {data.lessonsTotal} lessons started (something learnt in them), {data.lessonsEnrolled} with their flashcards in your
            review.
          </p>
        </section>
      </div>
      <section aria-labelledby="mastery-title" className="dashboard-mastery">
        <h2 id="mastery-title">Mastery</h2>
        <ul className="topic-mastery-list">
          {data.topics.map((t) => (
            <li key={t.slug} className="topic-mastery" data-topic={t.slug}>
              <h3>
                <Link to={`/progress/${t.slug}`}>{t.title}</Link>
              </h3>
              <MasteryBar level={t.level} levelIndex={t.levelIndex} seen={t.seen} items={t.items} memory={t.memory} />
              <p className="muted small overall-figure">
                {overallInWords(t)} <Link to="/help/mastery">What this means</Link>.
              </p>
            </li>
          ))}
        </ul>
        <p>
          <Link to="/progress">All progress</Link> · <Link to="/progress/stats">Statistics</Link> ·{" "}
          <Link to="/help/mastery">How is mastery computed?</Link>
        </p>
      </section>
    </div>
  );
}

/** For a learner who has learnt nothing yet: the three steps of a first session, each a link when it can be taken. */
function FirstSteps({ data, lesson }: { data: DashboardData; lesson: NonNullable<DashboardData["firstSteps"]> }) {
  return (
    <section aria-labelledby="first-steps-title" className="panel first-steps">
      <h2 id="first-steps-title">Start here</h2>
      <ol>
        <li>
          <Link to={`/lessons/${lesson.slug}`}>Read {lesson.title}</Link>
          {lesson.minutes ? ` (about ${lesson.minutes} minutes)` : ""}.
        </li>
        <li>
          {data.due.total > 0 ? (
            <Link to="/review">{lesson.cardsSeen > 0 ? "Go on with its flashcards" : `Learn its first ${plural(data.due.new, "flashcard")}`}</Link>
          ) : lesson.cardsSeen > 0 ? (
            "Its flashcards: done for today"
          ) : (
            "Learn its first flashcards"
          )}{" "}
          in the review
          {lesson.enrolled ? (
            ""
          ) : (
            <>
              : they join it when you choose <Link to={`/lessons/${lesson.slug}#flashcards`}>Study these flashcards</Link> at the end of the lesson
            </>
          )}
          . Rate each one by how well you knew it.
        </li>
        <li>
          <Link to={`/lessons/${lesson.slug}/quiz`}>Take its quiz</Link>: questions you miss come back once later today, the others in a few days.
        </li>
      </ol>
    </section>
  );
}

/** The learner's daily goal and a clear "done for today". */
function DailyGoal({ today, due }: { today: DashboardData["today"]; due: number }) {
  const reached = today.ratings >= today.goal;
  return (
    <div className="daily-goal" data-testid="daily-goal">
      <progress max={today.goal} value={Math.min(today.ratings, today.goal)} aria-label={`Daily goal: ${today.ratings} of ${today.goal} ratings`} />
      {today.done ? (
        <p className="success" role="status">
          <strong>Done for today.</strong> {plural(today.ratings, "rating")}
          {reached ? `, your goal of ${today.goal} reached.` : ` of your goal of ${today.goal}; nothing more is due, so that is all for today.`}
        </p>
      ) : (
        <p>
          {today.ratings} of {today.goal} ratings today{reached ? `: goal reached. ${plural(due, "item")} still due; doing them keeps tomorrow light.` : "."}{" "}
          <Link to="/account">Change your goal</Link>
        </p>
      )}
    </div>
  );
}
