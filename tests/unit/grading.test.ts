import { describe, expect, it } from "vitest";
import { close, compareNumbers, compareValues, formatNumber, formatValue, shapeOf, type Tolerance } from "~/domain/grading/compare";
import { compileFunction, transpile } from "~/domain/grading/compile";
import { planCalls, type GradingSpec, type TestResult } from "~/domain/grading/run";
import { gradeInNode as grade } from "~/exercise-worker/node-runner.server";

const TOL: Tolerance = { atol: 1e-6, rtol: 1e-5 };

function failure(actual: unknown, expected: unknown, tol: Tolerance = TOL) {
  const r = compareValues(actual, expected, tol);
  if (r.ok) throw new Error("expected the comparison to fail");
  return r;
}

describe("numbers in messages", () => {
  it("print enough digits to show the difference (issue 16: 0.0005997 ± 1.6e-12, got 0.0005997)", () => {
    const m = failure(0.0005997 + 1e-11, 0.0005997, { atol: 0, rtol: 1e-9 }).message;
    const [, e, a] = /to be (\S+) ± \S+, got (\S+)/.exec(m)!;
    expect(e).not.toBe(a);
    expect(Number(e)).toBe(0.0005997);
    expect(Math.abs(Number(a) - (0.0005997 + 1e-11))).toBeLessThan(1e-15);
    expect(failure(0.123456789, 0.1234567, { atol: 0, rtol: 1e-9 }).message).toBe("expected out to be 0.1234567 ± 1.2e-10, got 0.1234568");
  });
});

describe("compareNumbers: tolerance", () => {
  const expected = 0.25;
  const allowed = TOL.atol + TOL.rtol * Math.abs(expected); // 3.5e-6

  it("accepts a value just inside atol + rtol·|expected|, on both sides", () => {
    expect(compareNumbers(expected + allowed * 0.99, expected, TOL, "out").ok).toBe(true);
    expect(compareNumbers(expected - allowed * 0.99, expected, TOL, "out").ok).toBe(true);
  });

  it("rejects a value just outside, naming the place, the bound and the value", () => {
    const r = compareNumbers(expected + allowed * 1.01, expected, TOL, "out[1][1]");
    expect(r).toMatchObject({ ok: false, path: "out[1][1]" });
    expect(!r.ok && r.message).toMatch(/^expected out\[1\]\[1\] to be 0\.25 ± 3\.5e-6, got 0\.250004/);
    expect(compareNumbers(expected - allowed * 1.01, expected, TOL, "out").ok).toBe(false);
  });

  it("scales with |expected| (relative tolerance) and uses atol near zero", () => {
    expect(compareNumbers(1e6 + 9, 1e6, TOL, "x").ok).toBe(true); // allowed ≈ 10
    expect(compareNumbers(1e6 + 11, 1e6, TOL, "x").ok).toBe(false);
    expect(compareNumbers(-1e6 - 9, -1e6, TOL, "x").ok).toBe(true);
    expect(compareNumbers(9e-7, 0, TOL, "x").ok).toBe(true);
    expect(compareNumbers(1.1e-6, 0, TOL, "x").ok).toBe(false);
  });

  it("never accepts NaN, and explains it", () => {
    const r = failure([0.5, NaN], [0.5, 0.25]);
    expect(r.message).toBe("expected out[1] to be 0.25 ± 3.5e-6, got NaN (NaN comes from 0/0, Infinity/Infinity, Infinity − Infinity or a NaN input)");
    expect(compareNumbers(NaN, 0, { atol: Infinity, rtol: 0 }, "x").ok).toBe(false);
  });

  it("NaN expected matches NaN only", () => {
    expect(compareNumbers(NaN, NaN, TOL, "x").ok).toBe(true);
    expect(compareNumbers(0, NaN, TOL, "x").ok).toBe(false);
  });

  it("compares Infinity and -Infinity exactly", () => {
    expect(compareValues([0, -Infinity], [0, -Infinity]).ok).toBe(true);
    expect(compareValues(Infinity, Infinity).ok).toBe(true);
    expect(failure(Infinity, -Infinity).message).toBe("expected out to be -Infinity, got Infinity");
    expect(failure(-1e308, -Infinity).message).toBe("expected out to be -Infinity, got -1e+308 (this position should be masked)");
    expect(failure([[0, 0]], [[0, -Infinity]]).message).toBe("expected out[0][1] to be -Infinity, got 0 (this position should be masked)");
    // The exp hint only where the exercise has an exp to fix (issue 16: causal mask and layer norm have none).
    expect(failure(Infinity, 1).message).toBe("expected out to be 1 ± 1.1e-5, got Infinity");
    expect(failure(Infinity, 1, { ...TOL, overflowHint: "subtract the max before exp" }).message).toMatch(/got Infinity \(an overflow: subtract the max before exp\)$/);
  });

  it("exact mode compares integers exactly", () => {
    const exact = { ...TOL, exact: true };
    expect(compareValues([256, 97, 98], [256, 97, 98], exact).ok).toBe(true);
    expect(failure([256, 97, 98.0000001], [256, 97, 98], exact).message).toBe("expected out[2] to be 98, got 98.0000001");
    expect(failure(3, 2, exact).message).toBe("expected out to be 2, got 3");
    // The same difference passes with a tolerance.
    expect(compareValues(98.0000001, 98, TOL).ok).toBe(true);
  });
});

