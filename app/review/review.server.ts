/**
 * Recording reviews and building the learner's queue. Every function takes the
 * learner's id; every query is scoped by it.
 *
 * A review is committed before it is acknowledged. It applies only if the item
 * state still has the version the learner was shown (optimistic concurrency),
 * and a client-generated id makes a resubmission a no-op.
 */
import { getDb } from "~/db/client.server";
import { all, get, getSql, isUniqueViolation, run, toDate, toDateOrNull, type Row, type Statement, type StepResult } from "~/db/sql.server";
import { getContentItem, getCourse } from "~/content/course.server";
import { dayWindow } from "~/domain/day";
import { sessionCount } from "~/domain/review-session";
import { clampReviewTime } from "~/domain/review-time";
import { buildQueue, type Queue } from "~/domain/queue";
import {
  createScheduler,
  fuzzKey,
  newMemoryState,
  State,
  stateFromJson,
  stateToJson,
  type Grade,
  type MemoryState,
  type Scheduler,
} from "~/domain/scheduler";
import { settingsForKind, type SchedulingKind } from "~/domain/handoff";
import { bumpEpoch, isBackdated } from "~/progress/days.server";
import { getSettings } from "~/settings/settings.server";
import { noteReview } from "~/optimizer/jobs.server";
import { balanceStep, type BalanceStep } from "./load-balance.server";
import { LIGHT_DAY_FACTOR } from "~/domain/load-balance";
import { courseSiblingKeys } from "./siblings.server";
import { isOwnItemId, ownCardIdOf } from "~/own-cards/schema";
import { createQueueCache, withReview, type DayCounts, type QueueReads, type QueueWindow } from "./queue-cache.server";
import { afterReview, appliesToCopy, createPgQueueCache, type Candidate } from "./pg-queue-cache.server";
import { checkWriteAs } from "~/limits/write-caps.server";
import { sessionLearnerStatement } from "~/auth/session.server";

export type { DayCounts };

export type ReviewSource = "review" | "quiz" | "exercise";

export type Settings = Awaited<ReturnType<typeof getSettings>>;

// Schedulers are pure and depend only on these settings: learners with the same
// settings (most keep the defaults) share one, built once.
const schedulers = new Map<string, Scheduler>();
const MAX_SCHEDULERS = 500;

/** The learner's scheduler; quiz questions ("answered" items) take one learning step (ADR 017). */
export function schedulerFor(settings: Settings, kind: SchedulingKind = "rated"): Scheduler {
  const key = JSON.stringify([settings.desiredRetention, settings.maximumInterval, settings.learningSteps, settings.relearningSteps, settings.weights, kind]);
  let scheduler = schedulers.get(key);
  if (!scheduler) {
    const base = {
      desiredRetention: settings.desiredRetention,
      maximumInterval: settings.maximumInterval,
      learningSteps: settings.learningSteps,
      relearningSteps: settings.relearningSteps,
      weights: settings.weights ? (JSON.parse(settings.weights) as number[]) : null,
    };
    scheduler = createScheduler(settingsForKind(base, kind));
    if (schedulers.size >= MAX_SCHEDULERS) schedulers.clear();
    schedulers.set(key, scheduler);
  }
  return scheduler;
}

export interface ReviewInput {
  itemId: string;
  rating: Grade;
  clientId: string;
  /** The version of the item state the learner was shown; 0 for an item never reviewed. */
  version: number;
  durationMs: number;
  source: ReviewSource;
  /** When the client says the learner rated it (ms since epoch); kept within bounds (clampReviewTime). */
  reviewedAt?: number;
}

export type ReviewResult =
  | { status: "recorded"; logId: number; state: MemoryState; version: number }
  | { status: "duplicate"; logId: number; state: MemoryState; version: number }
  | { status: "stale"; state: MemoryState | null; version: number }
  | { status: "not-found" }
  | { status: "invalid"; error: string };

const STATE_FIELDS = ["due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview"] as const;
export const STATE_COLUMNS = STATE_FIELDS.map((f) => `"${f}"`).join(", ");

export function stateFromRow(r: Row): MemoryState {
  return {
    due: toDate(r.due),
    stability: Number(r.stability),
    difficulty: Number(r.difficulty),
    elapsedDays: Number(r.elapsedDays),
    scheduledDays: Number(r.scheduledDays),
    learningSteps: Number(r.learningSteps),
    reps: Number(r.reps),
    lapses: Number(r.lapses),
    state: Number(r.state) as State,
    lastReview: toDateOrNull(r.lastReview),
  };
}

export const stateValues = (s: MemoryState) => [s.due, s.stability, s.difficulty, s.elapsedDays, s.scheduledDays, s.learningSteps, s.reps, s.lapses, s.state, s.lastReview];

type StoredState = ReturnType<typeof stateToJson> & { version: number };

/** The statement that reads the learner's settings row. */
export const settingsStatement = (userId: string) => get(`SELECT * FROM "Settings" WHERE "userId" = ?`, userId);

/** The learner's settings row (created with defaults on first use); `row`, when the caller read it already (null columns: none yet). */
export async function learnerSettings(userId: string, row?: Row): Promise<Settings> {
  if (row && row.userId !== null && row.userId !== undefined) return row as unknown as Settings;
  const read = await getSql().get<Settings>(settingsStatement(userId));
  return read ?? getSettings(userId);
}

export interface RecordOptions {
  /** The learner's settings, when the caller already read them. */
  settings?: Settings;
  /**
   * Return at commit, before the commit is on disk. The caller must then
   * `await getSql().durable()` before it acknowledges the review.
   */
  syncLater?: boolean;
}

/** What one rating does to the item, decided from its current state row (pure). */
type Plan =
  | { kind: "stale"; result: ReviewResult }
  | { kind: "invalid"; result: ReviewResult }
  | { kind: "write"; exists: boolean; before: MemoryState; after: MemoryState; at: Date; currentVersion: number; version: number };

