import { describe, expect, it } from "vitest";
import { editDistance, gradeAnswer, matchText, normaliseText, parseNumber, ratingForAnswer, shuffle, type Graded, type QuestionSpec } from "~/domain/quiz-grading";

const single: QuestionSpec = {
  kind: "single",
  choices: [
    { id: "a", correct: false },
    { id: "b", correct: true },
    { id: "c", correct: false },
  ],
};
const multiple: QuestionSpec = {
  kind: "multiple",
  choices: [
    { id: "a", correct: true },
    { id: "b", correct: false },
    { id: "c", correct: true },
    { id: "d", correct: false },
  ],
};
const numeric = (answer: number, tolerance = 0): QuestionSpec => ({ kind: "numeric", answer, tolerance });
const text: QuestionSpec = { kind: "text", answers: ["byte pair encoding", "BPE"] };
const order: QuestionSpec = { kind: "order", steps: ["Project", "Score", "Scale", "Softmax"] };

const right = (answer?: unknown): Graded => ({ ok: true, correct: true, answer: answer === undefined ? expect.anything() : answer });
const wrong = (answer?: unknown): Graded => ({ ok: true, correct: false, answer: answer === undefined ? expect.anything() : answer });
const invalid = (message?: RegExp): Graded => ({ ok: false, error: message ? (expect.stringMatching(message) as unknown as string) : (expect.any(String) as unknown as string) });

