/**
 * The runner for CI and for building specs: the same execute.ts the browser
 * worker uses, with the learner's code compiled in a fresh node:vm context per
 * run (its own Math, Array, JSON...), and the judge in this realm. So
 * content:check runs every reference and starter through the path learners
 * take: plan the calls, run them, judge the plain data that came back.
 */
import vm from "node:vm";
import type { Evaluate } from "~/domain/grading/compile";
import { judge, planCalls, type GradeReport, type GradingSpec, type RunResult } from "~/domain/grading/run";
import { createRunner } from "./execute";
import type { CallOutcome, RunCall, WorkerMessage } from "./protocol";

/** Compiles like `new Function(body)` (same line layout), inside `context`. */
function evaluateIn(context: vm.Context): Evaluate {
  return (body) => vm.runInContext(`(function anonymous(\n) {\n${body}\n})`, context, { filename: "learner-code.js" }) as () => unknown;
}

export interface NodeRun {
  compileError: string | null;
  outcomes: Record<string, CallOutcome>;
}

/**
 * Arguments are rebuilt inside the context, so the learner's code gets arrays
 * of its own realm (an array from here would hand it this realm's
 * Array.prototype). NaN, ±Infinity and undefined survive the trip; -0 becomes 0.
 */
const ENCODE = (_key: string, v: unknown) =>
  typeof v === "number" && !Number.isFinite(v) ? { $number: String(v) } : v === undefined ? { $undefined: true } : v;
const DECODER = `(text) => JSON.parse(text, (key, v) => {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "$number") return Number(v.$number);
    if (keys.length === 1 && keys[0] === "$undefined") return undefined;
  }
  return v;
})`;

/** Run the calls on `code` in a fresh context. No time limit: CI runs only the course's own code. */
export function runCallsInNode(code: string, functionName: string, calls: RunCall[]): NodeRun {
  // TextEncoder/TextDecoder: Web APIs every browser worker has and the tokenization exercises use
  // (UTF-8 bytes); the only things handed in from this realm, and CI runs only the course's own code.
  const context = vm.createContext({ TextEncoder, TextDecoder });
  // A console of the context's own (nothing from this realm is handed in); output is dropped.
  vm.runInContext("globalThis.console = { log() {}, info() {}, warn() {}, error() {}, debug() {}, table() {}, dir() {}, trace() {} };", context);
  const decode = vm.runInContext(DECODER, context) as (text: string) => unknown[];
  const inContext = calls.map((c) => ({ ...c, args: decode(JSON.stringify(c.args, ENCODE)) }));
  const result: NodeRun = { compileError: null, outcomes: {} };
  const post = (m: WorkerMessage) => {
    if (m.type === "compile-error") result.compileError = m.error;
    else if (m.type === "call") {
      const { type: _type, ...outcome } = m;
      // What a worker's postMessage does: the judge gets a copy in its own realm.
      result.outcomes[m.id] = structuredClone(outcome) as CallOutcome;
    }
  };
  createRunner(post, evaluateIn(context)).run({ code, functionName, calls: inContext });
  return result;
}

/** Plan, run in a fresh context, judge here. */
export function gradeInNode(code: string, spec: GradingSpec): GradeReport {
  const run = runCallsInNode(code, spec.functionName, planCalls(spec));
  const input: RunResult = { compileError: run.compileError, outcomes: run.outcomes, stopped: null };
  return judge(spec, input);
}
