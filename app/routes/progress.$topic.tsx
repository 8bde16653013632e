import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { getTopicProgress } from "~/progress/progress.server";
import { notFound } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import { MasteryBar, ShareBar } from "~/components/progress/mastery-bar";
import { BelowText, MissingList, RiskyList } from "~/components/progress/topic-parts";
import { overallInWords, percent, plural, tagLabel } from "~/components/progress/format";
import progressStyles from "~/styles/progress.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? pageTitle(`Progress: ${data.topic.title}`) : pageTitle("Topic not found"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const progress = await getTopicProgress(user.id, params.topic ?? "", new Date());
  if (!progress) notFound(`There is no topic called "${params.topic}".`);
  return progress;
}

export default function TopicProgress() {
  const { topic: t, tags, atRisk } = useLoaderData<typeof loader>();
  const kinds = [
    { label: "Flashcards", ...t.kinds.card },
    { label: "Quiz questions", ...t.kinds.quiz },
    { label: "Exercises", ...t.kinds.exercise },
  ].filter((k) => k.items > 0);
  return (
    <div className="progress-page">
      <p className="muted">
        <Link to="/progress">Progress</Link> / Lesson {t.position}
      </p>
      <h1>{t.title}</h1>
      <MasteryBar level={t.level} levelIndex={t.levelIndex} seen={t.seen} items={t.items} memory={t.memory} />
      <MissingList levelIndex={t.levelIndex} missing={t.missing} />
      <p className="cta-row">
        <Link className="button secondary" to={`/lessons/${t.slug}`}>
          Open the lesson
        </Link>
        {t.kinds.quiz.items > 0 ? (
          <Link className="button secondary" to={`/lessons/${t.slug}/quiz`}>
            Take the quiz
          </Link>
        ) : null}
        <Link className="button" to="/review">
          Review
        </Link>
        {t.seen > 0 ? (
          <Link className="button secondary" to={`/review?topic=${t.slug}`}>
            Review this topic now
          </Link>
        ) : null}
        <Link className="button secondary" to={`/items?topic=${t.slug}`}>
          Browse its items
        </Link>
      </p>
      {t.seen > 0 ? <p className="muted">Review this topic now: its items ahead of schedule, weakest first (before an exam, say). They count as ordinary early reviews.</p> : null}

      <h2>Where you stand</h2>
      <dl className="facts">
        {kinds.map((k) => (
          <div key={k.label}>
            <dt>{k.label} seen</dt>
            <dd>
              {k.seen} of {k.items}
            </dd>
          </div>
        ))}
        <div>
          <dt>Latest lesson quiz</dt>
          <dd>{t.quiz.required ? (t.quiz.latest === null ? "not taken" : `${t.quiz.latest}%`) : "no quiz"}</dd>
        </div>
        {t.exercises.items > 0 ? (
          <div>
            <dt>Exercises passed</dt>
            <dd>
              {t.exercises.passed} of {t.exercises.items}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Stable for 21+ days</dt>
          <dd>
            {t.stable} of {plural(t.items, "item")}
          </dd>
        </div>
      </dl>

      <h2 id="forecast-title">Forecast if you stop reviewing</h2>
      <div className="table-scroll" role="region" aria-labelledby="forecast-title" tabIndex={0}>
        <table className="data-table">
          <caption className="visually-hidden">Recall of what you have seen of {t.title}, now, in 7 days and in 30 days without reviews</caption>
          <thead>
            <tr>
              <th scope="col">Now</th>
              <th scope="col">In 7 days</th>
              <th scope="col">In 30 days</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{t.memory === null ? "–" : percent(t.memory)}</td>
              <td>{t.memory === null ? "–" : percent(t.forecast.in7Days)}</td>
              <td>{t.memory === null ? "–" : percent(t.forecast.in30Days)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p>
        {t.seen > 0 ? (
          <>
            Recall of what you have seen <BelowText forecast={t.forecast} />. <span className="overall-figure">{overallInWords(t)}</span>{" "}
            <Link to="/help/mastery">What this means</Link>.
          </>
        ) : (
          "Nothing seen yet."
        )}
      </p>

      <h2 id="tags-title">Concepts, weakest first</h2>
      {tags.length === 0 ? (
        <p>This topic has no concept tags.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="tags-title" tabIndex={0}>
          <table className="data-table tags-table">
            <caption className="visually-hidden">Items seen and recall of what you have seen, per concept tag</caption>
            <thead>
              <tr>
                <th scope="col">Concept</th>
                <th scope="col">Seen</th>
                <th scope="col">Recall of what you have seen</th>
              </tr>
            </thead>
            <tbody>
              {tags.map((g) => (
                <tr key={g.tag}>
                  <th scope="row">{tagLabel(g.tag)}</th>
                  <td>
                    {g.seen} of {g.items}
                  </td>
                  <td>
                    {g.memory === null ? (
                      "–"
                    ) : (
                      <>
                        <ShareBar value={g.memory} /> {percent(g.memory)}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Items most at risk</h2>
      <RiskyList items={atRisk} />
    </div>
  );
}
