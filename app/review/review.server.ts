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
import { buildQueue, type Queue } from "~/domain/queue";
import {
  createScheduler,
  newMemoryState,
  State,
  stateFromJson,
  stateToJson,
  type Grade,
  type MemoryState,
  type Scheduler,
} from "~/domain/scheduler";
import { bumpEpoch, isBackdated } from "~/progress/days.server";
import { getSettings } from "~/settings/settings.server";
import { createQueueCache, type DayCounts, type QueueReads, type QueueWindow } from "./queue-cache.server";

export type { DayCounts };

export type ReviewSource = "review" | "quiz" | "exercise";

export type Settings = Awaited<ReturnType<typeof getSettings>>;

// Schedulers are pure and depend only on these settings: learners with the same
// settings (most keep the defaults) share one, built once.
const schedulers = new Map<string, Scheduler>();
const MAX_SCHEDULERS = 500;

export function schedulerFor(settings: Settings): Scheduler {
  const key = JSON.stringify([settings.desiredRetention, settings.maximumInterval, settings.learningSteps, settings.relearningSteps, settings.weights]);
  let scheduler = schedulers.get(key);
  if (!scheduler) {
    scheduler = createScheduler({
      desiredRetention: settings.desiredRetention,
      maximumInterval: settings.maximumInterval,
      learningSteps: settings.learningSteps,
      relearningSteps: settings.relearningSteps,
      weights: settings.weights ? (JSON.parse(settings.weights) as number[]) : null,
    });
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
}

export type ReviewResult =
  | { status: "recorded"; logId: number; state: MemoryState; version: number }
  | { status: "duplicate"; logId: number; state: MemoryState; version: number }
  | { status: "stale"; state: MemoryState | null; version: number }
  | { status: "not-found" };

const STATE_COLUMNS = `"due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview"`;

function stateFromRow(r: Row): MemoryState {
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

const stateValues = (s: MemoryState) => [s.due, s.stability, s.difficulty, s.elapsedDays, s.scheduledDays, s.learningSteps, s.reps, s.lapses, s.state, s.lastReview];

type StoredState = ReturnType<typeof stateToJson> & { version: number };

/** The learner's settings row (created with defaults on first use). */
export async function learnerSettings(userId: string): Promise<Settings> {
  const row = await getSql().get<Settings>(get(`SELECT * FROM "Settings" WHERE "userId" = ?`, userId));
  return row ?? getSettings(userId);
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

/** Records one rating. Committed (and, unless `syncLater`, on disk) before it returns. */
export async function recordReview(userId: string, input: ReviewInput, now = new Date(), { settings, syncLater = false }: RecordOptions = {}): Promise<ReviewResult> {
  const sql = getSql();
  const existing = await sql.get(get(`SELECT "id", "stateAfter" FROM "ReviewLog" WHERE "userId" = ? AND "clientId" = ?`, userId, input.clientId));
  if (existing) {
    // The first submission may have committed a moment ago and still be on its way to disk.
    if (!syncLater) await sql.durable();
    return duplicateOf(existing);
  }
  // The course in memory is the content: an id it does not know is unknown or retired.
  if (!getContentItem(input.itemId)) return { status: "not-found" };
  const scheduler = schedulerFor(settings ?? (await learnerSettings(userId)));
  try {
    return await sql.transaction(function* (): Generator<Statement, ReviewResult, StepResult> {
      const row = (yield get(`SELECT ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ?`, userId, input.itemId)) as Row | undefined;
      const currentVersion = row ? Number(row.version) : 0;
      if (currentVersion !== input.version) {
        return { status: "stale", state: row ? stateFromRow(row) : null, version: currentVersion };
      }
      const before = row ? stateFromRow(row) : newMemoryState(now);
      const after = scheduler.next(before, now, input.rating);
      const version = currentVersion + 1;
      if (row) {
        const res = (yield run(
          `UPDATE "ItemState" SET "due" = ?, "stability" = ?, "difficulty" = ?, "elapsedDays" = ?, "scheduledDays" = ?, "learningSteps" = ?, "reps" = ?, "lapses" = ?, "state" = ?, "lastReview" = ?, "version" = ? WHERE "userId" = ? AND "itemId" = ? AND "version" = ?`,
          ...stateValues(after),
          version,
          userId,
          input.itemId,
          currentVersion,
        )) as { changes: number };
        if (res.changes !== 1) return { status: "stale", state: before, version: currentVersion };
      } else {
        yield run(
          `INSERT INTO "ItemState" ("userId", "itemId", ${STATE_COLUMNS}, "version") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          userId,
          input.itemId,
          ...stateValues(after),
          version,
        );
      }
      const log = (yield get(
        `INSERT INTO "ReviewLog" ("userId", "itemId", "clientId", "kind", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter", "undone") VALUES (?, ?, ?, 'review', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
        userId,
        input.itemId,
        input.clientId,
        input.source,
        input.rating,
        before.state,
        now,
        Math.max(0, Math.min(Math.round(input.durationMs), 3_600_000)),
        JSON.stringify({ ...stateToJson(before), version: currentVersion }),
        JSON.stringify({ ...stateToJson(after), version }),
        false,
      )) as Row;
      // A review dated in the past may land on a day the progress pages keep (progress/days.server.ts).
      if (isBackdated(now)) yield bumpEpoch(userId);
      // In the same synchronous step as the commit on SQLite, so no queue is read in between.
      queueCache.reviewed(userId, { itemId: input.itemId, before: row ? before : null, after, version, source: input.source, reviewedAt: now });
      return { status: "recorded", logId: Number(log.id), state: after, version };
    }, { waitForDisk: !syncLater });
  } catch (e) {
    queueCache.forget(userId); // whatever happened, read this learner's queue afresh
    // Two submissions of the same review raced: the other one won, ours is a duplicate.
    if (isUniqueViolation(e)) {
      const winner = await sql.get(get(`SELECT "id", "stateAfter" FROM "ReviewLog" WHERE "userId" = ? AND "clientId" = ?`, userId, input.clientId));
      if (winner) return duplicateOf(winner);
      // The item state was created by a concurrent first review of the same item.
      const row = await sql.get(get(`SELECT ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ?`, userId, input.itemId));
      return { status: "stale", state: row ? stateFromRow(row) : null, version: row ? Number(row.version) : 0 };
    }
    throw e;
  }
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
  const scheduler = schedulerFor(settings ?? (await learnerSettings(userId)));
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
          : scheduler.rollback(stateFromJson(after), stateFromJson(before), Number(last.rating) as Grade, toDate(last.reviewedAt));
      const version = Number(row.version) + 1;
      yield run(
        `UPDATE "ItemState" SET "due" = ?, "stability" = ?, "difficulty" = ?, "elapsedDays" = ?, "scheduledDays" = ?, "learningSteps" = ?, "reps" = ?, "lapses" = ?, "state" = ?, "lastReview" = ?, "version" = ? WHERE "userId" = ? AND "itemId" = ?`,
        ...stateValues(restored),
        version,
        userId,
        itemId,
      );
      yield run(`UPDATE "ReviewLog" SET "undone" = ? WHERE "id" = ?`, true, last.id);
      if (isBackdated(toDate(last.reviewedAt))) yield bumpEpoch(userId); // it may have been on a kept day
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
async function newCards(userId: string, openedTopics: Set<string>, limit: number): Promise<{ id: string; version: number }[]> {
  const candidates = getCourse()
    .course.topics.filter((t) => openedTopics.has(t.slug))
    .flatMap((t) => t.cards.map((c) => c.id));
  const out: { id: string; version: number }[] = [];
  const CHUNK = 100;
  for (let i = 0; i < candidates.length && out.length < limit; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const rows = await getSql().all(
      all(`SELECT "itemId", "state", "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" IN (${chunk.map(() => "?").join(", ")})`, userId, ...chunk),
    );
    const seen = new Map(rows.map((r) => [String(r.itemId), r]));
    for (const id of chunk) {
      const row = seen.get(id);
      if (row && Number(row.state) !== State.New) continue;
      out.push({ id, version: row ? Number(row.version) : 0 });
      if (out.length >= limit) break;
    }
  }
  return out;
}

const queueCache = createQueueCache();

/** For tests, which compare cached queues with queues read afresh (`getQueue(..., { useCache: false })`). */
export const queueCacheForTests = queueCache;

/**
 * The four reads behind a queue. On SQLite they run in one synchronous read
 * transaction and the cache is filled in the same step, so no review can slip in
 * between (ADR 011); on PostgreSQL they run in parallel on the pool.
 */
async function queueReads(userId: string, w: QueueWindow, { useCache = true } = {}): Promise<QueueReads> {
  const sql = getSql();
  const statements = [
    all(`SELECT "itemId", ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "due" <= ? AND "state" <> 0`, userId, w.horizon),
    get(
      `SELECT s."due" FROM "ItemState" s JOIN "Item" i ON i."id" = s."itemId" WHERE s."userId" = ? AND s."due" > ? AND s."state" <> 0 AND i."retiredAt" IS NULL ORDER BY s."due" LIMIT 1`,
      userId,
      w.horizon,
    ),
    all(`SELECT "topicId" FROM "LessonVisit" WHERE "userId" = ?`, userId),
    countsStatement(userId, w.dayStart, w.dayEnd),
  ] as const;
  const toReads = ([due, next, visits, counts]: StepResult[]): QueueReads => ({
    due: (due as Row[]).map((r) => ({ itemId: String(r.itemId), state: stateFromRow(r), version: Number(r.version) })),
    next: next ? toDate((next as Row).due) : null,
    visits: (visits as Row[]).map((v) => String(v.topicId)),
    done: countsFromRows(counts as Row[]),
  });
  const stamp = sql.changeStamp();
  if (stamp === null) return toReads(await Promise.all(statements.map((st) => (st.mode === "get" ? sql.get(st) : sql.all(st)))));
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

/** The learner's queue right now, from a few indexed queries (never their whole log). */
export async function getQueue(userId: string, now = new Date(), knownSettings?: Settings, options: { useCache?: boolean } = {}): Promise<LearnerQueue> {
  const settings = knownSettings ?? (await learnerSettings(userId));
  const day = dayWindow(now, settings.timeZone, settings.dayStartHour);
  const scheduler = schedulerFor(settings);
  const horizon = new Date(Math.max(day.end.getTime(), now.getTime() + 20 * 60 * 1000));
  const { due: dueRows, next: nextAfterHorizon, visits, done } = await queueReads(userId, { dayStart: day.start, dayEnd: day.end, horizon }, options);
  const newRoom = Math.max(0, settings.newPerDay - done.newDone);
  const newItems = newRoom > 0 ? await newCards(userId, new Set(visits), newRoom) : [];
  const versions = new Map<string, number>();
  const states = new Map<string, MemoryState>();
  const queueStates = [];
  for (const { itemId, state, version } of dueRows) {
    if (!getContentItem(itemId)) continue; // retired from the course
    versions.set(itemId, version);
    states.set(itemId, state);
    queueStates.push({ itemId, state, retrievability: scheduler.retrievability(state, now) });
  }
  for (const n of newItems) versions.set(n.id, n.version);
  const queue = buildQueue({
    now,
    dayEnd: day.end,
    states: queueStates,
    newItemIds: newItems.map((n) => n.id),
    newDoneToday: done.newDone,
    reviewsDoneToday: done.reviewsDone,
    newPerDay: settings.newPerDay,
    reviewCap: settings.reviewCap,
  });
  const later = [queue.nextDue, nextAfterHorizon].filter((d): d is Date => d !== null);
  return {
    ...queue,
    nextDue: later.length ? new Date(Math.min(...later.map((d) => d.getTime()))) : null,
    versions,
    states,
    dayEnd: day.end,
    done,
    settings,
  };
}

/** Today's session so far, for the summary: reviews, accuracy, time. */
export async function sessionSummary(userId: string, now = new Date()) {
  const db = getDb();
  const settings = await getSettings(userId);
  const day = dayWindow(now, settings.timeZone, settings.dayStartHour);
  const logs = await db.reviewLog.findMany({
    where: { userId, kind: "review", undone: false, reviewedAt: { gte: day.start, lt: day.end } },
    select: { rating: true, durationMs: true },
  });
  const correct = logs.filter((l) => l.rating > 1).length;
  return {
    reviewed: logs.length,
    accuracy: logs.length ? correct / logs.length : null,
    timeMs: logs.reduce((n, l) => n + l.durationMs, 0),
  };
}
