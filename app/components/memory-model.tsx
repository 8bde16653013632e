/**
 * The settings page's memory-model section (ADR 026): the fitted model or the
 * defaults, "Optimise now", "Back to the defaults", and the workload
 * simulator ("Help me choose") as an SVG chart with a table beside it.
 */
import { RescheduleCheckbox } from "~/reschedule/reschedule-form";
import { Form, Link } from "@remix-run/react";
import { useId } from "react";
import { niceScale } from "~/domain/chart-scale";

export interface ModelSectionData {
  fitted: { reviews: number; fittedOn: string; logLossBefore: number; logLossAfter: number } | null;
  job: { status: string; result: { kind: string; logLossBefore?: number; logLossAfter?: number; error?: string } | null };
  retry: { reviewsLeft: number; after: string } | null;
  reviews: number;
  minReviews: number;
}

export interface SimulationData {
  outcomes: { retention: number; averageReviewsPerDay: number; knowledgeAtEnd: number }[];
  suggested: number;
}

const ll = (x: number | undefined) => (typeof x === "number" ? x.toFixed(4) : "?");

/** After a failed or skipped fit (ADR 029): when the next one may come. */
export function retryText(retry: ModelSectionData["retry"]): string {
  return retry ? `; next try after ${retry.reviewsLeft} more review${retry.reviewsLeft === 1 ? "" : "s"} or from ${retry.after}` : "; it can be tried again now";
}

function statusText(job: ModelSectionData["job"], retry: ModelSectionData["retry"]): string | null {
  switch (job.status) {
    case "queued":
      return "A fit is queued: it starts within a few seconds. Reload this page to see it.";
    case "running":
      return "A fit is running. Reload this page in a moment to see its outcome.";
    case "adopted":
      return `Done: the fitted model predicts your reviews better (log loss ${ll(job.result?.logLossBefore)} → ${ll(job.result?.logLossAfter)}), so it now schedules your cards.`;
    case "kept":
      return `Done: the fitted model did not predict your reviews better (log loss ${ll(job.result?.logLossBefore)} → ${ll(job.result?.logLossAfter)}), so your current one stays.`;
    case "failed":
    case "skipped":
      return `The last fit ${job.status === "failed" ? "failed" : "did not run"}: ${job.result?.error ?? "unknown error"}${retryText(retry)}. Your model is unchanged.`;
    default:
      return null;
  }
}

export function MemoryModelSection({ model, message, error, busy }: { model: ModelSectionData; message: string | null; error?: string; busy: boolean }) {
  const status = statusText(model.job, model.retry);
  const enough = model.reviews >= model.minReviews;
  const pending = model.job.status === "queued" || model.job.status === "running";
  return (
    <section aria-labelledby="model-title" className="form memory-model">
      <h2 id="model-title">Your memory model</h2>
      <p data-testid="model-summary">
        {model.fitted
          ? `Fitted on ${model.fitted.reviews.toLocaleString("en-US")} reviews on ${model.fitted.fittedOn}, log loss ${ll(model.fitted.logLossBefore)} → ${ll(model.fitted.logLossAfter)} (lower predicts your memory better).`
          : `FSRS's default weights, the same for everyone. Once you have ${model.minReviews} reviews they are fitted to yours, in the background (you have ${model.reviews.toLocaleString("en-US")}).`}
      </p>
      <p role="status" data-testid="fit-status">
        {message ?? status ?? ""}
      </p>
      {error ? <p className="field-error">{error}</p> : null}
      <div className="cta-row">
        <Form method="post">
          <input type="hidden" name="intent" value="optimise" />
          <button type="submit" disabled={busy || !enough || pending || model.retry !== null} aria-describedby={enough ? undefined : "optimise-why"}>
            Optimise now
          </button>
        </Form>
        {model.fitted ? (
          <Form method="post">
            <input type="hidden" name="intent" value="default-weights" />
            <RescheduleCheckbox id="defaults-reschedule" />
            <button type="submit" className="secondary" disabled={busy}>
              Back to the defaults
            </button>
          </Form>
        ) : null}
        <Link className="button secondary" to="?simulate=1#simulator-title" preventScrollReset>
          Help me choose a retention
        </Link>
      </div>
      {enough ? null : (
        <p className="hint" id="optimise-why">
          Optimising needs at least {model.minReviews} reviews.
        </p>
      )}
    </section>
  );
}

