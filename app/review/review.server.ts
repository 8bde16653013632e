/**
 * Recording reviews and building the learner's queue. Every function takes the
 * learner's id; every query is scoped by it.
 *
 * A review is committed before it is acknowledged. It applies only if the item
 * state still has the version the learner was shown (optimistic concurrency),
 * and a client-generated id makes a resubmission a no-op.
 */
import { getDb, type Db } from "~/db/client.server";
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
import { getSettings } from "~/settings/settings.server";

export type ReviewSource = "review" | "quiz" | "exercise";

type Settings = Awaited<ReturnType<typeof getSettings>>;

export function schedulerFor(settings: Settings): Scheduler {
  return createScheduler({
    desiredRetention: settings.desiredRetention,
    maximumInterval: settings.maximumInterval,
    learningSteps: settings.learningSteps,
    relearningSteps: settings.relearningSteps,
    weights: settings.weights ? (JSON.parse(settings.weights) as number[]) : null,
  });
}

type StateRow = {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: Date | null;
  version: number;
};

export function rowToState(r: StateRow): MemoryState {
  return {
    due: r.due,
    stability: r.stability,
    difficulty: r.difficulty,
    elapsedDays: r.elapsedDays,
    scheduledDays: r.scheduledDays,
    learningSteps: r.learningSteps,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state as State,
    lastReview: r.lastReview,
  };
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

function isUniqueViolation(e: unknown) {
  return (e as { code?: string }).code === "P2002";
}

/** Records one rating. Committed before it returns. */
export async function recordReview(userId: string, input: ReviewInput, now = new Date(), db: Db = getDb()): Promise<ReviewResult> {
  const existing = await db.reviewLog.findUnique({ where: { userId_clientId: { userId, clientId: input.clientId } } });
  if (existing) return duplicateOf(db, userId, existing);
  const item = await db.item.findUnique({ where: { id: input.itemId }, select: { retiredAt: true } });
  if (!item || item.retiredAt) return { status: "not-found" };
  const settings = await getSettings(userId);
  const scheduler = schedulerFor(settings);
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.itemState.findUnique({ where: { userId_itemId: { userId, itemId: input.itemId } } });
      const currentVersion = row?.version ?? 0;
      if (currentVersion !== input.version) {
        return { status: "stale" as const, state: row ? rowToState(row) : null, version: currentVersion };
      }
      const before = row ? rowToState(row) : newMemoryState(now);
      const after = scheduler.next(before, now, input.rating);
      const version = currentVersion + 1;
      const data = { ...after, version };
      if (row) {
        const res = await tx.itemState.updateMany({ where: { userId, itemId: input.itemId, version: currentVersion }, data });
        if (res.count !== 1) return { status: "stale" as const, state: before, version: currentVersion };
      } else {
        await tx.itemState.create({ data: { userId, itemId: input.itemId, ...data } });
      }
      const log = await tx.reviewLog.create({
        data: {
          userId,
          itemId: input.itemId,
          clientId: input.clientId,
          kind: "review",
          source: input.source,
          rating: input.rating,
          prevState: before.state,
          reviewedAt: now,
          durationMs: Math.max(0, Math.min(Math.round(input.durationMs), 3_600_000)),
          stateBefore: JSON.stringify({ ...stateToJson(before), version: currentVersion }),
          stateAfter: JSON.stringify({ ...stateToJson(after), version }),
        },
        select: { id: true },
      });
      return { status: "recorded" as const, logId: log.id, state: after, version };
    });
  } catch (e) {
    // Two submissions of the same review raced: the other one won, ours is a duplicate.
    if (isUniqueViolation(e)) {
      const winner = await db.reviewLog.findUnique({ where: { userId_clientId: { userId, clientId: input.clientId } } });
      if (winner) return duplicateOf(db, userId, winner);
      // The item state was created by a concurrent first review of the same item.
      const row = await db.itemState.findUnique({ where: { userId_itemId: { userId, itemId: input.itemId } } });
      return { status: "stale", state: row ? rowToState(row) : null, version: row?.version ?? 0 };
    }
    throw e;
  }
}

async function duplicateOf(db: Db, userId: string, log: { id: number; itemId: string; stateAfter: string }): Promise<ReviewResult> {
  const after = JSON.parse(log.stateAfter) as ReturnType<typeof stateToJson> & { version: number };
  return { status: "duplicate", logId: log.id, state: stateFromJson(after), version: after.version };
}

export type UndoResult =
  | { status: "undone"; itemId: string; state: MemoryState; version: number }
  | { status: "duplicate"; itemId: string }
  | { status: "nothing" }
  | { status: "conflict"; itemId: string };

/**
 * Rolls back the learner's most recent review (with ts-fsrs rollback) and
 * records the undo as its own log row. Refused if the item changed since.
 */
