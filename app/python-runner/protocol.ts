/**
 * Messages between the exercise page and the Python runner (a module worker
 * served at /python-worker.js, built from worker.ts). The call shape is the
 * JavaScript runner's (app/exercise-worker/protocol.ts): the page sends the
 * code, the function name and a list of calls; the worker answers each call
 * with its value (plain data) or an error, both capped, and never compares
 * anything: every verdict is made in the page.
 *
 * One worker per run. It loads Pyodide first ("init" -> "ready"), so a fresh
 * worker can be started ahead of the next run; learner code only ever runs
 * after the loading is over and the network APIs are gone.
 */

export interface PythonCall {
  id: string;
  args: unknown[];
}

export type PageToPython =
  /** Load Pyodide from `indexURL` (the app's own copy, see server.mjs). */
  | { type: "init"; indexURL: string }
  /** Run the learner's module, then call `functionName` on each call's args. */
  | { type: "run"; code: string; functionName: string; calls: PythonCall[] }
  /** More calls on the same module (a property check asked for another input). */
  | { type: "calls"; calls: PythonCall[] };

export type CallOutcome = { id: string; ok: true; value: unknown } | { id: string; ok: false; error: string };

export type PythonToPage =
  /** Pyodide is loaded and the sandbox is closed: the page may post "run". */
  | { type: "ready" }
  /** Pyodide could not load. */
  | { type: "init-failed"; error: string }
  /** Call `id` starts now (the page arms its per-call time limit). */
  | { type: "start"; id: string }
  | ({ type: "result" } & CallOutcome)
  | { type: "log"; line: string }
  | { type: "log-truncated" }
  /** The batch is over; `error` when the module did not load (syntax error, missing function, top-level exception). */
  | { type: "done"; error?: string };

/** The same console limits as the JavaScript runner. */
export const CONSOLE_MAX_LINES = 50;
export const CONSOLE_MAX_CHARS = 5_000;
/** A returned value may hold at most this many items and this many characters of text. */
export const VALUE_MAX_ITEMS = 100_000;
export const VALUE_MAX_CHARS = 200_000;
/** Error messages are cut to this length. */
export const ERROR_MAX_CHARS = 2_000;
