/**
 * The CI check for code exercises: on the real course, every reference solution
 * passes all its tests and properties through the runner and judge the browser uses,
 * and every starter fails at least one.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem, loadCourse } from "~/content/load.server";
import { buildSpec, checkExercises } from "~/content/exercise-check.server";
import { gradeInNode as grade } from "~/exercise-worker/node-runner.server";

const { course, problems } = loadCourse(path.resolve("content"));
const exercises = course.topics.flatMap((t) => t.exercises);

describe("course exercises", () => {
  it("load without problems", () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it("number at least 14, with unique ids", () => {
    expect(exercises.length).toBeGreaterThanOrEqual(14);
    expect(new Set(exercises.map((e) => e.id)).size).toBe(exercises.length);
  });

  it("pass checkExercises: references pass everything, starters fail something", async () => {
    expect((await checkExercises(course)).map(formatProblem)).toEqual([]);
  });

  describe.each(exercises.map((e) => [e.id, e] as const))("%s", (_id, ex) => {
    it("the reference solution passes every test and property", () => {
      const report = grade(ex.solution, buildSpec(ex));
      expect(report.error).toBeUndefined();
      expect(report.results.filter((r) => !r.passed).map((r) => `${r.kind} "${r.name}": ${r.message}`)).toEqual([]);
      expect(report.passed).toBe(report.total);
      expect(report.total).toBe(ex.tests.length + ex.hidden.length + ex.properties.length);
    });

    it("the starter compiles and fails at least one test", () => {
      const report = grade(ex.starter, buildSpec(ex));
      expect(report.ok).toBe(true);
      expect(report.passed).toBeLessThan(report.total);
    });
  });
});
