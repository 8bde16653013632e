/**
 * Server-rendered SVG charts: plain markup, readable without JavaScript. Each
 * chart is a <figure> whose SVG has a <title> and a <desc>, with the same data
 * as a <table> in a <details> below it.
 */
import { useId } from "react";
import { niceScale } from "~/domain/chart-scale";
import type { Heatmap as HeatmapData } from "~/domain/stats";
import { formatDay, formatMonth, plural } from "./format";

const WEEKDAY_LABELS = ["Mon", "", "Wed", "", "Fri", "", "Sun"];

const escapeXml = (text: string) => text.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);

/** The heatmap's squares as SVG markup, the same on the server and in the browser (one title per day, for a pointer's tooltip). */
export function heatCells(cells: HeatmapData["cells"], at: { cell: number; gap: number; left: number; top: number }): string {
  let out = "";
  for (const c of cells) {
    const x = at.left + c.week * (at.cell + at.gap);
    const y = at.top + c.weekday * (at.cell + at.gap);
    out += `<rect x="${x}" y="${y}" width="${at.cell}" height="${at.cell}" rx="2" class="heat heat-${c.level}"><title>${escapeXml(
      `${formatDay(c.key)}: ${plural(c.reviews, "review")}`,
    )}</title></rect>`;
  }
  return out;
}

export function HeatmapChart({ data, caption }: { data: HeatmapData; caption: string }) {
  const id = useId();
  const cell = 11;
  const gap = 2;
  const left = 30;
  const top = 16;
  const right = 24; // room for a month label that starts in the last column ("Dec", not "De")
  const width = left + data.weeks * (cell + gap) + right;
  const height = top + 7 * (cell + gap);
  const months = new Map<string, { reviews: number; active: number }>();
  for (const c of data.cells) {
    const m = c.key.slice(0, 7);
    const acc = months.get(m) ?? { reviews: 0, active: 0 };
    acc.reviews += c.reviews;
    if (c.reviews > 0) acc.active++;
    months.set(m, acc);
  }
  const legend = data.legend.map((l) => ({
    level: l.level,
    text: l.level === 0 ? "no reviews" : l.from === l.to ? plural(l.from, "review") : `${l.from}–${l.to} reviews`,
  }));
  return (
    <figure className="chart">
      {/* On a narrow screen the year scrolls sideways inside its own box, starting at today (right). */}
      <div className="heatmap-scroll" role="region" aria-label={`${caption} (scrolls sideways)`} tabIndex={0}>
        <svg
          className="chart-svg heatmap"
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
        >
          <title id={`${id}-title`}>{caption}</title>
          <desc id={`${id}-desc`}>
            {`${plural(data.total, "review")} on ${plural(data.activeDays, "day")} of the last ${data.cells.length}; the busiest day had ${plural(
              data.max,
              "review",
            )}. One square per day, one column per week, darker squares for more reviews. The table below lists the reviews per month.`}
          </desc>
          {data.months.map((m) => (
            <text key={`${m.label}-${m.week}`} x={left + m.week * (cell + gap)} y={11} className="chart-label">
              {m.label}
            </text>
          ))}
          {WEEKDAY_LABELS.map((label, i) =>
            label ? (
              <text key={label} x={0} y={top + i * (cell + gap) + cell - 2} className="chart-label">
                {label}
              </text>
            ) : null,
          )}
          {/* A year of squares as one string: 365 elements with a title each were a third of the page's render (issue 19). */}
          <g dangerouslySetInnerHTML={{ __html: heatCells(data.cells, { cell, gap, left, top }) }} />
        </svg>
      </div>
      <figcaption>
        {caption}.{" "}
        <span className="heat-legend">
          {legend.map((l) => (
            <span key={l.level} className="heat-legend-item" data-level={l.level}>
              <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false">
                <rect width="10" height="10" rx="2" className={`heat heat-${l.level}`} />
              </svg>{" "}
              {l.text}
            </span>
          ))}
        </span>
      </figcaption>
      <details className="chart-table">
        <summary>Show as a table</summary>
        <table>
          <caption>Reviews per month</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Reviews</th>
              <th scope="col">Days with reviews</th>
            </tr>
          </thead>
          <tbody>
            {[...months.entries()].map(([m, v]) => (
              <tr key={m}>
                <th scope="row">{formatMonth(m)}</th>
                <td>{v.reviews}</td>
                <td>{v.active}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export interface Bar {
  key: string; // learning day
  value: number;
  /** The value as text, for the table and the tooltip ("12 reviews", "7 min"). */
  text: string;
}

/** Vertical bars, one per day, on a value scale with round ticks, day labels every few bars and the maximum named. */
export function BarChart({
  bars,
  caption,
  description,
  columnLabel,
  className = "",
  tickText = (v) => v.toLocaleString("en-US"),
}: {
  bars: Bar[];
  caption: string;
  description: string;
  columnLabel: string;
  className?: string;
  /** A tick value as text on the value axis ("20", "10 min"). */
  tickText?: (value: number) => string;
}) {
  const id = useId();
  const width = 600;
  const height = 180;
  const left = 46; // the value axis and its labels
  const bottom = 22;
  const top = 18;
  const { top: axisTop, ticks } = niceScale(Math.max(0, ...bars.map((b) => b.value)));
  const slot = (width - left) / Math.max(1, bars.length);
  const barWidth = Math.max(2, slot * 0.7);
  const scale = (height - bottom - top) / axisTop;
  const maxBar = bars.reduce<Bar | null>((best, b) => (!best || b.value > best.value ? b : best), null);
  return (
    <figure className={`chart ${className}`}>
      <svg className="chart-svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
        <title id={`${id}-title`}>{caption}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((t) => {
          const y = height - bottom - t * scale;
          return (
            <g key={t} className="chart-tick">
              {t > 0 ? <line x1={left} x2={width} y1={y} y2={y} className="chart-grid" /> : null}
              <text x={left - 6} y={y + 3.5} textAnchor="end" className="chart-label">
                {tickText(t)}
              </text>
            </g>
          );
        })}
        <line x1={left} x2={left} y1={top - 4} y2={height - bottom} className="chart-axis" />
        <line x1={left} x2={width} y1={height - bottom} y2={height - bottom} className="chart-axis" />
        {maxBar && maxBar.value > 0 ? (
          <text x={width} y={12} textAnchor="end" className="chart-label">
            {`most: ${maxBar.text} (${formatDay(maxBar.key, { year: false })})`}
          </text>
        ) : null}
        {bars.map((b, i) => {
          const h = b.value * scale;
          const x = left + i * slot + (slot - barWidth) / 2;
          return (
            <g key={b.key}>
              <rect x={x} y={height - bottom - h} width={barWidth} height={Math.max(0, h)} className="chart-bar">
                <title>{`${formatDay(b.key)}: ${b.text}`}</title>
              </rect>
              {i % 7 === 0 ? (
                <text x={x + barWidth / 2} y={height - 6} textAnchor="middle" className="chart-label">
                  {formatDay(b.key, { year: false, weekday: false })}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>{caption}</figcaption>
      <details className="chart-table">
        <summary>Show as a table</summary>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">{columnLabel}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{formatDay(b.key)}</th>
                <td>{b.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
