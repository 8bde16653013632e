/** Formatting for the progress pages, deterministic on server and client (no Intl: no hydration drift). */
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const MONTHS_LONG = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** A share as a whole percent, rounded down so that 79.7% never reads as the 80% a level needs. */
export function percent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  return `${Math.floor(x * 100 + 1e-9)}%`;
}

function parts(key: string) {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  return { y, m, d, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

/** "2026-11-28" -> "Sat 28 Nov 2026" (or without the year). */
export function formatDay(key: string, { year = true, weekday = true }: { year?: boolean; weekday?: boolean } = {}): string {
  const p = parts(key);
  return `${weekday ? `${WEEKDAYS[p.weekday]} ` : ""}${p.d} ${MONTHS[p.m - 1]}${year ? ` ${p.y}` : ""}`;
}

/** "2026-11" -> "November 2026". */
export function formatMonth(key: string): string {
  const p = parts(`${key}-01`);
  return `${MONTHS_LONG[p.m - 1]} ${p.y}`;
}

export function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes === 0) return "0 min";
  if (minutes < 1) return "<1 min";
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The overall figure in words (ADR 017-b): it is coverage (the share of items
 * seen) times memory (the recall of the items seen), and the sentence says so
 * with both numbers, so the one figure is never read as memory alone.
 */
export function overallInWords(t: { seen: number; items: number; memory: number | null; expectedRecall: number }): string {
  if (t.seen === 0 || t.memory === null || t.items === 0) return `Overall ${percent(0)}: nothing seen yet (0 of ${plural(t.items, "item")}), so nothing to remember yet.`;
  return `Overall ${percent(t.expectedRecall)}: coverage ${percent(t.seen / t.items)} (${t.seen} of ${plural(t.items, "item")} seen) times memory ${percent(t.memory)} (recall of what you have seen).`;
}

/** A concept tag for display: "scaled-dot-product" -> "scaled dot product". */
export function tagLabel(tag: string): string {
  return tag.replace(/-/g, " ");
}
