/**
 * The progress pages' queries, in plain SQL on the shared connection of
 * app/db/sql.server.ts (no Prisma per-row overhead), on SQLite and PostgreSQL.
 *
 * The review log is never read row by row over a long period: per-day figures
 * are grouped in SQL. Learning days do not have a fixed length (DST), so their
 * windows come from domain/stats.ts and are sent as a VALUES list; each window
 * is one index range on ReviewLog(userId, ..., reviewedAt).
 */
import { all, get, getSql } from "~/db/sql.server";
import type { DayWindow } from "~/domain/day";
import { isoMs } from "~/domain/stats";
import { getSettings } from "~/settings/settings.server";

type Num = number | bigint | string | null;
const num = (v: Num | undefined) => Number(v ?? 0);

function pg() {
  return getSql().provider === "postgresql";
}

/** A timestamp placeholder: SQLite compares the stored ISO text, PostgreSQL needs the type inside VALUES. */
function ts() {
  return pg() ? "CAST(? AS timestamp(3))" : "?";
}

function windows(days: readonly DayWindow[]): { sql: string; params: Date[] } {
  const t = ts();
  return {
    sql: days.map((_, i) => `(${i}, ${t}, ${t})`).join(", "),
    params: days.flatMap((d) => [d.start, d.end]),
  };
}

/** Counted reviews: not undo rows, not reviews an undo rolled back. */
const COUNTED = `r."kind" = 'review' AND r."undone" = ?`;

async function perWindow<T>(statement: (values: string) => string, days: readonly DayWindow[], userId: string): Promise<T[]> {
  if (days.length === 0) return [];
  const w = windows(days);
  return getSql().all<T>(all(statement(w.sql), ...w.params, userId, false));
}

/** Which of `days` have at least one counted review (one index probe per day). */
export async function activeDays(userId: string, days: readonly DayWindow[]): Promise<boolean[]> {
  const rows = await perWindow<{ i: Num }>(
    (values) => `
      WITH d(i, s, e) AS (VALUES ${values})
      SELECT d.i AS i FROM d
      WHERE EXISTS (SELECT 1 FROM "ReviewLog" r WHERE r."userId" = ? AND ${COUNTED} AND r."reviewedAt" >= d.s AND r."reviewedAt" < d.e)`,
    days,
    userId,
  );
  const out = days.map(() => false);
  for (const r of rows) out[num(r.i)] = true;
  return out;
}

/** Before any due instant (the first day's window holds every overdue item): year 1, valid on both databases. */
const BEFORE_ANY_DUE = new Date("0001-01-01T00:00:00.000Z");

/**
 * Live items (not retired) due per day of `days`, today first: an item counts
 * on the day its due instant falls in, overdue ones on the first day; items
 * never reviewed (state New) do not count. The same rule as domain/stats.ts
 * dueForecast, counted in SQL: one index range on ItemState(userId, due) per
 * day (the first day's from the start of time), so no due instant crosses to
 * the process (sending all of them as one JSON value and bucketing them here
 * cost 3 ms of a 20 ms statistics page with 5,000 items, issue 19).
 */
export async function dueCounts(userId: string, days: readonly DayWindow[]): Promise<{ key: string; count: number }[]> {
  const out = days.map((d) => ({ key: d.key, count: 0 }));
  if (days.length === 0) return out;
  const t = ts();
  const rows = await getSql().all<{ i: Num; n: Num }>(
    all(
      `WITH d(i, s, e) AS (VALUES ${days.map((_, i) => `(${i}, ${t}, ${t})`).join(", ")})
       SELECT d.i AS i, COUNT(*) AS n
       FROM d JOIN "ItemState" st ON st."userId" = ? AND st."due" >= d.s AND st."due" < d.e AND st."state" <> ?
       JOIN "Item" it ON it."id" = st."itemId" AND it."retiredAt" IS NULL
       GROUP BY d.i`,
      ...days.flatMap((d, i) => [i === 0 ? BEFORE_ANY_DUE : d.start, d.end]),
      userId,
      0,
    ),
  );
  for (const r of rows) out[num(r.i)]!.count = num(r.n);
  return out;
}

