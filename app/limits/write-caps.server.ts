/**
 * Per-learner write caps: how many reviews, lesson-quiz writes and exercise
 * attempts one learner may send per minute and per day, so one account
 * cannot fill the disk (issue 19: 472 exercise attempts of 100,000 characters
 * in 10 s wrote 83 MB). Sized far above what a learner does by hand or an
 * offline outbox sends when it reconnects; a refused write is answered 429
 * with Retry-After and changes nothing (the review outbox keeps the rating
 * and retries).
 *
 * The counters live in each process's memory, not the database, so the
 * review path gains no write: behind N app processes a learner can reach N
 * times a cap at most, still a bound (docs/decisions/014-review-days.md).
 * WRITE_CAP_REVIEW, WRITE_CAP_QUIZ and WRITE_CAP_EXERCISE override the caps
 * as "count/seconds" pairs, e.g. "600/60,10000/86400".
 */
import { parseCaps, type Cap } from "~/domain/write-caps";

export type WriteKind = "review" | "quiz" | "exercise";

const DEFAULTS: Record<WriteKind, string> = {
  // A keyboard session rates a card every second or two; an outbox flushes a few hundred at once.
  review: "600/60,10000/86400",
  // A lesson quiz is about 20 answers; one start and one answer per question.
  quiz: "120/60,3000/86400",
  // Running the tests by hand: one every few seconds at most.
  exercise: "30/60,1000/86400",
};
const ENV: Record<WriteKind, string> = { review: "WRITE_CAP_REVIEW", quiz: "WRITE_CAP_QUIZ", exercise: "WRITE_CAP_EXERCISE" };

const capsCache = new Map<WriteKind, Cap[]>();
function capsFor(kind: WriteKind): Cap[] {
  let caps = capsCache.get(kind);
  if (!caps) {
    caps = parseCaps(process.env[ENV[kind]]) ?? parseCaps(DEFAULTS[kind])!;
    capsCache.set(kind, caps);
  }
  return caps;
}

/** Fixed windows per learner, kind and cap: [window start, count]. */
const windows = new Map<string, [number, number][]>();
const MAX_KEYS = 100_000;

function sweep(now: number) {
  for (const [key, ws] of windows) {
    const kind = key.slice(0, key.indexOf("|")) as WriteKind;
    const caps = capsFor(kind);
    if (ws.every(([start], i) => now - start >= caps[i]!.windowMs)) windows.delete(key);
  }
}

export type WriteCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

/** Counts one write of `kind` for the learner, or refuses it (uncounted) when a cap is reached. */
export function checkWrite(userId: string, kind: WriteKind, now = Date.now()): WriteCheck {
  const caps = capsFor(kind);
  const key = `${kind}|${userId}`;
  let ws = windows.get(key);
  if (!ws) {
    if (windows.size >= MAX_KEYS) sweep(now);
    ws = caps.map(() => [now, 0]);
    windows.set(key, ws);
  }
  let retryAfterMs = 0;
  caps.forEach((cap, i) => {
    const w = ws[i]!;
    if (now - w[0] >= cap.windowMs) {
      w[0] = now;
      w[1] = 0;
    }
    if (w[1] >= cap.max) retryAfterMs = Math.max(retryAfterMs, w[0] + cap.windowMs - now);
  });
  if (retryAfterMs > 0) {
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return { allowed: false, retryAfterSeconds, message: refusal(kind, retryAfterSeconds) };
  }
  for (const w of ws) w[1]++;
  return { allowed: true };
}

const WHAT: Record<WriteKind, string> = { review: "reviews", quiz: "quiz answers", exercise: "exercise runs" };

function refusal(kind: WriteKind, seconds: number): string {
  const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many ${WHAT[kind]} in a short time from your account. Nothing was saved; try again in ${wait}.`;
}

/** The Retry-After header of a refused write. */
export const retryAfter = (check: { retryAfterSeconds: number }) => ({ "Retry-After": String(check.retryAfterSeconds) });

/**
 * A page route's `headers` export: an HTML answer to a refused form post
 * carries the action's Retry-After (Remix does not pass action headers on by itself).
 */
export function actionRetryAfter({ actionHeaders }: { actionHeaders: Headers }): Record<string, string> {
  const value = actionHeaders.get("Retry-After");
  return value ? { "Retry-After": value } : {};
}

/** Forget every counter (tests). */
export function resetWriteCaps() {
  windows.clear();
  capsCache.clear();
}
