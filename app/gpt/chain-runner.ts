/**
 * Runs the assembled chain in the exercise runner worker (browser only): the same worker file,
 * policy and message checks as every exercise run (ADR 005, 015), with this page's own time
 * limits. It returns the plain data that came back; comparing is the page's (chain.ts), where
 * learner code never ran.
 */
import { readMessage, WORKER_URL } from "~/exercises/run-in-worker";
import type { RunRequest } from "~/exercise-worker/protocol";

export interface ChainRun {
  value: unknown;
  /** Why there is no value, in words (a compile error, a thrown error, a time limit). */
  problem: string | null;
  ms: number;
}

const LOAD_LIMIT_MS = 15_000;

export function runChainCall(code: string, functionName: string, args: unknown[], limitMs: number): Promise<ChainRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_URL);
    } catch (e) {
      resolve({ value: null, problem: `The code runner could not start: ${(e as Error).message}`, ms: 0 });
      return;
    }
    let done = false;
    let limit: ReturnType<typeof setTimeout> | undefined;
    let compileError: string | null = null;
    const finish = (value: unknown, problem: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(limit);
      clearTimeout(load);
      worker.terminate();
      resolve({ value, problem, ms: performance.now() - started });
    };
    const load = setTimeout(() => finish(null, "The code runner took too long to start. Reload the page and try again."), LOAD_LIMIT_MS);
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const msg = readMessage(event.data, new Set(["chain"]));
      if (!msg || done) return;
      if (msg.type === "ready") {
        clearTimeout(load);
        limit = setTimeout(
          () => finish(null, `Stopped after ${limitMs / 1000} s: the chain did not finish. Look for a loop that never ends, or very slow code, in a stage you wrote.`),
          limitMs,
        );
      } else if (msg.type === "compile-error") compileError = msg.error;
      else if (msg.type === "call") finish(msg.ok ? msg.value : null, msg.ok ? null : msg.error);
      else if (msg.type === "done") finish(null, compileError ?? "The chain returned nothing.");
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish(null, `The code runner crashed${event.message ? ` (${event.message})` : ""}: this happens when code uses too much memory.`);
    };
    worker.onmessageerror = () => finish(null, "The code runner sent a result the page could not read.");
    const request: RunRequest = { code, functionName, calls: [{ id: "chain", args }] };
    worker.postMessage(request);
  });
}
