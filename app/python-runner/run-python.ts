/**
 * Runs a Python exercise in the browser: the learner's code in the Python
 * worker (python-worker.js, Pyodide), through the same page code as the
 * JavaScript runner (run-in-worker.ts): the calls planned by the grading core,
 * the same time limits (2 s per call and for loading the module, 5 s per run,
 * enforced with terminate()), and the same judge worker comparing what came
 * back, so both languages have one grading path. Loading Pyodide is not
 * counted: a fresh worker is started ahead of each run (`prewarmPython`) and
 * used once.
 *
 * Loaded only on Python exercise pages (the route imports it on demand).
 */
import type { GradingSpec } from "~/domain/grading/run";
import { runInWorker, type RunOptions, type RunOutcome } from "~/exercises/run-in-worker";
import type { PageToPython, PythonToPage } from "./protocol";

export const PYTHON_WORKER_URL = "/python-worker.js";
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
      if (event.data.type !== "loaded" && event.data.type !== "init-failed") return;
      clearTimeout(timer);
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      resolve(event.data.type === "loaded" ? null : `Python could not start: ${event.data.error}`);
    };
    const onError = (e: ErrorEvent) => {
      e.preventDefault();
      clearTimeout(timer);
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      resolve("The Python runner could not be loaded. Reload the page and try again.");
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
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

export interface PythonRunOptions extends RunOptions {
  indexURL: string;
}

/** Same outcome shape as the JavaScript runner's (it is the JavaScript runner's page code), so the page shows either the same way. */
export async function runPythonExercise(code: string, spec: GradingSpec, options: PythonRunOptions): Promise<RunOutcome> {
  const workerUrl = options.workerUrl ?? PYTHON_WORKER_URL;
  const created = performance.now();
  const python = takeSpare(options.indexURL, workerUrl);
  const loadError = await python.ready;
  if (loadError) {
    python.worker.terminate();
    void prewarmPython(options.indexURL, workerUrl);
    const total = spec.tests.length + spec.hidden.length + spec.properties.length;
    return { report: { ok: false, error: loadError, results: [], passed: 0, total }, console: [], consoleTruncated: false, stopped: null, runMs: 0, totalMs: performance.now() - created };
  }
  const outcome = await runInWorker(code, spec, {
    ...options,
    worker: python.worker,
    testLimitMs: options.testLimitMs ?? PYTHON_CALL_TIME_LIMIT_MS,
    runLimitMs: options.runLimitMs ?? PYTHON_RUN_TIME_LIMIT_MS,
  });
  // The next run starts from a fresh interpreter, loaded while the learner reads the results.
  void prewarmPython(options.indexURL, workerUrl);
  return { ...outcome, totalMs: performance.now() - created };
}
