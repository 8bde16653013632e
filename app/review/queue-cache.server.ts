/**
 * What the queue reads from the database for a learner, kept in memory between
 * requests on SQLite (docs/decisions/011-queue-reads-cache.md).
 *
 * An entry is valid while:
 * - no other connection or process has committed to the database since it was
 *   filled. SQLite's `PRAGMA data_version` tells us this, and any such commit
 *   (content sync, settings, a lesson visit, a quiz attempt) drops every entry;
 * - the learner's day and horizon are the ones it was read for.
 *
 * Reviews and undos are written on our own connection, which `data_version` does
 * not report, so review.server.ts tells the cache about each one, in the same
 * synchronous step as the commit. An undo, and a review of an item beyond the
 * horizon, simply drop the learner's entry.
 *
 * PostgreSQL has no cheap equivalent of `data_version` across processes, so
 * there the queue is always read from the database.
 */
import { State, type MemoryState } from "~/domain/scheduler";

export interface DueRow {
  itemId: string;
  state: MemoryState;
  version: number;
}

export interface DayCounts {
  newDone: number;
  reviewsDone: number;
}

/** What getQueue reads: items due by the horizon, the first due after it, lessons opened, today's counts, items reviewed today. */
export interface QueueReads {
  due: DueRow[];
  next: Date | null;
  visits: string[];
  done: DayCounts;
  touched: string[];
  /** The learner's own cards (ADR 025), in the order they were written. */
  own: { itemId: string; topicId: string }[];
}

export interface QueueWindow {
  dayStart: Date;
  dayEnd: Date;
  horizon: Date;
}

interface Entry {
  dayStart: number;
  dayEnd: number;
  horizon: number;
  due: Map<string, DueRow>;
  next: Date | null;
  visits: string[];
  done: DayCounts;
  touched: Set<string>;
  own: { itemId: string; topicId: string }[];
}

const MAX_LEARNERS = 2_000;

/** A review just committed, as the queue sees it. */
export interface ReviewedItem {
  itemId: string;
  before: MemoryState | null;
  after: MemoryState;
  version: number;
  source: string;
  reviewedAt: Date;
}

/**
 * The reads as they are after one review, from the reads of the moment before
 * it (pure). The PostgreSQL review path reads the queue in its write's own
 * statement, which sees the snapshot before the write (ADR 034); `next` must
 * then have been read without this item (the item's new due date is applied
 * here).
 */
export function withReview(reads: QueueReads, w: QueueWindow, r: ReviewedItem): QueueReads {
  const due = reads.due.filter((d) => d.itemId !== r.itemId);
  let next = reads.next;
  if (r.after.state !== State.New) {
    if (r.after.due.getTime() <= w.horizon.getTime()) due.push({ itemId: r.itemId, state: r.after, version: r.version });
    else if (!next || r.after.due < next) next = r.after.due;
  }
  const t = r.reviewedAt.getTime();
  const today = t >= w.dayStart.getTime() && t < w.dayEnd.getTime();
  const touched = today && !reads.touched.includes(r.itemId) ? [...reads.touched, r.itemId] : [...reads.touched];
  const done = { ...reads.done };
  // The same rule as countsToday: reviews from the review session, by the state before.
  if (r.source === "review" && today) {
    const prev = r.before?.state ?? State.New;
    if (prev === State.New) done.newDone++;
    else if (prev === State.Review) done.reviewsDone++;
  }
  return { due, next, visits: [...reads.visits], done, touched, own: [...reads.own] };
}

export function createQueueCache(maxLearners = MAX_LEARNERS) {
  let stamp: number | null = null;
  const entries = new Map<string, Entry>();
  const counters = { hits: 0, misses: 0 };

  /** Drops everything if the database changed under us since the entries were filled. */
  const sync = (current: number) => {
    if (current !== stamp) {
      entries.clear();
      stamp = current;
    }
  };

  return {
    /** The cached reads, or null. `current` is the connection's data_version now. */
    get(userId: string, current: number, w: QueueWindow): QueueReads | null {
      sync(current);
      const e = entries.get(userId);
      if (!e || e.dayStart !== w.dayStart.getTime() || e.dayEnd !== w.dayEnd.getTime() || e.horizon !== w.horizon.getTime()) {
        entries.delete(userId);
        counters.misses++;
        return null;
      }
      counters.hits++;
      // Most recently used last, so the oldest is first to go.
      entries.delete(userId);
      entries.set(userId, e);
      return { due: [...e.due.values()], next: e.next, visits: [...e.visits], done: { ...e.done }, touched: [...e.touched], own: [...e.own] };
    },

    /** Keeps reads just made, in the same synchronous step as the reads. */
    fill(userId: string, current: number, w: QueueWindow, reads: QueueReads) {
      sync(current);
      if (entries.size >= maxLearners && !entries.has(userId)) entries.delete(entries.keys().next().value!);
      entries.set(userId, {
        dayStart: w.dayStart.getTime(),
        dayEnd: w.dayEnd.getTime(),
        horizon: w.horizon.getTime(),
        due: new Map(reads.due.map((r) => [r.itemId, r])),
        next: reads.next,
        visits: [...reads.visits],
        done: { ...reads.done },
        touched: new Set(reads.touched),
        own: [...reads.own],
      });
    },

    /** A review committed on our connection: apply it to the learner's entry. */
    reviewed(
      userId: string,
      r: { itemId: string; before: MemoryState | null; after: MemoryState; version: number; source: string; reviewedAt: Date },
    ) {
      const e = entries.get(userId);
      if (!e) return;
      const wasTracked = e.due.has(r.itemId);
      if (!wasTracked && r.before && r.before.state !== State.New) {
        // Reviewed ahead of time (beyond the horizon): it may have been `next`. Read afresh.
        entries.delete(userId);
        return;
      }
      e.due.delete(r.itemId);
      if (r.after.state !== State.New) {
        if (r.after.due.getTime() <= e.horizon) e.due.set(r.itemId, { itemId: r.itemId, state: r.after, version: r.version });
        else if (!e.next || r.after.due < e.next) e.next = r.after.due;
      }
      // The same rule as countsToday: reviews from the review session, by the state before.
      const t = r.reviewedAt.getTime();
      if (t >= e.dayStart && t < e.dayEnd) e.touched.add(r.itemId); // siblings (domain/siblings.ts)
      if (r.source === "review" && t >= e.dayStart && t < e.dayEnd) {
        const prev = r.before?.state ?? State.New;
        if (prev === State.New) e.done.newDone++;
        else if (prev === State.Review) e.done.reviewsDone++;
      }
    },

    /** Something we do not track in detail changed for this learner (an undo, a failed commit). */
    forget(userId: string) {
      entries.delete(userId);
    },

    /** How often `get` found a usable entry (for tests and benchmarks). */
    counters: () => ({ ...counters }),
  };
}

export type QueueCache = ReturnType<typeof createQueueCache>;