export async function undoLastReview(userId: string, clientId: string, now = new Date(), db: Db = getDb()): Promise<UndoResult> {
  const already = await db.reviewLog.findUnique({ where: { userId_clientId: { userId, clientId } } });
  if (already) return { status: "duplicate", itemId: already.itemId };
  const settings = await getSettings(userId);
  const scheduler = schedulerFor(settings);
  try {
    return await db.$transaction(async (tx) => {
      const last = await tx.reviewLog.findFirst({ where: { userId, kind: "review", undone: false }, orderBy: { id: "desc" } });
      if (!last) return { status: "nothing" as const };
      const after = JSON.parse(last.stateAfter) as ReturnType<typeof stateToJson> & { version: number };
      const before = JSON.parse(last.stateBefore) as ReturnType<typeof stateToJson> & { version: number };
      const row = await tx.itemState.findUnique({ where: { userId_itemId: { userId, itemId: last.itemId } } });
      if (!row || row.version !== after.version) return { status: "conflict" as const, itemId: last.itemId };
      const restored =
        before.state === State.New
          ? stateFromJson(before) // a first review: back to exactly the new card it was
          : scheduler.rollback(stateFromJson(after), stateFromJson(before), last.rating as Grade, last.reviewedAt);
      const version = row.version + 1;
      await tx.itemState.update({ where: { userId_itemId: { userId, itemId: last.itemId } }, data: { ...restored, version } });
      await tx.reviewLog.update({ where: { id: last.id }, data: { undone: true } });
      await tx.reviewLog.create({
        data: {
          userId,
          itemId: last.itemId,
          clientId,
          kind: "undo",
          source: last.source,
          rating: 0,
          prevState: after.state,
          reviewedAt: now,
          durationMs: 0,
          stateBefore: JSON.stringify({ ...stateToJson(rowToState(row)), version: row.version }),
          stateAfter: JSON.stringify({ ...stateToJson(restored), version }),
          undoesId: last.id,
        },
      });
      return { status: "undone" as const, itemId: last.itemId, state: restored, version };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { status: "duplicate", itemId: "" };
    throw e;
  }
}

export interface DayCounts {
  newDone: number;
  reviewsDone: number;
}

/** What the learner already did today, from the log (so limits hold across devices). */
export async function countsToday(userId: string, start: Date, end: Date, db: Db = getDb()): Promise<DayCounts> {
  const groups = await db.reviewLog.groupBy({
    by: ["prevState"],
    where: { userId, kind: "review", undone: false, source: "review", reviewedAt: { gte: start, lt: end } },
    _count: { _all: true },
  });
  let newDone = 0;
  let reviewsDone = 0;
  for (const g of groups) {
    if (g.prevState === State.New) newDone += g._count._all;
    else if (g.prevState === State.Review) reviewsDone += g._count._all;
  }
  return { newDone, reviewsDone };
}

export interface LearnerQueue extends Queue {
  versions: Map<string, number>;
  states: Map<string, MemoryState>;
  dayEnd: Date;
  done: DayCounts;
}

/** The learner's queue right now, from a few indexed queries (never their whole log). */
export async function getQueue(userId: string, now = new Date(), db: Db = getDb()): Promise<LearnerQueue> {
  const settings = await getSettings(userId);
  const day = dayWindow(now, settings.timeZone, settings.dayStartHour);
  const scheduler = schedulerFor(settings);
  const horizon = new Date(Math.max(day.end.getTime(), now.getTime() + 20 * 60 * 1000));
  const [dueRows, nextRow, visits, done] = await Promise.all([
    db.itemState.findMany({
      where: { userId, due: { lte: horizon }, state: { not: State.New }, item: { retiredAt: null } },
      orderBy: { due: "asc" },
    }),
    db.itemState.findFirst({
      where: { userId, due: { gt: horizon }, state: { not: State.New }, item: { retiredAt: null } },
      orderBy: { due: "asc" },
      select: { due: true },
    }),
    db.lessonVisit.findMany({ where: { userId }, select: { topicId: true } }),
    countsToday(userId, day.start, day.end, db),
  ]);
  const newRoom = Math.max(0, settings.newPerDay - done.newDone);
  const newItems =
    newRoom > 0 && visits.length > 0
      ? await db.item.findMany({
          where: {
            kind: "card",
            retiredAt: null,
            topicId: { in: visits.map((v) => v.topicId) },
            states: { none: { userId, state: { not: State.New } } },
          },
          orderBy: { position: "asc" },
          take: newRoom,
          select: { id: true },
        })
      : [];
  const versions = new Map<string, number>();
  const states = new Map<string, MemoryState>();
  const queueStates = dueRows.map((r) => {
    const state = rowToState(r);
    versions.set(r.itemId, r.version);
    states.set(r.itemId, state);
    return { itemId: r.itemId, state, retrievability: scheduler.retrievability(state, now) };
  });
  if (newItems.length > 0) {
    const newRows = await db.itemState.findMany({ where: { userId, itemId: { in: newItems.map((i) => i.id) } }, select: { itemId: true, version: true } });
    for (const r of newRows) versions.set(r.itemId, r.version);
  }
  const queue = buildQueue({
    now,
    dayEnd: day.end,
    states: queueStates,
    newItemIds: newItems.map((i) => i.id),
    newDoneToday: done.newDone,
    reviewsDoneToday: done.reviewsDone,
    newPerDay: settings.newPerDay,
    reviewCap: settings.reviewCap,
  });
  const later = [queue.nextDue, nextRow?.due ?? null].filter((d): d is Date => d !== null);
  return {
    ...queue,
    nextDue: later.length ? new Date(Math.min(...later.map((d) => d.getTime()))) : null,
    versions,
    states,
    dayEnd: day.end,
    done,
  };
}

/** Today's session so far, for the summary: reviews, accuracy, time. */
export async function sessionSummary(userId: string, now = new Date(), db: Db = getDb()) {
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
