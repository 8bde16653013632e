/**
 * The Python half of content:check: every Python reference passes all the
 * exercise's tests and properties (the expected values come from the
 * JavaScript reference, so both variants are held to the same answers), and
 * every Python starter fails at least one. Pyodide is loaded once; the
 * outcomes are judged by the same core as JavaScript's (run.ts judge).
 */
import path from "node:path";
import { buildSpec } from "~/content/exercise-check.server";
import type { Course, Problem } from "~/content/load.server";
import { gradePythonInNode } from "./node-runner.server";

export async function checkPythonExercises(course: Course): Promise<Problem[]> {
  const problems: Problem[] = [];
  const rel = (abs: string) => path.relative(path.dirname(course.root), abs).split(path.sep).join("/");
  for (const topic of course.topics) {
    for (const ex of topic.exercises) {
      if (!ex.python || !ex.solution) continue;
      let spec;
      try {
        spec = { ...buildSpec(ex), functionName: ex.python.function };
      } catch {
        continue; // reported by the JavaScript check
      }
      const ref = await gradePythonInNode(ex.python.solution, spec);
      if (!ref.ok) problems.push({ file: rel(path.join(ex.dir, "solution.py")), line: 1, message: ref.error ?? "does not run" });
      for (const r of ref.results.filter((x) => !x.passed)) {
        problems.push({ file: rel(path.join(ex.dir, "solution.py")), line: 1, message: `the Python reference fails ${r.kind} "${r.name}": ${r.message}` });
      }
      const starter = await gradePythonInNode(ex.python.starter, spec);
      if (starter.ok && starter.passed === starter.total) {
        problems.push({ file: rel(path.join(ex.dir, "starter.py")), line: 1, message: "the Python starter passes every test: it must fail at least one" });
      }
    }
  }
  return problems;
}
