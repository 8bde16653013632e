/**
 * Grading quiz answers, pure. A malformed answer (an unknown choice id, a
 * number that is not a number, an ordering that is not a permutation) is a
 * validation error, never a wrong answer: the learner is asked again.
 */

export type QuestionSpec =
  | { kind: "single"; choices: { id: string; correct: boolean }[] }
  | { kind: "multiple"; choices: { id: string; correct: boolean }[] }
  | { kind: "numeric"; answer: number; tolerance: number }
  | { kind: "text"; answers: string[] }
  | { kind: "order"; steps: string[] };

/** What a learner submits, already split out of the form (strings as typed). */
export type RawAnswer = { choice?: string; choices?: string[]; value?: string; order?: string[] };

export type Graded = { ok: true; correct: boolean; answer: unknown } | { ok: false; error: string };

/**
 * Case, accents, spaces and punctuation do not matter: "Byte-Pair  Encoding." = "byte pair encoding".
 * Signs that carry meaning survive as words: "-∞" = "−infinity" = "minus infinity", never "infinity".
 */
export function normaliseText(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/∞/g, " infinity ")
    .replace(/(^|\s)[-\u2212\u2013]\s*(?=[\p{L}\p{N}])/gu, "$1minus ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Words that carry no meaning in a short answer: "the GELU activation function" names what "GELU activation" does. */
const FILLER_WORDS = new Set(["the", "a", "an", "function"]);

/** The form two short answers are compared in: normalised, filler words dropped. */
export function canonicalAnswer(s: string): string {
  return normaliseText(s)
    .split(" ")
    .filter((w) => !FILLER_WORDS.has(w))
    .join(" ");
}

/**
 * Optimal string alignment distance (Levenshtein plus swapping two neighbours,
 * "resdiual" → "residual" is one edit), stopping early once it exceeds `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** Typos are forgiven only in answers this long (letters and digits, spaces not counted). */
export const TYPO_MIN_LETTERS = 5;

export type TextMatch = { kind: "exact"; accepted: string } | { kind: "typo"; accepted: string } | { kind: "none" };

/**
 * A typed answer against the accepted ones: equal after normalisation and
 * without filler words, or one edit away from an accepted answer of at least
 * five letters. Digits must agree exactly: "GPT-3" is not a typo of "GPT-2".
 */
export function matchText(given: string, accepted: readonly string[]): TextMatch {
  const g = canonicalAnswer(given);
  if (!g) return { kind: "none" };
  for (const a of accepted) if (canonicalAnswer(a) === g) return { kind: "exact", accepted: a };
  const digits = (s: string) => s.replace(/\D/g, "");
  for (const a of accepted) {
    const c = canonicalAnswer(a);
    if (c.replace(/ /g, "").length < TYPO_MIN_LETTERS || digits(c) !== digits(g)) continue;
    if (editDistance(g, c, 1) <= 1) return { kind: "typo", accepted: a };
  }
  return { kind: "none" };
}

/** Accepts "1050624", "1,050,624", "1 050 624", "1.05e6", "-0.5", "0,5" is refused (ambiguous). */
export function parseNumber(s: string): number | null {
  const t = s.trim().replace(/[\s_]/g, "");
  if (!t) return null;
  const withoutThousands = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replace(/,/g, "") : t;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(withoutThousands)) return null;
  const n = Number(withoutThousands);
  return Number.isFinite(n) ? n : null;
}

export function gradeAnswer(q: QuestionSpec, raw: RawAnswer): Graded {
  switch (q.kind) {
    case "single": {
      if (!raw.choice) return { ok: false, error: "Choose an answer." };
      const choice = q.choices.find((c) => c.id === raw.choice);
      if (!choice) return { ok: false, error: "That choice is not one of this question's answers." };
      return { ok: true, correct: choice.correct, answer: choice.id };
    }
    case "multiple": {
      const picked = [...new Set(raw.choices ?? [])];
      if (picked.length === 0) return { ok: false, error: "Choose at least one answer." };
      const ids = new Set(q.choices.map((c) => c.id));
      if (picked.some((p) => !ids.has(p))) return { ok: false, error: "One of those choices is not one of this question's answers." };
      const correct = q.choices.every((c) => c.correct === picked.includes(c.id));
      return { ok: true, correct, answer: picked.sort() };
    }
    case "numeric": {
      if (raw.value === undefined || raw.value.trim() === "") return { ok: false, error: "Enter a number." };
      const n = parseNumber(raw.value);
      if (n === null) return { ok: false, error: `"${raw.value.slice(0, 40)}" is not a number. Write digits, like 1050624 or 0.25.` };
      // A few ulps of slack, so an answer exactly at the tolerance passes (0.4 vs 0.3 ± 0.1 differs by 0.10000000000000003).
      const slack = 4 * Number.EPSILON * Math.max(Math.abs(n), Math.abs(q.answer));
      const correct = Math.abs(n - q.answer) <= q.tolerance + slack;
      return { ok: true, correct, answer: n };
    }
    case "text": {
      if (raw.value === undefined || normaliseText(raw.value) === "") return { ok: false, error: "Type an answer." };
      const correct = matchText(raw.value, q.answers).kind !== "none";
      return { ok: true, correct, answer: raw.value.trim().slice(0, 200) };
    }
    case "order": {
      const order = raw.order ?? [];
      const n = q.steps.length;
      const indices = order.map((x) => (/^\d+$/.test(x) ? Number(x) : NaN));
      const valid = indices.length === n && indices.every((i) => Number.isInteger(i) && i >= 0 && i < n) && new Set(indices).size === n;
      if (!valid) return { ok: false, error: `Put all ${n} steps in order, using each position once.` };
      const correct = indices.every((stepIndex, position) => stepIndex === position);
      return { ok: true, correct, answer: indices };
    }
  }
}

/**
 * A quiz answer as an FSRS rating: wrong is Again; right is Good; right on an
 * easy question answered within 10 seconds is Easy (docs/decisions/006-quiz-ratings.md).
 */
export function ratingForAnswer(correct: boolean, difficulty: "easy" | "medium" | "hard", timeMs: number): 1 | 3 | 4 {
  if (!correct) return 1;
  if (difficulty === "easy" && timeMs > 0 && timeMs <= 10_000) return 4;
  return 3;
}

/** Deterministic shuffle (mulberry32), so an attempt shows the same order on every reload. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
