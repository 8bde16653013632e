/**
 * Rescheduling a learner's cards to their current model (ADR 030): one read
 * of their cards in review, the new dates computed in memory
 * (domain/reschedule.ts), then one UPDATE per batch of 500 changed rows, all
 * in one transaction: every date moves, or none does.
 *
 * Each row is written only if its version is still the one read, and the
 * version is not bumped: a rating shown before the reschedule is still
 * accepted (its state, apart from the due date, is unchanged), and a review
 * that got in first keeps the date it chose. On PostgreSQL the read locks the
 * rows (FOR UPDATE), so a review arriving meanwhile waits for the commit and
 * then applies on top. On SQLite the transaction runs synchronously under the
 * write lock, so nothing interleaves.
 */
import { all, getSql, run, type Row, type Sql, type Statement, type StepResult } from "~/db/sql.server";
import { dayWindow } from "~/domain/day";
import { parseLightDays } from "~/domain/load-balance";
import { rescheduleCards, type Rescheduled } from "~/domain/reschedule";
import { queueCache, STATE_COLUMNS, stateFromRow } from "~/review/review.server";

/** Rows per UPDATE: 500 rows of 4 values stay far below either database's limit on bound parameters. */
export const BATCH_ROWS = 500;

export interface RescheduleResult {
  /** Cards in review that were considered. */
  cards: number;
  /** Rows whose due date moved. */
  moved: number;
}

interface LearnerModel {
  desiredRetention: number;
  maximumInterval: number;
  learningSteps: string;
  relearningSteps: string;
  weights: string | null;
  timeZone: string;
  dayStartHour: number;
  lightDays: string;
}

/**
 * Moves the learner's review cards to the dates their model gives now.
 * Idempotent: a second run finds every date where it belongs and writes no
 * card (only `rescheduledAt`). `sql` is for tests that count statements.
 */
export async function rescheduleLearner(userId: string, now = new Date(), sql: Sql = getSql()): Promise<RescheduleResult> {
  const pg = sql.provider === "postgresql";
  try {
    return await sql.transaction(function* (): Generator<Statement, RescheduleResult, StepResult> {
      const settingsRows = (yield all(`SELECT * FROM "Settings" WHERE "userId" = ?${pg ? " FOR UPDATE" : ""}`, userId)) as Row[];
      const s = settingsRows[0] as unknown as LearnerModel | undefined;
      if (!s) return { cards: 0, moved: 0 };
      const rows = (yield all(
        `SELECT "itemId", ${STATE_COLUMNS}, "version", "suspended" FROM "ItemState" WHERE "userId" = ? AND "state" = 2${pg ? " FOR UPDATE" : ""}`,
        userId,
      )) as Row[];
      const today = dayWindow(now, s.timeZone, s.dayStartHour);
      const versions = new Map(rows.map((r) => [String(r.itemId), Number(r.version)]));
      const moved = rescheduleCards(
        rows.map((r) => ({ itemId: String(r.itemId), state: stateFromRow(r), suspended: r.suspended === true || r.suspended === 1 })),
        {
          userId,
          settings: {
            desiredRetention: s.desiredRetention,
            maximumInterval: s.maximumInterval,
            learningSteps: s.learningSteps,
            relearningSteps: s.relearningSteps,
            weights: s.weights ? (JSON.parse(s.weights) as number[]) : null,
          },
          todayStart: today.start,
          todayWeekday: new Date(`${today.key}T00:00:00Z`).getUTCDay(),
          lightDays: parseLightDays(s.lightDays),
        },
      );
      let changed = 0;
      for (let i = 0; i < moved.length; i += BATCH_ROWS) {
        const res = (yield batchUpdate(pg, userId, moved.slice(i, i + BATCH_ROWS), versions)) as { changes: number };
        changed += res.changes;
      }
      yield run(`UPDATE "Settings" SET "rescheduledAt" = ? WHERE "userId" = ?`, now, userId);
      return { cards: rows.length, moved: changed };
    });
  } finally {
    queueCache.forget(userId); // our own connection's writes are not seen by data_version (ADR 011)
  }
}

/** One UPDATE ... FROM a VALUES list: the rows, their new dates, and the versions they were read at. */
function batchUpdate(pg: boolean, userId: string, batch: readonly Rescheduled[], versions: ReadonlyMap<string, number>): Statement {
  const tuple = pg ? "(?::text, ?::timestamp(3), ?::integer, ?::integer)" : "(?, ?, ?, ?)";
  const params: unknown[] = [];
  for (const r of batch) params.push(r.itemId, r.due, r.scheduledDays, versions.get(r.itemId)!);
  return run(
    `WITH v ("itemId", "due", "scheduledDays", "version") AS (VALUES ${batch.map(() => tuple).join(", ")})
     UPDATE "ItemState" SET "due" = v."due", "scheduledDays" = v."scheduledDays"
     FROM v WHERE "ItemState"."userId" = ? AND "ItemState"."itemId" = v."itemId" AND "ItemState"."version" = v."version" AND "ItemState"."state" = 2`,
    ...params,
    userId,
  );
}

/** Whether the settings page should offer to reschedule: the model changed (a fit was adopted) after the last reschedule. */
export function offerAfterFit(fittedAt: string | null | undefined, rescheduledAt: Date | string | null | undefined): boolean {
  if (!fittedAt) return false;
  if (!rescheduledAt) return true;
  return new Date(fittedAt).getTime() > new Date(rescheduledAt).getTime();
}
