/**
 * The fit itself, in a worker thread: fsrs-rs's training runs on its own
 * threads, but its evaluation is synchronous and takes hundreds of
 * milliseconds on a long history, which must not stall the server's requests.
 *
 * The worker's code is `workerMain` below, sent as source (an eval worker), so
 * the built server needs no extra file; it loads the binding by the absolute
 * path this module resolves. Histories travel as flat typed arrays (transferred,
 * not copied).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Evaluation } from "./policy";
import type { TrainingReview } from "./items";

export interface FitRequest {
  histories: readonly TrainingReview[][];
  /** The weights in use now (the defaults when the learner has none). */
  current: readonly number[];
  numRelearningSteps: number;
}

export interface FitResult {
  weights: number[];
  items: number;
  current: Evaluation;
  fitted: Evaluation;
  fitMs: number;
}

interface WorkerInput {
  bindingPath: string;
  ratings: Uint8Array;
  deltas: Int32Array;
  lengths: Int32Array;
  current: number[];
  numRelearningSteps: number;
}

/* Runs inside the worker: self-contained, plain JavaScript once compiled. */
function workerMain() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { workerData, parentPort } = require("node:worker_threads") as typeof import("node:worker_threads");
  const input = workerData as WorkerInput;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const binding = require(input.bindingPath) as typeof import("@open-spaced-repetition/binding");
  (async () => {
    const items: InstanceType<typeof binding.FSRSBindingItem>[] = [];
    let at = 0;
    for (let h = 0; h < input.lengths.length; h++) {
      const n = input.lengths[h]!;
      const reviews = [];
      for (let i = 0; i < n; i++) reviews.push(new binding.FSRSBindingReview(input.ratings[at + i]!, input.deltas[at + i]!));
      at += n;
      // One item per review after the first, with the reviews before it: the review objects are shared.
      for (let end = 2; end <= n; end++) items.push(new binding.FSRSBindingItem(reviews.slice(0, end)));
    }
    const started = performance.now();
    const weights = await binding.computeParameters(items, { enableShortTerm: true, numRelearningSteps: input.numRelearningSteps });
    const fitMs = performance.now() - started;
    const current = items.length ? new binding.FSRSBinding(input.current).evaluate(items) : { logLoss: NaN, rmseBins: NaN };
    const fitted = items.length ? new binding.FSRSBinding(weights).evaluate(items) : { logLoss: NaN, rmseBins: NaN };
    parentPort!.postMessage({ ok: true, weights, items: items.length, fitMs, current: { logLoss: current.logLoss, rmseBins: current.rmseBins }, fitted: { logLoss: fitted.logLoss, rmseBins: fitted.rmseBins } });
  })().catch((e: unknown) => parentPort!.postMessage({ ok: false, error: String((e as Error)?.message ?? e) }));
}

const bindingPath = createRequire(import.meta.url).resolve("@open-spaced-repetition/binding");

/** Fits weights to the histories and evaluates them and the current ones on the same items. */
export function runFit({ histories, current, numRelearningSteps }: FitRequest, timeoutMs = 120_000): Promise<FitResult> {
  let total = 0;
  for (const h of histories) total += h.length;
  const ratings = new Uint8Array(total);
  const deltas = new Int32Array(total);
  const lengths = new Int32Array(histories.length);
  let at = 0;
  histories.forEach((h, i) => {
    lengths[i] = h.length;
    for (const r of h) {
      ratings[at] = r.rating;
      deltas[at++] = r.deltaT;
    }
  });
  const workerData: WorkerInput = { bindingPath, ratings, deltas, lengths, current: [...current], numRelearningSteps };
  return new Promise((resolve, reject) => {
    const worker = new Worker(`(${workerMain.toString()})()`, { eval: true, workerData, transferList: [ratings.buffer, deltas.buffer, lengths.buffer] });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the fit took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once("message", (m: { ok: true } & FitResult | { ok: false; error: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (m.ok) resolve({ weights: m.weights, items: m.items, fitMs: m.fitMs, current: m.current, fitted: m.fitted });
      else reject(new Error(m.error));
    });
    worker.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
