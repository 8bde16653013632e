/**
 * The JavaScript runner, a classic Web Worker served at /exercise-worker.js
 * with its own strict policy (`default-src 'none'; script-src 'unsafe-eval'`,
 * set by server.mjs): learner code may be compiled with `new Function`, and can
 * request nothing, not even a same-origin script. The page creates a fresh
 * worker for every run, posts one RunRequest (protocol.ts), and terminates the
 * worker when it is done or out of time.
 *
 * It only computes: it sends back what the learner's function returned, as
 * capped plain data, and the page's judge decides. Everything this script
 * relies on is taken before the learner's code runs (the bound postMessage,
 * the copier's built-ins), and postMessage is then removed from the worker's
 * global scope and prototype, so the learner's code cannot post anything.
 *
 * On top of the policy, network, import and worker APIs are replaced by getters
 * that throw a clear message (the policy would only fail them silently, later),
 * and console output is captured, within limits, and sent to the page.
 *
 * Built into public/exercise-worker.js by scripts/build-worker.mjs.
 */
import { formatValue } from "~/domain/grading/compare";
import { createRunner } from "./execute";
import { CONSOLE_MAX_CHARS, CONSOLE_MAX_LINES, type RunRequest, type WorkerMessage } from "./protocol";
import { createSendable } from "./sendable";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const postToPage = scope.postMessage.bind(scope) as (message: WorkerMessage) => void;
const sendable = createSendable();
const runner = createRunner(postToPage, undefined, sendable);

// --- Console capture -------------------------------------------------------
let lines = 0;
let chars = 0;
let truncated = false;

function capture(level: string) {
  return (...args: unknown[]) => {
    if (truncated) return;
    let text: string;
    try {
      text = args.map((a) => (typeof a === "string" ? sendable.cap(a, CONSOLE_MAX_CHARS) : formatValue(sendable.copy(a)))).join(" ");
    } catch {
      text = "(a value that cannot be shown)";
    }
    let line = level === "log" ? text : `[${level}] ${text}`;
    const room = CONSOLE_MAX_CHARS - chars;
    if (lines >= CONSOLE_MAX_LINES || room <= 0) {
      truncated = true;
      postToPage({ type: "log-truncated" });
      return;
    }
    if (line.length > room) line = `${line.slice(0, room)}…`;
    lines++;
    chars += line.length;
    postToPage({ type: "log", line });
  };
}

for (const level of ["log", "info", "warn", "error", "debug", "trace", "table", "dir"] as const) {
  (console as unknown as Record<string, unknown>)[level] = capture(level === "table" || level === "dir" || level === "trace" ? "log" : level);
}

// --- Sandbox messages ------------------------------------------------------
const NO_NETWORK = "exercise code runs in a sandbox with no network access";
const BLOCKED: Record<string, string> = {
  fetch: NO_NETWORK,
  XMLHttpRequest: NO_NETWORK,
  WebSocket: NO_NETWORK,
  WebTransport: NO_NETWORK,
  EventSource: NO_NETWORK,
  importScripts: "exercise code cannot import other scripts; write everything in this one file",
  Worker: "exercise code cannot start workers",
  SharedWorker: "exercise code cannot start workers",
  BroadcastChannel: "exercise code cannot send messages",
  postMessage: "exercise code cannot send messages; return your result instead",
  close: "the page stops the test runner when the tests finish",
  indexedDB: "exercise code has no storage",
  caches: "exercise code has no storage",
};

// The learner's code cannot post: the page's bound copy above is the only way out.
try {
  const proto = Object.getPrototypeOf(scope) as object;
  delete (proto as Record<string, unknown>).postMessage;
  delete (Object.getPrototypeOf(proto) as Record<string, unknown>).postMessage;
} catch {
  // Not deletable in this engine: the getter below still hides it.
}

for (const [name, why] of Object.entries(BLOCKED)) {
  try {
    Object.defineProperty(scope, name, {
      configurable: false,
      enumerable: false,
      get() {
        throw new Error(`${name} is not available here: ${why}.`);
      },
    });
  } catch {
    // Not defined in this engine, or not configurable: the policy still blocks it.
  }
}

scope.addEventListener("securitypolicyviolation", (event) => {
  const e = event as SecurityPolicyViolationEvent;
  capture("sandbox")(`blocked ${e.blockedURI || e.effectiveDirective}: exercise code cannot reach the network`);
});

// --- One run ----------------------------------------------------------------
let used = false;
scope.onmessage = (event: MessageEvent<RunRequest>) => {
  if (used) return;
  used = true;
  runner.run(event.data);
};

postToPage({ type: "ready" });
