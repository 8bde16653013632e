/**
 * Learning statistics for one learner: streak, a year of activity, the due
 * forecast, true retention, reviews and time per day, over the learner's
 * learning days (day-start hour, time zone).
 *
 * The review log is read grouped by day in SQL. Figures about days before
 * today only change when a review before today is undone, so a process keeps
 * them per learner and day, keyed by the id of the learner's latest counted
 * review before today (queries.server.ts `historyStamp`); each request then
 * reads only today's rows. The first visit of the day computes everything.
 */
import { dayKey, type DayWindow } from "~/domain/day";
import { State } from "~/domain/scheduler";
import { addRetention, dueForecast, heatmap, learningDays, trueRetention, type Heatmap, type Streak, type TrueRetention } from "~/domain/stats";
import { learnerStates, liveItems } from "./mastery.server";
import { activeDays, historyStamp, learnerSettings, reviewStateLogs, reviewsPerDay, totalsPerDay, type Settings } from "./queries.server";

const windowCache = new Map<string, DayWindow[]>();
/**
 * learningDays, memoised: the windows depend only on the zone, the day-start
 * hour and today's date, so learners in the same zone share them.
 */
export function windowsFor(now: Date, timeZone: string, dayStartHour: number, from: number, to: number): DayWindow[] {
  const key = `${timeZone}|${dayStartHour}|${dayKey(now, timeZone, dayStartHour)}|${from}|${to}`;
  let out = windowCache.get(key);
  if (!out) {
    out = learningDays(now, timeZone, dayStartHour, from, to);
    if (windowCache.size > 1000) windowCache.clear();
    windowCache.set(key, out);
  }
  return out;
}

const pastCache = new Map<string, { stamp: string; value: unknown }>();
const PAST_CACHE_MAX = 10_000;

/** A figure about the days before today, recomputed only when the learner's history before today changed. */
async function past<T>(key: string, stamp: string, compute: () => Promise<T>): Promise<T> {
  const hit = pastCache.get(key);
  if (hit && hit.stamp === stamp) return hit.value as T;
  const value = await compute();
  if (pastCache.size >= PAST_CACHE_MAX) pastCache.clear();
  pastCache.set(key, { stamp, value });
  return value;
}

/** Forget every cached figure (tests, benchmarks). */
export function resetStatsCache() {
  pastCache.clear();
  windowCache.clear();
}

const FIRST_CHUNK_DAYS = 30;
const CHUNK_DAYS = 365;
const MAX_STREAK_DAYS = 20 * 365;

/** Days in a row with a review ending yesterday: probes of one index lookup per day, 30 days first, then a year at a time. */
async function runEndingYesterday(userId: string, now: Date, s: Settings): Promise<number> {
  let days = 0;
  let checked = 0;
  let size = FIRST_CHUNK_DAYS;
  while (checked < MAX_STREAK_DAYS) {
    const chunk = windowsFor(now, s.timeZone, s.dayStartHour, -(checked + size), -(checked + 1));
    const active = await activeDays(userId, chunk);
    let run = 0;
    for (let i = active.length - 1; i >= 0 && active[i]; i--) run++;
    days += run;
    if (run < active.length) break;
    checked += size;
    size = CHUNK_DAYS;
  }
  return days;
}

/** Days in a row with at least one review, ending today or yesterday (undone reviews do not count). */
export async function getStreak(userId: string, now: Date, settings?: Settings): Promise<Streak> {
  const s = settings ?? (await learnerSettings(userId));
  const [today] = windowsFor(now, s.timeZone, s.dayStartHour, 0, 0) as [DayWindow];
  const stamp = await historyStamp(userId, today.start);
  const before =
    stamp === "none"
      ? 0
      : await past(`streak|${userId}|${s.timeZone}|${s.dayStartHour}|${today.key}`, stamp, () => runEndingYesterday(userId, now, s));
  const [active] = await activeDays(userId, [today]);
  return { days: active ? before + 1 : before, today: active === true, open: false };
}

export interface DayPoint {
  key: string; // learning day, "2026-11-28"
  reviews: number;
  timeMs: number;
}

export interface Stats {
  timeZone: string;
  dayStartHour: number;
  streak: Streak;
  heatmap: Heatmap;
  /** The last 30 learning days, oldest first (today last). */
  perDay: DayPoint[];
  /** Items due per learning day, today first (overdue items count today). */
  due: { key: string; count: number }[];
  retention: TrueRetention & { desired: number; days: number };
}

export const RETENTION_DAYS = 30;

interface PastStats {
  counts: number[]; // the 364 days before today
  totals: { reviews: number; timeMs: number }[]; // the 29 days before today
  retention: TrueRetention; // the 29 days before today
}

export async function getStats(userId: string, now: Date): Promise<Stats> {
  const settings = await learnerSettings(userId);
  const { timeZone, dayStartHour } = settings;
  const year = windowsFor(now, timeZone, dayStartHour, -364, 0);
  const today = year[year.length - 1]!;
  const month = year.slice(-RETENTION_DAYS);
  const ahead = windowsFor(now, timeZone, dayStartHour, 0, 29);
  const stamp = await historyStamp(userId, today.start);
  const before = await past<PastStats>(`stats|${userId}|${timeZone}|${dayStartHour}|${today.key}`, stamp, async () => {
    const pastYear = year.slice(0, -1);
    const pastMonth = month.slice(0, -1);
    if (stamp === "none") {
      const empty = trueRetention([], pastMonth);
      return { counts: pastYear.map(() => 0), totals: pastMonth.map(() => ({ reviews: 0, timeMs: 0 })), retention: empty };
    }
    const [counts, totals, logs] = await Promise.all([
      reviewsPerDay(userId, pastYear),
      totalsPerDay(userId, pastMonth),
      reviewStateLogs(userId, pastMonth[0]!.start, today.start),
    ]);
    return { counts, totals, retention: trueRetention(withReviewState(logs), pastMonth) };
  });
  const [todayTotals, todayLogs, states, items, streak] = await Promise.all([
    totalsPerDay(userId, [today]),
    reviewStateLogs(userId, today.start, today.end),
    learnerStates(userId),
    liveItems(),
    getStreak(userId, now, settings),
  ]);
  const live = new Set(items.map((i) => i.id));
  const t = todayTotals[0]!;
  const days = year.map((d, i) => ({ key: d.key, reviews: i < before.counts.length ? before.counts[i]! : t.reviews }));
  return {
    timeZone,
    dayStartHour,
    streak,
    heatmap: heatmap(days),
    perDay: month.map((d, i) => ({ key: d.key, ...(i < before.totals.length ? before.totals[i]! : t) })),
    due: dueForecast(
      [...states].filter(([id]) => live.has(id)).map(([, st]) => st),
      ahead,
    ),
    retention: {
      ...addRetention(before.retention, trueRetention(withReviewState(todayLogs), [today])),
      desired: settings.desiredRetention,
      days: RETENTION_DAYS,
    },
  };
}

function withReviewState<T>(logs: T[]): (T & { prevState: number })[] {
  return logs.map((l) => ({ ...l, prevState: State.Review }));
}
