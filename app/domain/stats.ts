/**
 * Learning statistics, pure: streak, calendar heatmap, due forecast, true
 * retention, reviews and time per day. Days are the learner's learning days
 * (they start at the day-start hour in the learner's time zone, see day.ts);
 * callers pass the day windows, so nothing here reads the clock.
 */
import { dayWindow, instantOf, type DayWindow } from "./day";
import { State } from "./scheduler";

/** Young items have an interval under 21 days before the review; mature ones 21 days or more (as in Anki). */
export const MATURE_INTERVAL_DAYS = 21;

/** How many days apart learningDays converts a start exactly; days between reuse the offset when both ends agree. */
const CHECK_EVERY_DAYS = 7;

/**
 * The learning days from `from` to `to` days relative to today (0 = today,
 * -1 = yesterday), oldest first. DST-safe: each start is the day-start hour
 * on that calendar date in the learner's zone. Converting a local time costs
 * two Intl calls, so starts are converted exactly once a week: when the
 * zone's offset is the same at both ends, the days between have it too (no
 * zone changes its offset twice within a week); otherwise each of those days
 * is converted exactly (tests/unit/learning-days.test.ts checks every zone).
 */
export function learningDays(now: Date, timeZone: string, dayStartHour: number, from: number, to: number): DayWindow[] {
  const today = dayWindow(now, timeZone, dayStartHour);
  const [y, m, d] = today.key.split("-").map(Number) as [number, number, number];
  const n = to - from + 2; // starts, the last one ending the last day
  const dates: [number, number, number][] = [];
  const keys: string[] = [];
  const naive: number[] = []; // the day-start hour on that date, as if the zone were UTC
  for (let i = from; i <= to + 1; i++) {
    const date = new Date(Date.UTC(y, m - 1, d + i));
    const yy = date.getUTCFullYear();
    const mm = date.getUTCMonth() + 1;
    const dd = date.getUTCDate();
    dates.push([yy, mm, dd]);
    naive.push(Date.UTC(yy, mm - 1, dd, dayStartHour));
    keys.push(`${yy}-${String(mm).padStart(2, "0")}-${String(dd).padStart(2, "0")}`);
  }
  const exact = (j: number): number => {
    const i = from + j;
    if (i === 0) return today.start.getTime();
    if (i === 1) return today.end.getTime();
    const [yy, mm, dd] = dates[j]!;
    return instantOf(yy, mm, dd, dayStartHour, timeZone).getTime();
  };
  const starts = new Array<number>(n);
  starts[0] = exact(0);
  for (let a = 0; a < n - 1; ) {
    const b = Math.min(a + CHECK_EVERY_DAYS, n - 1);
    starts[b] = exact(b);
    const offsetA = naive[a]! - starts[a]!;
    const same = offsetA === naive[b]! - starts[b]!;
    for (let k = a + 1; k < b; k++) starts[k] = same ? naive[k]! - offsetA : exact(k);
    a = b;
  }
  // Today's window is the one dayWindow gives, exactly.
  if (from <= 0 && 0 <= to + 1) starts[-from] = today.start.getTime();
  if (from <= 1 && 1 <= to + 1) starts[1 - from] = today.end.getTime();
  const out: DayWindow[] = [];
  for (let j = 0; j + 1 < n; j++) out.push({ start: new Date(starts[j]!), end: new Date(starts[j + 1]!), key: keys[j]! });
  return out;
}

