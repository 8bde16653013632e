/**
 * Questions as the learner sees them (no correct answers in the page before
 * they answer) and the feedback after. Grading itself is app/domain/quiz-grading.ts.
 */
import type { Question } from "~/content/schema";
import { renderInline } from "~/content/course.server";
import { shuffle, type QuestionSpec, type RawAnswer } from "~/domain/quiz-grading";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Markdown-with-math as plain text, for places that cannot hold markup (<option>). */
export function plainText(md: string): string {
  return md
    .replace(/\$([^$]+)\$/g, (_m, tex: string) => tex.replace(/\\(mathrm|text|operatorname)\{([^}]*)\}/g, "$2").replace(/[{}]/g, "").replace(/\\/g, ""))
    .replace(/[`*_]/g, "");
}

export function choiceIds(q: Question): string[] {
  return "choices" in q ? q.choices.map((c, i) => c.id ?? LETTERS[i]!) : [];
}

export function questionSpec(q: Question): QuestionSpec {
  switch (q.kind) {
    case "single":
    case "multiple": {
      const ids = choiceIds(q);
      return { kind: q.kind, choices: q.choices.map((c, i) => ({ id: ids[i]!, correct: c.correct })) };
    }
    case "numeric":
      return { kind: "numeric", answer: q.answer, tolerance: q.tolerance };
    case "text":
      return { kind: "text", answers: q.answers };
    case "order":
      return { kind: "order", steps: q.steps };
  }
}

export interface PublicQuestion {
  id: string;
  kind: Question["kind"];
  promptHtml: string;
  choices: { id: string; html: string }[]; // single, multiple: shuffled
  steps: { index: number; html: string; text: string }[]; // order: shuffled; text for <option>
  unit: string | null;
}

export function publicQuestion(q: Question, seed: number): PublicQuestion {
  const ids = choiceIds(q);
  return {
    id: q.id,
    kind: q.kind,
    promptHtml: renderInline(q.prompt),
    choices: "choices" in q ? shuffle(q.choices.map((c, i) => ({ id: ids[i]!, html: renderInline(c.text) })), seed) : [],
    steps: q.kind === "order" ? shuffle(q.steps.map((s, i) => ({ index: i, html: renderInline(s), text: plainText(s) })), seed) : [],
    unit: q.kind === "numeric" ? (q.unit ?? null) : null,
  };
}

export interface Feedback {
  correct: boolean;
  answerHtml: string; // the correct answer
  explanationHtml: string;
  sectionHref: string;
}

export function feedbackFor(q: Question, topicSlug: string, correct: boolean): Feedback {
  let answer: string;
  switch (q.kind) {
    case "single":
    case "multiple":
      answer = q.choices
        .filter((c) => c.correct)
        .map((c) => renderInline(c.text))
        .join("; ");
      break;
    case "numeric":
      answer = `${q.answer.toLocaleString("en-US", { maximumFractionDigits: 12 })}${q.unit ? ` ${q.unit}` : ""}${q.tolerance ? ` (± ${q.tolerance})` : ""}`;
      break;
    case "text":
      answer = renderInline(q.answers[0]!);
      break;
    case "order":
      answer = `<ol>${q.steps.map((s) => `<li>${renderInline(s)}</li>`).join("")}</ol>`;
      break;
  }
  return { correct, answerHtml: answer, explanationHtml: renderInline(q.explanation), sectionHref: `/lessons/${topicSlug}#${q.section}` };
}

/** The answer fields of a submitted form, by question kind. */
export function rawAnswerFromForm(form: FormData): RawAnswer {
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v.slice(0, 500) : undefined;
  };
  return {
    choice: str("choice"),
    choices: form.getAll("choices").filter((v): v is string => typeof v === "string").slice(0, 30),
    value: str("value"),
    order: form.getAll("order").filter((v): v is string => typeof v === "string").slice(0, 30),
  };
}
