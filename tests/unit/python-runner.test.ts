/**
 * The Python track outside the browser: Pyodide in Node runs the same harness
 * as the worker. Every Python reference passes and every Python starter fails
 * (content:check's rule), the harness turns Python values into plain data
 * within its caps, and grading is the JavaScript judge's (run.ts planCalls and
 * judge, made on this side, never in Python): declared property calls,
 * replayed `solution(...)` checks and unchanged arguments included.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem, loadCourse } from "~/content/load.server";
import { buildSpec } from "~/content/exercise-check.server";
import type { GradingSpec } from "~/domain/grading/run";
import { checkPythonExercises } from "~/python-runner/check.server";
import { gradePythonInNode, runPythonCallsInNode } from "~/python-runner/node-runner.server";
import { VALUE_MAX_CHARS, VALUE_MAX_ITEMS } from "~/python-runner/protocol";

const { course } = loadCourse(path.resolve("content"));
const bilingual = course.topics.flatMap((t) => t.exercises).filter((e) => e.python);

async function callOnce(code: string, args: unknown[], fn = "f") {
  const res = await runPythonCallsInNode(code, fn, [{ id: "x", args }]);
  if (res.compileError !== null) return { loadError: res.compileError };
  return res.outcomes.x!;
}

describe("Python exercises in the course", { timeout: 120_000 }, () => {
  it("include the minbpe path, and every reference passes while every starter fails", async () => {
    expect(bilingual.map((e) => e.id)).toEqual(
      expect.arrayContaining(["tok-ex-bpe-train", "tok-ex-bpe-encode", "tok-ex-bpe-decode", "tok-ex-regex-split", "tok-ex-special-tokens"]),
    );
    expect((await checkPythonExercises(course)).map(formatProblem)).toEqual([]);
  });

  it("a wrong Python reference is reported, with the test it fails", async () => {
    const ex = bilingual.find((e) => e.id === "tok-ex-bpe-decode")!;
    const broken = { ...ex, python: { ...ex.python!, solution: "def bpe_decode(ids, merges):\n    return ''\n" } };
    const fake = { ...course, topics: [{ ...course.topics[0]!, exercises: [broken] }] };
    const problems = (await checkPythonExercises(fake)).map(formatProblem);
    expect(problems.some((p) => p.includes("solution.py") && p.includes('the Python reference fails test "the example from the lesson"'))).toBe(true);
  });
});

describe("the Python harness", { timeout: 120_000 }, () => {
  it("returns plain data: tuples as lists, NaN and infinities kept, bytes as lists, int keys as strings", async () => {
    const out = await callOnce("def f(x):\n    return [(1, 2), float('nan'), float('-inf'), b'ab', {1: None, 'k': True}, 2**60]\n", [0]);
    expect(out).toMatchObject({ ok: true });
    const v = (out as { value: unknown[] }).value;
    expect(v[0]).toEqual([1, 2]);
    expect(Number.isNaN(v[1])).toBe(true);
    expect(v[2]).toBe(-Infinity);
    expect(v[3]).toEqual([97, 98]);
    expect(v[4]).toEqual({ "1": null, k: true });
    expect(v[5]).toBe(2 ** 60);
  });

  it("refuses huge or odd values with a message, quickly", async () => {
    const big = await callOnce("def f():\n    return 'x' * 20_000_000\n", []);
    expect(big).toEqual({ id: "x", ok: false, error: `your function returned more than ${VALUE_MAX_CHARS} characters of text` });
    const many = await callOnce("def f():\n    return list(range(10**6))\n", []);
    expect(many).toEqual({ id: "x", ok: false, error: `your function returned more than ${VALUE_MAX_ITEMS} items` });
    expect(await callOnce("def f():\n    return {1, 2}\n", [])).toEqual({ id: "x", ok: false, error: "your function returned a set; return a list instead" });
    expect(await callOnce("def f():\n    return object()\n", [])).toMatchObject({ ok: false, error: expect.stringContaining("not plain data") });
    const error = await callOnce("def f():\n    raise ValueError('x' * 10**6)\n", []);
    expect((error as { error: string }).error.length).toBeLessThanOrEqual(2_001 + 40);
  });

  it("names the learner's line, and explains load errors", async () => {
    expect(await callOnce("def f(a):\n    x = 1\n    return a / 0\n", [1])).toEqual({ id: "x", ok: false, error: "ZeroDivisionError: division by zero (line 3)" });
    expect(await callOnce("def f(:\n", [])).toEqual({ loadError: expect.stringMatching(/^SyntaxError: .* \(line 1\)$/) });
    expect(await callOnce("def g():\n    pass\n", [])).toEqual({ loadError: "Define a function named f." });
    expect(await callOnce("raise KeyError('boom')\ndef f():\n    pass\n", [])).toEqual({ loadError: "Your code raised an error while loading: KeyError: 'boom' (line 1)" });
    expect(await callOnce("import sys\ndef f():\n    sys.exit(3)\n", [])).toMatchObject({ ok: false, error: expect.stringContaining("SystemExit") });
  });
});

describe("grading Python outputs with the JavaScript judge", { timeout: 120_000 }, () => {
  const spec: GradingSpec = {
    functionName: "double",
    tolerance: { atol: 1e-6, rtol: 1e-5 },
    tests: [{ name: "two", args: [2], expected: 4 }],
    hidden: [{ name: "nan", args: [Number.NaN], expected: Number.NaN }],
    properties: [
      { name: "declared: doubling twice is times four", args: [3], calls: [{ key: "again", args: [6] }], check: "return outputs.again === 4 * args[0] || 'no';" },
      { name: "replayed: doubling twice is times four", args: [5], calls: [{ key: "0", args: [10] }], callsAs: "array", replay: true, check: "return solution(2 * args[0]) === 4 * args[0] || 'no again';" },
    ],
  };

  it("runs the planned calls, the property's own included, and judges them", async () => {
    const report = await gradePythonInNode("def double(x):\n    return 2 * x\n", spec);
    expect(report.results.map((r) => [r.name, r.passed, r.message])).toEqual([
      ["two", true, undefined],
      ["nan", true, undefined], // NaN goes into Python and comes back as NaN
      ["declared: doubling twice is times four", true, undefined],
      ["replayed: doubling twice is times four", true, undefined],
    ]);
  });

  it("a wrong solution fails the properties with their messages", async () => {
    const report = await gradePythonInNode("def double(x):\n    return x + 2\n", spec);
    expect(report.results[0]!.passed).toBe(true); // 2 + 2 = 4: the fixed test alone is fooled…
    expect(report.results.slice(2).map((r) => [r.passed, r.message])).toEqual([
      [false, "no"],
      [false, "no again"],
    ]); // …the properties are not
  });

  it("with readonlyArgs, a function that changes its list argument fails, one that copies it passes", async () => {
    const ro: GradingSpec = { functionName: "first", tolerance: { atol: 0, rtol: 0 }, readonlyArgs: true, tests: [{ name: "one", args: [[3, 1, 2]], expected: 3 }], hidden: [], properties: [] };
    const mutating = await gradePythonInNode("def first(xs):\n    x = xs[0]\n    xs.sort()\n    return x\n", ro);
    expect(mutating.results[0]).toMatchObject({ passed: false, message: expect.stringContaining("Your function changed its arguments") });
    const fine = await gradePythonInNode("def first(xs):\n    return sorted(xs, reverse=True)[0]\n", ro);
    expect(fine.results[0]).toMatchObject({ passed: true });
  });

  it("a module that does not load is the report's error, as for JavaScript", async () => {
    const report = await gradePythonInNode("def double(x:\n", spec);
    expect(report).toMatchObject({ ok: false, error: expect.stringMatching(/^SyntaxError: .* \(line 1\)$/), total: 4 });
  });
});

it("exercise specs for Python use the Python function name and the JavaScript reference's answers", () => {
  const ex = bilingual.find((e) => e.id === "tok-ex-bpe-train")!;
  expect(buildSpec(ex).tests[0]!.expected).toEqual([[97, 97], [256, 97], [257, 98]]);
});
