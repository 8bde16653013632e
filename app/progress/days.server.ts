/**
 * Per-day review figures of past learning days, kept in the database
 * (ReviewDay) so that the progress pages read a year of history as ~365 small
 * rows instead of grouping 100,000 log rows, in any process, cold or warm
 * (docs/decisions/014-review-days.md).
 *
 * A day is kept once it has been over for KEEP_AFTER_MS, written by the first
 * page that needs it. Its figures can still change afterwards only through a
 * write that lands on it. A review cannot: its time is clamped to the current
 * learning day (domain/review-time.ts), and "I was right" rewrites only a
 * rating at most OVERRULE_WINDOW_MS old, under KEEP_AFTER_MS. An undo can
 * (it reaches back a day). Such writes (dated more than BACKDATED_MS before the server's clock) bump
 * the learner's ReviewDayEpoch in their own transaction, and a kept row
 * counts only while its epoch is the current one. A reader takes the epoch
 * before it reads the log, so a row it writes from a log read that missed a
 * concurrent backdated write carries the old epoch and is ignored.
 * Writes dated within BACKDATED_MS of the clock cannot land on a kept day:
 * a kept day ended more than KEEP_AFTER_MS ago, which is BACKDATED_MS plus
 * five minutes (far longer than any transaction).
 */
import { all, get, getSql, run, type Statement } from "~/db/sql.server";
import type { DayWindow } from "~/domain/day";
import { addRetention, trueRetention, type TrueRetention } from "~/domain/stats";
import { State } from "~/domain/scheduler";
import { reviewStateLogs, totalsPerDay, type RetentionRow } from "./queries.server";

/** A write dated this far before the server's clock may land on a kept day. */
export const BACKDATED_MS = 10 * 60_000;
/** A day is kept once it ended this long ago. */
export const KEEP_AFTER_MS = BACKDATED_MS + 5 * 60_000;

type Num = number | bigint | string | null;
const num = (v: Num | undefined) => Number(v ?? 0);

export interface PastDay {
  key: string;
  reviews: number;
  timeMs: number;
  /** The day's true-retention tallies, when asked for. */
  retention: TrueRetention | null;
}

/** Whether a review log write dated `at` must bump the epoch. */
export function isBackdated(at: Date, nowMs = Date.now()): boolean {
  return at.getTime() < nowMs - BACKDATED_MS;
}

/** The statement that invalidates every kept day of a learner (inside the writing transaction). */
export function bumpEpoch(userId: string): Statement {
  return run(
    `INSERT INTO "ReviewDayEpoch" ("userId", "epoch") VALUES (?, 1) ON CONFLICT ("userId") DO UPDATE SET "epoch" = "ReviewDayEpoch"."epoch" + 1`,
    userId,
  );
}

async function currentEpoch(userId: string): Promise<number> {
  const row = await getSql().get<{ epoch: Num }>(get(`SELECT "epoch" FROM "ReviewDayEpoch" WHERE "userId" = ?`, userId));
  return num(row?.epoch);
}

export const zoneKey = (timeZone: string, dayStartHour: number) => `${timeZone}|${dayStartHour}`;

/** Tallies of one day from its review-state logs (the same rule as domain/stats.ts trueRetention). */
function retentionOf(logs: RetentionRow[], day: DayWindow): TrueRetention {
  return trueRetention(
    logs.map((l) => ({ ...l, prevState: State.Review })),
    [day],
  );
}

const cell = (passed: number | null, total: number | null) => ({ passed: passed ?? 0, total: total ?? 0, rate: total ? (passed ?? 0) / total : null });

/**
 * Figures of `days` (consecutive past learning days, oldest first, every one
 * over), with retention tallies for the last `retentionDays` of them. Kept
 * rows where valid; the rest computed from the log in two grouped queries,
 * and kept when they ended long enough ago.
 */
