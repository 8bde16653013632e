/**
 * Runs a Python exercise in the browser: the learner's code in the Python
 * worker (python-worker.js, Pyodide), the grading in a second worker
 * (python-check-worker.js) that never sees learner code, this page relaying
 * calls and outputs between them and holding the same time limits as the
 * JavaScript runner: 2 s per call (and for loading the module), 5 s per run,
 * enforced with terminate(). Loading Pyodide is not counted: a fresh worker
 * is started ahead of each run (`prewarmPython`) and used once.
 *
 * Loaded only on Python exercise pages (the route imports it on demand).
 */
import type { GradeReport, GradingSpec } from "~/domain/grading/run";
import type { RunOutcome, RunOptions } from "~/exercises/run-in-worker";
import type { CheckToPage, PageToCheck } from "./check-protocol";
import type { CallOutcome, PageToPython, PythonCall, PythonToPage } from "./protocol";

export const PYTHON_WORKER_URL = "/python-worker.js";
export const PYTHON_CHECK_WORKER_URL = "/python-check-worker.js";
export const PYTHON_CALL_TIME_LIMIT_MS = 2_000;
export const PYTHON_RUN_TIME_LIMIT_MS = 5_000;
/** Starting Pyodide (download on the first visit, compile, unpack the standard library). */
const LOAD_TIME_LIMIT_MS = 120_000;

interface Loaded {
  worker: Worker;
  ready: Promise<string | null>; // null, or why it failed
}

let spare: { indexURL: string; loaded: Loaded } | null = null;

function startPython(indexURL: string, workerUrl: string): Loaded {
  const worker = new Worker(workerUrl, { type: "module" });
  const ready = new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve("Python took too long to start. Reload the page and try again."), LOAD_TIME_LIMIT_MS);
    const onMessage = (event: MessageEvent<PythonToPage>) => {
      if (event.data.type !== "ready" && event.data.type !== "init-failed") return;
      clearTimeout(timer);
      worker.removeEventListener("message", onMessage);
      resolve(event.data.type === "ready" ? null : `Python could not start: ${event.data.error}`);
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", (e) => {
      e.preventDefault();
      clearTimeout(timer);
      resolve("The Python runner could not be loaded. Reload the page and try again.");
    });
  });
  const init: PageToPython = { type: "init", indexURL };
  worker.postMessage(init);
  return { worker, ready };
}

/**
 * Starts a Python worker now, so the next run finds Pyodide loaded. The page's
 * <body data-python-runner> says "loading" or "ready" (benchmarks wait on it).
 */
export function prewarmPython(indexURL: string, workerUrl = PYTHON_WORKER_URL): Promise<string | null> {
  if (!spare || spare.indexURL !== indexURL) {
    spare?.loaded.worker.terminate();
    const loaded = startPython(indexURL, workerUrl);
    spare = { indexURL, loaded };
    document.body.dataset.pythonRunner = "loading";
    void loaded.ready.then((error) => {
      if (spare?.loaded === loaded) document.body.dataset.pythonRunner = error ? "failed" : "ready";
    });
  }
  return spare.loaded.ready;
}

function takeSpare(indexURL: string, workerUrl: string): Loaded {
  if (spare && spare.indexURL === indexURL) {
    const { loaded } = spare;
    spare = null;
    delete document.body.dataset.pythonRunner;
    return loaded;
  }
  return startPython(indexURL, workerUrl);
}

function seconds(ms: number) {
  return `${Math.round(ms / 100) / 10} s`;
}

function testName(spec: GradingSpec, id: string): string {
  const [kind, n] = id.split("-") as [string, string];
  const list = kind === "test" ? spec.tests : kind === "hidden" ? spec.hidden : kind === "property" ? spec.properties : [];
  return list[Number(n)]?.name ?? "a property check";
}

export interface PythonRunOptions extends RunOptions {
  indexURL: string;
  checkWorkerUrl?: string;
}