describe("single choice", () => {
  it("right and wrong", () => {
    expect(gradeAnswer(single, { choice: "b" })).toEqual(right("b"));
    expect(gradeAnswer(single, { choice: "a" })).toEqual(wrong("a"));
  });
  it("an unknown choice id is a validation error, not a wrong answer", () => {
    expect(gradeAnswer(single, { choice: "z" })).toEqual(invalid(/not one of this question's answers/));
    expect(gradeAnswer(single, { choice: "B" })).toEqual(invalid());
  });
  it("no choice is a validation error", () => {
    expect(gradeAnswer(single, {})).toEqual(invalid(/Choose an answer/));
    expect(gradeAnswer(single, { choice: "" })).toEqual(invalid());
  });
});

describe("multiple choice", () => {
  it("exactly the correct set is right, in any order", () => {
    expect(gradeAnswer(multiple, { choices: ["c", "a"] })).toEqual(right(["a", "c"]));
  });
  it("a partial selection is wrong", () => {
    expect(gradeAnswer(multiple, { choices: ["a"] })).toEqual(wrong(["a"]));
  });
  it("a selection with an extra wrong choice is wrong", () => {
    expect(gradeAnswer(multiple, { choices: ["a", "b", "c"] })).toEqual(wrong(["a", "b", "c"]));
    expect(gradeAnswer(multiple, { choices: ["b"] })).toEqual(wrong(["b"]));
  });
  it("a repeated choice counts once", () => {
    expect(gradeAnswer(multiple, { choices: ["a", "c", "a"] })).toEqual(right(["a", "c"]));
  });
  it("an unknown choice id is a validation error", () => {
    expect(gradeAnswer(multiple, { choices: ["a", "c", "zz"] })).toEqual(invalid(/not one of this question's answers/));
  });
  it("nothing selected is a validation error", () => {
    expect(gradeAnswer(multiple, { choices: [] })).toEqual(invalid(/at least one/));
    expect(gradeAnswer(multiple, {})).toEqual(invalid());
  });
});

describe("numeric", () => {
  it("right and wrong", () => {
    expect(gradeAnswer(numeric(1050624), { value: "1050624" })).toEqual(right(1050624));
    expect(gradeAnswer(numeric(1050624), { value: "1050625" })).toEqual(wrong(1050625));
  });

  it("exactly at the tolerance passes, just beyond fails", () => {
    expect(gradeAnswer(numeric(100, 5), { value: "105" })).toEqual(right(105));
    expect(gradeAnswer(numeric(100, 5), { value: "95" })).toEqual(right(95));
    expect(gradeAnswer(numeric(100, 5), { value: "105.001" })).toEqual(wrong(105.001));
    expect(gradeAnswer(numeric(100, 5), { value: "94.999" })).toEqual(wrong(94.999));
  });

  it("exactly at a decimal tolerance passes despite floating point (0.3 ± 0.1, 1 ± 0.1)", () => {
    expect(gradeAnswer(numeric(0.3, 0.1), { value: "0.4" })).toEqual(right(0.4));
    expect(gradeAnswer(numeric(0.3, 0.1), { value: "0.2" })).toEqual(right(0.2));
    expect(gradeAnswer(numeric(1, 0.1), { value: "1.1" })).toEqual(right(1.1));
    expect(gradeAnswer(numeric(0.3, 0.1), { value: "0.4001" })).toEqual(wrong(0.4001));
    expect(gradeAnswer(numeric(1, 0.1), { value: "1.1000001" })).toEqual(wrong(1.1000001));
  });

  it("a zero tolerance needs the exact value", () => {
    expect(gradeAnswer(numeric(0.5), { value: ".5" })).toEqual(right(0.5));
    expect(gradeAnswer(numeric(0.5), { value: "0.5000001" })).toEqual(wrong());
    expect(gradeAnswer(numeric(1050624), { value: "1050624.5" })).toEqual(wrong());
  });

  it("accepts thousands separators, spaces and exponents", () => {
    expect(gradeAnswer(numeric(1050624), { value: "1,050,624" })).toEqual(right(1050624));
    expect(gradeAnswer(numeric(1050624), { value: " 1 050 624 " })).toEqual(right(1050624));
    expect(gradeAnswer(numeric(1050624), { value: "1_050_624" })).toEqual(right(1050624));
    expect(gradeAnswer(numeric(1050000), { value: "1.05e6" })).toEqual(right(1050000));
    expect(gradeAnswer(numeric(1050624, 1000), { value: "1.05E6" })).toEqual(right(1050000));
    expect(gradeAnswer(numeric(-0.5), { value: "-0.5" })).toEqual(right(-0.5));
    expect(gradeAnswer(numeric(1050624), { value: "1.05e6" })).toEqual(wrong(1050000));
  });

  it.each(["abc", "", "   ", "NaN", "nan", "Infinity", "-Infinity", "1e999", "0,5", "1,05", "12abc", "1.2.3", "--1", "0x10", "e5"])(
    "%j is a validation error, not a wrong answer",
    (value) => {
      expect(gradeAnswer(numeric(1), { value })).toEqual(invalid());
    },
  );

  it("a missing value is a validation error", () => {
    expect(gradeAnswer(numeric(1), {})).toEqual(invalid(/Enter a number/));
  });

  it("parseNumber", () => {
    expect(parseNumber("1,050,624.5")).toBe(1050624.5);
    expect(parseNumber("+3")).toBe(3);
    expect(parseNumber("1e-3")).toBe(0.001);
    expect(parseNumber("1,0500")).toBeNull();
    expect(parseNumber("Infinity")).toBeNull();
  });
});

describe("text", () => {
  it("right and wrong", () => {
    expect(gradeAnswer(text, { value: "byte pair encoding" })).toEqual(right("byte pair encoding"));
    expect(gradeAnswer(text, { value: "bpe" })).toEqual(right("bpe"));
    expect(gradeAnswer(text, { value: "wordpiece" })).toEqual(wrong("wordpiece"));
    expect(gradeAnswer(text, { value: "byte pair" })).toEqual(wrong());
  });

  it("ignores case, spaces, punctuation and accents", () => {
    expect(gradeAnswer(text, { value: "Byte-Pair  Encoding." })).toEqual(right("Byte-Pair  Encoding."));
    expect(gradeAnswer(text, { value: "  BYTE_PAIR_ENCODING!  " })).toEqual(right());
    expect(gradeAnswer(text, { value: "Bytë pàir éncoding" })).toEqual(right());
    expect(gradeAnswer(text, { value: "B.P.E." })).toEqual(wrong()); // letters separated by punctuation are separate words
    expect(normaliseText("Byte-Pair  Encoding.")).toBe("byte pair encoding");
    expect(normaliseText("Crème Brûlée")).toBe("creme brulee");
  });

  it("an empty or punctuation-only answer is a validation error", () => {
    expect(gradeAnswer(text, { value: "" })).toEqual(invalid(/Type an answer/));
    expect(gradeAnswer(text, { value: " ?! " })).toEqual(invalid());
    expect(gradeAnswer(text, {})).toEqual(invalid());
  });

  it("stores the answer as typed, trimmed and bounded", () => {
    const long = "x".repeat(500);
    const graded = gradeAnswer(text, { value: `  ${long}  ` });
    expect(graded).toEqual(wrong("x".repeat(200)));
  });
});

describe("text: typo tolerance", () => {
  const residual: QuestionSpec = { kind: "text", answers: ["residual stream", "the residual stream", "residual-stream", "residual"] };
  const gelu: QuestionSpec = { kind: "text", answers: ["GELU", "Gaussian Error Linear Unit", "gelu activation"] };

  it("one edit is forgiven on answers of five letters or more", () => {
    expect(gradeAnswer(residual, { value: "resdiual stream" })).toEqual(right("resdiual stream")); // two letters swapped
    expect(gradeAnswer(residual, { value: "residul stream" })).toEqual(right()); // one letter missing
    expect(gradeAnswer(residual, { value: "residuall stream" })).toEqual(right()); // one letter too many
    expect(gradeAnswer(residual, { value: "residual strem" })).toEqual(right());
    expect(gradeAnswer(text, { value: "byte pair encodinf" })).toEqual(right()); // one letter wrong
    expect(gradeAnswer(text, { value: "bytepair encoding" })).toEqual(right()); // a missing space is one edit
  });

  it("two edits are not a typo", () => {
    expect(gradeAnswer(residual, { value: "resdiual strem" })).toEqual(wrong());
    expect(gradeAnswer(text, { value: "byte pear encodinf" })).toEqual(wrong());
  });

  it("short answers must be exact: a one-letter change there is a different word", () => {
    expect(gradeAnswer(text, { value: "bpa" })).toEqual(wrong());
    expect(gradeAnswer(gelu, { value: "gelo" })).toEqual(wrong()); // GELU has four letters
    expect(gradeAnswer({ kind: "text", answers: ["cos"] }, { value: "cot" })).toEqual(wrong());
    expect(gradeAnswer({ kind: "text", answers: ["ReLU"] }, { value: "GeLU" })).toEqual(wrong());
  });

  it("digits never count as a typo", () => {
    expect(gradeAnswer({ kind: "text", answers: ["GPT-2 small"] }, { value: "GPT-3 small" })).toEqual(wrong());
    expect(gradeAnswer({ kind: "text", answers: ["GPT-2 small"] }, { value: "GPT-2 smal" })).toEqual(right());
  });

  it("filler words do not matter: 'GeLU activation function' is the accepted 'gelu activation'", () => {
    expect(gradeAnswer(gelu, { value: "GeLU activation function" })).toEqual(right());
    expect(gradeAnswer(gelu, { value: "the GELU" })).toEqual(right());
    expect(gradeAnswer(gelu, { value: "a Gaussian error linear unit" })).toEqual(right());
    expect(gradeAnswer(gelu, { value: "GELU function" })).toEqual(right());
    expect(gradeAnswer(gelu, { value: "activation function" })).toEqual(wrong());
  });

  it("a sign is not a typo: 'infinity' is not '-infinity'", () => {
    const mask: QuestionSpec = { kind: "text", answers: ["-infinity", "negative infinity", "minus infinity"] };
    expect(gradeAnswer(mask, { value: "infinity" })).toEqual(wrong());
    expect(gradeAnswer(mask, { value: "minus infinty" })).toEqual(right());
  });

  it("matchText says whether it was exact or forgiven, and which answer matched", () => {
    expect(matchText("Residual Stream", ["residual stream"])).toEqual({ kind: "exact", accepted: "residual stream" });
    expect(matchText("resdiual stream", ["residual stream"])).toEqual({ kind: "typo", accepted: "residual stream" });
    expect(matchText("attention", ["residual stream"])).toEqual({ kind: "none" });
  });

  it("editDistance counts a swap of neighbours as one edit and stops early", () => {
    expect(editDistance("resdiual", "residual")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abcdef", "uvwxyz", 1)).toBe(2);
  });
});

describe("order", () => {
  it("the identity order is right", () => {
    expect(gradeAnswer(order, { order: ["0", "1", "2", "3"] })).toEqual(right([0, 1, 2, 3]));
  });
  it("a swapped pair is wrong", () => {
    expect(gradeAnswer(order, { order: ["0", "2", "1", "3"] })).toEqual(wrong([0, 2, 1, 3]));
    expect(gradeAnswer(order, { order: ["3", "2", "1", "0"] })).toEqual(wrong([3, 2, 1, 0]));
  });
  it.each([
    ["a repeated step", ["0", "0", "1", "2"]],
    ["too few steps", ["0", "1", "2"]],
    ["too many steps", ["0", "1", "2", "3", "4"]],
    ["out of range", ["0", "1", "2", "4"]],
    ["negative", ["-1", "0", "1", "2"]],
    ["not a number", ["0", "1", "two", "3"]],
    ["a decimal", ["0", "1", "2", "3.0"]],
    ["empty", []],
  ])("an order that is not a permutation (%s) is a validation error", (_name, given) => {
    expect(gradeAnswer(order, { order: given })).toEqual(invalid(/Put all 4 steps in order/));
  });
  it("a missing order is a validation error", () => {
    expect(gradeAnswer(order, {})).toEqual(invalid());
  });
});

describe("ratingForAnswer", () => {
  it.each([
    [false, "easy", 3_000, 1],
    [false, "medium", 3_000, 1],
    [false, "hard", 60_000, 1],
    [true, "medium", 3_000, 3],
    [true, "hard", 3_000, 3],
    [true, "easy", 3_000, 4],
    [true, "easy", 10_000, 4],
    [true, "easy", 10_001, 3],
    [true, "easy", 0, 3], // no timing recorded
    [true, "easy", -5, 3],
  ] as const)("correct=%s, %s, %d ms -> %d", (correct, difficulty, ms, rating) => {
    expect(ratingForAnswer(correct, difficulty, ms)).toBe(rating);
  });
});

describe("shuffle", () => {
  const items = Array.from({ length: 10 }, (_, i) => `item-${i}`);

  it("is deterministic per seed", () => {
    expect(shuffle(items, 42)).toEqual(shuffle(items, 42));
    expect(shuffle(items, 0xdeadbeef)).toEqual(shuffle(items, 0xdeadbeef));
  });

  it("is a permutation and leaves its input alone", () => {
    const copy = [...items];
    for (const seed of [0, 1, 2, 42, 2 ** 31, 2 ** 32 - 1]) {
      const out = shuffle(items, seed);
      expect(out).toHaveLength(items.length);
      expect([...out].sort()).toEqual([...items].sort());
    }
    expect(items).toEqual(copy);
  });

  it("different seeds give different orders", () => {
    const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => shuffle(items, seed).join(",")));
    expect(orders.size).toBeGreaterThan(4);
    expect(shuffle(items, 7)).not.toEqual(items);
  });

  it("fixed known orders (the same on every reload and release)", () => {
    expect(shuffle(["a", "b", "c", "d"], 1)).toEqual(shuffle(["a", "b", "c", "d"], 1 + 2 ** 32));
    expect(shuffle([], 5)).toEqual([]);
    expect(shuffle(["only"], 5)).toEqual(["only"]);
  });

  it("puts every item in every position for some seed", () => {
    const seen = new Map<string, Set<number>>();
    for (let seed = 0; seed < 400; seed++) {
      shuffle(["a", "b", "c", "d"], seed).forEach((x, i) => {
        if (!seen.has(x)) seen.set(x, new Set());
        seen.get(x)!.add(i);
      });
    }
    for (const x of ["a", "b", "c", "d"]) expect(seen.get(x)!.size).toBe(4);
  });
});

describe("signs in text answers", () => {
  const q = { kind: "text" as const, answers: ["-infinity", "negative infinity", "minus infinity"] };
  it.each(["-∞", "−∞", "-Infinity", "- infinity", "minus infinity", "Negative infinity"])("accepts %s", (given) => {
    expect(gradeAnswer(q, { value: given })).toMatchObject({ ok: true, correct: true });
  });
  it.each(["infinity", "∞", "+infinity"])("does not accept %s as minus infinity", (given) => {
    expect(gradeAnswer(q, { value: given })).toMatchObject({ ok: true, correct: false });
  });
  it("keeps hyphens inside words as spaces", () => {
    expect(normaliseText("byte-pair encoding")).toBe("byte pair encoding");
  });
});
