/**
 * Messages between the exercise page and the Python runner (a module worker
 * served at /python-worker.js, built from worker.ts). A run is the JavaScript
 * runner's (app/exercise-worker/protocol.ts): the page posts a RunRequest (the
 * calls planned by app/domain/grading/run.ts), the worker answers with the same
 * WorkerMessage shapes (values and errors capped, argsAfter when asked), and
 * the judge worker compares. The worker never sees an expected value.
 *
 * One worker per run. Before the run it loads Pyodide ("init" -> "loaded"),
 * so a fresh worker can be started ahead of the next run; learner code only
 * ever runs after the loading is over and the network APIs are gone.
 */
import type { RunRequest, WorkerMessage } from "~/exercise-worker/protocol";

export type PageToPython =
  /** Load Pyodide from `indexURL` (the app's own copy, see server.mjs). */
  | { type: "init"; indexURL: string }
  /** The run: load the learner's module, then make each call (no `type`, as for the JavaScript runner). */
  | (RunRequest & { type?: undefined });

export type PythonToPage =
  /** Pyodide is loaded and the sandbox is closed: the page may post the run. */
  | { type: "loaded" }
  /** Pyodide could not load. */
  | { type: "init-failed"; error: string }
  | WorkerMessage;

/** A returned value may hold at most this many items and this many characters of text. */
export const VALUE_MAX_ITEMS = 100_000;
export const VALUE_MAX_CHARS = 200_000;
export { CONSOLE_MAX_CHARS, CONSOLE_MAX_LINES, ERROR_MAX_CHARS } from "~/exercise-worker/protocol";
