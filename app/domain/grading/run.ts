/**
 * The judge: what to call, and what the outcomes mean. Pure, and run only
 * where learner code never ran (the page's judge worker in the browser, the
 * main realm in CI): planCalls() lists every call of the learner's function a
 * run needs; a runner (see app/exercise-worker/protocol.ts) makes them and
 * sends back plain data; judge() compares that data with the expected values
 * and runs the property checks. Learner code cannot reach any of this, so it
 * cannot change a verdict. See docs/decisions/015-grading-outside-the-learners-realm.md.
 */
import type { CallOutcome, RunCall } from "~/exercise-worker/protocol";
import { isUnsendable } from "~/exercise-worker/protocol";
import { close, compareValues, formatValue, type Tolerance } from "./compare";

export interface TestCase {
  name: string;
  args: unknown[];
  expected: unknown;
}

/** A further call a property check needs: `outputs[key]` is what `fn(...args)` returned. */
export interface ExtraCall {
  key: string;
  args: unknown[];
}

export interface PropertyCheck {
  name: string;
  args: unknown[];
  /** Declared in the content (as data, or computed from `args` when the spec is built). */
  calls?: ExtraCall[];
  /** `outputs` is an array (calls were listed) or an object (calls were named). */
  callsAs?: "array" | "object";
  /**
   * The check calls `solution(...)` itself (the older form): its calls were
   * recorded against the reference when the spec was built, and `solution`
   * answers them from the learner's outputs. Calls it did not record fail the check.
   */
  replay?: boolean;
  /** A function body with `args`, `result`, `outputs` and `close` in scope: true passes, a string explains a failure. */
  check: string;
}

export interface GradingSpec {
  functionName: string;
  tolerance: Tolerance;
  /** The task says the function must leave its arguments unchanged: every call checks it. */
  readonlyArgs?: boolean;
  tests: TestCase[];
  hidden: TestCase[];
  properties: PropertyCheck[];
}

export interface TestResult {
  name: string;
  kind: "test" | "hidden" | "property";
  passed: boolean;
  message?: string;
  /** The arguments: always for visible tests, on failure for hidden ones and properties (hidden, not secret). */
  args?: string;
  expected?: string;
  actual?: string;
  ms: number;
}

export interface GradeReport {
  ok: boolean; // compiled and ran (tests may still fail)
  error?: string; // compile error or missing function, with the learner's line
  results: TestResult[];
  passed: number;
  total: number;
}

/** What came back from a runner, as the page collected it. */
export interface RunResult {
  compileError: string | null;
  outcomes: Record<string, CallOutcome>;
  /** The page stopped the run (time limit, crash) while `id` ran, or before it started (id null). */
  stopped: { id: string | null; why: string } | null;
  /** Milliseconds per call id, measured by whoever ran it. */
  ms?: Record<string, number>;
}

/** Shown messages are capped too: a check or an error cannot flood the page. */
const MESSAGE_MAX_CHARS = 2_500;

function capMessage(text: string): string {
  return text.length <= MESSAGE_MAX_CHARS ? text : `${text.slice(0, MESSAGE_MAX_CHARS)}… (cut)`;
}

export const testId = (i: number) => `t${i}`;
export const hiddenId = (i: number) => `h${i}`;
export const propertyId = (i: number) => `p${i}`;
export const extraCallId = (i: number, key: string) => `p${i}/${key}`;

export function totalTests(spec: GradingSpec): number {
  return spec.tests.length + spec.hidden.length + spec.properties.length;
}

/** The name and kind of each test, in run order: visible, hidden, properties. */
export function testList(spec: GradingSpec): { name: string; kind: TestResult["kind"]; ids: string[] }[] {
  return [
    ...spec.tests.map((t, i) => ({ name: t.name, kind: "test" as const, ids: [testId(i)] })),
    ...spec.hidden.map((t, i) => ({ name: t.name, kind: "hidden" as const, ids: [hiddenId(i)] })),
    ...spec.properties.map((p, i) => ({ name: p.name, kind: "property" as const, ids: [propertyId(i), ...(p.calls ?? []).map((c) => extraCallId(i, c.key))] })),
  ];
}

/** Every call a run makes, in order. */
export function planCalls(spec: GradingSpec): RunCall[] {
  const returnArgs = spec.readonlyArgs === true ? { returnArgs: true } : {};
  return [
    ...spec.tests.map((t, i) => ({ id: testId(i), args: t.args, ...returnArgs })),
    ...spec.hidden.map((t, i) => ({ id: hiddenId(i), args: t.args, ...returnArgs })),
    ...spec.properties.flatMap((p, i) => [
      { id: propertyId(i), args: p.args, ...returnArgs },
      ...(p.calls ?? []).map((c) => ({ id: extraCallId(i, c.key), args: c.args, ...returnArgs })),
    ]),
  ];
}

const NOT_RUN = "Not run: the run was stopped before this test.";

function showArgs(args: unknown[]): string {
  return args.map((a) => formatValue(a)).join(", ");
}

