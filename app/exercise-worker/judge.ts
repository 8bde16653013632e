/**
 * The judge, a classic Web Worker served at /exercise-judge.js (same strict
 * policy as the runner: it may compile the course's property checks with
 * `new Function`, and can request nothing). It receives the spec and the
 * plain data a runner sent back, and answers with the report. Learner code
 * never runs here: the page never gives it any, and data cannot carry code.
 * The page keeps one judge per page and limits each verdict in time.
 *
 * Built into public/exercise-judge.js by scripts/build-worker.mjs.
 */
import { judge, type GradeReport, type GradingSpec, type RunResult } from "~/domain/grading/run";

export interface JudgeRequest {
  seq: number;
  spec: GradingSpec;
  run: RunResult;
}

export interface JudgeAnswer {
  seq: number;
  report: GradeReport;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<JudgeRequest>) => {
  const { seq, spec, run } = event.data;
  let report: GradeReport;
  try {
    report = judge(spec, run);
  } catch (e) {
    report = { ok: false, error: `The tests could not be checked: ${e instanceof Error ? e.message : String(e)}`, results: [], passed: 0, total: 0 };
  }
  scope.postMessage({ seq, report } satisfies JudgeAnswer);
};
