/**
 * Runs the learner's code in a fresh Web Worker (browser only) and enforces the
 * time limits from the page: 2 s per test (and for compiling), 5 s per run.
 * Whatever happens inside the worker (an infinite loop, runaway recursion, a
 * huge allocation, a crash), the page gets an outcome and stays responsive:
 * on a timeout the worker is terminated and the tests not reached are reported.
 */
import type { GradeReport, GradingSpec, TestResult } from "~/domain/grading/run";
import type { RunRequest, WorkerMessage } from "~/exercise-worker/protocol";

export const WORKER_URL = "/exercise-worker.js";
export const TEST_TIME_LIMIT_MS = 2_000;
export const RUN_TIME_LIMIT_MS = 5_000;
/** Loading the worker script itself (not counted in the limits above). */
const LOAD_TIME_LIMIT_MS = 15_000;

export interface RunOutcome {
  report: GradeReport;
  console: string[];
  consoleTruncated: boolean;
  /** Set when the page stopped the run: why, in words. */
  stopped: string | null;
  /** From the worker's first message to its last: compile and tests. */
  runMs: number;
  /** Including starting the worker. */
  totalMs: number;
}

export interface RunOptions {
  onProgress?: (done: number, total: number, current: string | null) => void;
  testLimitMs?: number;
  runLimitMs?: number;
  workerUrl?: string;
}

function testNames(spec: GradingSpec): { name: string; kind: TestResult["kind"]; args?: string; expected?: string }[] {
  return [
    ...spec.tests.map((t) => ({ name: t.name, kind: "test" as const })),
    ...spec.hidden.map((t) => ({ name: t.name, kind: "hidden" as const })),
    ...spec.properties.map((p) => ({ name: p.name, kind: "property" as const })),
  ];
}

function seconds(ms: number) {
  return `${Math.round(ms / 100) / 10} s`;
}

export function runInWorker(code: string, spec: GradingSpec, options: RunOptions = {}): Promise<RunOutcome> {
  const testLimit = options.testLimitMs ?? TEST_TIME_LIMIT_MS;
  const runLimit = options.runLimitMs ?? RUN_TIME_LIMIT_MS;
  const all = testNames(spec);
  const total = all.length;
  const created = performance.now();

  return new Promise((resolve) => {
    const results: TestResult[] = [];
    const logs: string[] = [];
    let consoleTruncated = false;
    let current: { index: number; name: string; startedAt: number } | null = null;
    let readyAt: number | null = null;
    let finished = false;
    let stepTimer: ReturnType<typeof setTimeout> | undefined;
    let runTimer: ReturnType<typeof setTimeout> | undefined;

    let worker: Worker;
    try {
      worker = new Worker(options.workerUrl ?? WORKER_URL);
    } catch (e) {
      resolve({
        report: { ok: false, error: `The test runner could not start: ${(e as Error).message}`, results: [], passed: 0, total },
        console: [],
        consoleTruncated: false,
        stopped: null,
        runMs: 0,
        totalMs: 0,
      });
      return;
    }

    const finish = (report: GradeReport, stopped: string | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(stepTimer);
      clearTimeout(runTimer);
      worker.terminate();
      const end = performance.now();
      resolve({ report, console: logs, consoleTruncated, stopped, runMs: readyAt === null ? 0 : end - readyAt, totalMs: end - created });
    };

    /** The run was cut short: keep what finished, mark the rest. */
    const stop = (why: string) => {
      const partial = [...results];
      const stoppedAt = current ? current.index : results.length;
      if (readyAt !== null && current === null && results.length === 0) {
        // Never got past compiling (e.g. a loop at the top level of the code).
        finish({ ok: false, error: why, results: [], passed: 0, total }, why);
        return;
      }
      for (let i = partial.length; i < total; i++) {
        const t = all[i]!;
        partial.push({
          name: t.name,
          kind: t.kind,
          passed: false,
          message: i === stoppedAt ? why : "Not run: the run was stopped before this test.",
          ms: i === stoppedAt && current ? performance.now() - current.startedAt : 0,
        });
      }
      finish({ ok: true, results: partial, passed: partial.filter((r) => r.passed).length, total }, why);
    };

    const armStep = (label: string) => {
      clearTimeout(stepTimer);
      stepTimer = setTimeout(
        () =>
          stop(
            `Stopped after ${seconds(testLimit)}: ${label} did not finish. Look for a loop that never ends (a while condition that stays true, a counter that never moves) or very slow code.`,
          ),
        testLimit,
      );
    };

    const loadTimer = setTimeout(() => {
      if (readyAt === null) finish({ ok: false, error: "The test runner took too long to start. Check your connection and run again.", results: [], passed: 0, total }, null);
    }, LOAD_TIME_LIMIT_MS);

    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      if (finished) return;
      const msg = event.data;
      switch (msg.type) {
        case "ready":
          clearTimeout(loadTimer);
          readyAt = performance.now();
          armStep("your code (while loading, before any test ran)");
          runTimer = setTimeout(
            () => stop(`Stopped after ${seconds(runLimit)}: the whole run has a ${seconds(runLimit)} limit, and your code took longer. Look for slow or endless loops.`),
            runLimit,
          );
          options.onProgress?.(0, total, null);
          break;
        case "start":
          current = { index: msg.index, name: msg.name, startedAt: performance.now() };
          armStep(`the test "${msg.name}"`);
          options.onProgress?.(msg.index, total, msg.name);
          break;
        case "result":
          results[msg.index] = msg.result;
          current = null;
          options.onProgress?.(msg.index + 1, total, null);
          break;
        case "log":
          logs.push(msg.line);
          break;
        case "log-truncated":
          consoleTruncated = true;
          break;
        case "done":
          finish(msg.report, null);
          break;
      }
    };

    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      clearTimeout(loadTimer);
      if (readyAt === null) {
        finish(
          { ok: false, error: "The test runner could not be loaded. Reload the page and try again.", results: [], passed: 0, total },
          null,
        );
        return;
      }
      stop(`The test runner crashed${event.message ? ` (${event.message})` : ""}. This happens when code uses too much memory or throws outside the tested function.`);
    };
    worker.onmessageerror = () => stop("The test runner sent a result the page could not read.");

    const request: RunRequest = { code, spec };
    worker.postMessage(request);
  });
}
