import { beforeAll, describe, expect, it } from "vitest";
import type { Question } from "~/content/schema";
import { gradeAnswer } from "~/domain/quiz-grading";

// The token key comes from the session secret; a fixed one keeps the test away from the data folder.
process.env.SESSION_SECRET = "unit-test-secret-for-quiz-tokens"; // fixed, so the renders below are the same on every run
let present: typeof import("~/quiz/present.server");
let question: (id: string) => Question;
beforeAll(async () => {
  present = await import("~/quiz/present.server");
  const { getCourse } = await import("~/content/course.server");
  const all = getCourse().course.topics.flatMap((t) => t.questions);
  question = (id) => all.find((q) => q.id === id)!;
});

describe("opaque choice tokens (issue 16)", () => {
  it("no content id or letter reaches the page, and tokens differ from render to render", () => {
    const q = question("att-q-bottleneck");
    const a = present.publicQuestion(q, "attempt-a");
    const b = present.publicQuestion(q, "attempt-b");
    for (const c of [...a.choices, ...b.choices]) expect(c.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(new Set([...a.choices, ...b.choices].map((c) => c.id)).size).toBe(2 * a.choices.length);
    expect(JSON.stringify(a)).not.toMatch(/"correct"|"why"/);
  });

  it("the right choice is not in one place: over 40 renders it lands in every place", () => {
    const q = question("att-q-bottleneck");
    if (q.kind !== "single") throw new Error("single expected");
    const rightText = q.choices.find((c) => c.correct)!.text;
    const places = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const shown = present.publicQuestion(q, `attempt-${i}`);
      const ids = present.choiceIds(q);
      const rightToken = shown.choices.find((c) => present.resolveAnswer(q, `attempt-${i}`, { choice: c.id }).choice === ids[q.choices.findIndex((x) => x.text === rightText)])!;
      places.add(shown.choices.indexOf(rightToken));
    }
    expect(places.size).toBe(q.choices.length);
  });

  it("a token is graded only in its own render; in another it is not one of the answers", () => {
    const q = question("att-q-bottleneck");
    const spec = present.questionSpec(q);
    const shown = present.publicQuestion(q, "attempt-a");
    const verdicts = shown.choices.map((c) => gradeAnswer(spec, present.resolveAnswer(q, "attempt-a", { choice: c.id })));
    expect(verdicts.filter((v) => v.ok && v.correct)).toHaveLength(1);
    expect(verdicts.every((v) => v.ok)).toBe(true);
    const elsewhere = gradeAnswer(spec, present.resolveAnswer(q, "attempt-b", { choice: shown.choices[0]!.id }));
    expect(elsewhere).toEqual({ ok: false, error: expect.stringMatching(/not one of this question/) as unknown as string });
  });

  it("ordering steps get tokens too, and the right order of tokens grades right", () => {
    const q = question("books-q-input-order");
    if (q.kind !== "order") throw new Error("order expected");
    const shown = present.publicQuestion(q, "n1");
    expect(shown.steps.every((s) => /^[A-Za-z0-9_-]{12}$/.test(s.id))).toBe(true);
    const byIndex = q.steps.map((_, i) => shown.steps.find((s) => present.resolveAnswer(q, "n1", { order: [s.id] }).order![0] === String(i))!.id);
    expect(gradeAnswer(present.questionSpec(q), present.resolveAnswer(q, "n1", { order: byIndex }))).toMatchObject({ ok: true, correct: true });
    expect(gradeAnswer(present.questionSpec(q), present.resolveAnswer(q, "n2", { order: byIndex }))).toMatchObject({ ok: false });
  });
});

describe("feedback that teaches", () => {
  it("marks right, wrong and missed picks, with why a wrong pick is wrong", () => {
    const q = question("att-q-softmax-props");
    if (q.kind !== "multiple") throw new Error("multiple expected");
    const ids = present.choiceIds(q);
    const firstRight = q.choices.findIndex((c) => c.correct);
    const scaling = q.choices.findIndex((c) => c.text.startsWith("Multiplying every input"));
    const fb = present.feedbackFor(q, "attention", false, [ids[firstRight]!, ids[scaling]!]);
    const marks = fb.choices!.map((c) => (c.picked ? (c.correct ? "right" : "wrong") : c.correct ? "missed" : "-"));
    expect(marks.filter((m) => m === "right")).toHaveLength(1);
    expect(marks.filter((m) => m === "wrong")).toHaveLength(1);
    expect(marks.filter((m) => m === "missed")).toHaveLength(q.choices.filter((c) => c.correct).length - 1);
    expect(fb.choices![scaling]!.whyHtml).toMatch(/temperature/);
    expect(fb.yourAnswerHtml).toContain(fb.choices![scaling]!.html);
  });

  it("shows a typed answer escaped, and names the accepted spelling of a forgiven typo", () => {
    const q = question("tr-q-residual-name");
    expect(present.feedbackFor(q, "transformers", false, "<b>attention</b>").yourAnswerHtml).toBe("&lt;b&gt;attention&lt;/b&gt;");
    expect(present.feedbackFor(q, "transformers", true, "resdiual stream").typoOf).toBe("residual stream");
    expect(present.feedbackFor(q, "transformers", true, "residual stream").typoOf).toBeNull();
  });

  it("an ordering shows the learner's order with each place right or wrong", () => {
    const q = question("books-q-input-order");
    if (q.kind !== "order") throw new Error("order expected");
    const n = q.steps.length;
    const swapped = [1, 0, ...Array.from({ length: n - 2 }, (_, i) => i + 2)];
    const fb = present.feedbackFor(q, "books", false, swapped);
    expect(fb.order!.map((o) => o.right)).toEqual([false, false, ...Array.from({ length: n - 2 }, () => true)]);
  });
});
