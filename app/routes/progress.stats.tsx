import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { dayCounts, heatmapOfCounts } from "~/domain/stats";
import { requireUser } from "~/auth/session.server";
import { getStats } from "~/progress/stats.server";
import { pageTitle } from "~/utils/meta";
import { BarChart, HeatmapChart } from "~/components/progress/charts";
import { formatDay, formatMinutes, percent, plural } from "~/components/progress/format";
import progressStyles from "~/styles/progress.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressStyles }];

export const meta: MetaFunction = () => pageTitle("Statistics", "Streak, a year of reviews, the due forecast and true retention.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // The year goes to the page as its counts (one number a day); the page draws the heatmap from them. As 365 cells of
  // five fields it was a third of the page's data and of encoding it (issue 19).
  const { heatmap, ...stats } = await getStats(user.id, new Date());
  return { ...stats, year: dayCounts(heatmap.cells) };
}

export default function Stats() {
  const s = useLoaderData<typeof loader>();
  const year = useMemo(() => heatmapOfCounts(s.year), [s.year]);
  const reviews30 = s.perDay.reduce((n, d) => n + d.reviews, 0);
  const time30 = s.perDay.reduce((n, d) => n + d.timeMs, 0);
  const due30 = s.due.reduce((n, d) => n + d.count, 0);
  const busiestDue = s.due.reduce((best, d) => (d.count > best.count ? d : best), s.due[0] ?? { key: "", count: 0 });
  const r = s.retention;
  return (
    <div className="progress-page">
      <p className="muted">
        <Link to="/progress">Progress</Link> / Statistics
      </p>
      <h1>Statistics</h1>
      <p className="muted small">
        Days run from {String(s.dayStartHour).padStart(2, "0")}:00 to {String(s.dayStartHour).padStart(2, "0")}:00 in your time zone ({s.timeZone}
        ), so a review after midnight counts for the evening before. <Link to="/account">Change it in your account</Link>.
      </p>

      <section aria-labelledby="streak-title">
        <h2 id="streak-title">Streak</h2>
        <p className="big-number" data-testid="streak">
          {plural(s.streak.days, "day")} in a row
        </p>
        <p className="muted">
          {s.streak.days === 0 ? "Review anything today to start one." : s.streak.today ? "Today counts already." : "Review today to keep it going."}
        </p>
      </section>

      <section aria-labelledby="activity-title">
        <h2 id="activity-title">A year of reviews</h2>
        <HeatmapChart data={year} caption="Reviews per day over the last year" />
      </section>

      <section aria-labelledby="perday-title">
        <h2 id="perday-title">The last 30 days</h2>
        <p>
          {plural(reviews30, "review")} in {formatMinutes(time30)}.
        </p>
        <BarChart
          caption="Reviews per day, last 30 days"
          description={`${plural(reviews30, "review")} over the last 30 days, one bar per day from ${formatDay(s.perDay[0]?.key ?? "")} to today.`}
          columnLabel="Reviews"
          bars={s.perDay.map((d) => ({ key: d.key, value: d.reviews, text: plural(d.reviews, "review") }))}
        />
        <BarChart
          caption="Time spent reviewing per day, last 30 days"
          description={`${formatMinutes(time30)} of reviewing over the last 30 days, one bar per day.`}
          columnLabel="Time"
          className="chart-time"
          bars={s.perDay.map((d) => ({ key: d.key, value: d.timeMs / 60_000, text: formatMinutes(d.timeMs) }))}
          tickText={(minutes) => `${minutes.toLocaleString("en-US")} min`}
        />
      </section>

      <section aria-labelledby="due-title">
        <h2 id="due-title">Due in the next 30 days</h2>
        <BarChart
          caption="Items due per day, next 30 days"
          description={`${plural(due30, "item")} come due over the next 30 days (today includes anything overdue)${
            busiestDue.count > 0 ? `; the busiest day is ${formatDay(busiestDue.key)} with ${plural(busiestDue.count, "item")}` : ""
          }.`}
          columnLabel="Items due"
          className="chart-due"
          bars={s.due.map((d) => ({ key: d.key, value: d.count, text: plural(d.count, "item") }))}
        />
      </section>

      <section aria-labelledby="retention-title">
        <h2 id="retention-title">True retention</h2>
        <p>
          Of the items you reviewed after their interval (in the Review state), the share you remembered, over the last {r.days} days. Only the first
          review of an item each day counts; <em>Again</em> is a fail. Young items had an interval under 21 days, mature ones 21 days or more.
        </p>
        <div className="table-scroll" role="region" aria-labelledby="retention-title" tabIndex={0}>
          <table className="data-table">
            <caption className="visually-hidden">True retention over the last {r.days} days next to your desired retention</caption>
            <thead>
              <tr>
                <th scope="col">Items</th>
                <th scope="col">Remembered</th>
                <th scope="col">Reviews</th>
                <th scope="col">True retention</th>
                <th scope="col">Desired</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ["Young", r.young],
                  ["Mature", r.mature],
                  ["All", r.all],
                ] as const
              ).map(([label, c]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{c.passed}</td>
                  <td>{c.total}</td>
                  <td>{c.rate === null ? "no reviews yet" : percent(c.rate)}</td>
                  <td>{percent(r.desired)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">
          Desired retention is the recall FSRS aims for when it schedules (set in <Link to="/account">your account</Link>). True retention well below
          it means intervals are too long for you; well above, you could review less.
        </p>
      </section>
    </div>
  );
}
