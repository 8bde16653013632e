/** Messages between the page and the grading worker of the Python runner (check-worker.ts). */
import type { GradeReport, GradingSpec, TestResult } from "~/domain/grading/run";
import type { CallOutcome, PythonCall } from "./protocol";

export type PageToCheck =
  | { type: "grade"; spec: GradingSpec }
  /** The Python worker's answers to the last "calls", or why the module did not run. */
  | { type: "outcomes"; outcomes: CallOutcome[]; error?: string };

export type CheckToPage =
  /** Run these calls in the Python worker and send back "outcomes". */
  | { type: "calls"; calls: PythonCall[] }
  | { type: "result"; index: number; result: TestResult }
  | { type: "report"; report: GradeReport };
