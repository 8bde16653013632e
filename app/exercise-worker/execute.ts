/**
 * One run, for any JavaScript runner: compile the learner's code, make each
 * call, post what came out as capped plain data. Used by the browser worker
 * (worker.ts) and by CI (node-runner.server.ts, in a fresh node:vm context).
 * It holds no expected value and gives no verdict.
 */
import { CompileError, compileFunction, describeError, type Evaluate } from "~/domain/grading/compile";
import { ERROR_MAX_CHARS, type RunRequest, type WorkerMessage } from "./protocol";
import { createSendable, type Sendable } from "./sendable";

export interface Runner {
  /** Runs one request, posting every message; `now` times each call. */
  run(request: RunRequest): void;
}

/**
 * Create the runner before any learner code runs: it takes the built-ins it
 * relies on (Reflect.apply, performance.now) and the sendable copier then.
 */
export function createRunner(post: (message: WorkerMessage) => void, evaluate?: Evaluate, sendable: Sendable = createSendable()): Runner {
  const apply = Reflect.apply;
  const { copy, cap } = sendable;
  const describe = (e: unknown) => {
    try {
      return cap(describeError(e), ERROR_MAX_CHARS);
    } catch {
      return "Your code threw something that cannot be shown.";
    }
  };
  return {
    run(request) {
      let fn: (...args: unknown[]) => unknown;
      try {
        fn = compileFunction(String(request.code), String(request.functionName), evaluate);
      } catch (e) {
        post({ type: "compile-error", error: cap(e instanceof CompileError ? e.message : describe(e), ERROR_MAX_CHARS) });
        post({ type: "done" });
        return;
      }
      const calls = request.calls;
      for (let i = 0; i < calls.length; i++) {
        const { id, args, returnArgs } = calls[i]!;
        post({ type: "start", id });
        try {
          const value = copy(apply(fn, undefined, args));
          post(returnArgs ? { type: "call", id, ok: true, value, argsAfter: copy(args) as unknown[] } : { type: "call", id, ok: true, value });
        } catch (e) {
          post({ type: "call", id, ok: false, error: describe(e) });
        }
      }
      post({ type: "done" });
    },
  };
}
