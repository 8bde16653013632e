/**
 * npm run bench:first-day — how many ratings does a new learner's first day take?
 *
 * Plays that day over the real routes, through the production build's request
 * handler in this process (as bench:review does), on a fresh SQLite file. The
 * app's clock (app/utils/clock.server.ts) is moved forward inside this script;
 * the machine's clock is left alone. The learner:
 *  1. signs up and opens Lesson 1, reads it for a quarter of an hour, then
 *     chooses "Study these flashcards" at its end (ADR 021);
 *  2. learns that day's new flashcards in /review, rating mostly Good (seeded),
 *     including the learning steps they bring back;
 *  3. takes the lesson's whole quiz (most answers right, seeded);
 *  4. does every review that comes due before the learning day ends.
 * Prints `first day: N ratings for M items (R per item)`; the bar is 2.5
 * (issue 14). A figure, not an assertion: see docs/benchmarks.md.
 * Options: --seed N (default 1), --lesson SLUG (default the first lesson).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({ options: { seed: { type: "string", default: "1" }, lesson: { type: "string" } } });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "as-bench-first-day-"));
process.env.DATA_DIR = dataDir;
process.env.NODE_ENV = "production";
process.env.DATABASE_URL = "";

const { setClock } = await import("../app/utils/clock.server");
const { dayWindow } = await import("../app/domain/day");
const { loadCourse } = await import("../app/content/load.server");
const { createRenderer } = await import("../app/content/render.server");
const { plainText } = await import("../app/quiz/present.server");
const { createElement } = await import("react");
const { renderToStaticMarkup } = await import("react-dom/server");
type Question = import("../app/content/schema").Question;
type PublicQuestion = import("../app/quiz/present.server").PublicQuestion;

// The learner's day starts at 09:00 UTC on a Monday (default settings: UTC, day starts 04:00).
let now = Date.parse("2026-03-02T09:00:00.000Z");
setClock(() => now);
const later = (ms: number) => (now += ms);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const day = dayWindow(new Date(now), "UTC", 4);

// A small seeded generator (mulberry32), so a run can be repeated.
let seed = Number(args.seed) >>> 0 || 1;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
/** A flashcard rating, mostly Good: Again 10 %, Hard 5 %, Good 80 %, Easy 5 %. */
const cardRating = () => {
  const x = random();
  return x < 0.1 ? 1 : x < 0.15 ? 2 : x < 0.95 ? 3 : 4;
};

const { createRequestHandler } = await import("@remix-run/node");
const build = await import(path.join(root, "build/server/index.js"));
await build.entry.module.startup({ log: () => undefined });
const handler = createRequestHandler(build, "production");
const origin = "http://bench.local";
const course = loadCourse(path.join(root, "content")).course;
const topic = args.lesson ? course.topics.find((t) => t.slug === args.lesson) : course.topics[0];
if (!topic) throw new Error(`no lesson ${args.lesson}`);

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return body;
};
let cookie = "";
async function request(pathname: string, fields?: Record<string, string | string[]>) {
  const res = await handler(
    new Request(`${origin}${pathname}`, {
      method: fields ? "POST" : "GET",
      body: fields ? form(fields) : undefined,
      headers: { ...(fields ? { "Content-Type": "application/x-www-form-urlencoded" } : {}), ...(cookie ? { Cookie: cookie } : {}) },
      redirect: "manual",
    }),
  );
  if (res.status >= 400) throw new Error(`${fields ? "POST" : "GET"} ${pathname}: ${res.status} ${await res.text()}`);
  return res;
}

/**
 * The page names choices and steps by opaque tokens per render (ADR 018), so
 * the learner here finds them by their rendered text, as a person does: the
 * token of each content choice (or step), in the content's order.
 */