function planReview(userId: string, row: Row | undefined, input: ReviewInput, now: Date, dayStart: Date, scheduler: Scheduler): Plan {
  const currentVersion = row ? Number(row.version) : 0;
  if (currentVersion !== input.version) return { kind: "stale", result: { status: "stale", state: row ? stateFromRow(row) : null, version: currentVersion } };
  const existingState = row ? stateFromRow(row) : null;
  const at = clampReviewTime(input.reviewedAt, { now, dayStart, lastReview: existingState?.lastReview ?? null });
  const before = existingState ?? newMemoryState(at);
  let after: MemoryState;
  try {
    after = scheduler.next(before, at, input.rating, fuzzKey(userId, input.itemId));
  } catch (e) {
    // The bounds above keep ts-fsrs's own checks satisfied; if one still fails, the rating is refused, not a 500.
    return { kind: "invalid", result: { status: "invalid", error: `This rating cannot be scheduled: ${(e as Error).message}` } };
  }
  return { kind: "write", exists: row !== undefined, before, after, at, currentVersion, version: currentVersion + 1 };
}

const LOG_COLUMNS = `"userId", "itemId", "clientId", "kind", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter", "undone"`;

function logValues(userId: string, input: ReviewInput, p: Extract<Plan, { kind: "write" }>) {
  return [
    userId,
    input.itemId,
    input.clientId,
    input.source,
    input.rating,
    p.before.state,
    p.at,
    Math.max(0, Math.min(Math.round(input.durationMs), 3_600_000)),
    JSON.stringify({ ...stateToJson(p.before), version: p.currentVersion }),
    JSON.stringify({ ...stateToJson(p.after), version: p.version }),
    false,
  ];
}

/**
 * Records one rating. Committed (and, unless `syncLater`, on disk) before it
 * returns. `now` is the server's time; the client's own time, if any, comes in
 * `input.reviewedAt`.
 */