/** Index of the window holding `instant`, or -1 when it is outside them all. */
export function dayIndexOf(days: readonly DayWindow[], instant: Date): number {
  const t = instant.getTime();
  let lo = 0;
  let hi = days.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = days[mid]!;
    if (t < w.start.getTime()) hi = mid - 1;
    else if (t >= w.end.getTime()) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export interface DayTotal {
  key: string;
  reviews: number;
  timeMs: number;
}

export interface ReviewEvent {
  reviewedAt: Date;
  durationMs: number;
  kind?: string; // "review" | "undo"; undo rows are not reviews
  undone?: boolean; // a review rolled back by an undo does not count
}

/** Reviews and time per learning day (undone reviews and undo rows excluded). */
export function totalsByDay(days: readonly DayWindow[], events: readonly ReviewEvent[]): DayTotal[] {
  const out = days.map((d) => ({ key: d.key, reviews: 0, timeMs: 0 }));
  for (const e of events) {
    if (e.undone || (e.kind !== undefined && e.kind !== "review")) continue;
    const i = dayIndexOf(days, e.reviewedAt);
    if (i < 0) continue;
    out[i]!.reviews++;
    out[i]!.timeMs += e.durationMs;
  }
  return out;
}

export interface Streak {
  /** Learning days in a row with at least one review, ending today or yesterday. */
  days: number;
  /** Whether today already counts (false: the streak ends yesterday and today keeps it alive). */
  today: boolean;
  /** True when every day given was active: the streak may go back further. */
  open: boolean;
}

/** The streak from per-day activity, oldest first, the last entry being today. */
export function streak(active: readonly boolean[]): Streak {
  const last = active.length - 1;
  if (last < 0) return { days: 0, today: false, open: false };
  const today = active[last] === true;
  let i = today ? last : last - 1;
  let days = 0;
  while (i >= 0 && active[i]) {
    days++;
    i--;
  }
  return { days, today, open: days > 0 && i < 0 };
}

export interface HeatCell {
  key: string;
  reviews: number;
  level: 0 | 1 | 2 | 3 | 4;
  week: number; // column, 0 = oldest
  weekday: number; // row, 0 = Monday .. 6 = Sunday
}

export interface Heatmap {
  cells: HeatCell[];
  weeks: number;
  /** Upper bounds of levels 1-3 (level 4 is above the last). */
  thresholds: [number, number, number];
  months: { label: string; week: number }[];
  /**
   * What each shade means, for the shades that can occur with this data: level 0
   * and then disjoint, non-empty ranges of reviews that cover 1 to `max`.
   */
  legend: { level: HeatCell["level"]; from: number; to: number }[];
  total: number;
  activeDays: number;
  max: number;
}

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

function parseKey(key: string) {
  const [y, m, d] = key.split("-").map(Number) as [number, number, number];
  return { y, m, d, utc: Date.UTC(y, m - 1, d) };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** A GitHub-style calendar: one column per week (Monday first), shade by quartile of the active days. */
export function heatmap(days: readonly Pick<DayTotal, "key" | "reviews">[]): Heatmap {
  const nonzero = days
    .map((d) => d.reviews)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  const thresholds: [number, number, number] = [quantile(nonzero, 0.25), quantile(nonzero, 0.5), quantile(nonzero, 0.75)];
  const first = days[0] ? parseKey(days[0].key) : null;
  const offset = first ? (new Date(first.utc).getUTCDay() + 6) % 7 : 0; // Monday = 0
  const months: Heatmap["months"] = [];
  const cells = days.map((d, i) => {
    const { m, d: dom } = parseKey(d.key);
    const week = Math.floor((i + offset) / 7);
    if (dom === 1 || i === 0) {
      if (!months.some((x) => x.week === week)) months.push({ label: MONTHS[m - 1]!, week });
    }
    const level: HeatCell["level"] =
      d.reviews === 0 ? 0 : d.reviews <= thresholds[0] ? 1 : d.reviews <= thresholds[1] ? 2 : d.reviews <= thresholds[2] ? 3 : 4;
    return { key: d.key, reviews: d.reviews, level, week, weekday: (i + offset) % 7 };
  });
  // A month label on the first column only when the month really starts there.
  if (months.length > 1 && months[1]!.week - months[0]!.week < 2) months.shift();
  const max = nonzero.length ? nonzero[nonzero.length - 1]! : 0;
  return {
    cells,
    weeks: cells.length ? cells[cells.length - 1]!.week + 1 : 0,
    thresholds,
    months,
    legend: heatLegend(thresholds, max),
    total: nonzero.reduce((a, b) => a + b, 0),
    activeDays: nonzero.length,
    max,
  };
}

/** A run of consecutive learning days as it travels to the page: the first day's key and the reviews of each day. */
export interface DayCounts {
  first: string;
  reviews: number[];
}

/** The days' counts in the compact form (`days` consecutive, oldest first, as learningDays gives them). */
export function dayCounts(days: readonly Pick<DayTotal, "key" | "reviews">[]): DayCounts {
  return { first: days[0]?.key ?? "", reviews: days.map((d) => d.reviews) };
}

/** The heatmap of compact counts: heatmap() of the same days (their keys are consecutive calendar dates). */
export function heatmapOfCounts({ first, reviews }: DayCounts): Heatmap {
  if (reviews.length === 0) return heatmap([]);
  const { utc } = parseKey(first);
  return heatmap(
    reviews.map((n, i) => {
      const d = new Date(utc + i * 86_400_000);
      return { key: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`, reviews: n };
    }),
  );
}

/**
 * The legend of the heatmap's shades. Level k (1-4) holds the days with more
 * reviews than the bound below it and at most its own (level 4: up to the
 * busiest day). Equal quartiles (one active day, or many days alike) leave
 * some levels empty: those are left out, so no range ever reads "93–92".
 */
export function heatLegend(thresholds: readonly [number, number, number], max: number): Heatmap["legend"] {
  const out: Heatmap["legend"] = [{ level: 0, from: 0, to: 0 }];
  const uppers = [...thresholds, max];
  let below = 0;
  uppers.forEach((upper, i) => {
    const to = Math.min(upper, max);
    if (to > below) out.push({ level: (i + 1) as HeatCell["level"], from: below + 1, to });
    below = Math.max(below, to);
  });
  return out;
}

export interface DueInput {
  due: Date;
  state: number; // ts-fsrs State; New items are never due
}

/**
 * Items due per learning day over `days` (today first). Overdue items count
 * for today; items due after the last day are left out.
 */
export function dueForecast(items: readonly DueInput[], days: readonly DayWindow[]): { key: string; count: number }[] {
  const out = days.map((d) => ({ key: d.key, count: 0 }));
  if (days.length === 0) return out;
  const first = days[0]!.start.getTime();
  for (const it of items) {
    if (it.state === State.New) continue;
    const i = it.due.getTime() < first ? 0 : dayIndexOf(days, it.due);
    if (i >= 0) out[i]!.count++;
  }
  return out;
}

export interface RetentionLog {
  itemId: string;
  reviewedAt: Date;
  rating: number; // 1 Again (a fail) .. 4 Easy
  prevState: number; // only Review (2) counts
  scheduledDaysBefore: number; // the interval before this review
  kind?: string;
  undone?: boolean;
}

export interface RetentionCell {
  passed: number;
  total: number;
  rate: number | null;
}

export interface TrueRetention {
  young: RetentionCell;
  mature: RetentionCell;
  all: RetentionCell;
}

function cell(passed: number, total: number): RetentionCell {
  return { passed, total, rate: total ? passed / total : null };
}

/**
 * True retention: of the reviews of items in the Review state, the share
 * recalled (any rating but Again), counting only the first such review of each
 * item per learning day; young vs mature by the interval before the review.
 * Logs outside `days` are ignored.
 */
export function trueRetention(logs: readonly RetentionLog[], days: readonly DayWindow[]): TrueRetention {
  const sorted = logs
    .filter((l) => l.prevState === State.Review && !l.undone && (l.kind === undefined || l.kind === "review") && l.rating >= 1 && l.rating <= 4)
    .slice()
    .sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
  const counted = new Set<string>();
  let youngPassed = 0;
  let youngTotal = 0;
  let maturePassed = 0;
  let matureTotal = 0;
  for (const l of sorted) {
    const day = dayIndexOf(days, l.reviewedAt);
    if (day < 0) continue;
    const k = `${day}\u0000${l.itemId}`;
    if (counted.has(k)) continue;
    counted.add(k);
    const passed = l.rating > 1 ? 1 : 0;
    if (l.scheduledDaysBefore < MATURE_INTERVAL_DAYS) {
      youngTotal++;
      youngPassed += passed;
    } else {
      matureTotal++;
      maturePassed += passed;
    }
  }
  return {
    young: cell(youngPassed, youngTotal),
    mature: cell(maturePassed, matureTotal),
    all: cell(youngPassed + maturePassed, youngTotal + matureTotal),
  };
}

/** Two true-retention tallies over different days, added up. */
export function addRetention(a: TrueRetention, b: TrueRetention): TrueRetention {
  const add = (x: RetentionCell, y: RetentionCell) => cell(x.passed + y.passed, x.total + y.total);
  return { young: add(a.young, b.young), mature: add(a.mature, b.mature), all: add(a.all, b.all) };
}

/**
 * Epoch milliseconds of a timestamp as Prisma stores it in SQLite
 * ("2026-11-28T10:58:28.136+00:00"), about twice as fast as Date.parse, which
 * takes any other form.
 */
export function isoMs(s: string): number {
  if (s.length !== 29 || !s.endsWith("+00:00") || s[10] !== "T" || s[19] !== ".") return Date.parse(s);
  const d = (i: number) => s.charCodeAt(i) - 48;
  return Date.UTC(
    d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3),
    d(5) * 10 + d(6) - 1,
    d(8) * 10 + d(9),
    d(11) * 10 + d(12),
    d(14) * 10 + d(15),
    d(17) * 10 + d(18),
    d(20) * 100 + d(21) * 10 + d(22),
  );
}
