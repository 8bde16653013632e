/**
 * The daily queue, pure. In order:
 *  1. learning and relearning items due now (soonest first);
 *  2. review items due by the end of the learner's day, most at risk first
 *     (lowest retrievability now), up to the daily review cap;
 *  3. new items in course order, from opened lessons only, up to the daily
 *     new-item limit.
 * Learning items due later in the session come back when nothing else is left
 * (within the learn-ahead window), as in Anki.
 * Counts of what was already done today come from the review log, so limits
 * hold across devices and restarts.
 * Siblings (domain/siblings.ts): a review or new item whose sibling was
 * reviewed today waits for another day; new siblings are spread over days.
 */
import { State, type MemoryState } from "./scheduler";
import { claimedKeys, isBuried, pickNew, type SiblingKeys } from "./siblings";

export interface QueueState {
  itemId: string;
  state: MemoryState;
  retrievability: number; // at `now`
}

export interface QueueInput {
  now: Date;
  dayEnd: Date;
  states: QueueState[]; // the learner's scheduled items (not retired)
  newItemIds: string[]; // unseen items from opened lessons, in course order
  newDoneToday: number;
  reviewsDoneToday: number;
  newPerDay: number;
  reviewCap: number;
  learnAheadMs?: number; // default 20 minutes
  /** Items reviewed today (any source), and how to tell siblings apart; without them, no burying. */
  touchedToday?: readonly string[];
  siblingKeys?: SiblingKeys;
}

export type QueueEntryKind = "learning" | "review" | "new";
export interface QueueEntry {
  itemId: string;
  kind: QueueEntryKind;
}

export interface Queue {
  entries: QueueEntry[];
  counts: { learning: number; review: number; new: number };
  /** The next due time after this queue runs out, if any (for "next due"). */
  nextDue: Date | null;
}

const LEARN_AHEAD_MS = 20 * 60 * 1000;

export function buildQueue(input: QueueInput): Queue {
  const now = input.now.getTime();
  const learnAhead = input.learnAheadMs ?? LEARN_AHEAD_MS;
  const keysOf = input.siblingKeys ?? (() => []);
  const claimed = input.touchedToday?.length ? claimedKeys(input.touchedToday, keysOf) : new Map<string, Set<string>>();
  const learning: QueueState[] = [];
  const learningSoon: QueueState[] = [];
  const review: QueueState[] = [];
  let nextDue: number | null = null;
  for (const s of input.states) {
    const due = s.state.due.getTime();
    const inLearning = s.state.state === State.Learning || s.state.state === State.Relearning;
    if (inLearning && due <= now) learning.push(s);
    else if (inLearning && due <= now + learnAhead) learningSoon.push(s);
    else if (s.state.state === State.Review && due <= input.dayEnd.getTime()) {
      if (claimed.size === 0 || !isBuried(s.itemId, claimed, keysOf)) review.push(s);
    }
    else if (s.state.state !== State.New) nextDue = nextDue === null ? due : Math.min(nextDue, due);
  }
  learning.sort((a, b) => a.state.due.getTime() - b.state.due.getTime() || a.itemId.localeCompare(b.itemId));
  learningSoon.sort((a, b) => a.state.due.getTime() - b.state.due.getTime() || a.itemId.localeCompare(b.itemId));
  review.sort((a, b) => a.retrievability - b.retrievability || a.state.due.getTime() - b.state.due.getTime() || a.itemId.localeCompare(b.itemId));

  const reviewRoom = Math.max(0, input.reviewCap - input.reviewsDoneToday);
  const reviews = review.slice(0, reviewRoom);
  const newRoom = Math.max(0, input.newPerDay - input.newDoneToday);
  const fresh = input.siblingKeys ? pickNew(input.newItemIds, newRoom, claimed, keysOf) : input.newItemIds.slice(0, newRoom);

  const entries: QueueEntry[] = [
    ...learning.map((s) => ({ itemId: s.itemId, kind: "learning" as const })),
    ...reviews.map((s) => ({ itemId: s.itemId, kind: "review" as const })),
    ...fresh.map((id) => ({ itemId: id, kind: "new" as const })),
    ...learningSoon.map((s) => ({ itemId: s.itemId, kind: "learning" as const })),
  ];
  for (const s of review.slice(reviewRoom)) nextDue = nextDue === null ? s.state.due.getTime() : Math.min(nextDue, s.state.due.getTime());
  return {
    entries,
    counts: { learning: learning.length + learningSoon.length, review: reviews.length, new: fresh.length },
    nextDue: nextDue === null ? null : new Date(nextDue),
  };
}