/** Counted reviews and their total duration per day. */
export async function totalsPerDay(userId: string, days: readonly DayWindow[]): Promise<{ reviews: number; timeMs: number }[]> {
  const rows = await perWindow<{ i: Num; n: Num; ms: Num }>(
    (values) => `
      WITH d(i, s, e) AS (VALUES ${values})
      SELECT d.i AS i, COUNT(*) AS n, SUM(r."durationMs") AS ms
      FROM d JOIN "ReviewLog" r ON r."userId" = ? AND ${COUNTED} AND r."reviewedAt" >= d.s AND r."reviewedAt" < d.e
      GROUP BY d.i`,
    days,
    userId,
  );
  const out = days.map(() => ({ reviews: 0, timeMs: 0 }));
  for (const r of rows) out[num(r.i)] = { reviews: num(r.n), timeMs: num(r.ms) };
  return out;
}

export interface RetentionRow {
  itemId: string;
  reviewedAt: Date;
  rating: number;
  scheduledDaysBefore: number;
}

/** Counted reviews of items in the Review state (prevState 2) in [from, to), with the interval before each. */
export async function reviewStateLogs(userId: string, from: Date, to: Date): Promise<RetentionRow[]> {
  const interval = pg() ? `CAST(CAST(r."stateBefore" AS json)->>'scheduledDays' AS integer)` : `json_extract(r."stateBefore", '$.scheduledDays')`;
  const rows = await getSql().all<{ itemId: string; reviewedAt: Date | string; rating: Num; sd: Num }>(
    all(
      `SELECT r."itemId" AS "itemId", r."reviewedAt" AS "reviewedAt", r."rating" AS rating, ${interval} AS sd
       FROM "ReviewLog" r
       WHERE r."userId" = ? AND r."reviewedAt" >= ? AND r."reviewedAt" < ? AND ${COUNTED} AND r."prevState" = 2`,
      userId,
      from,
      to,
      false,
    ),
  );
  return rows.map((r) => ({
    itemId: r.itemId,
    reviewedAt: r.reviewedAt instanceof Date ? r.reviewedAt : new Date(r.reviewedAt),
    rating: num(r.rating),
    scheduledDaysBefore: num(r.sd),
  }));
}

/**
 * The learner's own cards are not in mastery (it scores the course's items),
 * and their state rows are deleted with the card: without them, no state row
 * is ever deleted, so the stamp below changes with every write.
 */
const NOT_OWN = ` AND "itemId" NOT LIKE 'own:%'`;

export interface StateRow {
  itemId: string;
  state: number;
  stability: number;
  lastReview: number | null; // epoch ms
  due: number; // epoch ms
  version: number;
}

/**
 * The learner's item states (all of them, or only `itemIds`): the few columns
 * mastery and the due counts need, instants as epoch milliseconds. Aggregated
 * into one JSON array in SQL: thousands of rows come back as one value and one
 * JSON.parse, several times faster than row objects.
 */
export async function itemStates(userId: string, itemIds?: readonly string[]): Promise<StateRow[]> {
  if (itemIds && itemIds.length === 0) return [];
  const only = `${NOT_OWN}${itemIds ? ` AND "itemId" IN (${itemIds.map(() => "?").join(", ")})` : ""}`;
  const sql = pg()
    ? `SELECT json_agg(json_build_array("itemId", "state", "stability",
         CAST(EXTRACT(EPOCH FROM "lastReview") * 1000 AS bigint), CAST(EXTRACT(EPOCH FROM "due") * 1000 AS bigint), "version")) AS j
       FROM "ItemState" WHERE "userId" = ?${only}`
    : `SELECT json_group_array(json_array("itemId", "state", "stability", "lastReview", "due", "version")) AS j
       FROM "ItemState" WHERE "userId" = ?${only}`;
  const row = await getSql().get<{ j: unknown }>(get(sql, userId, ...(itemIds ?? [])));
  const j = row?.j ?? null;
  const list = (typeof j === "string" ? JSON.parse(j) : j ?? []) as [string, Num, Num, Num, Num, Num][];
  // SQLite gives the stored ISO text ("2026-11-28T10:58:28.136+00:00"), PostgreSQL epoch milliseconds.
  const ms = (v: Num) => (typeof v === "string" ? isoMs(v) : num(v));
  return list.map(([itemId, state, stability, lastReview, due, version]) => ({
    itemId,
    state: num(state),
    stability: num(stability),
    lastReview: lastReview === null ? null : ms(lastReview),
    due: ms(due),
    version: num(version),
  }));
}

