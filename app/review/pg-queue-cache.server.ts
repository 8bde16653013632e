/**
 * PostgreSQL: each app process keeps a copy of what a learner's queue reads,
 * valid while the learner's QueueStamp is the one it was read at
 * (docs/decisions/037-a-queue-copy-per-process-on-postgresql.md).
 *
 * Deferred triggers stamp a learner with the id of every transaction that
 * changes their ItemState, ReviewLog, LessonVisit or OwnCard rows, whichever
 * process or tool made it. A review reads the stamp in its first statement; if
 * this copy was taken at that stamp, the second statement only writes, and it
 * moves the stamp from the one this copy knows to its own transaction's id in
 * the same statement (so a change committed in between is seen, and the copy
 * dropped). The copy then gets the review applied, as on SQLite (ADR 011).
 *
 * No I/O here: review.server.ts does the reads and writes.
 */
import { State } from "~/domain/scheduler";
import { withReview, type QueueReads, type QueueWindow, type ReviewedItem } from "./queue-cache.server";

export interface Candidate {
  id: string;
  version: number;
}

interface Entry {
  stamp: string;
  course: object;
  dayStart: number;
  dayEnd: number;
  horizon: number;
  reads: QueueReads;
  /**
   * The database's first new-card candidates in order (own cards first), less
   * the ones reviewed since: all there are when `complete`.
   */
  candidates: Candidate[];
  complete: boolean;
}

const MAX_LEARNERS = 2_000;

export function createPgQueueCache(maxLearners = MAX_LEARNERS) {
  const entries = new Map<string, Entry>();
  const counters = { hits: 0, misses: 0 };

  return {
    /**
     * The copy for this learner if it was read at `stamp`, for this course and
     * window, and holds the `need(reads)` first candidates (or all there are);
     * else null, and a stale copy is dropped.
     */
    get(userId: string, stamp: string | null, course: object, w: QueueWindow, need: (reads: QueueReads) => number): { reads: QueueReads; candidates: Candidate[]; complete: boolean } | null {
      const e = entries.get(userId);
      const usable =
        e &&
        stamp !== null &&
        e.stamp === stamp &&
        e.course === course &&
        e.dayStart === w.dayStart.getTime() &&
        e.dayEnd === w.dayEnd.getTime() &&
        e.horizon === w.horizon.getTime() &&
        (e.complete || e.candidates.length >= need(e.reads));
      if (!usable) {
        if (e) entries.delete(userId);
        counters.misses++;
        return null;
      }
      counters.hits++;
      entries.delete(userId); // most recently used last: the oldest goes first
      entries.set(userId, e);
      return { reads: e.reads, candidates: e.candidates, complete: e.complete };
    },

    /** Keeps the reads as they are at `stamp` (the review already applied). */
    fill(userId: string, stamp: string, course: object, w: QueueWindow, reads: QueueReads, candidates: Candidate[], complete: boolean) {
      if (entries.size >= maxLearners && !entries.has(userId)) entries.delete(entries.keys().next().value!);
      entries.delete(userId);
      entries.set(userId, { stamp, course, dayStart: w.dayStart.getTime(), dayEnd: w.dayEnd.getTime(), horizon: w.horizon.getTime(), reads, candidates, complete });
    },

    forget(userId: string) {
      entries.delete(userId);
    },

    /** How often `get` found a usable copy (for tests and benchmarks). */
    counters: () => ({ ...counters }),
  };
}

/**
 * Whether a review can be applied to a copy without reading: the item is in
 * the copy's due list or new. An item reviewed ahead of time (not due by the
 * horizon) may be the copy's `next`, which only a read can replace.
 */
export function appliesToCopy(reads: QueueReads, itemId: string, before: { state: number } | null): boolean {
  return !before || before.state === State.New || reads.due.some((d) => d.itemId === itemId);
}

/** The copy's reads and candidates after one review (pure). */
export function afterReview(reads: QueueReads, candidates: Candidate[], w: QueueWindow, r: ReviewedItem): { reads: QueueReads; candidates: Candidate[] } {
  const next = withReview(reads, w, r);
  const stillNew = r.after.state === State.New;
  return {
    reads: next,
    candidates: candidates.flatMap((c) => (c.id !== r.itemId ? [c] : stillNew ? [{ id: c.id, version: r.version }] : [])),
  };
}

export type PgQueueCache = ReturnType<typeof createPgQueueCache>;
