/**
 * npm run bench:optimize — the per-learner optimizer (ADR 026) on a synthetic
 * learner made with ts-fsrs from known weights unlike the defaults: 100,000
 * reviews over 5,000 items. 4,000 items' reviews go into the learner's review
 * log and through the real path (runLeasedFit: the log read, training items,
 * the worker's fit and evaluation, the adopt rule, the settings written); the
 * other 1,000 items are held out, and the default, fitted and generating
 * weights are evaluated on them. Then POST /api/review through the production
 * build's request handler, p50/p99, idle and while fits run, in the same run,
 * with the event loop's delay in each phase (what of a fit still runs on the
 * server's thread: ADR 029 moved the log read and the items to the child).
 * The reviews go to the learner's own cards (ADR 025): they have no siblings
 * to bury (ADR 027), so the queue never runs dry however many runs.
 * Figures, not assertions: see docs/benchmarks.md.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "as-bench-optimize-"));
process.env.DATA_DIR = dataDir;
process.env.NODE_ENV = "production";
process.env.DATABASE_URL = "";
process.env.OPTIMIZER = "off"; // this script runs the fits itself
process.env.WRITE_CAP_REVIEW ??= "100000/60"; // a load generator, not a learner
const ITEMS = 5_000;
const REVIEWS_PER_ITEM = 20;
const HELD_OUT = 1_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
/** Enough due cards for every review of the run (warm-up, idle, during fits, idle again), rated Again or not. */
const OWN_CARDS = 50 + 3 * RUNS + 200;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const { createRequestHandler } = await import("@remix-run/node");
const build = await import(path.join(root, "build/server/index.js"));
await build.entry.module.startup({ log: () => undefined });
const handler = createRequestHandler(build, "production");
const { syntheticLog, SYNTHETIC_WEIGHTS } = await import("../app/optimizer/synthetic");
const { trainingItems } = await import("../app/optimizer/items");
const { requestFit, takeLease, runLeasedFit } = await import("../app/optimizer/jobs.server");
const { FSRSBinding, FSRSBindingItem, FSRSBindingReview } = await import("@open-spaced-repetition/binding");
const { default_w } = await import("ts-fsrs");
const Database = (await import("better-sqlite3")).default;
const { setClock } = await import("../app/utils/clock.server");
// The app's clock moves 30 s a review, so cards rated Again come back in their 10 minutes and the queue never runs dry.
let offset = 0;
setClock(() => Date.now() + offset);

