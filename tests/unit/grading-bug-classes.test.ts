/**
 * Issue 16's bug classes, on the real course through the path learners take
 * (runner in a fresh context, judge in this realm): each plausible wrong
 * solution below fails the test written for its bug, with a message that
 * says what is wrong; code that overrides built-ins cannot make a pass.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCourse, type ExerciseContent } from "~/content/load.server";
import { buildSpec } from "~/content/exercise-check.server";
import { gradeInNode } from "~/exercise-worker/node-runner.server";
import { createSendable } from "~/exercise-worker/sendable";
import { judge, planCalls, totalTests } from "~/domain/grading/run";

const { course } = loadCourse(path.resolve("content"));
const exercises = course.topics.flatMap((t) => t.exercises);
const byId = (id: string): ExerciseContent => {
  const ex = exercises.find((e) => e.id === id);
  if (!ex) throw new Error(`no exercise ${id}`);
  return ex;
};

function grade(id: string, code: string) {
  const report = gradeInNode(code, buildSpec(byId(id)));
  const failed = Object.fromEntries(report.results.filter((r) => !r.passed).map((r) => [r.name, r.message ?? ""]));
  return { report, failed };
}

describe("each bug class is caught by a test written for it", () => {
  it("merge-pair: changing the input array in place fails, saying so", () => {
    const inPlace = `function mergePair(ids, pair, newId) {
      for (let i = 0; i < ids.length - 1; i++) {
        if (ids[i] === pair[0] && ids[i + 1] === pair[1]) ids.splice(i, 2, newId);
      }
      return ids;
    }`;
    const { report, failed } = grade("tok-ex-merge-pair", inPlace);
    expect(report.passed).toBeLessThan(report.total);
    expect(failed["two occurrences"]).toMatch(/^Your function changed its arguments \(after the call, expected args\[0\] to have length 5, got length 3\)\. The task asks to leave its input unchanged/);
  });

  it("layer-norm: normalising x in place fails; E[x²] − mean² fails at values around 1e8", () => {
    const inPlace = `function layerNorm(x, g, b, eps) {
      const d = x.length; let m = 0; for (const v of x) m += v; m /= d;
      let s = 0; for (const v of x) s += (v - m) ** 2; s /= d;
      for (let j = 0; j < d; j++) x[j] = g[j] * (x[j] - m) / Math.sqrt(s + eps) + b[j];
      return x;
    }`;
    expect(grade("tr-ex-layer-norm", inPlace).failed["a large eps shrinks the output"]).toMatch(/changed its arguments/);
    const cancellation = `function layerNorm(x, g, b, eps) {
      const d = x.length; let m = 0, sq = 0; for (const v of x) { m += v; sq += v * v; } m /= d;
      const s = sq / d - m * m;
      return x.map((v, j) => g[j] * (v - m) / Math.sqrt(s + eps) + b[j]);
    }`;
    const { failed } = grade("tr-ex-layer-norm", cancellation);
    expect(Object.keys(failed)).toEqual(["values around 1e8 with a spread of a few units (variance from x - mean, not E[x²] - mean²)"]);
  });

  it("cross-entropy: -log(softmax) gives Infinity for logits [1000, 0] with target 1, and is refused with the log-sum-exp hint", () => {
    const logOfSoftmax = `function crossEntropy(logits, targets) {
      let total = 0;
      logits.forEach((row, r) => {
        const m = Math.max(...row);
        const e = row.map((z) => Math.exp(z - m));
        const sum = e.reduce((a, b) => a + b, 0);
        total += -Math.log(e[targets[r]] / sum);
      });
      return total / logits.length;
    }`;
    const { failed } = grade("train-ex-cross-entropy", logOfSoftmax);
    expect(Object.keys(failed)).toEqual(["a target with probability e^-1000 costs 1000, not Infinity"]);
    expect(Object.values(failed)[0]).toMatch(/^expected out to be 1000 ± [\d.e-]+, got Infinity \(an overflow: .*logsumexp/);
  });

  it("sample-top-k: the max over unscaled logits fails at a temperature near 0; k = 1 and k = vocabulary size are tested", () => {
    const unscaledMax = `function sampleTopK(logits, temperature, k, u) {
      const scaled = logits.map((z) => z / temperature);
      const order = scaled.map((_, i) => i).sort((a, b) => scaled[b] - scaled[a] || a - b);
      const kept = order.slice(0, Math.max(1, Math.min(k, order.length)));
      const m = Math.max(...logits);
      const w = kept.map((i) => Math.exp(scaled[i] - m));
      const total = w.reduce((s, x) => s + x, 0);
      let c = 0;
      for (let j = 0; j < kept.length; j++) { c += w[j] / total; if (c > u) return kept[j]; }
      return kept[kept.length - 1];
    }`;
    const { failed } = grade("train-ex-sample-top-k", unscaledMax);
    expect(Object.keys(failed)).toEqual(["a temperature near 0 keeps the maximum of the scaled logits (no overflow)"]);
    expect(Object.values(failed)[0]).toBe("expected out to be 0, got 2");
    const sortsLogits = `function sampleTopK(logits, temperature, k, u) {
      logits.sort((a, b) => b - a);
      return 0;
    }`;
    expect(grade("train-ex-sample-top-k", sortsLogits).failed["k = 1 is greedy whatever u is"]).toMatch(/changed its arguments/);
    const names = buildSpec(byId("train-ex-sample-top-k")).hidden.map((t) => [t.name, t.args[2], (t.args[0] as unknown[]).length]);
    expect(names.some(([, k]) => k === 1)).toBe(true);
    expect(names.some(([, k, n]) => k === n)).toBe(true);
  });

  it("cosine-similarity: squaring components of 1e200 overflows and of 1e-200 underflows; the naive formula fails both", () => {
    const naive = `function cosineSimilarity(a, b) {
      let dot = 0, na = 0, nb = 0;
      for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
      return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }`;
    const { failed } = grade("tok-ex-cosine-similarity", naive);
    expect(Object.keys(failed)).toEqual(["components around 1e200 do not overflow", "components around 1e-200 do not underflow"]);
    expect(failed["components around 1e200 do not overflow"]).toMatch(/got NaN \(NaN comes from 0\/0, Infinity\/Infinity, Infinity − Infinity or a NaN input\)$/);
  });

  it("softmax: a typed array, a string or a Promise is refused, saying what came back", () => {
    const typed = "function softmax(z) { const m = Math.max(...z); const e = z.map((x) => Math.exp(x - m)); const s = e.reduce((a, b) => a + b, 0); return Float64Array.from(e, (x) => x / s); }";
    expect(grade("att-ex-softmax", typed).failed["three increasing logits"]).toMatch(/got a Float64Array \(return a plain array: Array\.from\(\.\.\.\)\)/);
    expect(grade("att-ex-softmax", "function softmax(z) { return String(z); }").failed["three increasing logits"]).toMatch(/got the string "1,2,3"/);
    expect(grade("att-ex-softmax", "async function softmax(z) { return z; }").failed["three increasing logits"]).toMatch(/got a Promise \(the function must not be async\)/);
  });

  it("hints fit the exercise: no exp advice where there is no exp (causal mask, layer norm)", () => {
    const { report } = grade("att-ex-causal-mask", "function causalMask(n) { return Array.from({ length: n }, () => Array(n).fill(Infinity)); }");
    const messages = report.results.filter((r) => !r.passed).map((r) => r.message).join("\n");
    expect(messages).not.toMatch(/\bexp\b|subtract the/);
    const ln = grade("tr-ex-layer-norm", "function layerNorm(x) { return x.map(() => NaN); }");
    expect(Object.values(ln.failed).join("\n")).not.toMatch(/\bexp\b|subtract the/);
  });
});

describe("learner code cannot make a pass by overriding built-ins", () => {
  const overrides = [
    "Math.abs = () => 0;",
    "Number.isNaN = () => false; Number.isFinite = () => true;",
    "Array.prototype.every = () => true; Array.prototype.some = () => false;",
    "Array.isArray = () => true;",
    "Object.keys = () => []; Object.is = () => true;",
    "JSON.stringify = () => '\"same\"';",
    "String.prototype.slice = function () { return ''; };",
    "Function.prototype.call = function () { return true; }; Function.prototype.apply = function () { return true; };",
    "Reflect.apply = () => [0.09, 0.24, 0.67];",
    "globalThis.structuredClone = (v) => v;",
    "Object.defineProperty(Array.prototype, 'length', { get() { return 0; } });",
  ];
  for (const exercise of exercises) {
    it(`${exercise.id}: no override makes a wrong answer pass`, () => {
      for (const o of overrides) {
        const code = `${o}\nfunction ${exercise.function}() { return 0; }`;
        const report = gradeInNode(code, buildSpec(exercise));
        expect(report.passed, o).toBeLessThan(report.total);
      }
    });
  }
});

describe("what the runner sends is capped", () => {
  it("a 20 MB string, a huge array, a deep or cyclic value become a short description", () => {
    const { copy, cap } = createSendable();
    expect(copy("x".repeat(20 * 1024 * 1024))).toEqual({ $unsendable: expect.stringMatching(/^a string of 20,971,520 characters, too large to check/) });
    expect(copy(new Array(1_000_000).fill(1))).toEqual({ $unsendable: expect.stringMatching(/^an array of 1,000,000 items/) });
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(copy(cyclic)).toEqual({ $unsendable: expect.stringMatching(/nested more than 32 levels/) });
    expect(copy({ a: [1, NaN, -Infinity, undefined], b: "ok" })).toEqual({ a: [1, NaN, -Infinity, undefined], b: "ok" });
    expect(copy(() => 1)).toEqual({ $unsendable: expect.stringMatching(/^a function/) });
    expect(copy(new Map())).toEqual({ $unsendable: expect.stringMatching(/^a Map/) });
    expect(cap("y".repeat(5_000), 100)).toMatch(/^y{100}… \(cut: 5000 characters in all\)$/);
  });

  it("an error with a 20 MB message reaches the judge cut short, and fails the test", () => {
    const ex = byId("att-ex-softmax");
    const report = gradeInNode("function softmax() { throw new Error('z'.repeat(20 * 1024 * 1024)); }", buildSpec(ex));
    expect(report.passed).toBe(0);
    expect(report.results[0]!.message!.length).toBeLessThan(2_100);
  });

  it("a runner that lies about a call (missing, or a forged pass) cannot produce a pass", () => {
    const spec = buildSpec(byId("att-ex-softmax"));
    const calls = planCalls(spec);
    const forged = judge(spec, { compileError: null, stopped: null, outcomes: Object.fromEntries(calls.map((c) => [c.id, { id: c.id, ok: true, value: true }])) });
    expect(forged.passed).toBeLessThan(forged.total); // a constant passes only the invariance checks, as a constant function would
    const missing = judge(spec, { compileError: null, stopped: null, outcomes: {} });
    expect(missing.passed).toBe(0);
    expect(missing.results[0]!.message).toMatch(/the runner gave no answer/);
  });
});

describe("the older property form (a check calling solution(...)) still works, without running learner code in the judge", () => {
  const softmax = byId("att-ex-softmax");
  const legacy: ExerciseContent = {
    ...softmax,
    properties: [
      {
        name: "shifting changes nothing",
        args: [[0.5, -1, 2, 0]],
        check: "const up = solution(args[0].map((x) => x + 100));\nreturn close(up, result) || 'softmax(z + 100) should equal softmax(z)';",
      },
    ],
  };

  it("records the calls against the reference and replays them from the learner's outputs", () => {
    const spec = buildSpec(legacy);
    expect(spec.properties[0]).toMatchObject({ replay: true, callsAs: "array", calls: [{ key: "0", args: [[100.5, 99, 102, 100]] }] });
    expect(gradeInNode(softmax.solution, spec).results.at(-1)).toMatchObject({ passed: true });
    // Not shift-invariant: exp without the max, then divided by a constant.
    const wrong = "function softmax(z) { return z.map((x) => Math.exp(x) / 1e40); }";
    expect(gradeInNode(wrong, spec).results.at(-1)).toMatchObject({ passed: false, message: "softmax(z + 100) should equal softmax(z)" });
  });

  it("a call the check did not make against the reference fails the check, saying so", () => {
    const dependent: ExerciseContent = {
      ...softmax,
      properties: [{ name: "feeds its output back", args: [[1, 2, 3]], check: "const again = solution(result);\nreturn Array.isArray(again) || 'no';" }],
    };
    const spec = buildSpec(dependent);
    const report = gradeInNode("function softmax(z) { return z.map(() => 1 / z.length); }", spec);
    expect(report.results.at(-1)!.message).toMatch(/called the function with arguments it did not declare/);
  });
});

describe("non-array and typed-array returns, on every exercise", () => {
  /** The reference solution, with its result passed through `wrap` (a JS expression of `r`). */
  const wrapped = (ex: ExerciseContent, wrap: string) =>
    `${ex.solution.replace(new RegExp(`function\\s+${ex.function}\\s*\\(`), "function __reference(")}\nfunction ${ex.function}(...a) { const r = __reference(...a); return ${wrap}; }`;

  for (const ex of exercises) {
    it(`${ex.id}: the right numbers as a typed array or as a string do not pass`, () => {
      const spec = buildSpec(ex);
      expect(gradeInNode(wrapped(ex, "r"), spec).passed).toBe(totalTests(spec)); // the wrapper itself changes nothing
      const asString = gradeInNode(wrapped(ex, "JSON.stringify(r)"), spec);
      expect(asString.passed).toBeLessThan(asString.total);
      if (spec.tests.some((t) => Array.isArray(t.expected) && t.expected.every((x) => typeof x === "number"))) {
        const typed = gradeInNode(wrapped(ex, "Array.isArray(r) && r.every((x) => typeof x === 'number') ? Float64Array.from(r) : r"), spec);
        expect(typed.passed).toBeLessThan(typed.total);
        expect(typed.results.find((r) => !r.passed)!.message).toMatch(/a Float64Array \(return a plain array: Array\.from\(\.\.\.\)\)/);
      }
    });
  }
});

describe("the page reads a runner's messages defensively", () => {
  it("keeps known shapes for planned calls and drops everything else", async () => {
    const { readMessage } = await import("~/exercises/run-in-worker");
    const planned = new Set(["t0"]);
    expect(readMessage({ type: "call", id: "t0", ok: true, value: [1], extra: "x" }, planned)).toEqual({ type: "call", id: "t0", ok: true, value: [1] });
    expect(readMessage({ type: "call", id: "t9", ok: true, value: 1 }, planned)).toBeNull(); // not a call the page asked for
    expect(readMessage({ type: "call", id: "t0", ok: false, error: { toString: 1 } }, planned)).toEqual({ type: "call", id: "t0", ok: false, error: "Your code threw an error." });
    expect(readMessage({ type: "result", report: { passed: 10, total: 10 } }, planned)).toBeNull(); // the old verdict message means nothing now
    expect(readMessage("done", planned)).toBeNull();
    expect(readMessage({ type: "log", line: 5 }, planned)).toBeNull();
  });
});
