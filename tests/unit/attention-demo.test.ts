import { describe, expect, it } from "vitest";
import {
  attention,
  embed,
  fnv1a,
  matmul,
  MAX_TOKENS,
  normaliseWord,
  softmax,
  splitSentence,
  transpose,
  wordVector,
} from "~/domain/attention-demo";

const sentence = ["The", "cat", "sat", "on", "the", "mat"];

describe("splitSentence", () => {
  it("splits on any whitespace and drops empty pieces", () => {
    expect(splitSentence("  the  cat\tsat\n")).toEqual({ tokens: ["the", "cat", "sat"], truncated: false, total: 3 });
    expect(splitSentence("   ")).toEqual({ tokens: [], truncated: false, total: 0 });
  });
  it("keeps at most MAX_TOKENS words and says so", () => {
    const r = splitSentence("a b c d e f g h i j");
    expect(r.tokens).toHaveLength(MAX_TOKENS);
    expect(r.truncated).toBe(true);
    expect(r.total).toBe(10);
  });
});

describe("word vectors", () => {
  it("are deterministic and ignore case and surrounding punctuation", () => {
    expect(wordVector("Cat")).toEqual(wordVector("cat"));
    expect(wordVector("cat.")).toEqual(wordVector("cat"));
    expect(wordVector("cat")).not.toEqual(wordVector("dog"));
    expect(normaliseWord("...")).toBe("...");
    expect(fnv1a("")).toBe(0x811c9dc5);
  });
  it("stay small", () => {
    for (const w of sentence) for (const x of wordVector(w)) expect(Math.abs(x)).toBeLessThanOrEqual(1.5);
  });
  it("differ by position for a repeated word", () => {
    const e = embed(["the", "the"]);
    expect(e[0]).not.toEqual(e[1]);
  });
});

describe("matrix helpers", () => {
  it("multiply and transpose", () => {
    expect(matmul([[1, 2]], [[3], [4]])).toEqual([[11]]);
    expect(transpose([[1, 2, 3]])).toEqual([[1], [2], [3]]);
    expect(() => matmul([[1, 2]], [[1]])).toThrow();
  });
});

describe("softmax", () => {
  it("is stable for large logits", () => {
    const r = softmax([1000, 1001, 1002]);
    expect(r.every(Number.isFinite)).toBe(true);
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r).toEqual(softmax([0, 1, 2]).map((x) => expect.closeTo(x, 12)));
  });
  it("gives −∞ exactly zero weight and an all-masked row zeros", () => {
    expect(softmax([0, -Infinity])).toEqual([1, 0]);
    expect(softmax([-Infinity, -Infinity])).toEqual([0, 0]);
  });
});

describe("attention", () => {
  it("rows sum to 1 with and without the mask", () => {
    for (const causal of [false, true]) {
      for (const scale of [false, true]) {
        for (const row of attention(sentence, { causal, scale }).weights) {
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        }
      }
    }
  });
  it("the causal mask zeroes exactly the upper triangle", () => {
    const open = attention(sentence, { causal: false });
    expect(open.weights.some((row, i) => row.some((w, j) => j > i && w > 0))).toBe(true);
    const r = attention(sentence, { causal: true });
    r.weights.forEach((row, i) =>
      row.forEach((w, j) => {
        expect(r.masked[i]![j]).toBe(j > i);
        if (j > i) expect(w).toBe(0);
        else expect(w).toBeGreaterThan(0);
      }),
    );
    expect(r.weights[0]![0]).toBe(1);
  });
  it("scaling divides the scores by √d_k = 2", () => {
    const scaled = attention(sentence, { scale: true });
    const raw = attention(sentence, { scale: false });
    scaled.scores.forEach((row, i) => row.forEach((s, j) => expect(s).toBeCloseTo(raw.scores[i]![j]! / 2, 12)));
    expect(scaled.weights).not.toEqual(raw.weights);
  });
  it("outputs are the weighted sums of the values", () => {
    const r = attention(sentence);
    const i = 2;
    const expected = r.values[0]!.map((_, k) => r.weights[i]!.reduce((s, w, j) => s + w * r.values[j]![k]!, 0));
    r.outputs[i]!.forEach((x, k) => expect(x).toBeCloseTo(expected[k]!, 12));
  });
  it("handles an empty sentence", () => {
    expect(attention([]).weights).toEqual([]);
  });
});