const origin = "http://bench.local";
const signup = await handler(
  new Request(`${origin}/signup`, {
    method: "POST",
    body: new URLSearchParams({ username: "bench", password: "benchmark password", confirm: "benchmark password" }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  }),
);
const cookie = signup.headers.get("set-cookie")!.split(";")[0]!;

// Exactly ITEMS * REVIEWS_PER_ITEM reviews: the whole synthetic history is moved back so that its last review was yesterday.
const generated = syntheticLog({ items: ITEMS, reviewsPerItem: REVIEWS_PER_ITEM, seed: 2026, start: new Date(Date.now() - 50 * 365 * 86_400_000) });
const latest = generated.reduce((m, e) => Math.max(m, e.reviewedAt.getTime()), -Infinity);
const shift = latest - (Date.now() - 86_400_000);
const log = generated.map((e) => ({ ...e, reviewedAt: new Date(e.reviewedAt.getTime() - Math.max(0, shift)) }));
const heldOutIds = new Set(Array.from({ length: HELD_OUT }, (_, i) => `synthetic-${i * (ITEMS / HELD_OUT)}`));
const train = log.filter((e) => !heldOutIds.has(e.itemId));
const heldOut = log.filter((e) => heldOutIds.has(e.itemId));

// Seed: the training reviews in the learner's log; the real flashcards due now, so the route has cards to review.
const file = path.join(dataDir, "attention-span.db");
const db = new Database(file);
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const userId = (db.prepare("SELECT id FROM User WHERE usernameKey = 'bench'").get() as { id: string }).id;
const now = Date.now();
const DAY = 86_400_000;
db.transaction(() => {
  const insLog = db.prepare(
    "INSERT INTO ReviewLog (userId, itemId, clientId, kind, source, rating, prevState, reviewedAt, durationMs, stateBefore, stateAfter) VALUES (?, ?, ?, 'review', 'review', ?, ?, ?, 4000, '{}', '{}')",
  );
  train.forEach((e, i) => insLog.run(userId, e.itemId, `seed-${i}`, e.rating, e.prevState, iso(e.reviewedAt.getTime())));
  // The learner's own cards, all due: no two are siblings, and each is reviewed at most once or twice in the run (no leeches).
  const topics = (db.prepare("SELECT id FROM Topic").all() as { id: string }[]).map((t) => t.id);
  const insCard = db.prepare("INSERT INTO OwnCard (id, userId, topicId, section, front, back, createdAt, updatedAt) VALUES (?, ?, ?, '', ?, ?, ?, ?)");
  const insState = db.prepare(
    "INSERT INTO ItemState (userId, itemId, due, stability, difficulty, elapsedDays, scheduledDays, learningSteps, reps, lapses, state, lastReview, version) VALUES (?, ?, ?, 5, 5, 0, 5, 0, 3, 0, 2, ?, 3)",
  );
  for (let i = 0; i < OWN_CARDS; i++) {
    const id = `benchcard${String(i).padStart(5, "0")}`;
    insCard.run(id, userId, topics[i % topics.length]!, `Bench question ${i}`, `Bench answer ${i}`, iso(now - 30 * DAY), iso(now - 30 * DAY));
    insState.run(userId, `own:${id}`, iso(now - (i % 5) * DAY), iso(now - 6 * DAY));
  }
  const visit = db.prepare("INSERT OR IGNORE INTO LessonVisit (userId, topicId, firstOpened) VALUES (?, ?, ?)");
  for (const t of topics) visit.run(userId, t, iso(now - 30 * DAY));
})();
db.prepare("UPDATE Settings SET reviewCap = 5000 WHERE userId = ?").run(userId);
db.pragma("wal_checkpoint(TRUNCATE)");
db.exec("ANALYZE");
db.close();

type Reply = { ok: boolean; status?: string; view: { entries: { itemId: string; version: number; kind: string }[] } };
const post = async (form: Record<string, string>) => {
  const started = performance.now();
  const res = await handler(new Request(`${origin}/api/review`, { method: "POST", body: new URLSearchParams(form), headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie } }));
  const text = await res.text();
  return { ms: performance.now() - started, body: JSON.parse(text) as Reply, status: res.status };
};
let queue: Reply["view"]["entries"] = [];
let errors = 0;
let ratingTurn = 0;
async function reviewOnce(): Promise<number> {
  if (!queue.length) {
    const res = await handler(new Request(`${origin}/api/review`, { headers: { Cookie: cookie } }));
    queue = ((await res.json()) as Reply).view.entries.filter((e) => e.kind === "card");
  }
  offset += 30_000;
  const next = queue.shift();
  if (!next) throw new Error(`the queue ran out after ${ratingTurn} reviews`);
  const r = await post({ intent: "rate", itemId: next.itemId, rating: String([1, 2, 1, 3][ratingTurn++ % 4]), version: String(next.version), clientId: crypto.randomUUID(), durationMs: "3000" });
  if (r.status !== 200) errors++;
  queue = r.body.view.entries.filter((e) => e.kind === "card");
  return r.ms;
}

// The fit, through the real path, timed whole.
async function fitOnce() {
  const started = new Date();
  await requestFit(userId, started);
  if (!(await takeLease(userId, started))) throw new Error("no lease");
  const t = performance.now();
  const outcome = await runLeasedFit(userId, started);
  return { outcome, seconds: (performance.now() - t) / 1000 };
}
// The server process's own CPU while the first fit runs alone: what of a fit is left on it (the child's CPU is not in it).
const cpuBefore = process.cpuUsage();
const first = await fitOnce();
const fitCpu = process.cpuUsage(cpuBefore);
const fitServerCpuMs = (fitCpu.user + fitCpu.system) / 1000;
const seconds = first.seconds;
if (!("fitMs" in first.outcome)) throw new Error(first.outcome.error);
const outcome = first.outcome;
const fitted = JSON.parse((new Database(file, { readonly: true }).prepare("SELECT weights FROM Settings WHERE userId = ?").get(userId) as { weights: string | null }).weights ?? "null") as number[] | null;

