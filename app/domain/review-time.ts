/**
 * When a review counts as made (docs/decisions/013-review-times-and-faults.md).
 *
 * The page sends the time the learner rated a card, which may come from a
 * device whose clock is wrong, or from an outbox that was offline for days. The
 * server keeps it only within bounds:
 * - never after the server's now (a clock ahead cannot schedule the future);
 * - never before the start of the learning day the review arrives on, so it
 *   counts against today's limits (a device behind cannot win extra new cards);
 * - never before the item's last review, which the scheduler cannot go back
 *   past (ts-fsrs refuses a negative interval). This bound wins over now: the
 *   state's last review is what the next interval is measured from.
 */
export interface ReviewTimeBounds {
  now: Date;
  /** The start of the learner's current learning day. */
  dayStart: Date;
  /** The item's last review, if it had one. */
  lastReview: Date | null;
}

export function clampReviewTime(clientMs: number | undefined, { now, dayStart, lastReview }: ReviewTimeBounds): Date {
  let t = clientMs === undefined || !Number.isFinite(clientMs) ? now.getTime() : Math.min(clientMs, now.getTime());
  t = Math.max(t, dayStart.getTime());
  if (lastReview) t = Math.max(t, lastReview.getTime());
  return new Date(t);
}