export async function recordReview(userId: string, input: ReviewInput, now = new Date(), { settings, syncLater = false }: RecordOptions = {}): Promise<ReviewResult> {
  const sql = getSql();
  const known = settings ?? (await learnerSettings(userId));
  // Quiz questions are scheduled as answered, everything else as rated (ADR 017); an unknown id is refused below.
  const scheduler = schedulerFor(known, schedulingKind(getContentItem(input.itemId)?.kind ?? "card"));
  const dayStart = dayWindow(now, known.timeZone, known.dayStartHour).start;
  try {
    if (sql.provider === "postgresql") return afterRecord(userId, await recordOnPostgres(userId, input, now, dayStart, scheduler, known));
    const result = await sql.transaction(function* (): Generator<Statement, ReviewResult, StepResult> {
      // In the transaction, so that a resubmission racing the first one sees it (never a 409).
      const existing = (yield get(`SELECT "id", "stateAfter" FROM "ReviewLog" WHERE "userId" = ? AND "clientId" = ?`, userId, input.clientId)) as Row | undefined;
      if (existing) return duplicateOf(existing);
      // The course in memory is the content: an id it does not know is unknown or retired.
      if (isOwnItemId(input.itemId) ? !(yield ownCardStatement(userId, input.itemId)) : !getContentItem(input.itemId)) return { status: "not-found" };
      const row = (yield get(`SELECT ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ?`, userId, input.itemId)) as Row | undefined;
      const planned = planReview(userId, row, input, now, dayStart, scheduler);
      if (planned.kind !== "write") return planned.result;
      // Load balancing (ADR 027): the due date moves to the least loaded day of its fuzz range.
      const balance = balanceStep(userId, input.itemId, known, scheduler, planned.before, planned.after, planned.at, input.rating);
      const p = balance ? { ...planned, after: balance.apply((yield balance.statement) as Row[]) } : planned;
      if (p.exists) {
        const res = (yield run(
          `UPDATE "ItemState" SET ${STATE_FIELDS.map((f) => `"${f}" = ?`).join(", ")}, "version" = ? WHERE "userId" = ? AND "itemId" = ? AND "version" = ?`,
          ...stateValues(p.after),
          p.version,
          userId,
          input.itemId,
          p.currentVersion,
        )) as { changes: number };
        if (res.changes !== 1) return { status: "stale", state: p.before, version: p.currentVersion };
      } else {
        yield run(`INSERT INTO "ItemState" ("userId", "itemId", ${STATE_COLUMNS}, "version") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, userId, input.itemId, ...stateValues(p.after), p.version);
      }
      const log = (yield get(`INSERT INTO "ReviewLog" (${LOG_COLUMNS}) VALUES (?, ?, ?, 'review', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`, ...logValues(userId, input, p))) as Row;
      // No epoch bump: a review lands on today (clampReviewTime), never on a kept day (progress/days.server.ts).
      // In the same synchronous step as the commit on SQLite, so no queue is read in between.
      queueCache.reviewed(userId, { itemId: input.itemId, before: p.exists ? p.before : null, after: p.after, version: p.version, source: input.source, reviewedAt: p.at });
      return { status: "recorded", logId: Number(log.id), state: p.after, version: p.version };
    }, { waitForDisk: !syncLater });
    return afterRecord(userId, result);
  } catch (e) {
    queueCache.forget(userId); // whatever happened, read this learner's queue afresh
    // Two submissions of the same review raced: the other one won, ours is a duplicate.
    if (isUniqueViolation(e)) return settle(userId, input);
    throw e;
  }
}

/** A recorded review notes the learner for the optimizer's next check (in memory only: ADR 026). */
function afterRecord(userId: string, result: ReviewResult): ReviewResult {
  if (result.status === "recorded") noteReview(userId);
  return result;
}

/** After a write that did not happen: the same review id recorded meanwhile (duplicate), or the item moved on (stale). */
async function settle(userId: string, input: ReviewInput): Promise<ReviewResult> {
  const sql = getSql();
  const winner = await sql.get(get(`SELECT "id", "stateAfter" FROM "ReviewLog" WHERE "userId" = ? AND "clientId" = ?`, userId, input.clientId));
  if (winner) return duplicateOf(winner);
  const row = await sql.get(get(`SELECT ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ?`, userId, input.itemId));
  return { status: "stale", state: row ? stateFromRow(row) : null, version: row ? Number(row.version) : 0 };
}

const PG_STATE_TYPES = ["timestamp(3)", "double precision", "double precision", "integer", "integer", "integer", "integer", "integer", "integer", "timestamp(3)"];
const PG_LOG_VALUES = `?::text, ?::text, ?::text, 'review', ?::text, ?::integer, ?::integer, ?::timestamp(3), ?::integer, ?::text, ?::text, ?::boolean`;

/**
 * PostgreSQL: two round trips and no interactive transaction
 * (docs/decisions/013-review-times-and-faults.md). The first reads the item's
 * state and any earlier submission of this review id; the scheduler runs here;
 * the second is one statement that moves the state on only if its version is
 * still the one read, and logs the review only if it did. One statement is one
 * transaction: both happen, or neither.
 */
async function recordOnPostgres(userId: string, input: ReviewInput, now: Date, dayStart: Date, scheduler: Scheduler, settings: Settings): Promise<ReviewResult> {
  const sql = getSql();
  const found = (await sql.get(
    get(
      `SELECT l."id" AS "logId", l."stateAfter", ${STATE_FIELDS.map((f) => `s."${f}"`).join(", ")}, s."version" FROM (SELECT 1) AS one LEFT JOIN "ReviewLog" l ON l."userId" = ? AND l."clientId" = ? LEFT JOIN "ItemState" s ON s."userId" = ? AND s."itemId" = ?`,
      userId,
      input.clientId,
      userId,
      input.itemId,
    ),
  ))!;
  if (found.logId !== null) return duplicateOf({ id: found.logId, stateAfter: found.stateAfter });
  if (isOwnItemId(input.itemId) ? !(await sql.get(ownCardStatement(userId, input.itemId))) : !getContentItem(input.itemId)) return { status: "not-found" };
  const planned = planReview(userId, found.version === null ? undefined : found, input, now, dayStart, scheduler);
  if (planned.kind !== "write") return planned.result;
  // Load balancing's day is chosen in the write's own statement (pgWrite), no read of its own.
  const balance = balanceStep(userId, input.itemId, settings, scheduler, planned.before, planned.after, planned.at, input.rating);
  const w = pgWrite(userId, input, planned, balance);
  const log = await sql.get(get(`WITH ${w.ctes} SELECT "id", "d" FROM log`, ...w.params));
  // Nothing moved: another submission got there first (this one, or another tab's).
  if (!log) return settle(userId, input);
  // No epoch bump: a review lands on today (clampReviewTime), never on a kept day (progress/days.server.ts).
  return { status: "recorded", logId: Number(log.id), state: chosenState(planned.after, balance, log.d), version: planned.version };
}

/**
 * PostgreSQL: the review's write as CTEs, `moved` (the item state moves on
 * only if its version is still the one read) and `log` (the log row, written
 * only if the state moved; its "id"). One statement: both, or neither.
 *
 * With `balance` (load balancing, ADR 027), a CTE `pick` first chooses the day
 * of the fuzz range as balancedInterval does (least weighted load, a light
 * weekday weighing (load + 1) x LIGHT_DAY_FACTOR; then nearest the drawn day;
 * then the earlier), counting the learner's review due dates of each day in
 * the same statement, and the state and the log row take that day (ADR 034).
 */
function pgWrite(userId: string, input: ReviewInput, p: Extract<Plan, { kind: "write" }>, balance: BalanceStep | null): { ctes: string; params: unknown[] } {
  const typed = PG_STATE_TYPES.map((t) => `?::${t}`);
  const values = stateValues(p.after);
  // Each state column's SQL and its params: with a pick, the due date and the interval come from the chosen day.
  const dueOf = `(?::timestamp(3) + (pick."d" - ?::integer) * interval '1 day')`;
  const cols = STATE_FIELDS.map((f, i) => {
    if (balance && f === "due") return { sql: dueOf, params: [p.after.due, balance.drawn] };
    if (balance && f === "scheduledDays") return { sql: `pick."d"`, params: [] };
    return { sql: typed[i]!, params: [values[i]] };
  });
  const colSql = cols.map((c) => c.sql);
  const colParams = cols.flatMap((c) => c.params);
  const from = balance ? " FROM pick" : "";
  const moved = p.exists
    ? `UPDATE "ItemState" SET ${STATE_FIELDS.map((f, i) => `"${f}" = ${colSql[i]}`).join(", ")}, "version" = ?::integer${from} WHERE "ItemState"."userId" = ? AND "ItemState"."itemId" = ? AND "ItemState"."version" = ?::integer RETURNING 1`
    : balance
      ? `INSERT INTO "ItemState" ("userId", "itemId", ${STATE_COLUMNS}, "version") SELECT ?, ?, ${colSql.join(", ")}, ?::integer FROM pick ON CONFLICT ("userId", "itemId") DO NOTHING RETURNING 1`
      : `INSERT INTO "ItemState" ("userId", "itemId", ${STATE_COLUMNS}, "version") VALUES (?, ?, ${colSql.join(", ")}, ?::integer) ON CONFLICT ("userId", "itemId") DO NOTHING RETURNING 1`;
  const movedParams = p.exists ? [...colParams, p.version, userId, input.itemId, p.currentVersion] : [userId, input.itemId, ...colParams, p.version];
  const logParams = logValues(userId, input, p);
  let logSql = PG_LOG_VALUES;
  if (balance) {
    // The log's stateAfter is the JSON of the chosen state: its text around the two values SQL fills in.
    const DUE = "\u0001due";
    const DAYS = "\u0001days";
    const json = JSON.stringify({ ...stateToJson(p.after), due: DUE, scheduledDays: DAYS, version: p.version });
    const [a, rest] = [json.slice(0, json.indexOf(JSON.stringify(DUE))), json.slice(json.indexOf(JSON.stringify(DUE)) + JSON.stringify(DUE).length)];
    const [b, c] = [rest.slice(0, rest.indexOf(JSON.stringify(DAYS))), rest.slice(rest.indexOf(JSON.stringify(DAYS)) + JSON.stringify(DAYS).length)];
    const stateAfter = `?::text || '"' || to_char(${dueOf}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' || ?::text || pick."d"::text || ?::text`;
    const parts = PG_LOG_VALUES.split(", ");
    parts[10] = stateAfter; // LOG_COLUMNS' "stateAfter"
    logSql = parts.join(", ");
    logParams.splice(9, 1, a, p.after.due, balance.drawn, b, c);
  }
  const pick = balance ? pgPick(userId, input.itemId, balance) : { sql: "", params: [] };
  return {
    ctes: `${pick.sql ? `${pick.sql}, ` : ""}moved AS (${moved}), log AS (INSERT INTO "ReviewLog" (${LOG_COLUMNS}) SELECT ${logSql} FROM moved${balance ? ", pick" : ""} RETURNING "id"${balance ? `, (SELECT "d" FROM pick) AS "d"` : `, NULL::integer AS "d"`})`,
    params: [...pick.params, ...movedParams, ...logParams],
  };
}

/** The CTE `pick`: the day of the fuzz range load balancing chooses (see pgWrite), from the learner's review due dates now. */
function pgPick(userId: string, itemId: string, balance: BalanceStep): { sql: string; params: unknown[] } {
  return {
    sql: `pick AS (SELECT c."d" FROM unnest(?::integer[], ?::boolean[], ?::timestamp(3)[]) AS c("d", "light", "start") ORDER BY (SELECT CASE WHEN c."light" THEN (count(*) + 1) * ?::integer ELSE count(*) END FROM "ItemState" WHERE "userId" = ? AND "due" >= c."start" AND "due" < c."start" + interval '1 day' AND "state" = 2 AND "suspended" = false AND "itemId" <> ?), abs(c."d" - ?::integer), c."d" LIMIT 1)`,
    params: [balance.days.map((x) => x.d), balance.days.map((x) => x.light), balance.days.map((x) => x.start.toISOString().replace("Z", "")), LIGHT_DAY_FACTOR, userId, itemId, balance.drawn],
  };
}

/** A PostgreSQL array literal of strings (for a `?::text[]` parameter): each element quoted, `"` and `\\` escaped. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

/** The state a write made: with a pick, the chosen day's (as BalanceStep.apply would give it). */
function chosenState(after: MemoryState, balance: BalanceStep | null, d: unknown): MemoryState {
  if (!balance || d === null || d === undefined || Number(d) === balance.drawn) return after;
  const chosen = Number(d);
  return { ...after, scheduledDays: chosen, due: new Date(after.due.getTime() + (chosen - balance.drawn) * 24 * 60 * 60 * 1000) };
}

/** For tests: the state a balanced write on PostgreSQL would store for `after` (its pick alone, nothing written). */
export async function pgBalancedStateForTests(userId: string, itemId: string, after: MemoryState, balance: BalanceStep): Promise<MemoryState> {
  const pick = pgPick(userId, itemId, balance);
  const row = await getSql().get(get(`WITH ${pick.sql} SELECT "d" FROM pick`, ...pick.params));
  return chosenState(after, balance, row?.d);
}

export type PostgresRating =
  | { kind: "unauthorized" }
  | { kind: "refused"; retryAfterSeconds: number; message: string }
  | { kind: "rated"; userId: string; settings: Settings; result: ReviewResult; queue: LearnerQueue | null };

// The course's flashcards in course order with their lesson, as two arrays for the new-card read (built once per course).
const courseCardArrays = new WeakMap<object, { ids: string; topics: string }>();
function courseCards(): { ids: string; topics: string } {
  const course = getCourse();
  let arrays = courseCardArrays.get(course);
  if (!arrays) {
    const cards = course.course.topics.flatMap((t) => t.cards.map((c) => [c.id, t.slug] as const));
    // As PostgreSQL array literals, written once: a text parameter goes out as it is, where an array would be escaped element by element on every review.
    arrays = { ids: pgTextArray(cards.map((c) => c[0])), topics: pgTextArray(cards.map((c) => c[1])) };
    courseCardArrays.set(course, arrays);
  }
  return arrays;
}

/**
 * PostgreSQL, a rating of a course flashcard (POST /api/review): the whole
 * request, session to next cards, in two round trips (ADR 034).
 * 1. One statement finds the session's learner, counts the write cap, and
 *    reads the settings, the item's state and any earlier row with this
 *    review id. The scheduler runs here.
 * 2. One statement writes the review (`pgWrite`) and, in its outer SELECT,
 *    reads the queue and the new-card candidates. Those reads see the snapshot
 *    before the write (a statement's reads do not see its own CTEs' changes),
 *    so the reviewed item's new state is applied to them here (`withReview`),
 *    as the SQLite queue cache applies a review to its entry.
 * Load balancing's day is chosen inside statement 2 (pgWrite), so a balanced
 * interval costs no round trip of its own. A duplicate, a stale version or a
 * lost race reads the next cards as before.
 */
export async function rateOnPostgres(sessionId: string, input: ReviewInput, now: Date): Promise<PostgresRating> {
  const sql = getSql();
  const first = await checkWriteAs(
    sessionLearnerStatement(sessionId, new Date()),
    "review",
    {
      select: `x.*, l."id" AS "__logId", l."stateAfter" AS "__stateAfter", ${STATE_FIELDS.map((f) => `st."${f}" AS "__s_${f}"`).join(", ")}, st."version" AS "__s_version", qs."stamp"::text AS "__stamp"`,
      from: `(SELECT 1) AS one LEFT JOIN learner ON true LEFT JOIN "Settings" x ON x."userId" = learner."userId" LEFT JOIN "ReviewLog" l ON l."userId" = learner."userId" AND l."clientId" = ? LEFT JOIN "ItemState" st ON st."userId" = learner."userId" AND st."itemId" = ? LEFT JOIN "QueueStamp" qs ON qs."userId" = learner."userId"`,
      params: [input.clientId, input.itemId],
    },
    new Date(),
  );
  const { userId, check, row } = first;
  if (!userId) return { kind: "unauthorized" };
  if (!check.allowed) return { kind: "refused", retryAfterSeconds: check.retryAfterSeconds, message: check.message };
  const settingsRow: Row = {};
  const stateRow: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.startsWith("__s_")) stateRow[k.slice(4)] = v;
    else if (!k.startsWith("__")) settingsRow[k] = v;
  }
  const settings = await learnerSettings(userId, settingsRow);
  const rated = (result: ReviewResult, queue: LearnerQueue | null = null): PostgresRating => ({ kind: "rated", userId, settings, result: afterRecord(userId, result), queue });
  if (row.__logId !== null && row.__logId !== undefined) return rated(duplicateOf({ id: row.__logId, stateAfter: row.__stateAfter }));
  const item = getContentItem(input.itemId);
  if (!item) return rated({ status: "not-found" });
  const scheduler = schedulerFor(settings, schedulingKind(item.kind));
  const w = queueWindow(now, settings);
  const planned = planReview(userId, stateRow.version === null || stateRow.version === undefined ? undefined : stateRow, input, now, w.dayStart, scheduler);
  if (planned.kind !== "write") return rated(planned.result);
  const balance = balanceStep(userId, input.itemId, settings, scheduler, planned.before, planned.after, planned.at, input.rating);
  const write = pgWrite(userId, input, planned, balance);
  const stamp = row.__stamp === null || row.__stamp === undefined ? null : String(row.__stamp);
  const course = getCourse();
  const copy = pgQueues.get(userId, stamp, course, w, (reads) => candidateLimit(settings, reads.done));
  const reviewedFrom = (p: Extract<Plan, { kind: "write" }>, after: MemoryState) => ({ itemId: input.itemId, before: p.exists ? p.before : null, after, version: p.version, source: input.source, reviewedAt: p.at });
  if (copy && appliesToCopy(copy.reads, input.itemId, planned.exists ? planned.before : null)) {
    // This process's copy of the queue is current (ADR 037): the statement only writes, and moves the
    // stamp on from the one the copy knows (nothing, if another change was committed meanwhile).
    const rows = await (async () => {
      try {
        return await sql.all(
          all(
            `WITH ${write.ctes}, bump AS (UPDATE "QueueStamp" q SET "stamp" = txid_current() FROM log WHERE q."userId" = ? AND q."stamp" = ?::bigint RETURNING q."stamp"::text AS "stamp")
         SELECT log."id" AS "n", log."d" AS "version", (SELECT "stamp" FROM bump) AS "stamp" FROM log`,
            ...write.params,
            userId,
            stamp,
          ),
        );
      } catch (e) {
        if (isUniqueViolation(e)) return null; // the same review id, sent twice at once: the other copy won
        throw e;
      }
    })();
    const log = rows?.[0];
    if (!log) {
      pgQueues.forget(userId);
      return rated(await settle(userId, input));
    }
    const p = { ...planned, after: chosenState(planned.after, balance, log.version) };
    const result: ReviewResult = { status: "recorded", logId: Number(log.n), state: p.after, version: p.version };
    if (log.stamp === null || log.stamp === undefined) {
      // Something else changed this learner's queue since the first statement: read it afresh.
      pgQueues.forget(userId);
      return rated(result);
    }
    const next = afterReview(copy.reads, copy.candidates, w, reviewedFrom(p, p.after));
    pgQueues.fill(userId, String(log.stamp), course, w, next.reads, next.candidates, copy.complete);
    return rated(result, assembleQueue(now, settings, w, next.reads, next.candidates.slice(0, candidateLimit(settings, next.reads.done))));
  }
  const queue = pgQueueSql(userId, w, input.itemId);
  const most = Math.max(0, settings.newPerDay) * 2 + 10; // candidateLimit at its largest
  const { ids, topics } = courseCards();
  const open = `st."itemId" IS NULL OR (st."state" = 0 AND st."suspended" = false)`;
  const rows = await (async () => {
    try {
      return await sql.all(
        all(
          `WITH ${write.ctes}, snap AS (SELECT "stamp" FROM "QueueStamp" WHERE "userId" = ?),
         bump AS (UPDATE "QueueStamp" q SET "stamp" = txid_current() FROM log, snap WHERE q."userId" = ? AND q."stamp" = snap."stamp" RETURNING q."stamp"::text AS "stamp") ${queue.sql}
       UNION ALL SELECT 'log', NULL::text, ${PG_NULL_STATE}, "d", ${pgTail("NULL::text", "NULL::integer", `"id"`)} FROM log
       UNION ALL SELECT 'stamp', "stamp", ${PG_NULL_STATE}, NULL::integer, ${pgTail("NULL::text", "NULL::integer", "NULL::integer")} FROM bump
       UNION ALL SELECT 'ocand', NULL::text, ${PG_NULL_STATE}, NULL::integer, ${pgTail("NULL::text", "NULL::integer", "NULL::integer", `array_agg(c."id" ORDER BY c."ord")`, `array_agg(c."version" ORDER BY c."ord")`)} FROM (SELECT 'own:' || o."id" AS "id", COALESCE(st."version", 0) AS "version", row_number() OVER (ORDER BY o."createdAt", o."id") AS "ord" FROM "OwnCard" o LEFT JOIN "ItemState" st ON st."userId" = ? AND st."itemId" = 'own:' || o."id" WHERE o."userId" = ? AND (${open}) ORDER BY o."createdAt", o."id" LIMIT ?::integer) c
       UNION ALL SELECT 'ccand', NULL::text, ${PG_NULL_STATE}, NULL::integer, ${pgTail("NULL::text", "NULL::integer", "NULL::integer", `array_agg(c."id" ORDER BY c."ord")`, `array_agg(c."version" ORDER BY c."ord")`)} FROM (SELECT c."id", c."ord", COALESCE(st."version", 0) AS "version" FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS c("id", "topic", "ord") LEFT JOIN "ItemState" st ON st."userId" = ? AND st."itemId" = c."id" WHERE c."topic" IN (SELECT "topicId" FROM "LessonVisit" WHERE "userId" = ?) AND c."id" <> ? AND (${open}) ORDER BY c."ord" LIMIT ?::integer) c`,
          ...write.params,
          userId,
          userId,
          ...queue.params,
          userId,
          userId,
          most,
          ids,
          topics,
          userId,
          userId,
          input.itemId,
          most,
        ),
      );
    } catch (e) {
      if (isUniqueViolation(e)) return null; // the same review id, sent twice at once: the other copy won
      throw e;
    }
  })();
  const log = rows?.find((r) => r.k === "log");
  // Nothing moved: another submission got there first (this one, or another tab's); the next cards are read afresh.
  if (!rows || !log) return rated(await settle(userId, input));
  const p = { ...planned, after: chosenState(planned.after, balance, log.version) };
  const reads = withReview(pgQueueFromRows(rows, toReads), w, reviewedFrom(p, p.after));
  // The candidates come in order, as two arrays in one row per kind (own cards first, then the course's).
  const byOrder = (k: string) => {
    const r = rows.find((x) => x.k === k);
    const ids = (r?.ids as string[] | null | undefined) ?? [];
    const versions = (r?.nums as number[] | null | undefined) ?? [];
    return ids.map((id, i) => ({ id, version: Number(versions[i]) }));
  };
  const own = byOrder("ocand");
  const fromCourse = byOrder("ccand");
  // The first `most` candidates are exact whatever the split; all of them when fewer were found.
  const candidates: Candidate[] = [...own, ...fromCourse].slice(0, most).filter((c) => c.id !== input.itemId || p.after.state === State.New);
  const complete = own.length < most && fromCourse.length < most && own.length + fromCourse.length <= most;
  const stamped = rows.find((r) => r.k === "stamp")?.itemId;
  // Kept only if no other change was committed between this statement's snapshot and its write (ADR 037).
  if (stamped !== null && stamped !== undefined) pgQueues.fill(userId, String(stamped), course, w, reads, candidates, complete);
  else pgQueues.forget(userId);
  const newItems = candidates.slice(0, candidateLimit(settings, reads.done));
  return rated({ status: "recorded", logId: Number(log.n), state: p.after, version: p.version }, assembleQueue(now, settings, w, reads, newItems));
}

/** The learner's own card behind an "own:<id>" item, if it is theirs (ADR 025): validated per learner, not from the course. */
function ownCardStatement(userId: string, itemId: string): Statement {
  return get(`SELECT 1 AS "ok" FROM "OwnCard" WHERE "id" = ? AND "userId" = ?`, ownCardIdOf(itemId), userId);
}

/** Quiz questions are answered, everything else rated (ADR 017). */
export function schedulingKind(itemKind: string): SchedulingKind {
  return itemKind === "quiz" ? "answered" : "rated";
}

function duplicateOf(log: Row): ReviewResult {
  const after = JSON.parse(log.stateAfter as string) as StoredState;
  return { status: "duplicate", logId: Number(log.id), state: stateFromJson(after), version: after.version };
}

export type UndoResult =
  | { status: "undone"; itemId: string; state: MemoryState; version: number }
  | { status: "duplicate"; itemId: string }
  | { status: "nothing" }
  | { status: "conflict"; itemId: string };

/** Undo reaches back one day: older reviews are history, not a slip of the finger. */
const UNDO_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Rolls back the learner's most recent review (with ts-fsrs rollback) and
 * records the undo as its own log row. Refused if the item changed since.
 */
export async function undoLastReview(userId: string, clientId: string, now = new Date(), settings?: Settings): Promise<UndoResult> {
  const sql = getSql();
  const already = await sql.get(get(`SELECT "itemId" FROM "ReviewLog" WHERE "userId" = ? AND "clientId" = ?`, userId, clientId));
  if (already) return { status: "duplicate", itemId: String(already.itemId) };
  const learner = settings ?? (await learnerSettings(userId));
  try {
    return await sql.transaction(function* (): Generator<Statement, UndoResult, StepResult> {
      const last = (yield get(
        `SELECT "id", "itemId", "source", "rating", "reviewedAt", "stateBefore", "stateAfter" FROM "ReviewLog" WHERE "userId" = ? AND "reviewedAt" >= ? AND "kind" = 'review' AND "undone" = ? ORDER BY "id" DESC LIMIT 1`,
        userId,
        new Date(now.getTime() - UNDO_WINDOW_MS),
        false,
      )) as Row | undefined;
      if (!last) return { status: "nothing" };
      const itemId = String(last.itemId);
      const after = JSON.parse(last.stateAfter as string) as StoredState;
      const before = JSON.parse(last.stateBefore as string) as StoredState;
      const row = (yield get(`SELECT ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ?`, userId, itemId)) as Row | undefined;
      if (!row || Number(row.version) !== after.version) return { status: "conflict", itemId };
      const restored =
        before.state === State.New
          ? stateFromJson(before) // a first review: back to exactly the new card it was
          : schedulerFor(learner, schedulingKind(getContentItem(itemId)?.kind ?? "card")).rollback(stateFromJson(after), stateFromJson(before), Number(last.rating) as Grade, toDate(last.reviewedAt));
      const version = Number(row.version) + 1;
      yield run(
        `UPDATE "ItemState" SET "due" = ?, "stability" = ?, "difficulty" = ?, "elapsedDays" = ?, "scheduledDays" = ?, "learningSteps" = ?, "reps" = ?, "lapses" = ?, "state" = ?, "lastReview" = ?, "version" = ? WHERE "userId" = ? AND "itemId" = ?`,
        ...stateValues(restored),
        version,
        userId,
        itemId,
      );
      yield run(`UPDATE "ReviewLog" SET "undone" = ? WHERE "id" = ?`, true, last.id);
      if (isBackdated(toDate(last.reviewedAt), now.getTime())) yield bumpEpoch(userId); // it may have been on a kept day
      yield run(
        `INSERT INTO "ReviewLog" ("userId", "itemId", "clientId", "kind", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter", "undoesId", "undone") VALUES (?, ?, ?, 'undo', ?, 0, ?, ?, 0, ?, ?, ?, ?)`,
        userId,
        itemId,
        clientId,
        last.source,
        after.state,
        now,
        JSON.stringify({ ...stateToJson(stateFromRow(row)), version: Number(row.version) }),
        JSON.stringify({ ...stateToJson(restored), version }),
        last.id,
        false,
      );
      queueCache.forget(userId);
      return { status: "undone", itemId, state: restored, version };
    });
  } catch (e) {
    queueCache.forget(userId);
    if (isUniqueViolation(e)) return { status: "duplicate", itemId: "" };
    throw e;
  }
}

/** Reviews from the review session today, by the state before (the daily limits count these). */
function countsStatement(userId: string, start: Date, end: Date): Statement {
  return all(
    `SELECT "prevState", CAST(count(*) AS INTEGER) AS n FROM "ReviewLog" WHERE "userId" = ? AND "reviewedAt" >= ? AND "reviewedAt" < ? AND "kind" = 'review' AND "undone" = ? AND "source" = 'review' GROUP BY "prevState"`,
    userId,
    start,
    end,
    false,
  );
}

function countsFromRows(rows: Row[]): DayCounts {
  let newDone = 0;
  let reviewsDone = 0;
  for (const r of rows) {
    if (Number(r.prevState) === State.New) newDone += Number(r.n);
    else if (Number(r.prevState) === State.Review) reviewsDone += Number(r.n);
  }
  return { newDone, reviewsDone };
}

/** What the learner already did today, from the log (so limits hold across devices). */
export async function countsToday(userId: string, start: Date, end: Date): Promise<DayCounts> {
  return countsFromRows(await getSql().all(countsStatement(userId, start, end)));
}

export interface LearnerQueue extends Queue {
  versions: Map<string, number>;
  states: Map<string, MemoryState>;
  dayEnd: Date;
  done: DayCounts;
  settings: Settings;
}

/**
 * The next new flashcards, in course order, from the lessons the learner opened.
 * Candidates come from the course in memory (the content is the list of live
 * cards), checked against the learner's states a chunk at a time, so the cost
 * stays small however many items the learner has already seen elsewhere.
 */
async function newCards(userId: string, openedTopics: Set<string>, own: QueueReads["own"], limit: number): Promise<{ id: string; version: number }[]> {
  // The learner's own cards come first, in the order written: they chose to learn them (ADR 025).
  const candidates = [
    ...own.map((o) => o.itemId),
    ...getCourse()
      .course.topics.filter((t) => openedTopics.has(t.slug))
      .flatMap((t) => t.cards.map((c) => c.id)),
  ];
  const out: { id: string; version: number }[] = [];
  const sql = getSql();
  // PostgreSQL: one round trip with the whole list as an array; SQLite (in process, no round trips): chunks of bound parameters.
  const CHUNK = sql.provider === "postgresql" ? Math.max(1, candidates.length) : 100;
  for (let i = 0; i < candidates.length && out.length < limit; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const rows = await sql.all(
      sql.provider === "postgresql"
        ? all(`SELECT "itemId", "state", "version", "suspended" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ANY(?::text[])`, userId, chunk)
        : all(`SELECT "itemId", "state", "version", "suspended" FROM "ItemState" WHERE "userId" = ? AND "itemId" IN (${chunk.map(() => "?").join(", ")})`, userId, ...chunk),
    );
    const seen = new Map(rows.map((r) => [String(r.itemId), r]));
    for (const id of chunk) {
      const row = seen.get(id);
      if (row && (Number(row.state) !== State.New || row.suspended === true || row.suspended === 1)) continue;
      out.push({ id, version: row ? Number(row.version) : 0 });
      if (out.length >= limit) break;
    }
  }
  return out;
}

export const queueCache = createQueueCache();

/** PostgreSQL: this process's copies of learners' queues, current while their QueueStamp is (ADR 037). */
export const pgQueues = createPgQueueCache();

/** For tests, which compare cached queues with queues read afresh (`getQueue(..., { useCache: false })`). */
export const queueCacheForTests = queueCache;

const toReads = ([due, next, visits, counts, touched, own]: StepResult[]): QueueReads => ({
  due: (due as Row[]).map((r) => ({ itemId: String(r.itemId), state: stateFromRow(r), version: Number(r.version) })),
  next: next ? toDate((next as Row).due) : null,
  visits: (visits as Row[]).map((v) => String(v.topicId)),
  done: countsFromRows(counts as Row[]),
  touched: (touched as Row[]).map((t) => String(t.itemId)),
  own: (own as Row[]).map((o) => ({ itemId: `own:${String(o.id)}`, topicId: String(o.topicId) })),
});

/**
 * The four reads behind a queue. On SQLite they run in one synchronous read
 * transaction and the cache is filled in the same step, so no review can slip in
 * between (ADR 011); on PostgreSQL they run in parallel on the pool.
 */
async function queueReads(userId: string, w: QueueWindow, { useCache = true } = {}): Promise<QueueReads> {
  const sql = getSql();
  const statements = [
    // Suspended items leave every queue (ADR 027).
    all(`SELECT "itemId", ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "due" <= ? AND "state" <> 0 AND "suspended" = ?`, userId, w.horizon, false),
    get(
      `SELECT s."due" FROM "ItemState" s LEFT JOIN "Item" i ON i."id" = s."itemId" WHERE s."userId" = ? AND s."due" > ? AND s."state" <> 0 AND s."suspended" = ? AND i."retiredAt" IS NULL ORDER BY s."due" LIMIT 1`,
      userId,
      w.horizon,
      false,
    ),
    all(`SELECT "topicId" FROM "LessonVisit" WHERE "userId" = ?`, userId),
    countsStatement(userId, w.dayStart, w.dayEnd),
    // Items reviewed today, from any source: their siblings wait (domain/siblings.ts).
    all(`SELECT DISTINCT "itemId" FROM "ReviewLog" WHERE "userId" = ? AND "reviewedAt" >= ? AND "reviewedAt" < ? AND "kind" = 'review' AND "undone" = ?`, userId, w.dayStart, w.dayEnd, false),
    all(`SELECT "id", "topicId" FROM "OwnCard" WHERE "userId" = ? ORDER BY "createdAt", "id"`, userId),
  ] as const;
  const stamp = sql.changeStamp();
  if (stamp === null) return pgQueueReads(userId, w, toReads);
  if (useCache) {
    const hit = queueCache.get(userId, stamp, w);
    if (hit) return hit;
  }
  return sql.transaction(function* (): Generator<Statement, QueueReads, StepResult> {
    const results: StepResult[] = [];
    for (const st of statements) results.push(yield st);
    const reads = toReads(results);
    if (useCache) queueCache.fill(userId, stamp, w, reads);
    return reads;
  });
}

/**
 * PostgreSQL: the same four reads as one statement, one round trip and one
 * snapshot (ADR 013): a UNION ALL whose first column says which read a row
 * belongs to, the other columns null where that read has none (the first
 * branch names every column). `exceptNext`, an item left out of the first due
 * after the horizon (the review path applies that item's new state itself).
 */
const PG_NULL_STATE = `NULL::timestamp(3), ${STATE_FIELDS.slice(1, -1)
  .map((f) => (f === "stability" || f === "difficulty" ? "NULL::double precision" : "NULL::integer"))
  .join(", ")}, NULL::timestamp(3)`;
// The last columns of every branch; `ids` and `nums` carry a whole read as two arrays in one row
// (items reviewed today, new-card candidates): one row instead of hundreds to send and parse.
const pgTail = (topic: string, prev: string, n: string, ids = "NULL::text[]", nums = "NULL::integer[]") => `${topic}, ${prev}, ${n}, ${ids}, ${nums}`;

function pgQueueSql(userId: string, w: QueueWindow, exceptNext?: string): { sql: string; params: unknown[] } {
  const stateCols = STATE_FIELDS.map((f) => `"${f}"`).join(", ");
  const nullState = PG_NULL_STATE;
  const tail = pgTail;
  return {
    sql: `SELECT 'due' AS "k", "itemId", ${stateCols}, "version", ${tail(`NULL::text AS "topicId"`, `NULL::integer AS "prevState"`, `NULL::integer AS "n"`, `NULL::text[] AS "ids"`, `NULL::integer[] AS "nums"`)} FROM "ItemState" WHERE "userId" = ? AND "due" <= ? AND "state" <> 0 AND "suspended" = false
       UNION ALL (SELECT 'next', NULL::text, s."due", ${nullState.split(", ").slice(1).join(", ")}, NULL::integer, ${tail("NULL::text", "NULL::integer", "NULL::integer")} FROM "ItemState" s LEFT JOIN "Item" i ON i."id" = s."itemId" WHERE s."userId" = ? AND s."due" > ? AND s."state" <> 0 AND s."suspended" = false AND i."retiredAt" IS NULL${exceptNext === undefined ? "" : ` AND s."itemId" <> ?`} ORDER BY s."due" LIMIT 1)
       UNION ALL SELECT 'visit', NULL::text, ${nullState}, NULL::integer, ${tail(`"topicId"`, "NULL::integer", "NULL::integer")} FROM "LessonVisit" WHERE "userId" = ?
       UNION ALL SELECT 'count', NULL::text, ${nullState}, NULL::integer, ${tail("NULL::text", `"prevState"`, "CAST(count(*) AS INTEGER)")} FROM "ReviewLog" WHERE "userId" = ? AND "reviewedAt" >= ? AND "reviewedAt" < ? AND "kind" = 'review' AND "undone" = ? AND "source" = 'review' GROUP BY "prevState"
       UNION ALL SELECT 'touched', NULL::text, ${nullState}, NULL::integer, ${tail("NULL::text", "NULL::integer", "NULL::integer", `array_agg(DISTINCT "itemId")`)} FROM "ReviewLog" WHERE "userId" = ? AND "reviewedAt" >= ? AND "reviewedAt" < ? AND "kind" = 'review' AND "undone" = false
       UNION ALL (SELECT 'own', "id", ${nullState}, NULL::integer, ${tail(`"topicId"`, "NULL::integer", "NULL::integer")} FROM "OwnCard" WHERE "userId" = ? ORDER BY "createdAt", "id")`,
    params: [
      userId,
      w.horizon,
      userId,
      w.horizon,
      ...(exceptNext === undefined ? [] : [exceptNext]),
      userId,
      userId,
      w.dayStart,
      w.dayEnd,
      false,
      userId,
      w.dayStart,
      w.dayEnd,
      userId,
    ],
  };
}

function pgQueueFromRows(rows: Row[], toReads: (results: StepResult[]) => QueueReads): QueueReads {
  const of = (k: string) => rows.filter((r) => r.k === k);
  const counts = of("count").map((r) => ({ prevState: r.prevState, n: r.n }));
  const touched = ((of("touched")[0]?.ids as string[] | null | undefined) ?? []).map((itemId) => ({ itemId }));
  return toReads([of("due"), of("next")[0], of("visit"), counts, touched, of("own").map((r) => ({ id: r.itemId, topicId: r.topicId }))]);
}

async function pgQueueReads(userId: string, w: QueueWindow, toReads: (results: StepResult[]) => QueueReads): Promise<QueueReads> {
  const q = pgQueueSql(userId, w);
  return pgQueueFromRows(await getSql().all(all(q.sql, ...q.params)), toReads);
}

/** The day window and horizon a queue is read for. */
function queueWindow(now: Date, settings: Settings): QueueWindow {
  const day = dayWindow(now, settings.timeZone, settings.dayStartHour);
  return { dayStart: day.start, dayEnd: day.end, horizon: new Date(Math.max(day.end.getTime(), now.getTime() + 20 * 60 * 1000)) };
}

/** How many new-card candidates a queue looks at: a few more than the room, so siblings can be spread over days (domain/siblings.ts). */
const candidateLimit = (settings: Settings, done: DayCounts) => {
  const newRoom = Math.max(0, settings.newPerDay - done.newDone);
  return newRoom > 0 ? newRoom * 2 + 10 : 0;
};

/** The learner's queue right now, from a few indexed queries (never their whole log). */
export async function getQueue(userId: string, now = new Date(), knownSettings?: Settings, options: { useCache?: boolean } = {}): Promise<LearnerQueue> {
  const settings = knownSettings ?? (await learnerSettings(userId));
  const w = queueWindow(now, settings);
  const reads = await queueReads(userId, w, options);
  const limit = candidateLimit(settings, reads.done);
  const newItems = limit > 0 ? await newCards(userId, new Set(reads.visits), reads.own, limit) : [];
  return assembleQueue(now, settings, w, reads, newItems);
}

/** The queue from its reads and its new cards (pure). */
function assembleQueue(now: Date, settings: Settings, w: QueueWindow, reads: QueueReads, newItems: { id: string; version: number }[]): LearnerQueue {
  const { due: dueRows, next: nextAfterHorizon, done, touched, own } = reads;
  const scheduler = schedulerFor(settings);
  const versions = new Map<string, number>();
  const states = new Map<string, MemoryState>();
  const queueStates = [];
  const ownIds = new Set(own.map((o) => o.itemId));
  for (const { itemId, state, version } of dueRows) {
    if (!getContentItem(itemId) && !ownIds.has(itemId)) continue; // retired from the course, or an own card deleted
    versions.set(itemId, version);
    states.set(itemId, state);
    queueStates.push({ itemId, state, retrievability: scheduler.retrievability(state, now) });
  }
  for (const n of newItems) versions.set(n.id, n.version);
  const queue = buildQueue({
    now,
    dayEnd: w.dayEnd,
    states: queueStates,
    newItemIds: newItems.map((n) => n.id),
    newDoneToday: done.newDone,
    reviewsDoneToday: done.reviewsDone,
    newPerDay: settings.newPerDay,
    reviewCap: settings.reviewCap,
    touchedToday: touched,
    siblingKeys: courseSiblingKeys,
  });
  const later = [queue.nextDue, nextAfterHorizon].filter((d): d is Date => d !== null);
  return {
    ...queue,
    nextDue: later.length ? new Date(Math.min(...later.map((d) => d.getTime()))) : null,
    versions,
    states,
    dayEnd: w.dayEnd,
    done,
    settings,
  };
}

/** Today's session so far, for the summary: reviews, accuracy, time, and the ratings of the session going on now. */
export async function sessionSummary(userId: string, now = new Date()) {
  const db = getDb();
  const settings = await getSettings(userId);
  const day = dayWindow(now, settings.timeZone, settings.dayStartHour);
  const logs = await db.reviewLog.findMany({
    where: { userId, kind: "review", undone: false, reviewedAt: { gte: day.start, lt: day.end } },
    select: { rating: true, durationMs: true, reviewedAt: true, source: true },
  });
  const correct = logs.filter((l) => l.rating > 1).length;
  return {
    reviewed: logs.length,
    accuracy: logs.length ? correct / logs.length : null,
    timeMs: logs.reduce((n, l) => n + l.durationMs, 0),
    session: sessionCount(
      logs.filter((l) => l.source === "review").map((l) => l.reviewedAt),
      now,
    ),
  };
}
