/**
 * Every code exercise, by lesson, with the learner's status. Exercises need an
 * account (runs, drafts and reviews are stored), so visitors are sent to log in.
 * Lessons link here with /exercises#topic-<slug>.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { listExercises, type ExerciseStatus } from "~/exercises/exercises.server";
import { pageTitle } from "~/utils/meta";
import exerciseStyles from "~/styles/exercises.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: exerciseStyles }];

export const meta: MetaFunction = () => pageTitle("Exercises", "Small coding exercises that implement the pieces of a language model, graded in your browser.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  return { topics: await listExercises(user.id, now), now: now.toISOString() };
}

const STATUS_LABEL: Record<ExerciseStatus, string> = { "not-started": "Not started", attempted: "Attempted", passed: "Passed" };

function when(iso: string, nowIso: string) {
  const ms = new Date(iso).getTime() - new Date(nowIso).getTime();
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `in ${Math.max(1, minutes)} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

export default function Exercises() {
  const { topics, now } = useLoaderData<typeof loader>();
  const all = topics.flatMap((t) => t.exercises);
  const passed = all.filter((e) => e.status === "passed").length;
  const due = all.filter((e) => e.due).length;
  return (
    <div className="exercises-page">
      <h1>Exercises</h1>
      <p className="lede">
        Implement the pieces of a language model, one small function at a time. The tests run in your browser; a passing exercise comes back in your
        daily review so you can write it again from memory.
      </p>
      <p className="exercise-summary">
        {passed} of {all.length} passed{due > 0 ? ` · ${due} due for review` : ""}
      </p>
      {topics.map((t) => (
        <section key={t.slug} id={`topic-${t.slug}`} className="exercise-topic" aria-labelledby={`topic-${t.slug}-title`}>
          <h2 id={`topic-${t.slug}-title`}>
            <span className="visually-hidden">Lesson {t.position}: </span>
            {t.title}
          </h2>
          <p className="muted">
            <Link to={`/lessons/${t.slug}`}>Read the lesson</Link>
          </p>
          <ul className="exercise-list">
            {t.exercises.map((e) => (
              <li key={e.id} className="exercise-row">
                <Link to={`/exercises/${e.id}`} className="exercise-link">
                  {e.title}
                </Link>
                <span className="exercise-badges">
                  <span className={`badge status-${e.status}`}>{STATUS_LABEL[e.status]}</span>
                  {e.due ? <span className="badge due">Due for review</span> : null}
                  {!e.due && e.nextDue ? <span className="badge later">Review {when(e.nextDue, now)}</span> : null}
                  <span className="badge difficulty">{e.difficulty}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