/** Items whose state a review or an undo may have changed since `since` (both write a log row). */
export async function itemsTouchedSince(userId: string, since: Date): Promise<string[]> {
  const rows = await getSql().all<{ itemId: string }>(
    all(`SELECT DISTINCT r."itemId" AS "itemId" FROM "ReviewLog" r WHERE r."userId" = ? AND r."reviewedAt" >= ?`, userId, since),
  );
  return rows.map((r) => r.itemId);
}

/**
 * Stamp of the learner's item states (own cards aside): every write to an item
 * state (a review, an undo, forget, suspend, an import) bumps its version or
 * adds a row (optimistic concurrency, review.server.ts), and none is deleted,
 * so the row count and the sum of versions change whenever any state changes.
 */
export async function statesStamp(userId: string): Promise<{ rows: number; versions: number }> {
  const row = await getSql().get<{ n: Num; v: Num }>(get(`SELECT COUNT(*) AS n, SUM("version") AS v FROM "ItemState" WHERE "userId" = ?${NOT_OWN}`, userId));
  return { rows: num(row?.n), versions: num(row?.v) };
}

/** The course's live items (not retired), in course order, as one JSON-aggregated value. */
export async function liveItemRows(): Promise<{ id: string; topicId: string; kind: string; tags: string }[]> {
  const sql = pg()
    ? `SELECT json_agg(json_build_array("id", "topicId", "kind", "tags") ORDER BY "position") AS j FROM "Item" WHERE "retiredAt" IS NULL`
    : `SELECT json_group_array(json_array("id", "topicId", "kind", "tags")) AS j FROM (SELECT * FROM "Item" WHERE "retiredAt" IS NULL ORDER BY "position")`;
  const row = await getSql().get<{ j: unknown }>(get(sql));
  const j = row?.j ?? null;
  const list = (typeof j === "string" ? JSON.parse(j) : j ?? []) as [string, string, string, string][];
  return list.map(([id, topicId, kind, tags]) => ({ id, topicId, kind, tags }));
}

/** Exercise items the learner passed at least once. */
export async function passedExercises(userId: string): Promise<string[]> {
  const rows = await getSql().all<{ itemId: string }>(
    all(`SELECT DISTINCT "itemId" AS "itemId" FROM "ExerciseAttempt" WHERE "userId" = ? AND "passed" = ?`, userId, true),
  );
  return rows.map((r) => r.itemId);
}

/** Lessons the learner chose to study (ADR 021: opening one is not enough). */
export async function enrolledLessons(userId: string): Promise<string[]> {
  const rows = await getSql().all<{ topicId: string }>(all(`SELECT "topicId" AS "topicId" FROM "LessonVisit" WHERE "userId" = ?`, userId));
  return rows.map((r) => r.topicId);
}

/**
 * The latest finished lesson-quiz score per topic, in percent (the same
 * rounding as quiz/quiz.server.ts): the finished attempt with the latest finishedAt.
 */
export async function latestQuizScores(userId: string): Promise<Record<string, number>> {
  const rows = await getSql().all<{ topicId: string; correct: Num; total: Num; finishedAt: Date | string }>(
    all(
      `SELECT q."topicId" AS "topicId", q."correct" AS correct, q."total" AS total, q."finishedAt" AS "finishedAt"
       FROM "QuizAttempt" q WHERE q."userId" = ? AND q."finishedAt" IS NOT NULL ORDER BY q."finishedAt" ASC`,
      userId,
    ),
  );
  const out: Record<string, number> = {};
  for (const r of rows) out[r.topicId] = num(r.total) > 0 ? Math.round((100 * num(r.correct)) / num(r.total)) : 0;
  return out;
}

export type Settings = Awaited<ReturnType<typeof getSettings>>;

/** The learner's settings in one plain query (created with defaults on first use). */
export async function learnerSettings(userId: string): Promise<Settings> {
  const row = await getSql().get<Settings>(get(`SELECT * FROM "Settings" WHERE "userId" = ?`, userId));
  return row ? { ...row, desiredRetention: Number(row.desiredRetention) } : getSettings(userId);
}