/** Two small line charts over desired retention: reviews a day, and cards remembered after a year; the table holds every figure. */
export function SimulatorChart({ simulation, current }: { simulation: SimulationData; current: number }) {
  const id = useId();
  const { outcomes, suggested } = simulation;
  const width = 600;
  const panel = 150;
  const left = 52;
  const gap = 36;
  const x = (r: number) => left + ((r - 0.7) / (0.99 - 0.7)) * (width - left - 10);
  const series = [
    { key: "reviews", label: "Reviews a day (average over the year)", values: outcomes.map((o) => o.averageReviewsPerDay) },
    { key: "knowledge", label: "Cards remembered after a year", values: outcomes.map((o) => o.knowledgeAtEnd) },
  ];
  const height = series.length * (panel + gap) + 10;
  return (
    <section aria-labelledby="simulator-title" className="simulator">
      <h2 id="simulator-title">Help me choose a retention</h2>
      <p data-testid="suggestion">
        Suggested desired retention: <strong>{suggested.toFixed(2)}</strong> (yours is {current.toFixed(2)}). Above it, each card you remember costs much more
        reviews. This simulates your next year with your memory model, your daily limits and the way you rate.
      </p>
      <figure className="chart">
        <svg className="chart-svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
          <title id={`${id}-title`}>Workload and memory by desired retention, over the next year</title>
          <desc id={`${id}-desc`}>
            {`From ${outcomes[0]!.retention.toFixed(2)} to ${outcomes.at(-1)!.retention.toFixed(2)}: reviews a day go from ${outcomes[0]!.averageReviewsPerDay.toFixed(1)} to ${outcomes.at(-1)!.averageReviewsPerDay.toFixed(1)}, cards remembered from ${Math.round(outcomes[0]!.knowledgeAtEnd)} to ${Math.round(outcomes.at(-1)!.knowledgeAtEnd)}. Suggested: ${suggested.toFixed(2)}.`}
          </desc>
          {series.map((s, p) => {
            const top = 10 + p * (panel + gap) + 16;
            const base = 10 + p * (panel + gap) + panel;
            const { top: axisTop, ticks } = niceScale(Math.max(...s.values));
            const y = (v: number) => base - (v / axisTop) * (base - top);
            return (
              <g key={s.key}>
                <text x={left} y={top - 6} className="chart-label">
                  {s.label}
                </text>
                {ticks.map((t) => (
                  <g key={t} className="chart-tick">
                    <line x1={left} x2={width - 10} y1={y(t)} y2={y(t)} className="chart-grid" />
                    <text x={left - 6} y={y(t) + 3.5} textAnchor="end" className="chart-label">
                      {t.toLocaleString("en-US")}
                    </text>
                  </g>
                ))}
                <line x1={x(suggested)} x2={x(suggested)} y1={top} y2={base} className="chart-axis" strokeDasharray="4 3" />
                <polyline fill="none" stroke="currentColor" strokeWidth={2} points={outcomes.map((o, i) => `${x(o.retention).toFixed(1)},${y(s.values[i]!).toFixed(1)}`).join(" ")} />
                {[0.7, 0.8, 0.9, 0.99].map((r) => (
                  <text key={r} x={x(r)} y={base + 16} textAnchor="middle" className="chart-label">
                    {r.toFixed(2)}
                  </text>
                ))}
              </g>
            );
          })}
        </svg>
        <figcaption>Dashed line: the suggested retention. Desired retention runs along the bottom.</figcaption>
      </figure>
      <div className="retention-scroll">
        <table data-testid="simulator-table">
          <caption>Your next year by desired retention (simulated)</caption>
          <thead>
            <tr>
              <th scope="col">Retention</th>
              <th scope="col">Reviews a day</th>
              <th scope="col">Cards remembered after a year</th>
            </tr>
          </thead>
          <tbody>
            {outcomes.map((o) => (
              <tr key={o.retention} aria-current={Math.abs(o.retention - suggested) < 1e-9 ? "true" : undefined}>
                <th scope="row">{o.retention.toFixed(2)}</th>
                <td>{o.averageReviewsPerDay.toFixed(1)}</td>
                <td>{Math.round(o.knowledgeAtEnd).toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
