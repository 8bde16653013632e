/**
 * Pyodide in Node, for the content check and tests: loaded once per process
 * from the same package the app serves, running the same harness and the same
 * run loop as the browser worker (harness.ts), with the judge in this realm,
 * as gradeInNode does for JavaScript. Only our own reference and starter code
 * runs here, so there is no sandbox and no time limit.
 */
import path from "node:path";
import type { PyodideInterface } from "pyodide";
import { judge, planCalls, type GradeReport, type GradingSpec, type RunResult } from "~/domain/grading/run";
import type { CallOutcome, RunCall, WorkerMessage } from "~/exercise-worker/protocol";
import { pyodideFiles } from "../../pyodide-files.mjs";
import { HARNESS_PY, pythonRunner } from "./harness";

let loading: Promise<PyodideInterface> | null = null;

export function nodePyodide(): Promise<PyodideInterface> {
  loading ??= (async () => {
    const { loadPyodide } = (await import("pyodide")) as typeof import("pyodide");
    const py = await loadPyodide({ indexURL: pyodideFiles().dir + path.sep, stdout: () => {}, stderr: () => {} });
    py.runPython(HARNESS_PY);
    return py;
  })();
  return loading;
}

/** Runs the calls on `code` in a fresh module namespace of the shared interpreter; the outcomes as a worker would post them. */
export async function runPythonCallsInNode(code: string, functionName: string, calls: RunCall[]): Promise<RunResult> {
  const run = pythonRunner(await nodePyodide());
  const result: RunResult = { compileError: null, outcomes: {}, stopped: null };
  run({ code, functionName, calls }, (m: WorkerMessage) => {
    if (m.type === "compile-error") result.compileError = m.error;
    else if (m.type === "call") {
      const { type: _type, ...outcome } = m;
      result.outcomes[m.id] = structuredClone(outcome) as CallOutcome;
    }
  });
  return result;
}

/** Plan, run in Pyodide, judge here: the Python twin of gradeInNode. */
export async function gradePythonInNode(code: string, spec: GradingSpec): Promise<GradeReport> {
  return judge(spec, await runPythonCallsInNode(code, spec.functionName, planCalls(spec)));
}
