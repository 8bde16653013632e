import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { pageTitle } from "~/utils/meta";
import progressStyles from "~/styles/progress.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressStyles }];

export const meta: MetaFunction = () =>
  pageTitle("How is mastery computed?", "Coverage and memory, the five mastery levels, the forecast and the statistics, in plain words.");

export default function HelpMastery() {
  return (
    <article className="prose help">
      <h1>How is mastery computed?</h1>
      <p className="lede">
        Mastery is not a score you collect once. It is an estimate of what you would remember <em>today</em>, and it fades if you stop reviewing.
      </p>

      <h2>What counts</h2>
      <p>
        Each lesson has <strong>items</strong>: its flashcards, its quiz questions and its exercises. Every item you have met has a memory state kept
        by FSRS, the scheduler behind your daily review. Items removed from the course no longer count.
      </p>

      <h2>Two numbers: what you have seen, and how well you remember it</h2>
      <p>
        <strong>Coverage</strong> is how much of a topic you have met: &ldquo;seen 12 of 40&rdquo; means you have reviewed 12 of its 40 items at
        least once (a flashcard in the review, a question in the quiz, an exercise).
      </p>
      <p>
        <strong>Memory</strong> is how well you remember what you have seen: for every item you have seen, FSRS estimates the chance that you would
        recall it right now. It is high just after a review and drops slowly over the following days; the better you know an item (its{" "}
        <em>stability</em>), the slower it drops. &ldquo;Recall of what you have seen 95%&rdquo; is the average of these chances over the items you
        have seen, and only those: an item you have not met yet does not lower it.
      </p>
      <p>
        The <strong>overall</strong> figure on your dashboard and progress pages is the two multiplied: the share of items seen times the recall of those items. It
        is the average chance over <em>all</em> the topic&rsquo;s items, with an unseen item counting as zero. Right after your first reviews of a
        40-item topic, with 20 items seen and all remembered, coverage is 50%, memory 100% and the overall figure 50%: you have not forgotten
        anything, you have only met half of it.
      </p>

      <h2>The five levels</h2>
      <dl className="levels">
        <dt>Not started</dt>
        <dd>You have not seen anything of the topic yet.</dd>
        <dt>Learning</dt>
        <dd>You have seen something: reviewed an item, finished the lesson quiz or passed an exercise.</dd>
        <dt>Familiar</dt>
        <dd>You have seen at least half of the items and you remember what you have seen at 60% or more.</dd>
        <dt>Proficient</dt>
        <dd>
          You have seen every item, you remember them at 80% or more, your latest lesson-quiz score is at least 80% (for lessons with a quiz) and you
          have passed every exercise at least once.
        </dd>
        <dt>Mastered</dt>
        <dd>
          Proficient, and every item has a stability of at least 21 days: FSRS expects you to keep each of them for three weeks or more without a
          review.
        </dd>
      </dl>
      <p>
        Because memory fades, a topic can move <em>down</em> a level when you stop reviewing, and back up after a few reviews. Your progress page
        lists what is still missing for the next level, each time as something you can do today (learn new flashcards in the review, take the quiz,
        answer the reviews due today) or, when nothing of the topic is due today, the day its next review comes. Memory rises only by answering
        reviews when they come due; reviewing early adds little.
      </p>

      <h2>The forecast</h2>
      <p>
        The forecast asks: what if you did no review at all from now on? It follows the forgetting curve of each item you have seen to give your
        recall of them in 7 days and in 30 days, and the date on which it would fall below 80%, looking up to a year ahead.
      </p>

      <h2>Concepts and items at risk</h2>
      <p>
        Items carry concept tags (such as <em>softmax</em> or <em>causal mask</em>). The recall of a concept is the same average over the items with
        that tag that you have seen, so the weakest concept of a topic is the idea you are most likely to have forgotten. Items at risk are the items
        you have seen whose chance of recall is below your desired retention (set in your account, 90% unless you change it) now, or will be within
        the next 3 days without a review; the lowest come first. An item you have just answered is not at risk.
      </p>

      <h2>Statistics</h2>
      <ul>
        <li>
          <strong>Days</strong> start at your day-start hour (04:00 unless you change it) in your time zone, so a review at 01:00 counts for the
          evening before.
        </li>
        <li>
          <strong>Streak</strong>: days in a row with at least one review, ending today or yesterday (today is not over yet). Reviews you undo do not
          count.
        </li>
        <li>
          <strong>True retention</strong>: of the items you reviewed after their interval had passed, the share you remembered (anything but{" "}
          <em>Again</em>), counting only the first review of an item each day. It is shown for young items (interval under 21 days) and mature ones,
          next to the desired retention you set.
        </li>
        <li>
          <strong>Due forecast</strong>: how many items come due on each of the next 30 days if you keep up; anything overdue counts today.
        </li>
      </ul>
      <p>
        <Link to="/progress">See your progress</Link>
      </p>
    </article>
  );
}
