import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { getProgress } from "~/progress/progress.server";
import { suspendedCount } from "~/items/items.server";
import { pageTitle } from "~/utils/meta";
import { MasteryBar } from "~/components/progress/mastery-bar";
import { BelowText, ForecastText, MissingList, RiskyList } from "~/components/progress/topic-parts";
import { overallInWords, percent, plural, tagLabel } from "~/components/progress/format";
import progressStyles from "~/styles/progress.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressStyles }];

export const meta: MetaFunction = () =>
  pageTitle("Progress", "Mastery per topic, what you would still remember next month, and the items most at risk.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [progress, suspended] = await Promise.all([getProgress(user.id, new Date()), suspendedCount(user.id)]);
  return { ...progress, suspended };
}

export default function Progress() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="progress-page">
      <h1>Progress</h1>
      <p className="lede">
        How well you know each topic now, and how much of it you would still remember if you stopped reviewing.{" "}
        <Link to="/help/mastery">How is mastery computed?</Link>
      </p>
      <p>
        <Link to="/progress/stats">Statistics: streak, activity, due forecast and true retention</Link> · <Link to="/items">Browse every item</Link>
      </p>
      {data.suspended > 0 ? (
        <p className="muted" data-suspended={data.suspended}>
          {plural(data.suspended, "item")} suspended: out of your reviews until you <Link to="/items?state=suspended">unsuspend them</Link>. Mastery keeps what you knew of them; it does not count them as forgotten.
        </p>
      ) : null}

      <h2>Topics</h2>
      <ol className="topic-progress-list">
        {data.topics.map((t) => (
          <li key={t.slug} className="panel topic-progress" data-topic={t.slug}>
            <h3>
              <Link to={`/progress/${t.slug}`}>{t.title}</Link>
            </h3>
            <MasteryBar level={t.level} levelIndex={t.levelIndex} seen={t.seen} items={t.items} memory={t.memory} />
            <p className="small">
              <span className="overall-figure">{overallInWords(t)}</span> <Link to="/help/mastery">What this means</Link>.
              {t.seen > 0 ? (
                <>
                  {" "}
                  <ForecastText forecast={t.forecast} />
                </>
              ) : null}
            </p>
            {t.weakest ? (
              <p className="small">
                Weakest concept: <strong>{tagLabel(t.weakest.tag)}</strong>, recall of what you have seen {percent(t.weakest.memory)} ({t.weakest.seen} of{" "}
                {plural(t.weakest.items, "item")} seen).
              </p>
            ) : null}
            <MissingList levelIndex={t.levelIndex} missing={t.missing} />
          </li>
        ))}
      </ol>

      <h2 id="forecast-title">Forecast if you stop reviewing</h2>
      <div className="table-scroll" role="region" aria-labelledby="forecast-title" tabIndex={0}>
        <table className="data-table">
          <caption className="visually-hidden">Recall of what you have seen, per topic, now, in 7 days and in 30 days without reviews</caption>
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Seen</th>
              <th scope="col">Recall now</th>
              <th scope="col">7 days</th>
              <th scope="col">30 days</th>
              <th scope="col">Below 80%</th>
            </tr>
          </thead>
          <tbody>
            {data.topics.map((t) => (
              <tr key={t.slug}>
                <th scope="row">{t.title}</th>
                <td>
                  {t.seen} of {t.items}
                </td>
                <td>{t.memory === null ? "–" : percent(t.memory)}</td>
                <td>{t.memory === null ? "–" : percent(t.forecast.in7Days)}</td>
                <td>{t.memory === null ? "–" : percent(t.forecast.in30Days)}</td>
                <td>{t.seen > 0 ? <BelowText forecast={t.forecast} /> : "not started"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Items most at risk</h2>
      <p className="muted small">
        The items you have seen whose chance of recall is below your desired retention ({percent(data.desiredRetention)}) now or will be within 3 days, lowest
        first. Your daily review brings them back first.
      </p>
      <RiskyList items={data.atRisk} showTopic />
    </div>
  );
}
