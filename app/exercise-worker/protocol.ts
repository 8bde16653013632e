/**
 * Messages between the exercise page and its worker (public/exercise-worker.js,
 * built from worker.ts). One worker per run: the page posts one RunRequest,
 * the worker answers with progress and a final "done", and is then discarded.
 */
import type { GradeReport, GradingSpec, TestResult } from "~/domain/grading/run";

export interface RunRequest {
  code: string;
  spec: GradingSpec;
}

export type WorkerMessage =
  /** The worker script loaded and is about to compile the code: the page starts its clocks. */
  | { type: "ready" }
  /** Test number `index` (visible, hidden, then properties) starts now. */
  | { type: "start"; index: number; name: string; kind: TestResult["kind"] }
  | { type: "result"; index: number; result: TestResult }
  /** A console.log (or info/warn/error/debug) line from the learner's code; `truncated` once the cap is reached. */
  | { type: "log"; line: string }
  | { type: "log-truncated" }
  | { type: "done"; report: GradeReport };

/** Console capture limits: enough to debug, never enough to flood the page. */
export const CONSOLE_MAX_LINES = 50;
export const CONSOLE_MAX_CHARS = 5_000;
