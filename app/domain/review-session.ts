/** What "this session" means on the review page. Pure: `now` is passed in. */

/** A pause this long ends a review session: "done" on the review page counts the reviews since. */
export const SESSION_GAP_MS = 30 * 60 * 1000;

/**
 * How many ratings the learner made in the review session still going on: the
 * run of review-page ratings whose gaps are all under SESSION_GAP_MS, ending
 * within that gap of now. Lesson-quiz and exercise ratings are not part of it.
 */
export function sessionCount(times: Date[], now: Date): number {
  const sorted = times.map((t) => t.getTime()).sort((a, b) => b - a);
  let n = 0;
  let after = now.getTime();
  for (const t of sorted) {
    if (after - t >= SESSION_GAP_MS) break;
    n++;
    after = t;
  }
  return n;
}
