import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { pageTitle } from "~/utils/meta";
import progressStyles from "~/styles/progress.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressStyles }];

export const meta: MetaFunction = () =>
  pageTitle("How is mastery computed?", "Expected recall, the five mastery levels, the forecast and the statistics, in plain words.");

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

      <h2>Expected recall</h2>
      <p>
        For every item you have seen, FSRS estimates the chance that you would recall it right now. It is high just after a review and drops slowly
        over the following days; the better you know an item (its <em>stability</em>), the slower it drops. The expected recall of a topic is the
        average of these chances over <em>all</em> its items, where an item you have never seen counts as zero. So a topic where you know half of the
        items perfectly has an expected recall of 50%.
      </p>

      <h2>The five levels</h2>
      <dl className="levels">
        <dt>Not started</dt>
        <dd>You have not seen anything of the topic yet.</dd>
        <dt>Learning</dt>
        <dd>You have seen something: reviewed an item, finished the lesson quiz or passed an exercise.</dd>
        <dt>Familiar</dt>
        <dd>You have seen at least half of the items and the expected recall is at least 60%.</dd>
        <dt>Proficient</dt>
        <dd>
          You have seen every item, the expected recall is at least 80%, your latest lesson-quiz score is at least 80% (for lessons with a quiz) and
          you have passed every exercise at least once.
        </dd>
        <dt>Mastered</dt>
        <dd>
          Proficient, and every item has a stability of at least 21 days: FSRS expects you to keep each of them for three weeks or more without a
          review.
        </dd>
      </dl>
      <p>
        Because expected recall fades, a topic can move <em>down</em> a level when you stop reviewing, and back up after a few reviews. Your progress
        page lists what is still missing for the next level.
      </p>

      <h2>The forecast</h2>
      <p>
        The forecast asks: what if you did no review at all from now on? It follows each item's forgetting curve to give the expected recall in 7 days
        and in 30 days, and the date on which it would fall below 80%, looking up to a year ahead.
      </p>

      <h2>Concepts and items at risk</h2>
      <p>
        Items carry concept tags (such as <em>softmax</em> or <em>causal mask</em>). The expected recall of a concept is the same average over the
        items with that tag, so the weakest concept of a topic is the idea you are most likely to have forgotten. Items at risk are the items you have
        seen with the lowest chance of recall right now.
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
