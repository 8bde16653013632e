/**
 * Runs the learner's code in a fresh runner worker (browser only), enforces the
 * time limits from the page (2 s per call and for compiling, 5 s per run), and
 * has the judge worker turn what came back into a report. Whatever happens in
 * the runner (an infinite loop, runaway recursion, a huge allocation, a crash,
 * a 20 MB return value), the page gets an outcome and stays responsive: values
 * are capped before they leave the runner, and on a timeout the runner is
 * terminated and the tests not reached are reported.
 *
 * The page itself compares nothing and runs no check: it has no 'unsafe-eval',
 * and the judge (public/exercise-judge.js) is where the verdict is made.
 */
import { planCalls, testList, type GradeReport, type GradingSpec, type RunResult } from "~/domain/grading/run";
import type { CallOutcome, RunRequest, WorkerMessage } from "~/exercise-worker/protocol";
import type { JudgeAnswer, JudgeRequest } from "~/exercise-worker/judge";

export const WORKER_URL = "/exercise-worker.js";
export const JUDGE_URL = "/exercise-judge.js";
export const TEST_TIME_LIMIT_MS = 2_000;
export const RUN_TIME_LIMIT_MS = 5_000;
/** Loading the worker script itself (not counted in the limits above). */
const LOAD_TIME_LIMIT_MS = 15_000;
/** The judge runs the course's own checks on capped data: this is generous. */
const JUDGE_TIME_LIMIT_MS = 5_000;

export interface RunOutcome {
  report: GradeReport;
  console: string[];
  consoleTruncated: boolean;
  /** Set when the page stopped the run: why, in words. */
  stopped: string | null;
  /** From the runner's first message to its last: compile and calls. */
  runMs: number;
  /** Including starting the runner and judging. */
  totalMs: number;
}

export interface RunOptions {
  onProgress?: (done: number, total: number, current: string | null) => void;
  testLimitMs?: number;
  runLimitMs?: number;
  workerUrl?: string;
  judgeUrl?: string;
  /**
   * A runner worker already started (the Python one, its interpreter loaded
   * ahead of the run) instead of a new one from `workerUrl`. It must speak
   * this protocol from the request on; it is terminated at the end like ours.
   */
  worker?: Worker;
}

function seconds(ms: number) {
  return `${Math.round(ms / 100) / 10} s`;
}

// --- The judge: one per page, reused, replaced if it ever hangs ----------------------
let judgeWorker: Worker | null = null;
let judgeSeq = 0;