/** Why a call gave no usable value, or null when it did. */
function callProblem(spec: GradingSpec, run: RunResult, id: string, args: unknown[], what: string): string | null {
  const o = run.outcomes[id];
  if (!o) return run.stopped && run.stopped.id === id ? run.stopped.why : run.stopped ? NOT_RUN : `${what}: the runner gave no answer for this call.`;
  if (!o.ok) return typeof o.error === "string" ? capMessage(o.error) : "Your code threw an error.";
  if (spec.readonlyArgs) {
    if (!Array.isArray(o.argsAfter)) return `${what}: the runner did not send back the arguments to check they are unchanged.`;
    const same = compareValues(o.argsAfter, args, { atol: 0, rtol: 0, exact: true }, "args");
    if (!same.ok) {
      return `Your function changed its arguments (after the call, ${same.message}). The task asks to leave its input unchanged: build a new array instead.`;
    }
  }
  return null;
}

type Check = (args: unknown, result: unknown, outputs: unknown, closeFn: typeof close, solution: (...a: unknown[]) => unknown) => unknown;

function checkFunction(source: string): Check {
  return new Function("args", "result", "outputs", "close", "solution", source) as Check;
}

/** For a replayed check: `solution(...)` answers from recorded calls, matched on their arguments. */
function replaySolution(p: PropertyCheck, values: unknown[], result: unknown): (...a: unknown[]) => unknown {
  const known = [{ args: p.args, value: result }, ...(p.calls ?? []).map((c, i) => ({ args: c.args, value: values[i] }))];
  return (...a: unknown[]) => {
    const hit = known.find((k) => compareValues(a, k.args, { atol: 0, rtol: 0, exact: true }).ok);
    if (!hit) throw new Error(`this check called the function with arguments it did not declare (${showArgs(a)})`);
    return structuredClone(hit.value);
  };
}

/** What a check gets for `solution` when it declared its calls: a clear error. */
function noSolution(): never {
  throw new Error("solution(...) is not available in this check: declare the call under calls: and read outputs");
}

/** Compare what came back with what was expected; run the property checks. */
export function judge(spec: GradingSpec, run: RunResult): GradeReport {
  const total = totalTests(spec);
  if (run.compileError !== null) return { ok: false, error: capMessage(run.compileError), results: [], passed: 0, total };
  if (run.stopped && run.stopped.id === null && Object.keys(run.outcomes).length === 0) {
    return { ok: false, error: run.stopped.why, results: [], passed: 0, total };
  }
  const ms = (id: string) => run.ms?.[id] ?? 0;
  const results: TestResult[] = [];

  const one = (t: TestCase, id: string, kind: "test" | "hidden") => {
    const shown = kind === "test";
    const base = { name: t.name, kind, args: showArgs(t.args), expected: shown ? formatValue(t.expected) : undefined, ms: ms(id) };
    const problem = callProblem(spec, run, id, t.args, "This test");
    if (problem !== null) {
      results.push({ ...base, passed: false, message: problem });
      return;
    }
    const actual = (run.outcomes[id] as { value: unknown }).value;
    const cmp = compareValues(actual, t.expected, spec.tolerance);
    results.push({
      ...base,
      args: shown || !cmp.ok ? base.args : undefined,
      passed: cmp.ok,
      message: cmp.ok ? undefined : capMessage(cmp.message),
      actual: shown || !cmp.ok ? formatValue(actual) : undefined,
    });
  };
  spec.tests.forEach((t, i) => one(t, testId(i), "test"));
  spec.hidden.forEach((t, i) => one(t, hiddenId(i), "hidden"));

  spec.properties.forEach((p, i) => {
    const main = propertyId(i);
    const extra = p.calls ?? [];
    const time = ms(main) + extra.reduce((n, c) => n + ms(extraCallId(i, c.key)), 0);
    const fail = (message: string) => results.push({ name: p.name, kind: "property", passed: false, message: capMessage(message), args: showArgs(p.args), ms: time });
    const problem = callProblem(spec, run, main, p.args, "This check");
    if (problem !== null) return fail(problem);
    for (const c of extra) {
      const extraProblem = callProblem(spec, run, extraCallId(i, c.key), c.args, "This check");
      if (extraProblem !== null) return fail(`Calling it with (${showArgs(c.args)}) for this check: ${extraProblem}`);
    }
    const result = (run.outcomes[main] as { value: unknown }).value;
    if (isUnsendable(result)) return fail(`Your function returned ${result.$unsendable}.`);
    const values = extra.map((c) => (run.outcomes[extraCallId(i, c.key)] as { value: unknown }).value);
    const outputs = p.callsAs === "array" ? values : Object.fromEntries(extra.map((c, k) => [c.key, values[k]]));
    let verdict: unknown;
    try {
      verdict = checkFunction(p.check)(structuredClone(p.args), result, outputs, close, p.replay ? replaySolution(p, values, result) : noSolution);
    } catch (e) {
      return fail(`This check could not read your result (${e instanceof Error ? e.message : String(e)}); got ${formatValue(result)}.`);
    }
    if (verdict === true) {
      results.push({ name: p.name, kind: "property", passed: true, ms: time });
      return;
    }
    fail(typeof verdict === "string" ? verdict : `property failed: ${p.name}`);
  });
  return { ok: true, results, passed: results.filter((r) => r.passed).length, total };
}
