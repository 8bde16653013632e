/**
 * Simulated learners for the load and durability scripts: sign up through the
 * real routes, open lessons, raise the daily limits, then the real review loop
 * of the JSON API (GET /api/review, then one POST per rating with the version
 * the server showed, the queue refreshed from each reply's view).
 */
import crypto from "node:crypto";
import { HttpClient, isConnectionError } from "./http.mjs";
import { sleep } from "./proc.mjs";

export const LESSONS = ["transformers", "attention", "tokenization", "training", "books"];
export const PASSWORD = "load test password";

/** mulberry32: a small seeded PRNG, so runs can be repeated. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mostly Again and Hard, so cards keep cycling through the learning steps. */
export function pickRating(rand) {
  const x = rand();
  return x < 0.45 ? 1 : x < 0.8 ? 2 : x < 0.95 ? 3 : 4;
}

export const SETTINGS = {
  intent: "settings",
  desiredRetention: "0.9",
  newPerDay: "500",
  reviewCap: "5000",
  dayStartHour: "4",
  timeZone: "UTC",
  maximumInterval: "36500",
  learningSteps: "1m 10m",
  relearningSteps: "10m",
};

/** Signs up, opens every lesson and studies its flashcards (ADR 021), raises the limits. Throws with the reason on failure. */
export async function setUpLearner(client, username, { lessons = LESSONS, settings = SETTINGS } = {}) {
  const signup = await client.post("/signup", { username, password: PASSWORD, confirm: PASSWORD, timeZone: "UTC" });
  if (signup.status !== 302 && signup.status !== 303) throw new Error(`signup ${username}: ${signup.status} ${signup.text.slice(0, 300)}`);
  for (const slug of lessons) {
    const res = await client.get(`/lessons/${slug}`);
    if (res.status !== 200) throw new Error(`GET /lessons/${slug}: ${res.status}`);
    const study = await client.post(`/lessons/${slug}`, { intent: "study" });
    if (study.status !== 303) throw new Error(`POST /lessons/${slug} (study): ${study.status}`);
  }
  const res = await client.post("/account", settings);
  if (res.status !== 200) throw new Error(`settings: ${res.status} ${res.text.slice(0, 300)}`);
  client.username = username;
  return client;
}

/** Runs `fn(i)` for i in [0, n) with at most `limit` at a time. */
export async function pool(n, limit, fn) {
  let next = 0;
  const results = new Array(n);
  await Promise.all(
    Array.from({ length: Math.min(n, limit) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

export async function setUpLearners({ base, agent, count, prefix, origin, concurrency = 8 }) {
  const tag = `${prefix}${process.pid.toString(36)}${Date.now().toString(36)}`.slice(0, 24);
  return pool(count, concurrency, (i) => setUpLearner(new HttpClient(base, { agent, origin }), `${tag}-${i}`));
}

const firstCard = (view) => view?.entries?.find((e) => e.kind === "card") ?? null;

/**
 * One learner's review loop until `until` (ms since epoch).
 *
 * options.record(kind, status, ms): every HTTP answer (kind "get" or "post").
 * options.retry: behave like the app's outbox: a request that got no answer
 *   (connection error, or a proxy's 502/503/504) is sent again with the SAME
 *   clientId until it is answered; options.onAck(clientId, body) for each 2xx.
 * options.undoRate: share of actions that are an undo (durability only).
 * options.bases: several app addresses to spread requests over, round-robin,
 *   moving on to the next one when a connection fails (no proxy in front).
 */
export async function reviewLoop(client, { until, rand, record = () => {}, retry = false, onAck = () => {}, onRetry = () => {}, undoRate = 0, bases = null, hardStop = until + 30_000, timeoutMs = 15_000 }) {
  let view = null;
  let n = 0;
  let baseIndex = Math.floor(rand() * (bases?.length ?? 1));
  const nextBase = () => (bases ? bases[baseIndex++ % bases.length] : undefined);
  const prefix = crypto.randomBytes(6).toString("base64url");

  /** Sends until answered (retry) or once; returns the response or null. */
  async function send(method, pathname, form) {
    let delay = 25;
    for (;;) {
      const base = nextBase();
      let res = null;
      try {
        res = await client.request(method, pathname, { form, base, timeoutMs });
      } catch (e) {
        if (!isConnectionError(e)) throw e;
        record(method === "GET" ? "get" : "post", 0, 0, e.code ?? e.message);
        if (!retry || Date.now() > hardStop) return null;
      }
      if (res) {
        const noAnswer = retry && [502, 503, 504].includes(res.status) && !isJson(res);
        record(method === "GET" ? "get" : "post", res.status, res.ms, noAnswer ? "proxy" : undefined, res.status >= 500 ? `${pathname} ${res.text.slice(0, 200)}` : undefined);
        if (!noAnswer) return res;
        if (Date.now() > hardStop) return null;
      }
      onRetry(method, pathname);
      await sleep(delay + rand() * delay);
      delay = Math.min(delay * 2, 500);
    }
  }

  while (Date.now() < until) {
    if (!firstCard(view)) {
      const res = await send("GET", "/api/review");
      if (!res || res.status !== 200) {
        view = null;
        await sleep(200);
        continue;
      }
      view = res.json().view;
      if (!firstCard(view)) {
        await sleep(500); // nothing due right now
        continue;
      }
    }
    const card = firstCard(view);
    const clientId = `${prefix}-${(++n).toString(36)}`;
    const undo = undoRate > 0 && rand() < undoRate;
    const form = undo
      ? { intent: "undo", clientId }
      : { intent: "rate", itemId: card.itemId, rating: String(pickRating(rand)), version: String(card.version), clientId, durationMs: String(1000 + Math.floor(rand() * 9000)) };
    const res = await send("POST", "/api/review", form);
    if (!res) {
      if (retry) break; // past the hard stop
      view = null; // no answer: ask for the queue again
      continue;
    }
    let body = null;
    try {
      body = res.json();
    } catch {
      body = null;
    }
    if (res.status >= 200 && res.status < 300 && body?.ok) onAck(clientId, body, form);
    view = body?.view ?? null;
    if (undo) view = null; // the undone card comes back: ask for the queue again
  }
}

function isJson(res) {
  return String(res.headers["content-type"] ?? "").includes("application/json");
}
