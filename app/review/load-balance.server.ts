/**
 * Load balancing on the review path (ADR 027): after a rating, one indexed
 * read of the learner's review due dates over the fuzz range, then the due
 * date moves to the least loaded day of that range (domain/load-balance.ts).
 * Only ratings that end in a fuzzed review interval pay for the read.
 */
import { all, toDate, type Row, type Statement } from "~/db/sql.server";
import { dayWindow } from "~/domain/day";
import { balancedInterval, parseLightDays } from "~/domain/load-balance";
import { State, type Grade, type MemoryState, type Scheduler } from "~/domain/scheduler";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface BalanceStep {
  statement: Statement;
  apply(rows: Row[]): MemoryState;
  /** The candidate days as SQL can weigh them (the PostgreSQL review path, ADR 034): days from now, light or not, the day's start. */
  days: { d: number; light: boolean; start: Date }[];
  /** The day fuzz drew (equal loads keep it). */
  drawn: number;
}

interface LearnerDays {
  timeZone: string;
  dayStartHour: number;
  lightDays: string;
}

/** The read and the adjustment for one rating, or null when the rating needs none. */
export function balanceStep(
  userId: string,
  itemId: string,
  settings: LearnerDays,
  scheduler: Scheduler,
  before: MemoryState,
  after: MemoryState,
  at: Date,
  rating: Grade,
): BalanceStep | null {
  if (after.state !== State.Review) return null;
  const range = scheduler.fuzzRange(before, at, rating);
  if (!range || range.min === range.max) return null;
  const drawn = after.scheduledDays;
  // ts-fsrs keeps Hard < Good < Easy after fuzzing; a draw it pushed out of the range stays as it is.
  if (drawn < range.min || drawn > range.max) return null;
  const light = parseLightDays(settings.lightDays);
  // The learner's day the drawn due date falls in; the other candidates are whole days before or after it
  // (a day boundary may sit an hour off across a DST change: a load count, not a schedule, depends on it).
  const home = dayWindow(after.due, settings.timeZone, settings.dayStartHour);
  const homeWeekday = new Date(`${home.key}T00:00:00Z`).getUTCDay();
  const from = new Date(home.start.getTime() + (range.min - drawn) * DAY_MS);
  const to = new Date(home.start.getTime() + (range.max - drawn + 1) * DAY_MS);
  const isLightDay = (d: number) => light.has((((homeWeekday + d - drawn) % 7) + 7) % 7);
  const days = [];
  for (let d = Math.min(range.min, range.max); d <= Math.max(range.min, range.max); d++) days.push({ d, light: isLightDay(d), start: new Date(home.start.getTime() + (d - drawn) * DAY_MS) });
  return {
    days,
    drawn,
    statement: all(
      `SELECT "due" FROM "ItemState" WHERE "userId" = ? AND "due" >= ? AND "due" < ? AND "state" = 2 AND "suspended" = ? AND "itemId" <> ?`,
      userId,
      from,
      to,
      false,
      itemId,
    ),
    apply(rows) {
      const loads = new Map<number, number>();
      for (const r of rows) {
        const d = drawn + Math.floor((toDate(r.due).getTime() - home.start.getTime()) / DAY_MS);
        loads.set(d, (loads.get(d) ?? 0) + 1);
      }
      const loadOn = (d: number) => loads.get(d) ?? 0;
      const chosen = balancedInterval({ range, drawn, loadOn, isLight: isLightDay });
      if (chosen === drawn) return after;
      return { ...after, scheduledDays: chosen, due: new Date(after.due.getTime() + (chosen - drawn) * DAY_MS) };
    },
  };
}
