/**
 * Grading for the Python runner, made where learner code never runs: the
 * runner (a worker in the browser, Pyodide in-process for the content check)
 * only computes outputs; this module compares them with the expected ones and
 * runs the property checks (JavaScript from exercise.yaml) here, in the page.
 *
 * A property check may call `solution` on inputs of its own. It is replayed:
 * run with the outputs collected so far; when it asks for an input not yet
 * computed, that call is sent to the runner and the check runs again. Checks
 * are deterministic, so this ends; a cap on rounds keeps a bad check finite.
 */
import { close, compareValues, formatValue } from "~/domain/grading/compare";
import type { GradeReport, GradingSpec, TestResult } from "~/domain/grading/run";
import type { CallOutcome, PythonCall } from "./protocol";

/** Runs one batch of calls; resolves with one outcome per call, or with `{ error }` when the module did not load. */
export type PythonCaller = (calls: PythonCall[]) => Promise<{ error: string } | { outcomes: Map<string, CallOutcome> }>;

const MAX_PROPERTY_ROUNDS = 25;

class NeedsCall extends Error {
  constructor(public readonly args: unknown[]) {
    super("needs another call");
  }
}

/** A key for an argument list that tells NaN, -0 and infinities apart (JSON does not). */
export function argsKey(args: unknown[]): string {
  return JSON.stringify(args, (_k, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) return `__num:${String(v)}`;
    if (typeof v === "number" && Object.is(v, -0)) return "__num:-0";
    return v;
  });
}

export function callsFor(spec: GradingSpec): PythonCall[] {
  return [
    ...spec.tests.map((t, i) => ({ id: `test-${i}`, args: structuredClone(t.args) })),
    ...spec.hidden.map((t, i) => ({ id: `hidden-${i}`, args: structuredClone(t.args) })),
    ...spec.properties.map((p, i) => ({ id: `property-${i}`, args: structuredClone(p.args) })),
  ];
}

export interface GradeHooks {
  onResult?: (result: TestResult, index: number) => void;
}

export async function gradePython(spec: GradingSpec, call: PythonCaller, now: () => number = () => performance.now(), hooks: GradeHooks = {}): Promise<GradeReport> {
  const total = spec.tests.length + spec.hidden.length + spec.properties.length;
  const first = callsFor(spec);
  const started = now();
  const batch = await call(first);
  if ("error" in batch) return { ok: false, error: batch.error, results: [], passed: 0, total };
  const per = (now() - started) / Math.max(1, first.length);
  const outcomes = batch.outcomes;
  const results: TestResult[] = [];
  const push = (r: TestResult) => {
    results.push(r);
    hooks.onResult?.(r, results.length - 1);
  };

  const fixed = (kind: "test" | "hidden") => (t: GradingSpec["tests"][number], i: number) => {
    const outcome = outcomes.get(`${kind}-${i}`);
    const shown = kind === "test";
    const args = shown ? t.args.map((a) => formatValue(a)).join(", ") : undefined;
    const expected = shown ? formatValue(t.expected) : undefined;
    if (!outcome) {
      push({ name: t.name, kind, passed: false, message: "Not run: the run was stopped before this test.", args, expected, ms: 0 });
      return;
    }
    if (!outcome.ok) {
      push({ name: t.name, kind, passed: false, message: outcome.error, args, expected, ms: per });
      return;
    }
    const cmp = compareValues(outcome.value, t.expected, spec.tolerance);
    push({
      name: t.name,
      kind,
      passed: cmp.ok,
      message: cmp.ok ? undefined : cmp.message,
      args,
      expected,
      actual: shown || !cmp.ok ? formatValue(outcome.value) : undefined,
      ms: per,
    });
  };
  spec.tests.forEach(fixed("test"));
  spec.hidden.forEach(fixed("hidden"));

  // Outputs of extra calls made for the property checks, by argument list.
  const extra = new Map<string, CallOutcome>();
  let extraId = 0;
  for (const [i, p] of spec.properties.entries()) {
    const t0 = now();
    const outcome = outcomes.get(`property-${i}`);
    if (!outcome) {
      push({ name: p.name, kind: "property", passed: false, message: "Not run: the run was stopped before this test.", ms: 0 });
      continue;
    }
    if (!outcome.ok) {
      push({ name: p.name, kind: "property", passed: false, message: outcome.error, ms: per });
      continue;
    }
    extra.set(argsKey(p.args), outcome);
    const solution = (...a: unknown[]) => {
      const known = extra.get(argsKey(a));
      if (!known) throw new NeedsCall(structuredClone(a));
      if (!known.ok) throw new Error(known.error);
      return structuredClone(known.value);
    };
    let verdict: unknown;
    let failure: string | null = null;
    for (let round = 0; ; round++) {
      try {
        const check = new Function("solution", "args", "result", "close", p.check) as (...a: unknown[]) => unknown;
        verdict = check(solution, structuredClone(p.args), structuredClone(outcome.value), close);
        break;
      } catch (e) {
        if (!(e instanceof NeedsCall)) {
          failure = e instanceof Error ? e.message : String(e);
          break;
        }
        if (round >= MAX_PROPERTY_ROUNDS) {
          failure = `property check "${p.name}" needed too many calls`;
          break;
        }
        const id = `extra-${extraId++}`;
        const more = await call([{ id, args: e.args }]);
        if ("error" in more) {
          failure = more.error;
          break;
        }
        const got = more.outcomes.get(id);
        if (!got) {
          failure = "Not run.";
          break;
        }
        extra.set(argsKey(e.args), got);
      }
    }
    const passed = failure === null && verdict === true;
    push({
      name: p.name,
      kind: "property",
      passed,
      message: passed ? undefined : (failure ?? (typeof verdict === "string" ? verdict : `property failed: ${p.name}`)),
      ms: per + (now() - t0),
    });
  }
  return { ok: true, results, passed: results.filter((r) => r.passed).length, total };
}