export async function pastDays(userId: string, zone: string, days: readonly DayWindow[], retentionDays: number, now: Date): Promise<PastDay[]> {
  if (days.length === 0) return [];
  const sql = getSql();
  const epoch = await currentEpoch(userId); // before the log is read (see the top of this file)
  const rows = await sql.all<{ day: string; reviews: Num; timeMs: Num; yp: Num; yt: Num; mp: Num; mt: Num }>(
    all(
      `SELECT "day", "reviews", "timeMs", "youngPassed" AS yp, "youngTotal" AS yt, "maturePassed" AS mp, "matureTotal" AS mt
       FROM "ReviewDay" WHERE "userId" = ? AND "zone" = ? AND "epoch" = ? AND "day" >= ? AND "day" <= ?`,
      userId,
      zone,
      epoch,
      days[0]!.key,
      days[days.length - 1]!.key,
    ),
  );
  const kept = new Map(rows.map((r) => [r.day, r]));
  const firstRetention = days.length - retentionDays;
  const out: (PastDay | null)[] = days.map((d, i) => {
    const r = kept.get(d.key);
    if (!r) return null;
    const wantsRetention = i >= firstRetention;
    if (wantsRetention && r.yt === null) return null;
    return {
      key: d.key,
      reviews: num(r.reviews),
      timeMs: num(r.timeMs),
      retention: wantsRetention
        ? { young: cell(num(r.yp), num(r.yt)), mature: cell(num(r.mp), num(r.mt)), all: cell(num(r.yp) + num(r.mp), num(r.yt) + num(r.mt)) }
        : null,
    };
  });
  const missing = days.map((d, i) => ({ d, i })).filter(({ i }) => out[i] === null);
  if (missing.length === 0) return out as PastDay[];

  const needRetention = missing.filter(({ i }) => i >= firstRetention);
  const [totals, logs] = await Promise.all([
    totalsPerDay(
      userId,
      missing.map(({ d }) => d),
    ),
    needRetention.length ? reviewStateLogs(userId, needRetention[0]!.d.start, needRetention[needRetention.length - 1]!.d.end) : Promise.resolve([]),
  ]);
  const byDay = new Map<number, RetentionRow[]>();
  for (const l of logs) {
    const t = l.reviewedAt.getTime();
    const m = needRetention.find(({ d }) => t >= d.start.getTime() && t < d.end.getTime());
    if (!m) continue;
    let list = byDay.get(m.i);
    if (!list) byDay.set(m.i, (list = []));
    list.push(l);
  }
  missing.forEach(({ d, i }, j) => {
    out[i] = { key: d.key, ...totals[j]!, retention: i >= firstRetention ? retentionOf(byDay.get(i) ?? [], d) : null };
  });

  const keepBefore = now.getTime() - KEEP_AFTER_MS;
  const toKeep = missing.filter(({ d }) => d.end.getTime() <= keepBefore).map(({ i }) => out[i]!);
  if (toKeep.length) await keep(userId, zone, epoch, toKeep, days[0]!.key);
  return out as PastDay[];
}

/** Upserts kept days (never over a row of a newer epoch) and drops the learner's rows no page reads any more. */
async function keep(userId: string, zone: string, epoch: number, list: PastDay[], oldest: string) {
  const values = list.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
  const params = list.flatMap((d) => [
    userId,
    zone,
    d.key,
    epoch,
    d.reviews,
    d.timeMs,
    d.retention?.young.passed ?? null,
    d.retention?.young.total ?? null,
    d.retention?.mature.passed ?? null,
    d.retention?.mature.total ?? null,
  ]);
  try {
    await getSql().transaction(
      function* () {
        yield run(
          `INSERT INTO "ReviewDay" ("userId", "zone", "day", "epoch", "reviews", "timeMs", "youngPassed", "youngTotal", "maturePassed", "matureTotal")
           VALUES ${values}
           ON CONFLICT ("userId", "zone", "day") DO UPDATE SET "epoch" = excluded."epoch", "reviews" = excluded."reviews", "timeMs" = excluded."timeMs",
             "youngPassed" = excluded."youngPassed", "youngTotal" = excluded."youngTotal", "maturePassed" = excluded."maturePassed", "matureTotal" = excluded."matureTotal"
           WHERE excluded."epoch" >= "ReviewDay"."epoch"`,
          ...params,
        );
        yield run(`DELETE FROM "ReviewDay" WHERE "userId" = ? AND ("zone" <> ? OR "day" < ?)`, userId, zone, oldest);
      },
      { waitForDisk: false }, // a cache: nothing is acknowledged on it
    );
  } catch (e) {
    // Keeping is an optimisation: a full disk or a read-only database must not fail the page.
    console.warn(`progress: could not keep ${list.length} past days: ${(e as Error).message}`);
  }
}

/** Retention over several days, added up. */
export function sumRetention(days: readonly PastDay[]): TrueRetention {
  return days.reduce<TrueRetention>((acc, d) => (d.retention ? addRetention(acc, d.retention) : acc), trueRetention([], []));
}