function judgeInWorker(spec: GradingSpec, run: RunResult, url: string): Promise<GradeReport> {
  const total = testList(spec).length;
  return new Promise((resolve) => {
    const failed = (why: string): GradeReport => ({ ok: false, error: why, results: [], passed: 0, total });
    let worker: Worker;
    try {
      worker = judgeWorker ??= new Worker(url);
    } catch (e) {
      resolve(failed(`The test checker could not start: ${(e as Error).message}`));
      return;
    }
    const seq = ++judgeSeq;
    const timer = setTimeout(() => {
      cleanup();
      worker.terminate();
      if (judgeWorker === worker) judgeWorker = null;
      resolve(failed("The test checker took too long. Run the tests again."));
    }, JUDGE_TIME_LIMIT_MS + LOAD_TIME_LIMIT_MS);
    const onMessage = (event: MessageEvent<JudgeAnswer>) => {
      if (event.data?.seq !== seq) return;
      cleanup();
      resolve(event.data.report);
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      cleanup();
      worker.terminate();
      if (judgeWorker === worker) judgeWorker = null;
      resolve(failed("The test checker could not be loaded. Reload the page and try again."));
    };
    const cleanup = () => {
      clearTimeout(timer);
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
    worker.postMessage({ seq, spec, run } satisfies JudgeRequest);
  });
}

/** A message from the runner, checked before use: it was produced where learner code runs. */
export function readMessage(data: unknown, planned: Set<string>): WorkerMessage | null {
  if (typeof data !== "object" || data === null) return null;
  const m = data as Record<string, unknown>;
  switch (m.type) {
    case "ready":
    case "done":
    case "log-truncated":
      return { type: m.type };
    case "log":
      return typeof m.line === "string" ? { type: "log", line: m.line } : null;
    case "compile-error":
      return typeof m.error === "string" ? { type: "compile-error", error: m.error } : null;
    case "start":
      return typeof m.id === "string" && planned.has(m.id) ? { type: "start", id: m.id } : null;
    case "call":
      if (typeof m.id !== "string" || !planned.has(m.id)) return null;
      if (m.ok === true) return { type: "call", id: m.id, ok: true, value: m.value, ...(Array.isArray(m.argsAfter) ? { argsAfter: m.argsAfter } : {}) };
      return { type: "call", id: m.id, ok: false, error: typeof m.error === "string" ? m.error : "Your code threw an error." };
    default:
      return null;
  }
}

export function runInWorker(code: string, spec: GradingSpec, options: RunOptions = {}): Promise<RunOutcome> {
  const testLimit = options.testLimitMs ?? TEST_TIME_LIMIT_MS;
  const runLimit = options.runLimitMs ?? RUN_TIME_LIMIT_MS;
  const tests = testList(spec);
  const total = tests.length;
  const calls = planCalls(spec);
  const planned = new Set(calls.map((c) => c.id));
  /** Which test each call belongs to, by index in `tests`. */
  const testOf = new Map<string, number>();
  tests.forEach((t, i) => t.ids.forEach((id) => testOf.set(id, i)));
  const created = performance.now();

  return new Promise((resolve) => {
    const outcomes: Record<string, CallOutcome> = {};
    const ms: Record<string, number> = {};
    const logs: string[] = [];
    let consoleTruncated = false;
    let compileError: string | null = null;
    let current: { id: string; startedAt: number } | null = null;
    let readyAt: number | null = null;
    let finished = false;
    let stepTimer: ReturnType<typeof setTimeout> | undefined;
    let runTimer: ReturnType<typeof setTimeout> | undefined;

    let worker: Worker;
    try {
      worker = options.worker ?? new Worker(options.workerUrl ?? WORKER_URL);
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

    const finish = (stopped: { id: string | null; why: string } | null, report?: GradeReport) => {
      if (finished) return;
      finished = true;
      clearTimeout(stepTimer);
      clearTimeout(runTimer);
      clearTimeout(loadTimer);
      worker.terminate();
      const runEnd = performance.now();
      const done = (r: GradeReport) =>
        resolve({ report: r, console: logs, consoleTruncated, stopped: stopped?.why ?? null, runMs: readyAt === null ? 0 : runEnd - readyAt, totalMs: performance.now() - created });
      if (report) return done(report);
      void judgeInWorker(spec, { compileError, outcomes, stopped, ms }, options.judgeUrl ?? JUDGE_URL).then(done);
    };

    /** The run was cut short: what finished is judged, the rest marked. */
    const stop = (why: string) => finish({ id: current?.id ?? null, why });

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
      if (readyAt === null) finish(null, { ok: false, error: "The test runner took too long to start. Check your connection and run again.", results: [], passed: 0, total });
    }, LOAD_TIME_LIMIT_MS);

    const testsDone = () => tests.filter((t) => t.ids.every((id) => outcomes[id] !== undefined)).length;

    worker.onmessage = (event: MessageEvent<unknown>) => {
      if (finished) return;
      const msg = readMessage(event.data, planned);
      if (!msg) return;
      switch (msg.type) {
        case "ready":
          if (readyAt !== null) break;
          clearTimeout(loadTimer);
          readyAt = performance.now();
          armStep("your code (while loading, before any test ran)");
          runTimer = setTimeout(
            () => stop(`Stopped after ${seconds(runLimit)}: the whole run has a ${seconds(runLimit)} limit, and your code took longer. Look for slow or endless loops.`),
            runLimit,
          );
          options.onProgress?.(0, total, null);
          break;
        case "compile-error":
          compileError = msg.error;
          break;
        case "start": {
          current = { id: msg.id, startedAt: performance.now() };
          const name = tests[testOf.get(msg.id)!]!.name;
          armStep(`the test "${name}"`);
          options.onProgress?.(testsDone(), total, name);
          break;
        }
        case "call": {
          if (outcomes[msg.id] !== undefined) break;
          const { type: _type, ...outcome } = msg;
          outcomes[msg.id] = outcome;
          if (current?.id === msg.id) ms[msg.id] = performance.now() - current.startedAt;
          current = null;
          options.onProgress?.(testsDone(), total, null);
          break;
        }
        case "log":
          if (logs.length < 1_000) logs.push(msg.line);
          break;
        case "log-truncated":
          consoleTruncated = true;
          break;
        case "done":
          finish(null);
          break;
      }
    };

    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      clearTimeout(loadTimer);
      if (readyAt === null) {
        finish(null, { ok: false, error: "The test runner could not be loaded. Reload the page and try again.", results: [], passed: 0, total });
        return;
      }
      stop(`The test runner crashed${event.message ? ` (${event.message})` : ""}. This happens when code uses too much memory or throws outside the tested function.`);
    };
    worker.onmessageerror = () => stop("The test runner sent a result the page could not read.");

    const request: RunRequest = { code, functionName: spec.functionName, calls };
    worker.postMessage(request);
  });
}