/** Same outcome shape as the JavaScript runner's, so the page shows either the same way. */
export async function runPythonExercise(code: string, spec: GradingSpec, options: PythonRunOptions): Promise<RunOutcome> {
  const callLimit = options.testLimitMs ?? PYTHON_CALL_TIME_LIMIT_MS;
  const runLimit = options.runLimitMs ?? PYTHON_RUN_TIME_LIMIT_MS;
  const workerUrl = options.workerUrl ?? PYTHON_WORKER_URL;
  const total = spec.tests.length + spec.hidden.length + spec.properties.length;
  const created = performance.now();
  const python = takeSpare(options.indexURL, workerUrl);
  const failed = (error: string): RunOutcome => ({
    report: { ok: false, error, results: [], passed: 0, total },
    console: [],
    consoleTruncated: false,
    stopped: null,
    runMs: 0,
    totalMs: performance.now() - created,
  });
  const loadError = await python.ready;
  if (loadError) {
    python.worker.terminate();
    return failed(loadError);
  }
  let checker: Worker;
  try {
    checker = new Worker(options.checkWorkerUrl ?? PYTHON_CHECK_WORKER_URL);
  } catch (e) {
    python.worker.terminate();
    return failed(`The test runner could not start: ${(e as Error).message}`);
  }

  return new Promise<RunOutcome>((resolve) => {
    const logs: string[] = [];
    let consoleTruncated = false;
    let stopped: string | null = null;
    let started = false; // "run" was posted
    let pythonAlive = true;
    let batch: { outcomes: CallOutcome[]; current: string | null } | null = null;
    let finished = false;
    let callTimer: ReturnType<typeof setTimeout> | undefined;
    let runTimer: ReturnType<typeof setTimeout> | undefined;
    let doneCount = 0;
    const readyAt = performance.now();

    const finish = (report: GradeReport) => {
      if (finished) return;
      finished = true;
      clearTimeout(callTimer);
      clearTimeout(runTimer);
      python.worker.terminate();
      checker.terminate();
      const end = performance.now();
      resolve({ report, console: logs, consoleTruncated, stopped, runMs: end - readyAt, totalMs: end - created });
      // The next run starts from a fresh interpreter, loaded while the learner reads the results.
      void prewarmPython(options.indexURL, workerUrl);
    };
    const toChecker = (m: PageToCheck) => checker.postMessage(m);

    /** Out of time, or the Python worker crashed: it is gone; grade what came back. */
    const stop = (why: string) => {
      if (!pythonAlive || finished) return;
      pythonAlive = false;
      stopped = why;
      clearTimeout(callTimer);
      clearTimeout(runTimer);
      python.worker.terminate();
      if (!batch) return;
      const { outcomes, current } = batch;
      batch = null;
      if (current === null && outcomes.length === 0 && doneCount === 0) toChecker({ type: "outcomes", outcomes: [], error: why });
      else toChecker({ type: "outcomes", outcomes: current ? [...outcomes, { id: current, ok: false, error: why }] : outcomes });
    };
    const armCall = (label: string) => {
      clearTimeout(callTimer);
      callTimer = setTimeout(
        () =>
          stop(
            `Stopped after ${seconds(callLimit)}: ${label} did not finish. Look for a loop that never ends (a while condition that stays true, a counter that never moves) or very slow code.`,
          ),
        callLimit,
      );
    };

    python.worker.onmessage = (event: MessageEvent<PythonToPage>) => {
      const msg = event.data;
      if (!pythonAlive || finished) return;
      switch (msg.type) {
        case "start":
          if (batch) batch.current = msg.id;
          armCall(`the test "${testName(spec, msg.id)}"`);
          options.onProgress?.(doneCount, total, testName(spec, msg.id));
          break;
        case "result":
          if (batch) {
            batch.outcomes.push(msg.ok ? { id: msg.id, ok: true, value: msg.value } : { id: msg.id, ok: false, error: msg.error });
            batch.current = null;
          }
          clearTimeout(callTimer);
          doneCount++;
          break;
        case "log":
          logs.push(msg.line);
          break;
        case "log-truncated":
          consoleTruncated = true;
          break;
        case "done": {
          clearTimeout(callTimer);
          const outcomes = batch?.outcomes ?? [];
          batch = null;
          toChecker(msg.error !== undefined ? { type: "outcomes", outcomes: [], error: msg.error } : { type: "outcomes", outcomes });
          break;
        }
      }
    };
    python.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      stop(`The Python runner crashed${event.message ? ` (${event.message})` : ""}. This happens when code uses too much memory.`);
    };
    python.worker.onmessageerror = () => stop("The Python runner sent a result the page could not read.");

    checker.onmessage = (event: MessageEvent<CheckToPage>) => {
      const msg = event.data;
      if (finished) return;
      if (msg.type === "calls") {
        if (!pythonAlive) {
          toChecker({ type: "outcomes", outcomes: msg.calls.map((c) => ({ id: c.id, ok: false as const, error: stopped ?? "Not run." })) });
          return;
        }
        batch = { outcomes: [], current: null };
        if (!started) {
          started = true;
          armCall("your code (while loading, before any test ran)");
          runTimer = setTimeout(
            () => stop(`Stopped after ${seconds(runLimit)}: the whole run has a ${seconds(runLimit)} limit, and your code took longer. Look for slow or endless loops.`),
            runLimit,
          );
          options.onProgress?.(0, total, null);
          const run: PageToPython = { type: "run", code, functionName: spec.functionName, calls: msg.calls as PythonCall[] };
          python.worker.postMessage(run);
        } else {
          const more: PageToPython = { type: "calls", calls: msg.calls };
          python.worker.postMessage(more);
        }
      } else if (msg.type === "result") {
        options.onProgress?.(msg.index + 1, total, null);
      } else if (msg.type === "report") {
        finish(msg.report);
      }
    };
    checker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish({ ok: false, error: "The grader could not be loaded. Reload the page and try again.", results: [], passed: 0, total });
    };
    toChecker({ type: "grade", spec });
  });
}

