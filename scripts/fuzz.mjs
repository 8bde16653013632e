#!/usr/bin/env node
/**
 * npm run test:fuzz — every action route against malformed, hostile and
 * cross-learner input: no 5xx, and a rejected request (4xx) changes nothing.
 *
 * Starts one SQLite server, creates learners A and B with some data (reviews,
 * an undo, a quiz attempt, exercise runs and a reveal), then sends --requests
 * requests (seeded PRNG, one at a time, bounded by --seconds) to every action
 * in app/routes: random and malformed fields, missing fields, oversized bodies
 * (1 MB+, also chunked), wrong types (repeated keys, huge, negative, NaN,
 * unicode, null bytes), wrong content types (JSON, multipart with files, text,
 * binary, no body), unknown ids, the other learner's ids (attempts, clientIds,
 * items), other methods, forged or missing sessions, and bad Origins (which
 * must be answered 403).
 *
 * Around every request it fingerprints every learner table (read-only) and checks:
 *  - no 5xx and no dropped connection;
 *  - a request answered 4xx changed no row of any learner table;
 *  - a request made with one learner's session changed no row of the other's;
 *  - a request with a bad Origin was answered 403.
 *  - a redirect (3xx) never leaves the site: its Location is a same-origin path
 *    with no control characters, whatever redirectTo said (TABs, NULs, CR/LF,
 *    backslashes, "//host", non-ASCII).
 * Prints the figures (a FUZZ line per database) and every failing request with
 * the server's log; exits 1 on any failure. Needs `npm run build` first.
 *
 * Runs on SQLite, then on PostgreSQL (a scratch database on DATABASE_URL_PG, or
 * the default local server) when one answers; says so plainly when it cannot.
 *
 *   node scripts/fuzz.mjs [--requests 2500] [--seconds 300] [--seed 20261128] [--database sqlite|postgres|both]
 */
import crypto from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import http from "node:http";
import { formBody, HttpClient } from "./ops/http.mjs";
import { prng, SETTINGS } from "./ops/learner.mjs";
import { main, parseArgs, requireBuild, startApp } from "./ops/proc.mjs";
import { openPgSnapshots, openSnapshots } from "./ops/snapshot.mjs";
import { DEFAULT_PG_URL, pgUnreachable, scratchDatabase } from "./ops/pg.mjs";

const args = parseArgs();
const REQUESTS = Number(args.requests ?? 2500);
const MAX_SECONDS = Number(args.seconds ?? 300);
const SEED = Number(args.seed ?? 20261128);
const DATABASES = String(args.database ?? "both");
const PG_URL = process.env.DATABASE_URL_PG ?? DEFAULT_PG_URL;
const rand = prng(SEED);

const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
let counter = 0;
const freshClientId = () => `fz-${SEED.toString(36)}-${(++counter).toString(36)}-${Math.floor(rand() * 1e9).toString(36)}`;

// --- Hostile values ---------------------------------------------------------------

const MB = 1024 * 1024;
const NASTY = [
  "",
  " ",
  "0",
  "-1",
  "-0",
  "1.5",
  "4.0000001",
  "  3  ",
  "1e308",
  "-1e308",
  "1e-308",
  "9".repeat(40),
  "9007199254740993",
  "2147483648",
  "NaN",
  "Infinity",
  "-Infinity",
  "0x1F",
  "1_000",
  "３",
  "٣",
  "null",
  "undefined",
  "true",
  "false",
  "[]",
  "{}",
  '{"$gt":""}',
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uFFFF",
  "💥🔥",
  "é".repeat(300),
  "x".repeat(5_000),
  "../../../etc/passwd",
  "%00",
  "%",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  '"; DROP TABLE "ReviewLog"; --',
  "\r\n\r\n",
  "\u202Eabc",
  "Europe/Atlantis",
  "UTC\u0000",
  "2026-01-01T00:00:00Z",
  () => String(Date.now()),
  () => String(Date.now() + 365 * 86_400_000),
  () => String(Date.now() - 30 * 86_400_000),
  "0m",
  "99999d",
  "1m 10m 1m 10m 1m 10m 1m 10m 1m",
  "constructor",
  "__proto__",
];
const nasty = () => {
  const v = pick(NASTY);
  return typeof v === "function" ? v() : v;
};

/** redirectTo values: the safe ones, and every way we know to leave the site or break a header. */
const REDIRECTS = [
  "/",
  "/review",
  "/lessons/attention?x=1#y",
  "//evil.example",
  "https://evil.example/",
  "/\t/evil.example/phish",
  "/\n/evil.example",
  "/\r\nSet-Cookie: pwned=1",
  "/%09/evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "/\u0000/evil.example",
  "/\u007f/x",
  " //evil.example",
  "javascript:alert(1)",
  "/caf\u00e9\u0100",
  "/\u2028/evil.example",
];

