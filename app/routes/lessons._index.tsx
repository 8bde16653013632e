import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCourse } from "~/content/course.server";
import { pageTitle } from "~/utils/meta";
import { getOptionalUser } from "~/auth/session.server";
import { quizScoresByTopic } from "~/quiz/quiz.server";

export const meta: MetaFunction = () => pageTitle("Lessons", "The five lessons of the course, in order.");

export async function loader({ request }: LoaderFunctionArgs) {
  const { course } = getCourse();
  const user = await getOptionalUser(request);
  const scores = user ? await quizScoresByTopic(user.id) : {};
  return {
    hasOverview: course.overview !== null,
    lessons: course.topics.map((t) => ({
      slug: t.slug,
      title: t.title,
      summary: t.summary,
      minutes: t.minutes,
      position: t.position,
      resources: t.resources.length,
      cards: t.cards.length,
      questions: t.questions.length,
      exercises: t.exercises.length,
      score: scores[t.slug] ?? null,
    })),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export default function Lessons() {
  const { lessons, hasOverview } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Lessons</h1>
      <p className="lede">
        Five lessons take you from the Transformer's architecture to how models are trained. Each one teaches the ideas, points you to the best
        resources on them, and ends with a quiz; what you learn comes back for review just before you would forget it.
        {hasOverview ? (
          <>
            {" "}
            New here? Start with the <Link to="/overview">course overview</Link>.
          </>
        ) : null}
      </p>
      <ol className="lesson-list">
        {lessons.map((l) => (
          <li key={l.slug} className="lesson-card">
            <h2>
              <Link to={`/lessons/${l.slug}`}>
                <span className="visually-hidden">Lesson {l.position}: </span>
                {l.title}
              </Link>
            </h2>
            <p>{l.summary}</p>
            <p className="lesson-meta">
              {plural(l.resources, "resource")}
              {l.minutes ? ` · about ${l.minutes} min` : ""}
              {l.cards ? ` · ${plural(l.cards, "flashcard")}` : ""}
              {l.questions ? ` · ${plural(l.questions, "quiz question")}` : ""}
              {l.exercises ? ` · ${plural(l.exercises, "exercise")}` : ""}
            </p>
            {l.score ? (
              <p className="lesson-meta">
                Quiz: latest {l.score.latest}%, best {l.score.best}%
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}
