/**
 * Exercise specs with their expected outputs, computed in float64 by running the
 * reference solution through the runner path the browser uses (a fresh context,
 * plain data back). Also the CI check: every reference solution passes all its
 * tests and properties, every starter fails at least one.
 */
import path from "node:path";
import { close, compareValues } from "~/domain/grading/compare";
import { compileFunction } from "~/domain/grading/compile";
import { planCalls, type ExtraCall, type GradingSpec, type PropertyCheck, type TestCase } from "~/domain/grading/run";
import { gradeInNode, runCallsInNode } from "~/exercise-worker/node-runner.server";
import type { Course, ExerciseContent, Problem } from "./load.server";

const specs = new WeakMap<ExerciseContent, GradingSpec>();

type RawProperty = ExerciseContent["properties"][number];

/**
 * The older form: a check that calls `solution(...)` itself. Its calls are found
 * by running the check once against the reference solution (course code, in
 * this realm), and become declared calls the judge replays.
 */
function recordedCalls(ex: ExerciseContent, p: RawProperty): Pick<PropertyCheck, "calls" | "callsAs" | "replay"> {
  const reference = compileFunction(ex.solution, ex.function);
  const recorded: unknown[][] = [];
  const solution = (...a: unknown[]) => {
    recorded.push(structuredClone(a));
    return reference(...structuredClone(a));
  };
  const check = new Function("args", "result", "outputs", "close", "solution", p.check) as (...a: unknown[]) => unknown;
  check(structuredClone(p.args), reference(...structuredClone(p.args)), undefined, close, solution);
  return { calls: recorded.map((args, i) => ({ key: String(i), args })), callsAs: "array", replay: true };
}

/** A property's further calls as data: listed, named, or computed from its args by a (trusted, course-written) body. */
function declaredCalls(ex: ExerciseContent, p: RawProperty): Pick<PropertyCheck, "calls" | "callsAs" | "replay"> {
  if (p.calls === undefined) return /\bsolution\s*\(/.test(p.check) ? recordedCalls(ex, p) : {};
  let calls: unknown = p.calls;
  if (typeof calls === "string") {
    calls = (new Function("args", calls) as (args: unknown) => unknown)(structuredClone(p.args));
  }
  const isArgList = (v: unknown): v is unknown[] => Array.isArray(v);
  if (Array.isArray(calls)) {
    if (!calls.every(isArgList)) throw new Error(`property "${p.name}": calls must give argument lists (arrays)`);
    return { calls: calls.map((args, i): ExtraCall => ({ key: String(i), args: structuredClone(args) })), callsAs: "array" };
  }
  if (calls !== null && typeof calls === "object") {
    const entries = Object.entries(calls);
    if (!entries.every(([, v]) => isArgList(v))) throw new Error(`property "${p.name}": calls must give argument lists (arrays)`);
    return { calls: entries.map(([key, args]): ExtraCall => ({ key, args: structuredClone(args as unknown[]) })), callsAs: "object" };
  }
  throw new Error(`property "${p.name}": calls must be a list or a map of argument lists`);
}

export function buildSpec(ex: ExerciseContent): GradingSpec {
  const cached = specs.get(ex);
  if (cached) return cached;
  const tolerance = { ...ex.tolerance, exact: ex.exact, ...(ex.overflowHint ? { overflowHint: ex.overflowHint } : {}) };
  const draft: GradingSpec = {
    functionName: ex.function,
    tolerance,
    readonlyArgs: ex.readonlyArgs,
    tests: ex.tests.map((t) => ({ name: t.name, args: t.args, expected: null })),
    hidden: ex.hidden.map((t) => ({ name: t.name, args: t.args, expected: null })),
    properties: ex.properties.map((p) => ({ name: p.name, args: p.args, check: p.check, ...declaredCalls(ex, p) })),
  };
  // The expected values: what the reference returns, run the way learners' code is.
  const calls = planCalls({ ...draft, properties: [], readonlyArgs: false });
  const ref = runCallsInNode(ex.solution, ex.function, calls);
  if (ref.compileError) throw new Error(ref.compileError);
  const withExpected = (t: { name: string; args: unknown[]; expected?: unknown }, id: string): TestCase => {
    const out = ref.outcomes[id];
    if (!out || !out.ok) throw new Error(`test "${t.name}": the reference solution failed: ${out && !out.ok ? out.error : "no answer"}`);
    const computed = out.value;
    if (t.expected !== undefined) {
      const cmp = compareValues(computed, t.expected, tolerance);
      if (!cmp.ok) throw new Error(`test "${t.name}": the reference solution disagrees with the written expected value: ${cmp.message}`);
    }
    if (computed === undefined) throw new Error(`test "${t.name}": the reference solution returned undefined`);
    return { name: t.name, args: t.args, expected: t.expected ?? computed };
  };
  const spec: GradingSpec = {
    ...draft,
    tests: ex.tests.map((t, i) => withExpected(t, `t${i}`)),
    hidden: ex.hidden.map((t, i) => withExpected(t, `h${i}`)),
  };
  specs.set(ex, spec);
  return spec;
}

export async function checkExercises(course: Course): Promise<Problem[]> {
  const problems: Problem[] = [];
  const rel = (abs: string) => path.relative(path.dirname(course.root), abs).split(path.sep).join("/");
  for (const topic of course.topics) {
    for (const ex of topic.exercises) {
      if (!ex.solution || !ex.starter) continue;
      let spec: GradingSpec;
      try {
        spec = buildSpec(ex);
      } catch (e) {
        problems.push({ file: rel(path.join(ex.dir, "solution.ts")), line: 1, message: (e as Error).message });
        continue;
      }
      const ref = gradeInNode(ex.solution, spec);
      if (!ref.ok) problems.push({ file: rel(path.join(ex.dir, "solution.ts")), line: 1, message: ref.error ?? "does not compile" });
      for (const r of ref.results.filter((x) => !x.passed)) {
        problems.push({ file: rel(ex.file), line: 1, message: `reference solution fails ${r.kind} "${r.name}": ${r.message}` });
      }
      const starter = gradeInNode(ex.starter, spec);
      if (starter.ok && starter.passed === starter.total) {
        problems.push({ file: rel(path.join(ex.dir, "starter.ts")), line: 1, message: "the starter passes every test: it must fail at least one" });
      }
    }
  }
  return problems;
}