/** Where a 3xx may point: a path on this site (or our own origin), no control characters. */
function redirectStaysHome(location, base) {
  if (location === undefined || location === null) return true;
  const text = String(location);
  if ([...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c.charCodeAt(0) > 0xff)) return false;
  if (text.startsWith("/") && !text.startsWith("//") && !text.includes("\\")) return new URL(text, base).origin === new URL(base).origin;
  try {
    return new URL(text).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

// --- Bodies -----------------------------------------------------------------------

function multipart(fields, files = []) {
  const boundary = `----fuzz${crypto.randomBytes(8).toString("hex")}`;
  const parts = [];
  for (const [k, v] of Object.entries(fields)) {
    for (const x of Array.isArray(v) ? v : [v]) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${x}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.content, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

// --- Learners ----------------------------------------------------------------------

const PASSWORD = "fuzz password 123";

async function makeLearner(app, agent, name, ids) {
  const client = new HttpClient(app.url, { agent });
  const username = `${name}${process.pid.toString(36)}${Date.now().toString(36)}`;
  const L = { name, client, username, password: PASSWORD, cards: new Map(), clientIds: [], attemptIds: [], questionIds: [], quizAnswers: [], exerciseClientIds: [], exerciseVersions: new Map(), reviewQuiz: [] };
  const must = (res, ok, what) => {
    if (!ok.includes(res.status)) throw new Error(`setup ${name}: ${what} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res;
  };
  must(await client.post("/signup", { username, password: PASSWORD, confirm: PASSWORD, timeZone: "UTC" }), [302, 303], "signup");
  for (const slug of ["attention", "transformers", "tokenization"]) {
    must(await client.get(`/lessons/${slug}`), [200], `GET /lessons/${slug}`);
    must(await client.post(`/lessons/${slug}`, { intent: "study" }), [303], `study /lessons/${slug}`); // ADR 021
  }
  must(await client.post("/account", { ...SETTINGS, newPerDay: "50", reviewCap: "500" }), [200], "settings");
  L.userId = must(await client.get("/account/export"), [200], "export").json().user.id;

  // Reviews, and one undo.
  let view = must(await client.get("/api/review"), [200], "GET /api/review").json().view;
  learnView(L, view);
  for (let i = 0; i < 8; i++) {
    const card = view.entries.find((e) => e.kind === "card");
    if (!card) break;
    const clientId = freshClientId();
    const res = must(await client.post("/api/review", { intent: "rate", itemId: card.itemId, rating: String(int(1, 4)), version: String(card.version), clientId, durationMs: "4000" }), [200], "rate");
    L.clientIds.push(clientId);
    view = res.json().view;
    learnView(L, view);
  }
  const undoId = freshClientId();
  must(await client.post("/api/review", { intent: "undo", clientId: undoId }), [200], "undo");
  L.clientIds.push(undoId);

  // A lesson quiz attempt with one answer (left unfinished).
  must(await client.post("/lessons/attention/quiz", { intent: "start" }), [302, 303], "quiz start");
  const page = must(await client.get("/lessons/attention/quiz"), [200], "quiz page").text;
  const attemptId = /name="attemptId" value="([^"]+)"/.exec(page)?.[1];
  const questionId = /name="questionId" value="([^"]+)"/.exec(page)?.[1];
  if (!attemptId || !questionId) throw new Error(`setup ${name}: no attempt on the quiz page`);
  const m = /name="(choices?)"[^>]*value="([^"]+)"/.exec(page);
  const answer = { intent: "answer", attemptId, questionId, shownAt: String(Date.now() - 5000), ...(m ? { [m[1]]: m[2] } : { value: "1", order: ["0", "1"] }) };
  must(await client.post("/lessons/attention/quiz", answer), [302, 303], "quiz answer");
  L.attemptIds.push(attemptId);
  L.questionIds.push(questionId);
  L.quizAnswers.push(answer);

  // Exercise runs: a failed run on two exercises, a reveal on one of them.
  for (const ex of ["att-ex-softmax", "att-ex-causal-mask"]) {
    const clientId = freshClientId();
    // The server refuses counts that are not the exercise's own (issue 16): read them from its page.
    const page = (await client.get(`/exercises/${ex}`)).text.replace(/<!-- -->/g, "");
    const counts = /(\d+) tests are shown here\. (\d+) hidden tests(?: and (\d+) property checks)?/.exec(page);
    if (!counts) throw new Error(`no test counts on the page of ${ex}`);
    const total = String(Number(counts[1]) + Number(counts[2]) + Number(counts[3] ?? 0));
    const res = must(
      await client.post(`/api/exercises/${ex}`, { intent: "attempt", clientId, version: "0", passed: "false", testsPassed: "3", testsTotal: total, durationMs: "5000", code: "function f(x) { return x; }" }),
      [200],
      `exercise ${ex}`,
    );
    L.exerciseClientIds.push(clientId);
    L.exerciseVersions.set(ex, res.json().version ?? 0);
  }
  const revealId = freshClientId();
  const rev = must(await client.post("/api/exercises/att-ex-causal-mask", { intent: "reveal", clientId: revealId, version: String(L.exerciseVersions.get("att-ex-causal-mask") ?? 0), durationMs: "1000" }), [200], "reveal");
  L.exerciseClientIds.push(revealId);
  L.exerciseVersions.set("att-ex-causal-mask", rev.json().version ?? 0);
  void ids;
  return L;
}

/** Keep what the server showed: card versions, quiz items in the review queue. */
function learnView(L, view) {
  for (const e of view?.entries ?? []) {
    if (e.kind === "card") L.cards.set(e.itemId, e.version);
    if (e.kind === "quiz") L.reviewQuiz.push({ itemId: e.itemId, version: e.version, choice: e.question?.choices?.[0]?.id });
  }
  if (L.reviewQuiz.length > 20) L.reviewQuiz.splice(0, L.reviewQuiz.length - 20);
}

async function ensureSession(L) {
  const res = await L.client.get("/account/export").catch(() => L.client.get("/account/export"));
  if (res.status === 200) return;
  L.client.cookies.clear();
  const login = await L.client.post("/login", { username: L.username, password: L.password });
  if (login.status !== 302 && login.status !== 303) throw new Error(`re-login of ${L.name} failed: ${login.status} ${login.text.slice(0, 200)}`);
}

// --- Past review times (issue 19) ------------------------------------------------------

/**
 * A rating whose client time is before the card's last review, days or weeks
 * old, in the future, or not a time at all: skewed device clocks and an outbox
 * that was offline. The server keeps the time within bounds; never a 5xx.
 */
function pastReviewTime(L, cards) {
  const itemId = L.cards.size && chance(0.9) ? pick([...L.cards.keys()]) : pick(cards);
  const now = Date.now();
  const reviewedAt = pick([
    now - int(1, 60) * 60_000, // minutes behind: often before the last review
    now - int(1, 30) * 86_400_000, // days or weeks behind (beyond the outbox's week too)
    now - 400 * 86_400_000, // a clock reset to last year
    now + int(1, 30) * 86_400_000, // ahead
    1, // the epoch
    8.64e15, // the largest date there is
    now - 1,
  ]);
  return {
    intent: "rate",
    itemId,
    rating: String(int(1, 4)),
    version: String(L.cards.get(itemId) ?? 0),
    clientId: freshClientId(),
    durationMs: String(int(0, 60_000)),
    reviewedAt: chance(0.9) ? String(reviewedAt) : pick(["-5", "0", "1e400", "NaN", "yesterday", ""]),
  };
}

// --- Actions (every action in app/routes) --------------------------------------------

function actions(content) {
  const cards = content.filter((i) => i.kind === "card").map((i) => i.id);
  const quizzes = content.filter((i) => i.kind === "quiz").map((i) => i.id);
  const exercises = content.filter((i) => i.kind === "exercise").map((i) => i.id);
  const slugs = ["attention", "transformers", "tokenization", "training", "books"];
  const cardOf = (L) => (L.cards.size && chance(0.8) ? pick([...L.cards.keys()]) : pick(cards));
  const rate = (L) => {
    const itemId = cardOf(L);
    return {
      intent: "rate",
      itemId,
      rating: String(int(1, 4)),
      version: String(L.cards.get(itemId) ?? 0),
      clientId: chance(0.1) && L.clientIds.length ? pick(L.clientIds) : freshClientId(),
      durationMs: String(int(0, 60_000)),
      ...(chance(0.3) ? { reviewedAt: String(Date.now() - int(0, 3_600_000)) } : {}),
    };
  };
  const answer = (L) => {
    const q = L.reviewQuiz.length ? pick(L.reviewQuiz) : { itemId: pick(quizzes), version: 0, choice: "a" };
    return { intent: "answer", itemId: q.itemId, version: String(q.version), clientId: freshClientId(), durationMs: String(int(0, 60_000)), choice: q.choice ?? "a", value: "1" };
  };
  const undo = () => ({ intent: "undo", clientId: freshClientId() });
  const exercise = (L) => (L.exerciseVersions.size && chance(0.7) ? pick([...L.exerciseVersions.keys()]) : pick(exercises));
  const attempt = (L, id) => {
    const passed = chance(0.3);
    return {
      intent: "attempt",
      clientId: freshClientId(),
      version: String(L.exerciseVersions.get(id) ?? 0),
      passed: String(passed),
      testsPassed: passed ? "10" : String(int(0, 9)),
      testsTotal: "10",
      durationMs: String(int(0, 600_000)),
      code: "function solve(x) {\n  return x.map((v) => v * 2);\n}\n",
      revealed: String(chance(0.2)),
    };
  };
  return [
    // Anonymous forms.
    { name: "signup", anon: 0.8, build: () => ({ path: "/signup", fields: { username: `fz${Date.now().toString(36)}${(++counter).toString(36)}`, password: "fuzz password 456", confirm: "fuzz password 456", timeZone: "UTC", redirectTo: pick(REDIRECTS) } }) },
    { name: "login", anon: 0.8, build: (L, V) => ({ path: "/login", fields: { username: pick([L.username, V.username, "nobody-here", "nobody\u0000here", `${L.username}\u0000`]), password: chance(0.4) ? PASSWORD : "wrong password", redirectTo: pick(REDIRECTS) } }) },
    { name: "logout", anon: 0.2, build: () => ({ path: "/logout", fields: {} }) },
    // Account.
    { name: "account:settings", build: () => ({ path: "/account", fields: { ...SETTINGS, newPerDay: "50", reviewCap: "500", timeZone: pick(["UTC", "Europe/Paris", "America/New_York"]) } }) },
    { name: "account:change-password", build: () => ({ path: "/account", fields: { intent: "change-password", current: "not the password", password: "another password 1", confirm: "another password 1" } }) },
    { name: "account:logout-everywhere", build: () => ({ path: "/account", fields: { intent: "logout-everywhere" } }) },
    { name: "account:delete-account", build: () => ({ path: "/account", fields: { intent: "delete-account", password: "not the password" } }) },
    { name: "account:unknown-intent", build: () => ({ path: "/account", fields: { intent: pick(["settings ", "SETTINGS", "delete", "export", ""]) } }) },
    // Reviews: the JSON API and the no-JavaScript form.
    { name: "api.review:rate", build: (L) => ({ path: "/api/review", fields: rate(L), ids: true }) },
    { name: "api.review:answer", build: (L) => ({ path: "/api/review", fields: answer(L), ids: true }) },
    { name: "api.review:undo", build: () => ({ path: "/api/review", fields: undo(), ids: true }) },
    { name: "api.review:past-time", build: (L) => ({ path: "/api/review", fields: pastReviewTime(L, cards), ids: true }) },
    { name: "review:rate", build: (L) => ({ path: "/review", fields: rate(L), ids: true }) },
    { name: "review:answer", build: (L) => ({ path: "/review", fields: answer(L), ids: true }) },
    { name: "review:undo", build: () => ({ path: "/review", fields: undo(), ids: true }) },
    { name: "review:past-time", build: (L) => ({ path: "/review", fields: pastReviewTime(L, cards), ids: true }) },
    // Lesson quizzes.
    { name: "quiz:start", build: () => ({ path: `/lessons/${chance(0.85) ? pick(slugs) : pick(["nope", "..%2F..", "attention%00", "x".repeat(300)])}/quiz`, fields: { intent: "start" } }) },
    {
      name: "quiz:answer",
      build: (L) => {
        const base = L.quizAnswers.length ? { ...pick(L.quizAnswers) } : { intent: "answer", attemptId: "none", questionId: pick(quizzes), choice: "a" };
        if (chance(0.5)) base.questionId = pick(quizzes);
        return { path: `/lessons/${chance(0.8) ? "attention" : pick(slugs)}/quiz`, fields: { ...base, shownAt: String(Date.now() - int(0, 100_000)) }, ids: true };
      },
    },
    // Exercises.
    {
      name: "api.exercises:attempt",
      build: (L) => {
        const id = exercise(L);
        return { path: `/api/exercises/${encodeURIComponent(chance(0.9) ? id : pick([pick(cards), "nope", "../review", "x".repeat(200)]))}`, fields: attempt(L, id), ids: true };
      },
    },
    {
      name: "api.exercises:reveal",
      build: (L) => {
        const id = exercise(L);
        return { path: `/api/exercises/${encodeURIComponent(id)}`, fields: { intent: "reveal", clientId: freshClientId(), version: String(L.exerciseVersions.get(id) ?? 0), durationMs: String(int(0, 60_000)) }, ids: true };
      },
    },
    // Routes with no action, and no route at all.
    { name: "exercises.$id (no action)", build: (L) => ({ path: `/exercises/${exercise(L)}`, fields: attempt(L, "att-ex-softmax") }) },
    {
      name: "loader-only routes",
      build: () => ({
        path: pick(["/", "/lessons", "/lessons/attention", "/progress", "/progress/stats", "/progress/attention", "/overview", "/exercises", "/help/mastery", "/healthz", "/account/export", "/diagrams/attention/none.svg"]),
        fields: { intent: pick(["rate", "start", "settings", "delete-account"]) },
      }),
    },
    { name: "unknown route", build: () => ({ path: `/${pick(["nope", "api/nope", "api/review/extra", "lessons/attention/quiz/extra", "admin"])}`, fields: { intent: "rate" } }) },
  ];
}

// --- Mutations ----------------------------------------------------------------------

/** Replace ids with the other learner's (attempts, clientIds, items, questions). */
function crossIds(fields, V, req) {
  const out = { ...fields };
  if ("attemptId" in out && V.attemptIds.length) out.attemptId = pick(V.attemptIds);
  if ("questionId" in out && V.questionIds.length && chance(0.5)) out.questionId = pick(V.questionIds);
  if ("clientId" in out) out.clientId = pick([...V.clientIds, ...V.exerciseClientIds]);
  if ("itemId" in out && V.cards.size) {
    out.itemId = pick([...V.cards.keys()]);
    out.version = String(V.cards.get(out.itemId) ?? 0);
  }
  if ("version" in out && req.path.startsWith("/api/exercises/")) {
    const id = decodeURIComponent(req.path.split("/").pop());
    out.version = String(V.exerciseVersions.get(id) ?? out.version);
  }
  return out;
}

const FIELD_MUTATIONS = {
  drop(f) {
    const keys = Object.keys(f);
    if (keys.length) delete f[pick(keys)];
  },
  dropAll(f) {
    for (const k of Object.keys(f)) if (k !== "intent" || chance(0.5)) delete f[k];
  },
  nasty(f) {
    const keys = Object.keys(f);
    f[keys.length && chance(0.9) ? pick(keys) : pick(["intent", "clientId", "version", "rating", "itemId", "attemptId", "code"])] = nasty();
  },
  nastyAll(f) {
    for (const k of Object.keys(f)) if (chance(0.5)) f[k] = nasty();
  },
  array(f) {
    const keys = Object.keys(f);
    if (keys.length) {
      const k = pick(keys);
      f[k] = [String(f[k]), nasty()];
      if (chance(0.5)) f[k].reverse();
    }
  },
  unknownId(f) {
    for (const k of ["itemId", "attemptId", "questionId", "clientId"]) if (k in f) f[k] = pick(["nope", "x".repeat(100), "x".repeat(101), "cm0000000000000000000000", crypto.randomUUID(), "a".repeat(8), "a".repeat(65)]);
  },
  extra(f) {
    for (let i = 0; i < int(1, 5); i++) f[pick(["__proto__", "constructor", "prototype", "intent[]", "userId", "id", "toString", "hasOwnProperty", `junk${i}`])] = nasty();
  },
  manyFields(f) {
    for (let i = 0; i < 3000; i++) f[`f${i}`] = String(i);
  },
  bigField(f) {
    const keys = Object.keys(f);
    f[keys.length && chance(0.7) ? pick(keys) : "code"] = "A".repeat(int(1, 2) * MB + 17);
  },
};

/** How the fields are sent. Returns { body, headers, label } (body may be undefined). */
function encode(fields, req) {
  const roll = rand();
  if (roll < 0.55) return { body: formBody(fields), headers: { "Content-Type": "application/x-www-form-urlencoded" }, label: "form" };
  if (roll < 0.62) return { body: JSON.stringify(fields), headers: { "Content-Type": pick(["application/json", "application/json; charset=utf-8"]) }, label: "json" };
  if (roll < 0.7) {
    const files = chance(0.6)
      ? [{ name: pick([...Object.keys(fields), "file", "code"].filter(Boolean)), filename: pick(["x.bin", "../../x.sh", "a\u0000b.txt", "é.txt"]), type: pick(["application/octet-stream", "text/plain"]), content: crypto.randomBytes(chance(0.3) ? int(1, 2) * MB : int(0, 4096)) }]
      : [];
    const m = multipart(fields, files);
    return { body: m.body, headers: { "Content-Type": m.contentType }, label: `multipart${files.length ? "+file" : ""}` };
  }
  if (roll < 0.73) {
    const m = multipart(fields);
    return { body: m.body, headers: { "Content-Type": pick(["multipart/form-data", "multipart/form-data; boundary=wrong", "multipart/form-data; boundary="]) }, label: "multipart-bad-boundary" };
  }
  if (roll < 0.76) return { body: Object.entries(fields).map(([k, v]) => `${k}=${v}`).join("\n"), headers: { "Content-Type": "text/plain" }, label: "text" };
  if (roll < 0.79) return { body: undefined, headers: { "Content-Type": "application/x-www-form-urlencoded" }, label: "no-body" };
  if (roll < 0.82) return { body: formBody(fields), headers: { "Content-Type": null }, label: "no-content-type" };
  if (roll < 0.85) return { body: crypto.randomBytes(int(1, 2048)), headers: { "Content-Type": pick(["application/x-www-form-urlencoded", "application/octet-stream", "multipart/form-data; boundary=x"]) }, label: "binary" };
  if (roll < 0.88) return { body: `${formBody(fields)}&bad=%E0%A4%A&x=%FF%FE&y=%`, headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" }, label: "bad-encoding" };
  if (roll < 0.91) {
    // 1 MB+ with no Content-Length (chunked), past any length check.
    return { body: `${formBody(fields)}&pad=${"p".repeat(int(1, 2) * MB + 5)}`, headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, label: "chunked-1mb" };
  }
  if (roll < 0.94) return { body: `${formBody(fields)}&pad=${"p".repeat(MB + 9)}`, headers: { "Content-Type": "application/x-www-form-urlencoded" }, label: "oversized-1mb" };
  if (roll < 0.95) {
    // Far past the limit, chunked: the server must cut it off, not read it all.
    return { body: `${formBody(fields)}&pad=${"p".repeat(int(6, 12) * MB)}`, headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }, label: "chunked-huge" };
  }
  void req;
  return { body: formBody(fields), headers: { "Content-Type": "application/x-www-form-urlencoded;charset=ISO-8859-1" }, label: "form-latin1" };
}

// --- Main ---------------------------------------------------------------------------

const preview = (body) => {
  if (body === undefined) return "(no body)";
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const escape = (c) => {
    const n = c.codePointAt(0);
    return (n < 32 && n !== 9 && n !== 10) || n === 127 ? `\\x${n.toString(16).padStart(2, "0")}` : c;
  };
  const head = [...buf.subarray(0, 400).toString("utf8")].map(escape).join("");
  return `${buf.length} bytes: ${head}${buf.length > 400 ? "…" : ""}`;
};

async function fuzzOne(provider) {
  const pgDb = provider === "postgresql" ? await scratchDatabase(PG_URL, "fuzz") : null;
  const app = await startApp({ env: { SESSION_SECRET: crypto.randomBytes(32).toString("base64url"), RATE_LIMIT_USER: "100000/900", ...(pgDb ? { DATABASE_URL: pgDb.url } : {}) }, name: `app-${provider}` });
  const dbFile = path.join(app.dataDir, "attention-span.db");
  // A new connection per request: a connection the server drops is then this request's, never a stale keep-alive one's.
  const agent = new http.Agent({ keepAlive: false });
  let content;
  if (pgDb) {
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: pgDb.url });
    await c.connect();
    content = (await c.query(`SELECT "id", "kind" FROM "Item" WHERE "retiredAt" IS NULL`)).rows;
    await c.end();
  } else {
    const contentDb = new Database(dbFile, { readonly: true, fileMustExist: true });
    content = contentDb.prepare(`SELECT "id", "kind" FROM "Item" WHERE "retiredAt" IS NULL`).all();
    contentDb.close();
  }

  const A = await makeLearner(app, agent, "fuzza");
  const B = await makeLearner(app, agent, "fuzzb");
  const snaps = pgDb ? await openPgSnapshots(pgDb.url, [A.userId, B.userId]) : openSnapshots(dbFile, [A.userId, B.userId]);
  const anon = new HttpClient(app.url, { agent });
  const acts = actions(content);
  console.log(`fuzz (${provider}): seed ${SEED}; learners A (${A.userId}) and B (${B.userId}) with ${A.clientIds.length + B.clientIds.length} reviews, 2 quiz attempts, ${A.exerciseClientIds.length + B.exerciseClientIds.length} exercise runs`);
  console.log(`fuzz: ${acts.length} actions; fingerprinting ${snaps.tables.length} learner tables (${snaps.tables.join(", ")}) around every request`);

  const stats = { tried: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0, noAnswer: 0, offsiteRedirects: 0, badOriginTried: 0, badOriginNot403: 0, rejectedWithChanges: 0, acceptedWithChanges: 0, crossLearnerChanges: 0, crossIdsTried: 0, bigBodies: 0 };
  const perAction = new Map();
  const failures = [];
  const started = Date.now();

  while (stats.tried < REQUESTS && Date.now() - started < MAX_SECONDS * 1000) {
    const act = pick(acts);
    const actorIsAnon = chance(act.anon ?? 0.08);
    const L = chance(0.5) ? A : B;
    const V = L === A ? B : A;
    const actor = actorIsAnon ? null : L;
    const req = act.build(L, V);
    let fields = { ...req.fields };
    const labels = [];
    if (req.ids && actor && chance(0.3)) {
      fields = crossIds(fields, V, req);
      labels.push("other-learner-ids");
      stats.crossIdsTried++;
    }
    const n = chance(0.12) ? 0 : chance(0.75) ? 1 : int(2, 3);
    for (let i = 0; i < n; i++) {
      const name = pick(Object.keys(FIELD_MUTATIONS).filter((k) => (k === "bigField" || k === "manyFields" ? chance(0.25) : true)));
      FIELD_MUTATIONS[name](fields);
      labels.push(name);
    }
    const enc = encode(fields, req);
    labels.push(enc.label);
    const headers = { ...enc.headers };
    let origin; // undefined: our own
    let badOrigin = false;
    const h = rand();
    if (h < 0.06) {
      origin = pick(["http://evil.example", "null", "https://127.0.0.1", `http://127.0.0.1:${app.port + 1}`, `http://localhost:${app.port}`, "http://127.0.0.1", `${app.url}.evil.example`]);
      badOrigin = true;
      labels.push(`origin=${origin}`);
    } else if (h < 0.08) {
      origin = null; // no Origin, no Referer
      badOrigin = true;
      labels.push("no-origin");
    } else if (h < 0.1) {
      origin = null;
      headers.Referer = `${app.url}/review`;
      labels.push("referer-only");
    } else if (h < 0.11) {
      origin = null;
      headers.Referer = pick(["http://evil.example/", "not a url", `${app.url.replace("127.0.0.1", "localhost")}/`]);
      badOrigin = true;
      labels.push(`referer=${headers.Referer}`);
    }
    if (actor && chance(0.03)) {
      headers.Cookie = pick(["__session=forged", `__session=${"A".repeat(5000)}`, "__session=", "garbage"]);
      labels.push("forged-cookie");
    }
    const method = chance(0.06) ? pick(["PUT", "PATCH", "DELETE"]) : "POST";
    const client = actor ? actor.client : anon;
    if (!actor) anon.cookies.clear();
    const body = enc.body;
    const size = body === undefined ? 0 : Buffer.byteLength(body);
    if (size > MB) stats.bigBodies++;

    const before = await snaps.take();
    const logMark = app.logMark();
    let res = null;
    let error = null;
    try {
      res = await client.request(method, req.path, { body, headers, origin, timeoutMs: 30_000 });
    } catch (e) {
      error = e;
    }
    const after = await snaps.take();
    stats.tried++;
    const key = act.name;
    const pa = perAction.get(key) ?? { n: 0, statuses: new Map() };
    perAction.set(key, pa);
    pa.n++;
    const status = res?.status ?? 0;
    pa.statuses.set(status, (pa.statuses.get(status) ?? 0) + 1);

    const problems = [];
    if (!res) {
      // A server can close the connection on a body it refuses outright; anything else is a failure.
      stats.noAnswer++;
      problems.push(`no answer: ${error?.code ?? ""} ${error?.message ?? error}`);
      if (app.child.exitCode !== null || app.child.signalCode !== null) {
        problems.push("the server process died");
      }
    } else if (status >= 500) {
      stats.s5xx++;
      problems.push(`${status}`);
    } else if (status >= 400) stats.s4xx++;
    else if (status >= 300) {
      stats.s3xx++;
      if (!redirectStaysHome(res.headers.location, app.url)) {
        stats.offsiteRedirects++;
        problems.push(`redirect to ${JSON.stringify(res.headers.location)} leaves the site`);
      }
    } else stats.s2xx++;
    if (badOrigin) {
      stats.badOriginTried++;
      if (status !== 403) {
        stats.badOriginNot403++;
        problems.push(`bad origin answered ${status}, not 403`);
      }
    }
    if (status > 0 && status < 400 && snaps.changed(before, after).length) stats.acceptedWithChanges++;
    if (status >= 400 && status < 500) {
      const changed = snaps.changed(before, after);
      if (changed.length) {
        stats.rejectedWithChanges++;
        problems.push(`answered ${status} but changed ${changed.join(", ")}`);
      }
    }
    if (actor) {
      const changed = snaps.changed(before, after, V.userId);
      if (changed.length) {
        stats.crossLearnerChanges++;
        problems.push(`${actor.name}'s request changed ${V.name}'s rows in ${changed.join(", ")}`);
      }
    }
    if (problems.length) {
      await new Promise((r) => setTimeout(r, 50)); // let the server's stderr arrive
      failures.push({
        n: stats.tried,
        problems,
        actor: actor?.name ?? "anonymous",
        action: act.name,
        mutations: labels,
        request: `${method} ${req.path}`,
        headers: Object.fromEntries(Object.entries({ ...headers, Origin: origin === undefined ? app.url : origin }).filter(([, v]) => v !== null && v !== undefined)),
        body: preview(body),
        fields: JSON.stringify(fields, (_k, v) => (typeof v === "string" && v.length > 200 ? `${v.slice(0, 40)}…(${v.length} chars)` : v)),
        response: res ? `${status} ${String(res.headers["content-type"] ?? "")} ${res.text.slice(0, 400)}` : "(none)",
        serverLog: app.logsSince(logMark).slice(0, 3000),
      });
      if (!res && (app.child.exitCode !== null || app.child.signalCode !== null)) break;
    }

    // Keep the learners logged in (logout, logout-everywhere and forged cookies may end a session).
    if (actor && (status < 400 || labels.includes("forged-cookie")) && (req.path === "/logout" || req.path === "/account")) await ensureSession(actor);
    // Keep what the server told us (versions), so later requests are valid more often.
    if (actor && res && String(res.headers["content-type"] ?? "").includes("application/json")) {
      try {
        const j = res.json();
        if (j.view) learnView(actor, j.view);
        if (req.path.startsWith("/api/exercises/") && typeof j.version === "number") actor.exerciseVersions.set(decodeURIComponent(req.path.split("/").pop()), j.version);
      } catch {
        /* not ours to parse */
      }
    }
    if (stats.tried % 250 === 0) {
      await ensureSession(A);
      await ensureSession(B);
      console.log(`  … ${stats.tried} requests (${((Date.now() - started) / 1000).toFixed(0)} s): 5xx ${stats.s5xx}, 4xx with changes ${stats.rejectedWithChanges}, cross-learner changes ${stats.crossLearnerChanges}`);
    }
  }
  await snaps.close();
  agent.destroy();
  await app.stop();

  console.log("\nper action: requests (statuses)");
  for (const [name, pa] of [...perAction].sort()) {
    console.log(`  ${name.padEnd(28)} ${String(pa.n).padStart(5)}  (${[...pa.statuses].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s || "none"}:${c}`).join(" ")})`);
  }
  // One example per kind of failure: the route, the problem, and the server's first error line.
  const groups = new Map();
  for (const f of failures) {
    // The last error in the slice is this request's (an earlier one may be the previous request's, logged late).
    const errors = [...f.serverLog.matchAll(/^\s*(\w*Error\b.*)$/gm)];
    const lastError = errors.at(-1);
    if (lastError) f.serverLog = f.serverLog.slice(lastError.index);
    const firstError = lastError?.[1]?.slice(0, 160) ?? "";
    const sig = `${f.request.split(" ")[1].replace(/\/(api\/)?exercises\/[^/]+/, "/$1exercises/:id").replace(/\/lessons\/[^/]+/, "/lessons/:slug")} | ${f.problems.map((p) => p.replace(/\d+ -> \d+/g, "")).join("; ")} | ${firstError}`;
    const g = groups.get(sig) ?? { count: 0, example: f, actions: new Set(), mutations: new Set() };
    groups.set(sig, g);
    g.count++;
    g.actions.add(f.action);
    f.mutations.forEach((m) => g.mutations.add(m));
  }
  if (groups.size) console.log(`\n${failures.length} failing requests, ${groups.size} distinct kinds:`);
  for (const [sig, g] of groups) {
    const f = g.example;
    console.log(`\nFAILURE x${g.count}: ${sig}`);
    console.log(`  seen with actions ${[...g.actions].join(", ")}; mutations ${[...g.mutations].join(", ")}`);
    console.log(`  example (request #${f.n}, actor ${f.actor}, action ${f.action}, mutations ${f.mutations.join(", ")}):`);
    console.log(`  ${f.request}`);
    console.log(`  headers ${JSON.stringify(f.headers)}`);
    console.log(`  fields ${f.fields}`);
    console.log(`  body ${f.body}`);
    console.log(`  response ${f.response}`);
    if (f.serverLog.trim()) console.log(`  server log:\n${f.serverLog.split("\n").slice(0, 12).join("\n").replace(/^/gm, "    | ")}`);
  }
  const ok = failures.length === 0 && stats.tried > 0;
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\nFUZZ database=${provider} requests=${stats.tried} seconds=${seconds.toFixed(0)} status_2xx=${stats.s2xx} status_3xx=${stats.s3xx} status_4xx=${stats.s4xx} status_5xx=${stats.s5xx} no_answer=${stats.noAnswer} rejected_with_changes=${stats.rejectedWithChanges} accepted_with_changes=${stats.acceptedWithChanges} cross_learner_changes=${stats.crossLearnerChanges} bad_origin=${stats.badOriginTried} bad_origin_not_403=${stats.badOriginNot403} offsite_redirects=${stats.offsiteRedirects} other_learner_ids=${stats.crossIdsTried} bodies_over_1mb=${stats.bigBodies} seed=${SEED} result=${ok ? "PASS" : "FAIL"}`,
  );
  return ok;
}

await main(async () => {
  requireBuild();
  const providers = [];
  if (DATABASES === "sqlite" || DATABASES === "both") providers.push("sqlite");
  if (DATABASES === "postgres" || DATABASES === "postgresql" || DATABASES === "both") {
    const unreachable = await pgUnreachable(PG_URL);
    if (unreachable === null) providers.push("postgresql");
    else if (DATABASES === "both") console.log(`fuzz: PostgreSQL skipped: no server answers at ${PG_URL.replace(/:[^:@/]*@/, ":***@")} (${unreachable}); set DATABASE_URL_PG to fuzz it too.`);
    else throw new Error(`PostgreSQL does not answer at ${PG_URL}: ${unreachable}`);
  }
  let ok = true;
  for (const provider of providers) ok = (await fuzzOne(provider)) && ok;
  return ok ? 0 : 1;
});
