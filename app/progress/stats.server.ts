/**
 * Learning statistics for one learner: streak, a year of activity, the due
 * forecast, true retention, reviews and time per day, over the learner's
 * learning days (day-start hour, time zone).
 *
 * Days before today come from the per-day figures kept in the database
 * (days.server.ts, ADR 014): about 365 small rows, whichever process serves
 * the page. Only today's rows of the review log are read on every request;
 * a past day missing from the kept rows is grouped from the log once.
 */
import { dayKey, type DayWindow } from "~/domain/day";
import { State } from "~/domain/scheduler";
import { addRetention, heatmap, learningDays, trueRetention, type Heatmap, type Streak, type TrueRetention } from "~/domain/stats";
import { pastDays, sumRetention, zoneKey, type PastDay } from "./days.server";
import { activeDays, dueCounts, learnerSettings, reviewStateLogs, totalsPerDay, type Settings } from "./queries.server";

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

/** Forget every cached figure (tests, benchmarks). Past days kept in the database stay. */
export function resetStatsCache() {
  windowCache.clear();
}

const MAX_STREAK_DAYS = 20 * 365;
/** The 364 learning days before today, as kept (days.server.ts): every progress page reads the same range. */
const YEAR_DAYS = 364;
export const RETENTION_DAYS = 30;

/** Days in a row with a review ending `offset` days before today: index probes of 30 days, then a year at a time. */
async function runEndingBefore(userId: string, now: Date, s: Settings, offset: number): Promise<number> {
  let days = 0;
  let size = 30;
  for (let checked = offset; checked < MAX_STREAK_DAYS; checked += size, size = YEAR_DAYS) {
    const chunk = windowsFor(now, s.timeZone, s.dayStartHour, -(checked + size), -(checked + 1));
    const active = await activeDays(userId, chunk);
    let run = 0;
    for (let i = active.length - 1; i >= 0 && active[i]; i--) run++;
    days += run;
    if (run < active.length) break;
  }
  return days;
}

function history(userId: string, now: Date, s: Settings): Promise<PastDay[]> {
  const past = windowsFor(now, s.timeZone, s.dayStartHour, -YEAR_DAYS, -1);
  return pastDays(userId, zoneKey(s.timeZone, s.dayStartHour), past, RETENTION_DAYS - 1, now);
}

async function streakFrom(userId: string, now: Date, s: Settings, past: PastDay[], today: boolean): Promise<Streak> {
  let before = 0;
  for (let i = past.length - 1; i >= 0 && past[i]!.reviews > 0; i--) before++;
  if (before === past.length) before += await runEndingBefore(userId, now, s, past.length);
  return { days: today ? before + 1 : before, today, open: false };
}

/** Days in a row with at least one review, ending today or yesterday (undone reviews do not count). */
export async function getStreak(userId: string, now: Date, settings?: Settings): Promise<Streak> {
  const s = settings ?? (await learnerSettings(userId));
  const [today] = windowsFor(now, s.timeZone, s.dayStartHour, 0, 0) as [DayWindow];
  const [past, [active]] = await Promise.all([history(userId, now, s), activeDays(userId, [today])]);
  return streakFrom(userId, now, s, past, active === true);
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

export async function getStats(userId: string, now: Date): Promise<Stats> {
  const settings = await learnerSettings(userId);
  const { timeZone, dayStartHour } = settings;
  const [today] = windowsFor(now, timeZone, dayStartHour, 0, 0) as [DayWindow];
  const ahead = windowsFor(now, timeZone, dayStartHour, 0, 29);
  const [past, todayTotals, todayLogs, due] = await Promise.all([
    history(userId, now, settings),
    totalsPerDay(userId, [today]),
    reviewStateLogs(userId, today.start, today.end),
    dueCounts(userId, ahead),
  ]);
  const t = todayTotals[0]!;
  const days = [...past.map((d) => ({ key: d.key, reviews: d.reviews })), { key: today.key, reviews: t.reviews }];
  const month = past.slice(-(RETENTION_DAYS - 1));
  return {
    timeZone,
    dayStartHour,
    streak: await streakFrom(userId, now, settings, past, t.reviews > 0),
    heatmap: heatmap(days),
    perDay: [...month.map((d) => ({ key: d.key, reviews: d.reviews, timeMs: d.timeMs })), { key: today.key, ...t }],
    due,
    retention: {
      ...addRetention(sumRetention(month), trueRetention(withReviewState(todayLogs), [today])),
      desired: settings.desiredRetention,
      days: RETENTION_DAYS,
    },
  };
}

function withReviewState<T>(logs: T[]): (T & { prevState: number })[] {
  return logs.map((l) => ({ ...l, prevState: State.Review }));
}
