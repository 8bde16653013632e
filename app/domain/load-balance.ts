/**
 * Load balancing and easy days (ADR 027). FSRS gives an interval; fuzz then
 * picks a day from a range around it (ts-fsrs's get_fuzz_range), a spread FSRS
 * already tolerates. Load balancing only changes which day of that same range
 * is picked: the least loaded one, a light weekday counting as more loaded.
 * It never leaves the range, so the interval stays one FSRS's fuzz could have
 * drawn itself. Pure: loads and weekdays are passed in.
 */
import { get_fuzz_range } from "ts-fsrs";

/** A light weekday costs this many times its load (plus one): it is picked only when other days are that much busier. */
export const LIGHT_DAY_FACTOR = 3;

export interface FuzzRange {
  min: number; // days
  max: number; // days
}

/** ts-fsrs's fuzz range for an unfuzzed interval (whole days), or null when it fuzzes nothing (under 2.5 days). */
export function fuzzRange(interval: number, elapsedDays: number, maximumInterval: number): FuzzRange | null {
  if (interval < 2.5) return null;
  const r = get_fuzz_range(Math.round(interval), elapsedDays, maximumInterval);
  return { min: r.min_ivl, max: r.max_ivl };
}

export interface BalanceInput {
  range: FuzzRange;
  /** The day fuzz drew (it wins ties, so equal loads keep fuzz's own spread). */
  drawn: number;
  /** Reviews already due on the day `days` days from now. */
  loadOn: (days: number) => number;
  /** Whether the day `days` days from now is one of the learner's light weekdays. */
  isLight: (days: number) => boolean;
}

/** The interval, within `range`, with the least weighted load. */
export function balancedInterval({ range, drawn, loadOn, isLight }: BalanceInput): number {
  const start = Math.min(range.min, range.max);
  const end = Math.max(range.min, range.max);
  const home = Math.min(end, Math.max(start, drawn));
  let best = home;
  let bestCost = cost(home);
  for (let d = start; d <= end; d++) {
    const c = cost(d);
    if (c < bestCost || (c === bestCost && Math.abs(d - home) < Math.abs(best - home))) {
      best = d;
      bestCost = c;
    }
  }
  return best;

  function cost(d: number) {
    const load = loadOn(d);
    return isLight(d) ? (load + 1) * LIGHT_DAY_FACTOR : load;
  }
}

/** "0,6" (0 Sunday .. 6 Saturday) to a set of weekdays; anything else is ignored. */
export function parseLightDays(s: string): Set<number> {
  const out = new Set<number>();
  for (const part of s.split(",")) {
    const n = Number(part.trim());
    if (part.trim() !== "" && Number.isInteger(n) && n >= 0 && n <= 6) out.add(n);
  }
  return out;
}

export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