describe("compareValues: shapes and types", () => {
  it("reports a wrong length with both shapes for nested arrays", () => {
    expect(failure([[1, 2, 3]], [[1, 2, 3], [4, 5, 6]]).message).toBe("expected out to have length 2, got length 1 (expected shape [2, 3], got [1, 3])");
    expect(failure([1, 2], [1, 2, 3]).message).toBe("expected out to have length 3, got length 2");
    expect(failure([[1, 2], [3]], [[1, 2], [3, 4]]).message).toBe("expected out[1] to have length 2, got length 1");
  });

  it("names what came back instead of an array", () => {
    expect(failure(5, [1]).message).toBe("expected out to be an array of length 1, got the number 5");
    expect(failure(undefined, [1]).message).toMatch(/got undefined \(did the function return a value\?\)/);
    expect(failure(new Float64Array(2), [1, 2]).message).toMatch(/got a Float64Array \(return a plain array: Array\.from\(\.\.\.\)\)/);
    expect(failure(Promise.resolve([1]), [1]).message).toMatch(/got a Promise \(the function must not be async\)/);
    expect(failure("0.5", 0.5).message).toBe('expected out to be a number, got the string "0.5"');
    expect(failure([[1], 2], [[1], [2]]).message).toBe("expected out[1] to be an array of length 1, got the number 2");
  });

  it("compares objects key by key, reporting missing and unexpected keys", () => {
    expect(compareValues({ a: 1, b: [0.5] }, { b: [0.5], a: 1 }).ok).toBe(true);
    expect(failure({ a: 1 }, { a: 1, b: 2 }).message).toBe('out: missing key "b"');
    expect(failure({ a: 1, b: 2, c: 3 }, { a: 1, b: 2 }).message).toBe('out: unexpected key "c"');
    expect(failure({ "1,2": 3 }, { "1,2": 4 }).message).toMatch(/^expected out\["1,2"\] to be 4 ± /);
    expect(failure([1, 2], { a: 1 }).message).toBe("expected out to be an object, got an array of length 2");
    expect(failure(null, { a: 1 }).message).toBe("expected out to be an object, got null");
  });

  it("compares other values exactly", () => {
    expect(compareValues("ab", "ab").ok).toBe(true);
    expect(compareValues(true, true).ok).toBe(true);
    expect(failure(false, true).message).toBe("expected out to be true, got false");
    expect(failure(null, "x").message).toBe('expected out to be "x", got null');
  });

  it("close() applies the default tolerance, or a given one", () => {
    expect(close([1, 2], [1 + 1e-7, 2])).toBe(true);
    expect(close(1, 1.1)).toBe(false);
    expect(close(1, 1.1, 0.2)).toBe(true);
  });

  it("formats numbers and values compactly", () => {
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(3.5e-6)).toBe("3.5e-6");
    expect(formatNumber(-Infinity)).toBe("-Infinity");
    expect(formatValue([1, [2, NaN], "a"])).toBe('[1, [2, NaN], "a"]');
    expect(formatValue(Array.from({ length: 10 }, (_, i) => i))).toBe("[0, 1, 2, 3, 4, 5, 6, 7, … (10 items)]");
    expect(shapeOf([[1, 2, 3], [4, 5, 6]])).toEqual([2, 3]);
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(formatValue(circular)).toBe('{"a": 1, "self": {"a": 1, "self": {"a": 1, "self": {…}}}}');
  });
});

const spec: GradingSpec = {
  functionName: "double",
  tolerance: TOL,
  tests: [
    { name: "one", args: [1], expected: 2 },
    { name: "half", args: [0.25], expected: 0.5 },
  ],
  hidden: [{ name: "negative", args: [-3], expected: -6 }],
  properties: [{ name: "linear", args: [5], calls: [{ key: "0", args: [15] }], callsAs: "array", check: "return close(outputs[0], result * 3) || 'double(3x) should be 3·double(x)';" }],
};

