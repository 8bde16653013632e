/**
 * The Python runner: a module worker served at /python-worker.js with its own
 * policy (server.mjs): scripts and connections only from the app's Pyodide
 * folder, WebAssembly compilation allowed, no eval, nothing else.
 *
 * It loads Pyodide first, while no learner code exists. Then, before it says
 * "ready", it removes every way out of the worker from the JavaScript global
 * scope that Python's `js` module exposes: fetch, XMLHttpRequest, WebSocket,
 * workers, importScripts, storage and postMessage itself (the worker keeps its
 * own reference). Learner Python that imports `js` finds nothing that reaches
 * the network or the page, and the policy blocks what might remain.
 *
 * The run itself speaks the JavaScript runner's protocol (harness.ts
 * pythonRunner): per-call plain data out, judged in the page's judge worker.
 *
 * Built into public/python-worker.js by scripts/build-python-worker.mjs.
 */
import type { PyodideInterface } from "pyodide";
import type { RunRequest } from "~/exercise-worker/protocol";
import { HARNESS_PY, pythonRunner } from "./harness";
import { CONSOLE_MAX_CHARS, CONSOLE_MAX_LINES, type PageToPython, type PythonToPage } from "./protocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = scope.postMessage.bind(scope) as (message: PythonToPage) => void;
const listen = scope.addEventListener.bind(scope);

let lines = 0;
let chars = 0;
let truncated = false;
function capture(prefix: string) {
  return (text: string) => {
    if (truncated) return;
    let line = prefix + text;
    const room = CONSOLE_MAX_CHARS - chars;
    if (lines >= CONSOLE_MAX_LINES || room <= 0) {
      truncated = true;
      post({ type: "log-truncated" });
      return;
    }
    if (line.length > room) line = `${line.slice(0, room)}…`;
    lines++;
    chars += line.length;
    post({ type: "log", line });
  };
}

/** Everything that could send a request or a message, on the global object and its prototypes. */
const WAYS_OUT = [
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "WebSocketStream",
  "WebTransport",
  "EventSource",
  "importScripts",
  "Worker",
  "SharedWorker",
  "BroadcastChannel",
  "MessageChannel",
  "postMessage",
  "indexedDB",
  "caches",
  "cookieStore",
  "fonts",
  "navigator",
  "Request",
  "close",
  "onmessage",
];

function closeTheWaysOut() {
  for (let obj: object | null = scope; obj && obj !== Object.prototype; obj = Object.getPrototypeOf(obj)) {
    for (const name of WAYS_OUT) {
      if (!Object.prototype.hasOwnProperty.call(obj, name)) continue;
      try {
        delete (obj as Record<string, unknown>)[name];
      } catch {
        // not configurable: the policy still blocks its use
      }
    }
  }
  for (const name of WAYS_OUT) {
    try {
      Object.defineProperty(scope, name, {
        configurable: false,
        enumerable: false,
        get() {
          throw new Error(`${name} is not available here: exercise code runs in a sandbox with no network and no messages.`);
        },
      });
    } catch {
      // already gone for good
    }
  }
}

let run: ReturnType<typeof pythonRunner> | null = null;
let state: "new" | "loading" | "ready" | "running" = "new";

async function init(indexURL: string) {
  try {
    // The URL comes from the page, before any learner code exists; the policy allows only the app's Pyodide folder.
    const mod = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as typeof import("pyodide");
    const py: PyodideInterface = await mod.loadPyodide({ indexURL, stdout: capture(""), stderr: capture("[stderr] ") });
    py.runPython(HARNESS_PY);
    run = pythonRunner(py);
    // Pyodide's own ways into the JavaScript world, from Python: none remains for learner code
    // (the harness needs none; conversions are done from this side).
    py.unregisterJsModule("js");
    py.unregisterJsModule("pyodide_js");
    py.runPython("import sys\nfor _m in ('js', 'pyodide_js', 'pyodide.http', 'pyodide.code'):\n    sys.modules[_m] = None\ndel _m");
    closeTheWaysOut();
    state = "ready";
    post({ type: "loaded" });
  } catch (e) {
    post({ type: "init-failed", error: e instanceof Error ? e.message : String(e) });
  }
}

listen("message", (event: MessageEvent<PageToPython>) => {
  const msg = event.data;
  if (msg.type === "init") {
    if (state !== "new") return;
    state = "loading";
    void init(msg.indexURL);
    return;
  }
  // The run (once per worker): "ready" starts the page's clocks, as in the JavaScript runner.
  if (state !== "ready" || !Array.isArray((msg as RunRequest).calls)) return;
  state = "running";
  post({ type: "ready" });
  run!(msg, post);
});
