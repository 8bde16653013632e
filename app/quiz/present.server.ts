/**
 * Questions as the learner sees them (no correct answers in the page before
 * they answer) and the feedback after. Grading itself is app/domain/quiz-grading.ts.
 */
import crypto from "node:crypto";
import type { Question } from "~/content/schema";
import { renderInline } from "~/content/course.server";
import { sessionSecrets } from "~/auth/secret.server";
import { matchText, shuffle, type QuestionSpec, type RawAnswer } from "~/domain/quiz-grading";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Markdown-with-math as plain text, for places that cannot hold markup (<option>). */
export function plainText(md: string): string {
  return md
    .replace(/\$([^$]+)\$/g, (_m, tex: string) => tex.replace(/\\(mathrm|text|operatorname)\{([^}]*)\}/g, "$2").replace(/[{}]/g, "").replace(/\\/g, ""))
    .replace(/[`*_]/g, "");
}

/** The content's own ids of a question's choices (the letter of its place when the file gives none). Never sent to the page. */
export function choiceIds(q: Question): string[] {
  return "choices" in q ? q.choices.map((c, i) => c.id ?? LETTERS[i]!) : [];
}

let tokenKey: Buffer | null = null;
function key(): Buffer {
  tokenKey ??= crypto.createHmac("sha256", sessionSecrets()[0]!).update("quiz-choice-tokens").digest();
  return tokenKey;
}

/**
 * What the page calls a choice or a step: an HMAC of the render (`nonce`: the
 * quiz attempt, or the learner and item version in review), the question and the
 * choice's place in the content. Without the server's secret a token says
 * nothing about which choice it is (docs/decisions/018-quiz-feedback-and-opaque-choices.md).
 */
function token(nonce: string, questionId: string, what: "c" | "s", index: number): string {
  return crypto.createHmac("sha256", key()).update(`${nonce}\u0000${questionId}\u0000${what}${index}`).digest("base64url").slice(0, 12);
}

/** The order choices appear in for one render, from the same secret: nothing public predicts where the right one is. */
function renderSeed(nonce: string, questionId: string): number {
  return crypto.createHmac("sha256", key()).update(`${nonce}\u0000${questionId}\u0000order`).digest().readUInt32BE(0);
}

/** The grading spec, in content terms (choice ids of the content, step indices). */
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

/**
 * A submitted answer with the render's tokens turned back into content terms.
 * A token of another render matches nothing and stays as it is, so grading
 * refuses it as "not one of this question's answers" (a 400, nothing stored).
 */
export function resolveAnswer(q: Question, nonce: string, raw: RawAnswer): RawAnswer {
  if (q.kind === "single" || q.kind === "multiple") {
    const ids = choiceIds(q);
    const byToken = new Map(ids.map((id, i) => [token(nonce, q.id, "c", i), id]));
    const back = (t: string) => byToken.get(t) ?? `?${t}`;
    return { ...raw, choice: raw.choice === undefined || raw.choice === "" ? raw.choice : back(raw.choice), choices: raw.choices?.map(back) };
  }
  if (q.kind === "order") {
    const byToken = new Map(q.steps.map((_, i) => [token(nonce, q.id, "s", i), String(i)]));
    return { ...raw, order: raw.order?.map((t) => byToken.get(t) ?? `?${t}`) };
  }
  return raw;
}

export interface PublicQuestion {
  id: string;
  kind: Question["kind"];
  promptHtml: string;
  choices: { id: string; html: string }[]; // single, multiple: opaque ids, shuffled
  steps: { id: string; html: string; text: string }[]; // order: opaque ids, shuffled; text for <option>
  unit: string | null;
}

export function publicQuestion(q: Question, nonce: string): PublicQuestion {
  const seed = renderSeed(nonce, q.id);
  return {
    id: q.id,
    kind: q.kind,
    promptHtml: renderInline(q.prompt),
    choices: "choices" in q ? shuffle(q.choices.map((c, i) => ({ id: token(nonce, q.id, "c", i), html: renderInline(c.text) })), seed) : [],
    steps: q.kind === "order" ? shuffle(q.steps.map((s, i) => ({ id: token(nonce, q.id, "s", i), html: renderInline(s), text: plainText(s) })), seed) : [],
    unit: q.kind === "numeric" ? (q.unit ?? null) : null,
  };
}

/** One choice after the answer: right or not, picked or not, and why it is wrong when the content says. */
export interface ChoiceFeedback {
  html: string;
  correct: boolean;
  picked: boolean;
  whyHtml: string | null;
}

export interface Feedback {
  correct: boolean;
  answerHtml: string; // the correct answer
  explanationHtml: string;
  sectionHref: string;
  /** What the learner answered, as they see it; null when the answer is not known (an older record). */
  yourAnswerHtml: string | null;
  /** Single and multiple: every choice, marked. */
  choices: ChoiceFeedback[] | null;
  /** Order: the learner's order, each place right or not. */
  order: { html: string; right: boolean }[] | null;
  /** A text answer accepted with one typo: the accepted spelling. */
  typoOf: string | null;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * Feedback on an answer. `answer` is the stored answer in content terms (what
 * gradeAnswer returned): a choice id, sorted choice ids, a number, the typed
 * text, or step indices in the learner's order.
 */
export function feedbackFor(q: Question, topicSlug: string, correct: boolean, answer?: unknown): Feedback {
  let answerHtml: string;
  let yourAnswerHtml: string | null = null;
  let choices: ChoiceFeedback[] | null = null;
  let order: Feedback["order"] = null;
  let typoOf: string | null = null;
  switch (q.kind) {
    case "single":
    case "multiple": {
      answerHtml = q.choices
        .filter((c) => c.correct)
        .map((c) => renderInline(c.text))
        .join("; ");
      const ids = choiceIds(q);
      const picked = new Set(Array.isArray(answer) ? answer.map(String) : typeof answer === "string" ? [answer] : []);
      if (picked.size > 0) {
        choices = q.choices.map((c, i) => ({
          html: renderInline(c.text),
          correct: c.correct,
          picked: picked.has(ids[i]!),
          whyHtml: !c.correct && c.why ? renderInline(c.why) : null,
        }));
        const mine = choices.filter((c) => c.picked).map((c) => c.html);
        yourAnswerHtml = mine.join("; ");
      }
      break;
    }
    case "numeric":
      answerHtml = `${q.answer.toLocaleString("en-US", { maximumFractionDigits: 12 })}${q.unit ? ` ${q.unit}` : ""}${q.tolerance ? ` (± ${q.tolerance})` : ""}`;
      if (typeof answer === "number") yourAnswerHtml = `${answer.toLocaleString("en-US", { maximumFractionDigits: 12 })}${q.unit ? ` ${q.unit}` : ""}`;
      break;
    case "text":
      answerHtml = renderInline(q.answers[0]!);
      if (typeof answer === "string") {
        yourAnswerHtml = escapeHtml(answer);
        const match = matchText(answer, q.answers);
        if (match.kind === "typo") typoOf = match.accepted;
      }
      break;
    case "order":
      answerHtml = `<ol>${q.steps.map((s) => `<li>${renderInline(s)}</li>`).join("")}</ol>`;
      if (Array.isArray(answer) && answer.every((i) => Number.isInteger(i) && i >= 0 && i < q.steps.length)) {
        order = (answer as number[]).map((stepIndex, position) => ({ html: renderInline(q.steps[stepIndex]!), right: stepIndex === position }));
        yourAnswerHtml = `<ol>${order.map((o) => `<li>${o.html}</li>`).join("")}</ol>`;
      }
      break;
  }
  return {
    correct,
    answerHtml,
    explanationHtml: renderInline(q.explanation),
    sectionHref: `/lessons/${topicSlug}#${q.section}`,
    yourAnswerHtml,
    choices,
    order,
    typoOf,
  };
}

/** A QuizAnswer row's answer column, read back (undefined if it cannot be). */
export function storedAnswer(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
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
