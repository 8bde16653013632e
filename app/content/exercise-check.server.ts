/**
 * Exercise specs with their expected outputs, computed in float64 by running the
 * reference solution through the same grading core the browser uses. Also the
 * CI check: every reference solution passes all its tests and properties, every
 * starter fails at least one.
 */
import path from "node:path";
import { compileFunction, grade, type GradingSpec, type TestCase } from "~/domain/grading/run";
import { compareValues } from "~/domain/grading/compare";
import type { Course, ExerciseContent, Problem } from "./load.server";

const specs = new WeakMap<ExerciseContent, GradingSpec>();

export function buildSpec(ex: ExerciseContent): GradingSpec {
  const cached = specs.get(ex);
  if (cached) return cached;
  const reference = compileFunction(ex.solution, ex.function);
  const tolerance = { ...ex.tolerance, exact: ex.exact };
  const withExpected = (t: { name: string; args: unknown[]; expected?: unknown }): TestCase => {
    const computed = reference(...structuredClone(t.args));
    if (t.expected !== undefined) {
      const cmp = compareValues(computed, t.expected, tolerance);
      if (!cmp.ok) throw new Error(`test "${t.name}": the reference solution disagrees with the written expected value: ${cmp.message}`);
    }
    if (computed === undefined) throw new Error(`test "${t.name}": the reference solution returned undefined`);
    return { name: t.name, args: t.args, expected: t.expected ?? computed };
  };
  const spec: GradingSpec = {
    functionName: ex.function,
    tolerance,
    tests: ex.tests.map(withExpected),
    hidden: ex.hidden.map(withExpected),
    properties: ex.properties,
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
      const ref = grade(ex.solution, spec);
      if (!ref.ok) problems.push({ file: rel(path.join(ex.dir, "solution.ts")), line: 1, message: ref.error ?? "does not compile" });
      for (const r of ref.results.filter((x) => !x.passed)) {
        problems.push({ file: rel(ex.file), line: 1, message: `reference solution fails ${r.kind} "${r.name}": ${r.message}` });
      }
      const starter = grade(ex.starter, spec);
      if (starter.ok && starter.passed === starter.total) {
        problems.push({ file: rel(path.join(ex.dir, "starter.ts")), line: 1, message: "the starter passes every test: it must fail at least one" });
      }
    }
  }
  return problems;
}
