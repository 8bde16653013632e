/**
 * Where the Python run is graded: a classic worker served at
 * /python-check-worker.js whose policy allows `eval` (property checks are
 * JavaScript bodies from exercise.yaml) and nothing else. Learner code never
 * runs here: it only receives the outputs the Python worker computed, as
 * structured-cloned data relayed by the page, and sends back the report.
 */
import { gradePython } from "./grade";
import type { CheckToPage, PageToCheck } from "./check-protocol";
import type { CallOutcome } from "./protocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: CheckToPage) => scope.postMessage(m);

let pending: ((r: { error: string } | { outcomes: Map<string, CallOutcome> }) => void) | null = null;

scope.onmessage = (event: MessageEvent<PageToCheck>) => {
  const msg = event.data;
  if (msg.type === "grade") {
    void gradePython(
      msg.spec,
      (calls) =>
        new Promise((resolve) => {
          pending = resolve;
          post({ type: "calls", calls });
        }),
      () => performance.now(),
      { onResult: (result, index) => post({ type: "result", index, result }) },
    ).then((report) => post({ type: "report", report }));
  } else if (msg.type === "outcomes") {
    const resolve = pending;
    pending = null;
    resolve?.(msg.error !== undefined ? { error: msg.error } : { outcomes: new Map(msg.outcomes.map((o) => [o.id, o])) });
  }
};
