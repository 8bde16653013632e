import { Link } from "@remix-run/react";
import type { ForecastView, RiskyView } from "~/progress/progress.server";
import { formatDay, percent } from "./format";

export const NEXT_LEVEL = ["Learning", "Familiar", "Proficient", "Mastered"] as const;

/** When the recall of what was seen falls below 80%, as a short phrase. */
export function BelowText({ forecast }: { forecast: ForecastView }) {
  const b = forecast.below;
  if (b.status === "below") return <>already below 80%</>;
  if (b.status === "beyond") return <>stays above 80% for at least a year</>;
  return (
    <>
      falls below 80% on <time dateTime={b.key}>{formatDay(b.key)}</time>
    </>
  );
}

/** "Without reviews: 71% in 7 days, 52% in 30 days; falls below 80% on ..." */
export function ForecastText({ forecast }: { forecast: ForecastView }) {
  return (
    <>
      Without reviews, recall of what you have seen: {percent(forecast.in7Days)} in 7 days, {percent(forecast.in30Days)} in 30 days; it{" "}
      <BelowText forecast={forecast} />.
    </>
  );
}

export function MissingList({ levelIndex, missing }: { levelIndex: number; missing: string[] }) {
  if (missing.length === 0) return <p className="small">Mastered: keep doing your reviews to keep it.</p>;
  return (
    <div className="small">
      <p className="next-level-title">To reach {NEXT_LEVEL[levelIndex] ?? "the next level"}:</p>
      <ul className="missing">
        {missing.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}

const KIND_LABEL: Record<string, string> = { card: "Flashcard", quiz: "Quiz question", exercise: "Exercise" };

/** The seen items below the learner's desired retention now or within a few days, lowest recall first. */
export function RiskyList({ items, showTopic = false }: { items: RiskyView[]; showTopic?: boolean }) {
  if (items.length === 0) return <p>Nothing is at risk: everything you have seen stays above your desired retention for the next few days.</p>;
  return (
    <ol className="risky-list">
      {items.map((r) => (
        <li key={r.id} className="risky">
          {/* Content HTML rendered on the server from the course files (trusted). */}
          <span className="risky-label" dangerouslySetInnerHTML={{ __html: r.labelHtml }} />
          <span className="muted small risky-meta">
            {KIND_LABEL[r.kind] ?? "Item"}
            {showTopic && r.topic ? (
              <>
                {" "}
                in <Link to={`/progress/${r.topic.slug}`}>{r.topic.title}</Link>
              </>
            ) : null}{" "}
            · recall now {percent(r.recall)}, in 3 days {percent(r.recallSoon)} · due <time dateTime={r.dueKey}>{formatDay(r.dueKey)}</time>
          </span>
        </li>
      ))}
    </ol>
  );
}
