/**
 * The runner interface: how the exercise page talks to a worker that runs the
 * learner's code (public/exercise-worker.js for JavaScript, built from
 * worker.ts; a Python worker plugs in the same way). See
 * docs/decisions/015-grading-outside-the-learners-realm.md.
 *
 * A runner only computes: it compiles the code, calls the named function on
 * each call's arguments and sends back what came out, as plain data capped in
 * size. It never sees expected values and never gives a verdict; the page (and
 * its judge worker, public/exercise-judge.js) compares, where learner code
 * never ran. One runner per run: the page posts one RunRequest and discards
 * the worker after "done" or when out of time.
 */

/** One call of the learner's function. */
export interface RunCall {
  /** Chosen by the page; echoed in the answer. */
  id: string;
  args: unknown[];
  /** Also send back the arguments as they are after the call (to check the function left them unchanged). */
  returnArgs?: boolean;
}

export interface RunRequest {
  /** The learner's source, as typed. */
  code: string;
  functionName: string;
  calls: RunCall[];
}

/** What one call gave: a value, or an error message. Values and messages are capped (see below). */
export type CallOutcome =
  | { id: string; ok: true; value: unknown; argsAfter?: unknown[] }
  | { id: string; ok: false; error: string };

export type WorkerMessage =
  /** The worker script loaded and is about to compile the code: the page starts its clocks. */
  | { type: "ready" }
  /** The code did not compile or load, or does not define the function: no call will run. */
  | { type: "compile-error"; error: string }
  /** Call `id` starts now (the page applies the per-call time limit). */
  | { type: "start"; id: string }
  | ({ type: "call" } & CallOutcome)
  /** A console.log (or info/warn/error/debug) line from the learner's code. */
  | { type: "log"; line: string }
  /** The console cap was reached: later lines are dropped. */
  | { type: "log-truncated" }
  | { type: "done" };

/** Console capture limits: enough to debug, never enough to flood the page. */
export const CONSOLE_MAX_LINES = 50;
export const CONSOLE_MAX_CHARS = 5_000;
/** An error message longer than this is cut. */
export const ERROR_MAX_CHARS = 2_000;
/**
 * A returned value is sent only if it is at most this big, counting one per
 * number, boolean, array or object and one per character of strings and keys.
 * The largest expected output in the course is a few hundred numbers.
 */
export const VALUE_MAX_UNITS = 200_000;
/** Nesting deeper than this is not data an exercise returns (and may be a cycle). */
export const VALUE_MAX_DEPTH = 32;

/**
 * Stands in for a value that could not be sent as data: too large, a
 * function, a Promise, a cycle... `$unsendable` says what it was, in words.
 */
export interface Unsendable {
  $unsendable: string;
}

export function isUnsendable(v: unknown): v is Unsendable {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as Unsendable).$unsendable === "string" && Object.keys(v).length === 1;
}