// Held-out evaluation.
const heldItems = trainingItems(heldOut, { timeZone: "UTC", dayStartHour: 4 }).map((it) => new FSRSBindingItem(it.map((r) => new FSRSBindingReview(r.rating, r.deltaT))));
const evaluate = (w: readonly number[]) => new FSRSBinding([...w]).evaluate(heldItems);
const def = evaluate(default_w);
const fit = evaluate(fitted ?? default_w);
const truth = evaluate(SYNTHETIC_WEIGHTS);

// Review route: idle, then while fits run (a new fit starts whenever one ends), with the event loop's delay in each phase.
const loop = monitorEventLoopDelay({ resolution: 1 });
const loopDelay = () => ({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 });
for (let i = 0; i < 50; i++) await reviewOnce(); // warm-up
const idle: number[] = [];
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
loop.enable();
let cpu = process.cpuUsage();
for (let i = 0; i < RUNS; i++) idle.push(await reviewOnce());
const idleCpuPerReview = cpuMs(process.cpuUsage(cpu)) / RUNS;
loop.disable();
const idleLoop = loopDelay();
loop.reset();
const fitting: number[] = [];
let fits = 0;
loop.enable();
cpu = process.cpuUsage();
while (fitting.length < RUNS) {
  let done = false;
  const running = fitOnce().then(() => (done = true));
  fits++;
  while (!done && fitting.length < RUNS) fitting.push(await reviewOnce());
  await running;
}
const fittingCpuPerReview = cpuMs(process.cpuUsage(cpu)) / fitting.length;
loop.disable();
const fittingLoop = loopDelay();
const idleAfter: number[] = [];
for (let i = 0; i < RUNS; i++) idleAfter.push(await reviewOnce());

const f = (x: number) => x.toFixed(4);
console.log(`bench:optimize — synthetic learner: ${log.length} reviews over ${ITEMS} items (ts-fsrs, known weights); fit on ${train.length} reviews of ${ITEMS - HELD_OUT} items, evaluated on ${heldOut.length} held-out reviews of ${HELD_OUT} items`);
console.log(`  fit through the real path: ${seconds.toFixed(2)} s (in the child: log read and items ${((outcome.readMs ?? 0) / 1000).toFixed(2)} s, fsrs-rs training ${(outcome.fitMs / 1000).toFixed(2)} s, two evaluations ${((outcome.evalMs ?? 0) / 1000).toFixed(2)} s; the child's CPU ${((outcome.cpuMs ?? 0) / 1000).toFixed(2)} s; ${outcome.items} training items), outcome ${outcome.kind}; on its own history log loss ${f(outcome.logLossBefore)} -> ${f(outcome.logLossAfter)}`);
console.log(`  held out: log loss default ${f(def.logLoss)}, fitted ${f(fit.logLoss)}, generating weights ${f(truth.logLoss)}; RMSE(bins) default ${f(def.rmseBins)}, fitted ${f(fit.rmseBins)}, generating ${f(truth.rmseBins)}`);
console.log(`  POST /api/review: idle p50 ${pct(idle, 50).toFixed(2)} ms p99 ${pct(idle, 99).toFixed(2)} ms; during ${fits} fits p50 ${pct(fitting, 50).toFixed(2)} ms p99 ${pct(fitting, 99).toFixed(2)} ms; idle again p50 ${pct(idleAfter, 50).toFixed(2)} ms p99 ${pct(idleAfter, 99).toFixed(2)} ms; non-200: ${errors}`);
console.log(`  server process CPU: ${fitServerCpuMs.toFixed(0)} ms for a whole fit alone (the child's is not in it); per review ${idleCpuPerReview.toFixed(2)} ms idle, ${fittingCpuPerReview.toFixed(2)} ms during fits (the fits' own share included)`);
console.log(`  event loop delay (1 ms resolution): idle p99 ${idleLoop.p99.toFixed(2)} ms max ${idleLoop.max.toFixed(2)} ms; during fits p99 ${fittingLoop.p99.toFixed(2)} ms max ${fittingLoop.max.toFixed(2)} ms; load average ${os.loadavg()[0]!.toFixed(1)}`);
console.log(
  `optimize: reviews=${log.length} fit_s=${seconds.toFixed(2)} logloss_default=${f(def.logLoss)} logloss_fitted=${f(fit.logLoss)} logloss_true=${f(truth.logLoss)} rmse_default=${f(def.rmseBins)} rmse_fitted=${f(fit.rmseBins)} review_p50_idle_ms=${pct(idle, 50).toFixed(2)} review_p50_fitting_ms=${pct(fitting, 50).toFixed(2)}`,
);
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