describe("grade()", () => {
  it("passes a correct solution on every test and property", () => {
    const report = grade("function double(x) { return 2 * x; }", spec);
    expect(report).toMatchObject({ ok: true, passed: 4, total: 4 });
    expect(report.results.map((r) => [r.kind, r.passed])).toEqual([
      ["test", true],
      ["test", true],
      ["hidden", true],
      ["property", true],
    ]);
  });

  it("strips TypeScript annotations (and keeps working with types, interfaces and generics)", () => {
    const code = [
      "type Vec = number[];",
      "interface Opts { k: number }",
      "function id<T>(x: T): T { return x; }",
      "export function double(x: number): number {",
      "  const o: Opts = { k: 2 };",
      "  return id<number>(o.k * x) as number;",
      "}",
    ].join("\n");
    expect(grade(code, spec)).toMatchObject({ ok: true, passed: 4, total: 4 });
  });

  it("reports a syntax error with its line", () => {
    const code = ["function double(x) {", "  const y = ;", "  return y;", "}"].join("\n");
    const report = grade(code, spec);
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/^Syntax error on line 2: /);
    expect(report).toMatchObject({ passed: 0, total: 4, results: [] });
    expect(() => transpile("let x: number = (")).toThrow(/line 1/);
  });

  it("reports an error thrown by the learner's code with the learner's line", () => {
    const code = [
      "// a comment",
      "function helper(v) {",
      "  return v.missing.field;", // line 3
      "}",
      "function double(x: number): number {",
      "  if (x < 0) throw new RangeError('no negatives');", // line 6
      "  return x === 1 ? helper({}) : 2 * x;",
      "}",
    ].join("\n");
    const report = grade(code, spec);
    expect(report.ok).toBe(true);
    const byName = Object.fromEntries(report.results.map((r: TestResult) => [r.name, r]));
    expect(byName.one!.passed).toBe(false);
    expect(byName.one!.message).toMatch(/^TypeError: .*\(line 3\)$/);
    expect(byName.negative!.message).toBe("RangeError: no negatives (line 6)");
    expect(byName.half!.passed).toBe(true);
    expect(report.passed).toBe(2);
  });

  it("reports runaway recursion with a hint and its line", () => {
    const report = grade("function double(x) {\n  return double(x) + 0;\n}", spec);
    expect(report.results[0]!.message).toMatch(/^Maximum call stack size exceeded \(line 2\): check that your recursion has a base case$/);
  });

  it("explains a missing function, a throw while loading, and imports", () => {
    expect(grade("function twice(x) { return 2 * x }", spec).error).toBe("Define a function named double.");
    expect(grade("const a = 1;\nnull.x;\nfunction double(x) { return 2 * x }", spec).error).toMatch(/^Your code threw while loading: TypeError: .*\(line 2\)$/);
    expect(grade("import fs from 'node:fs';\nfunction double(x) { return 2 * x }", spec).error).toMatch(/^Line 1: imports are not available/);
    expect(grade("function double(x) {\n  return import('x');\n}", spec).error).toMatch(/^Line 2: imports are not available/);
  });

  it("shows args, expected and actual for visible tests only", () => {
    const report = grade("function double(x) { return x; }", spec);
    const [visible, , hidden, property] = report.results;
    expect(visible).toMatchObject({ args: "1", expected: "2", actual: "1", passed: false });
    expect(visible!.message).toMatch(/^expected out to be 2 ± /);
    expect(hidden!.args).toBe("-3"); // failing hidden tests say what they tried (hidden, not secret)
    expect(hidden!.actual).toBe("-3"); // and what came back
    expect(property).toMatchObject({ passed: true });
    const broken = grade("function double(x) { return x * x; }", spec).results[3];
    expect(broken).toMatchObject({ kind: "property", passed: false, message: "double(3x) should be 3·double(x)" });
  });

  it("gives each test its own copy of the arguments", () => {
    const mutating: GradingSpec = { ...spec, functionName: "f", tests: [{ name: "a", args: [[1, 2]], expected: 2 }, { name: "b", args: [[1, 2]], expected: 2 }], hidden: [], properties: [] };
    const report = grade("function f(xs) { xs.push(9); return xs.length - 1; }", mutating);
    expect(report.passed).toBe(2);
  });

  it("plans one call per test, and the calls each property declares", () => {
    expect(planCalls(spec)).toEqual([
      { id: "t0", args: [1] },
      { id: "t1", args: [0.25] },
      { id: "h0", args: [-3] },
      { id: "p0", args: [5] },
      { id: "p0/0", args: [15] },
    ]);
    expect(planCalls({ ...spec, readonlyArgs: true })[0]).toEqual({ id: "t0", args: [1], returnArgs: true });
  });

  it("compileFunction returns the learner's function", () => {
    expect(compileFunction("const k = 3;\nfunction triple(x: number) { return k * x }", "triple")(2)).toBe(6);
  });
});