type Tokens = { choices: string[]; steps: string[] };
const inline = createRenderer({ slug: null, resources: new Map(), diagramBase: "" }).inline;
function tokensOf(q: Question, shown: { id: string; html: string }[], stepsShown: { id: string; html: string }[]): Tokens {
  const find = (list: { id: string; html: string }[], md: string) => {
    const hit = list.find((c) => c.html === inline(md));
    if (!hit) throw new Error(`${q.id}: not on the page: ${md}`);
    return hit.id;
  };
  return {
    choices: "choices" in q ? q.choices.map((c) => find(shown, c.text)) : [],
    steps: q.kind === "order" ? q.steps.map((st) => find(stepsShown, st)) : [],
  };
}
const fromPublic = (q: Question, pq: PublicQuestion) => tokensOf(q, pq.choices, pq.steps);
/** The same from the lesson quiz's HTML: each choice's text, and the input (or hidden order field) just before it. */
function fromHtml(q: Question, page: string): Tokens {
  const pairs = (textClass: string) => {
    // Each choice's text follows its input: the token is the last value attribute before the text.
    const parts = page.split(`<span class="${textClass}">`);
    return parts.slice(1).map((html, i) => ({ id: [...parts[i]!.matchAll(/value="([^"]+)"/g)].at(-1)![1]!, html }));
  };
  const match = (list: { id: string; html: string }[]) => (md: string) => {
    const want = inline(md) + "</span>";
    const hit = list.find((c) => c.html.startsWith(want));
    if (!hit) throw new Error(`${q.id}: not on the page: ${md}`);
    return hit.id;
  };
  if (q.kind === "order") {
    // Without JavaScript an ordering is one select per place; every select lists each step once.
    const first = page.slice(page.indexOf('name="order"'), page.indexOf("</select>", page.indexOf('name="order"')));
    const options = [...first.matchAll(/<option value="([^"]+)">([^<]*)<\/option>/g)].map((m) => ({ id: m[1]!, text: m[2]! }));
    // The page's own text of a step (present.server's plainText), escaped as React escapes an <option>'s text.
    const asRendered = (md: string) => renderToStaticMarkup(createElement("option", null, plainText(md))).replace(/^<option>|<\/option>$/g, "");
    return {
      choices: [],
      steps: q.steps.map((st) => {
        const hit = options.find((o) => o.text === asRendered(st));
        if (!hit) throw new Error(`${q.id}: step not on the page: ${st}`);
        return hit.id;
      }),
    };
  }
  if (!("choices" in q)) return { choices: [], steps: [] };
  const list = pairs("choice-text");
  return { choices: q.choices.map((c) => match(list)(c.text)), steps: [] };
}

/** The form fields of an answer to `q`, right or wrong on purpose. */
function answerFields(q: Question, right: boolean, tokens: Tokens): Record<string, string | string[]> {
  switch (q.kind) {
    case "single":
    case "multiple": {
      const correct = tokens.choices.filter((_, i) => q.choices[i]!.correct);
      const wrong = tokens.choices.filter((_, i) => !q.choices[i]!.correct);
      const pick = right ? correct : [wrong[0]!];
      return q.kind === "single" ? { choice: pick[0]! } : { choices: pick };
    }
    case "numeric":
      return { value: String(right ? q.answer : q.answer + 1000 + q.tolerance * 10) };
    case "text":
      return { value: right ? q.answers[0]! : "definitely not this" };
    case "order": {
      return { order: right ? tokens.steps : [...tokens.steps].reverse() };
    }
  }
}
const questions = new Map(course.topics.flatMap((t) => t.questions.map((q) => [q.id, q] as const)));

// 1. Sign up, open the lesson, read it, choose to study its flashcards.
const signup = await request("/signup", { username: "firstday", password: "benchmark password", confirm: "benchmark password" });
cookie = signup.headers.get("set-cookie")!.split(";")[0]!;
await request(`/lessons/${topic.slug}`);
later(15 * MINUTE);
await request(`/lessons/${topic.slug}`, { intent: "study" });

type Entry = { itemId: string; version: number; kind: "card" | "quiz" | "exercise"; question?: PublicQuestion };
type View = { entries: Entry[]; nextDue: string | null; counts: { learning: number; review: number; new: number } };
const firstView = (await (await request("/api/review")).json()) as { view: View };
const firstCounts = firstView.view.counts;

/** Works through /api/review until nothing more is due today (waiting, on the moved clock, for what comes due later). */
async function reviewUntilDone(maxRatings = 2_000) {
  let view = firstView.view;
  view = ((await (await request("/api/review")).json()) as { view: View }).view;
  for (let n = 0; n < maxRatings; n++) {
    const next = view.entries.find((e) => e.kind !== "exercise");
    if (!next) {
      const due = view.nextDue ? Date.parse(view.nextDue) : null;
      if (due === null || due >= day.end.getTime()) return;
      now = Math.max(now + SECOND, due);
      view = ((await (await request("/api/review")).json()) as { view: View }).view;
      continue;
    }
    const common = { itemId: next.itemId, version: String(next.version), clientId: crypto.randomUUID() };
    let fields: Record<string, string | string[]>;
    if (next.kind === "card") {
      later(8 * SECOND);
      fields = { intent: "rate", rating: String(cardRating()), durationMs: "8000", ...common };
    } else {
      later(20 * SECOND);
      const q = questions.get(next.itemId)!;
      fields = { intent: "answer", durationMs: "20000", ...common, ...answerFields(q, random() < 0.85, fromPublic(q, next.question!)) };
    }
    const reply = (await (await request("/api/review", fields)).json()) as { ok: boolean; view: View };
    if (!reply.ok) throw new Error(`review of ${next.itemId} was not recorded`);
    view = reply.view;
  }
  throw new Error("the review never ran out");
}

// 2. Learn the day's new cards (and their learning steps).
await reviewUntilDone();
later(30 * MINUTE);

// 3. The lesson's whole quiz, most answers right (a learner who just read it).
await request(`/lessons/${topic.slug}/quiz`, { intent: "start" });
let wrongInQuiz = 0;
for (let asked = 0; asked <= topic.questions.length; asked++) {
  // The page shows one question at a time, named by this attempt's tokens.
  const page = await (await request(`/lessons/${topic.slug}/quiz`)).text();
  const attemptId = /name="attemptId" value="([^"]+)"/.exec(page)?.[1];
  const questionId = /name="questionId" value="([^"]+)"/.exec(page)?.[1];
  if (!attemptId || !questionId) break;
  const q = questions.get(questionId)!;
  const shownAt = String(now);
  later(30 * SECOND);
  const right = random() < 0.75;
  if (!right) wrongInQuiz++;
  await request(`/lessons/${topic.slug}/quiz`, { intent: "answer", attemptId, questionId, shownAt, ...answerFields(q, right, fromHtml(q, page)) });
}
later(60 * MINUTE);

