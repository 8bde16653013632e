/**
 * npm run content:check — validates content/ (or the folder given as the first
 * argument) and prints every problem as file:line: message. Exits 1 on any.
 * Exercise reference solutions and starters are run by the grading core too.
 */
import path from "node:path";
import { formatProblem, loadCourse } from "../app/content/load.server";
import { checkExercises } from "../app/content/exercise-check.server";
import { checkPythonExercises } from "../app/python-runner/check.server";

const root = path.resolve(process.argv[2] ?? "content");
const { course, problems } = loadCourse(root);
problems.push(...(await checkExercises(course)));
problems.push(...(await checkPythonExercises(course)));
if (problems.length > 0) {
  for (const p of problems) console.error(formatProblem(p));
  console.error(`\ncontent:check found ${problems.length} problem${problems.length === 1 ? "" : "s"}.`);
  process.exit(1);
}
const count = (f: (t: (typeof course.topics)[number]) => number) => course.topics.reduce((n, t) => n + f(t), 0);
console.log(
  `content:check ok: ${course.topics.length} lessons, ${count((t) => t.resources.length)} resources, ${count((t) => t.cards.length)} cards, ` +
    `${count((t) => t.questions.length)} quiz questions, ${count((t) => t.exercises.length)} exercises.`,
);
