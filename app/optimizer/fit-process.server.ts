/**
 * Runs one fit in a child process (ADR 029): build/fit-child.cjs, built from
 * fit-child.ts by scripts/build-fit-child.mjs (`npm run build`), found from
 * the app's folder as content/ and prisma/ are (the working directory; the
 * Docker image's WORKDIR). The child reads the learner's log itself, so the
 * server's event loop only starts it and reads one small message back.
 *
 * A native abort (fsrs-rs panicking inside the binding), a crash or a fit that
 * outlives its time kills only the child; the caller gets an error saying so.
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { ChildInput, ChildOutput, ChildProgress } from "./fit-child";

export const CHILD_FILE = "build/fit-child.cjs";

export function childPath(root = process.cwd()): string {
  return path.join(root, CHILD_FILE);
}

export class FitProcessError extends Error {
  constructor(
    message: string,
    readonly reviews: number | null,
  ) {
    super(message);
  }
}

/** What a panic left on the child's stderr, in one short line (fsrs-rs: "thread ... panicked at FILE:\nMESSAGE"). */
export function panicMessage(stderr: string): string | null {
  const m = /panicked at [^\n]*:\n([^\n]+)/.exec(stderr);
  return m ? m[1]!.trim().slice(0, 200) : null;
}

/** Fits in a child process: resolves with its outcome (which may say "skipped"), rejects with a FitProcessError when the child dies or times out. */
export function fitInProcess(input: ChildInput, timeoutMs = 120_000): Promise<ChildOutput> {
  const file = childPath();
  if (!fs.existsSync(file)) return Promise.reject(new FitProcessError(`${CHILD_FILE} is missing: run npm run build`, null));
  return new Promise((resolve, reject) => {
    // No inherited flags (a test runner's loader, an inspector): a plain node running the built file.
    const child = fork(file, [], { execArgv: ["--max-old-space-size=1024"], env: { ...process.env, ATTENTION_FIT_CHILD: "1" }, stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    let reviews: number | null = null;
    let result: ChildOutput | null = null;
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => {
      if (stderr.length < 20_000) stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    timer.unref();
    child.on("message", (m: ChildProgress | ChildOutput) => {
      if ("stage" in m) reviews = m.reviews;
      else result = m;
    });
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new FitProcessError(`the optimizer could not start: ${e.message}`, reviews));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (result) return resolve(result);
      const why = timedOut ? `it took longer than ${Math.round(timeoutMs / 1000)} s` : signal ? `signal ${signal}` : `exit code ${code}`;
      const panic = panicMessage(stderr);
      reject(new FitProcessError(`the optimizer stopped unexpectedly (${why})${panic ? `: ${panic}` : ""}`, reviews));
    });
    child.send(input);
  });
}