// 4. Whatever comes due the rest of the day.
await reviewUntilDone();

// Count the day's ratings from the log.
const Database = (await import("better-sqlite3")).default;
const db = new Database(path.join(dataDir, "attention-span.db"), { readonly: true });
const rows = db
  .prepare(`SELECT l."itemId" AS itemId, l."source" AS source, i."kind" AS kind FROM "ReviewLog" l JOIN "Item" i ON i."id" = l."itemId" WHERE l."kind" = 'review' AND l."undone" = 0`)
  .all() as { itemId: string; source: string; kind: string }[];
db.close();
const ratings = rows.length;
const items = new Set(rows.map((r) => r.itemId)).size;
const of = (kind: string) => rows.filter((r) => r.kind === kind);
const distinct = (xs: { itemId: string }[]) => new Set(xs.map((r) => r.itemId)).size;
console.log(`lesson: ${topic.slug} (${topic.cards.length} cards, ${topic.questions.length} questions); seed ${args.seed}`);
console.log(`queue on opening: ${firstCounts.new} new, ${firstCounts.learning} learning, ${firstCounts.review} due (new cards per day: 20)`);
console.log(`flashcards: ${of("card").length} ratings for ${distinct(of("card"))} cards`);
console.log(`questions: ${of("quiz").length} ratings for ${distinct(of("quiz"))} questions (${wrongInQuiz} missed in the quiz)`);
console.log(`first day: ${ratings} ratings for ${items} items (${(ratings / items).toFixed(2)} per item)`);
setClock(null);
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
