#!/usr/bin/env node
/**
 * npm run bench:load — the review API under many simultaneous learners.
 *
 * Setup A: PostgreSQL, two app processes behind nginx (loopback only).
 * Setup B: SQLite, one app process.
 * For each, N learners sign up, study every lesson and raise their daily limits;
 * then, at each concurrency level (that many learners at once, each with one
 * request in flight), they run the real review loop for D seconds: GET
 * /api/review, then one POST per rating with the version shown, the queue
 * refreshed from each reply. Prints reviews per second, p50/p95/p99 latency,
 * 4xx/409/5xx counts, and the best throughput within the budget
 * (no 5xx, p99 under 100 ms), and the CPU time per review of the app
 * processes, the database's backends and the load generator (from /proc:
 * unlike wall time, it depends little on how busy the machine is).
 * After the last level it checks the database against every acknowledged
 * rating (scripts/ops/verify.mjs: stored exactly once, each item's log chain
 * unbroken, ItemState equal to a replay with the scheduler) and prints a
 * VERIFY line; any problem makes it exit 1, so a fast figure is also a right one.
 *
 *   node scripts/bench-load.mjs [--learners 200] [--seconds 60] [--concurrency 50,100,200]
 *        [--warmup 5] [--setup pg,sqlite] [--pool-size 10]
 *   DATABASE_URL_PG=postgresql://user:pass@host:5432/db (default attention/attention@127.0.0.1/attention_span_bench)
 *   OPTIMIZER=off (passed through to the app processes, like every variable here) keeps background fits out of the figures
 *
 * Needs `npm run build` first; builds nothing. Everything it starts (app
 * processes, nginx, temp folders, the scratch database) is removed at the end
 * or on Ctrl+C.
 */
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import { cpuMeter, pidsMatching } from "./ops/cpu.mjs";
import { openReader } from "./ops/db.mjs";
import { keepAliveAgent } from "./ops/http.mjs";
import { prng, reviewLoop, setUpLearners } from "./ops/learner.mjs";
import { DEFAULT_PG_URL, pgUnreachable, scratchDatabase } from "./ops/pg.mjs";
import { findNginx, isInterrupted, main, NGINX_INSTALL_HINT, parseArgs, requireBuild, sleep, startApp, startNginx } from "./ops/proc.mjs";
import { ms, Recorder } from "./ops/stats.mjs";
import { loadScheduler, verifyReviewData } from "./ops/verify.mjs";

const args = parseArgs();
const LEARNERS = Number(args.learners ?? 200);
const SECONDS = Number(args.seconds ?? 60);
const WARMUP = Number(args.warmup ?? 10);
const LEVELS = [...new Set(String(args.concurrency ?? "50,100,200").split(",").map(Number).filter((c) => c > 0).map((c) => Math.min(c, LEARNERS)))];
const SETUPS = String(args.setup ?? "pg,sqlite").split(",");
const PG_URL = process.env.DATABASE_URL_PG || DEFAULT_PG_URL;
const BUDGET_P99_MS = 100;
const SEED = Number(args.seed ?? 1);
const SEARCH = args["no-search"] === undefined;
const SEARCH_SECONDS = Number(args["search-seconds"] ?? 20);

/**
 * `concurrency` learners at once for warm-up + seconds; only the last `seconds`
 * are measured. Learners arrive spread over the first half of the warm-up (a
 * burst of first GETs is not a steady state), and wait up to 60 s for an answer.
 */
async function runLevel({ learners, concurrency, seconds = SECONDS, warmup = WARMUP, cpu, acks }) {
  const rec = new Recorder();
  rec.active = false;
  const start = Date.now();
  const until = start + (warmup + seconds) * 1000;
  let spent = null;
  const warm = setTimeout(() => {
    rec.reset();
    rec.active = true;
    cpu?.start();
  }, warmup * 1000);
  const loops = learners.slice(0, concurrency).map(async (client, i) => {
    await sleep((i / concurrency) * warmup * 500);
    return reviewLoop(client, {
      until,
      timeoutMs: 60_000,
      rand: prng(SEED * 100_003 + concurrency * 1_009 + i),
      record: (kind, status, t, note, sample) => rec.record(kind, status, t, note, sample),
      onAck: (clientId, body) => {
        acks.push({ username: client.username, clientId });
        if (body.status === "recorded") rec.review();
      },
    });
  });
  const stopClock = setTimeout(() => {
    rec.stop();
    spent = cpu?.read() ?? null;
  }, (warmup + seconds) * 1000);
  await Promise.all(loops);
  clearTimeout(warm);
  clearTimeout(stopClock);
  rec.stop();
  spent ??= cpu?.read() ?? null;
  const summary = rec.summary();
  // CPU per review over the measured seconds: the app processes, the database's backends, and this load generator.
  const per = (seconds_) => (seconds_ === null || seconds_ === undefined || !summary.reviews ? null : (seconds_ * 1000) / summary.reviews);
  return { ...summary, cpuPerReview: spent ? Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, per(v)])) : {} };
}

const cpuFields = (per) =>
  Object.entries(per)
    .map(([k, v]) => ` ${k}_cpu_ms_per_review=${v === null ? "n/a" : v.toFixed(2)}`)
    .join("");

const withinBudget = (r) => r.status5xx === 0 && r.connErrors === 0 && r.p99 < BUDGET_P99_MS;

function printHeader() {
  console.log("  concurrency  reviews/s  requests/s   p50 ms   p95 ms   p99 ms  POST p99   GET p99   max ms     2xx   4xx   409   5xx  no-answer");
}

function printRow(c, s, search = false) {
  const pad = (v, n) => String(v).padStart(n);
  console.log(
    `  ${pad(`${search ? "(search) " : ""}${c}`, 11)}  ${pad(s.reviewsPerSecond.toFixed(1), 9)}  ${pad(s.requestsPerSecond.toFixed(1), 10)}  ${pad(ms(s.p50), 7)}  ${pad(ms(s.p95), 7)}  ${pad(ms(s.p99), 7)}  ${pad(ms(s.postP99), 8)}  ${pad(ms(s.getP99), 8)}  ${pad(ms(s.max), 7)}  ${pad(s.ok, 6)}  ${pad(s.status4xx, 4)}  ${pad(s.status409, 4)}  ${pad(s.status5xx, 4)}  ${pad(s.connErrors, 9)}`,
  );
}

async function benchSetup(label, key, start, scheduler) {
  console.log(`\n== Setup ${label}`);
  const { base, apps, errorLog, dbName, reader } = await start();
  const cpu = cpuMeter({
    app: () => apps.map((a) => a.child?.pid).filter(Boolean),
    db: () => (dbName ? pidsMatching(new RegExp(`^postgres: .* ${dbName} `)) : []),
    loadgen: () => [process.pid],
  });
  const agent = keepAliveAgent();
  const t0 = Date.now();
  let learners;
  try {
    learners = await setUpLearners({ base, agent, count: LEARNERS, prefix: `bl${key}` });
  } catch (e) {
    if (!isInterrupted()) for (const app of apps) console.log(`  --- ${app.name} log (tail) ---\n${app.logs().slice(-3000)}`);
    throw e;
  }
  console.log(`  ${LEARNERS} learners signed up, 5 lessons studied, newPerDay 500 / reviewCap 5000 (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(`  ${WARMUP} s warm-up (not measured) + ${SECONDS} s measured per level; each learner has one request in flight`);
  printHeader();
  const results = [];
  const acks = [];
  const levels = LEVELS.map((c) => ({ c, seconds: SECONDS, warmup: WARMUP }));
  for (let i = 0; i < levels.length; i++) {
    const { c, seconds, warmup } = levels[i];
    const s = await runLevel({ learners, concurrency: c, seconds, warmup, cpu, acks });
    results.push({ concurrency: c, search: seconds !== SECONDS, ...s });
    printRow(c, s, seconds !== SECONDS);
    const cpuText = Object.entries(s.cpuPerReview).map(([k, v]) => `${k} ${v === null ? "n/a" : v.toFixed(2)} ms`);
    if (cpuText.length) console.log(`               CPU per review: ${cpuText.join(", ")}`);
    if (s.connErrors || s.status5xx || s.other) console.log(`               statuses ${s.statuses}${s.errorCodes ? `; no answer: ${s.errorCodes}` : ""}`);
    for (const e of s.examples) console.log(`               ${e}`);
    // machine-readable line, one per level
    console.log(
      `BENCH setup=${key} concurrency=${c} seconds=${seconds} reviews_per_s=${s.reviewsPerSecond.toFixed(1)} p50_ms=${ms(s.p50)} p95_ms=${ms(s.p95)} p99_ms=${ms(s.p99)} status_2xx=${s.ok} status_4xx=${s.status4xx} status_409=${s.status409} status_5xx=${s.status5xx} no_answer=${s.connErrors}${cpuFields(s.cpuPerReview)}`,
    );
    // Nothing within budget yet: halve the concurrency below the lowest level tried (shorter runs).
    if (i === levels.length - 1 && SEARCH && !results.some(withinBudget)) {
      const next = Math.floor(Math.min(...results.map((r) => r.concurrency)) / 2);
      if (next >= 1) levels.push({ c: next, seconds: SEARCH_SECONDS, warmup: Math.min(WARMUP, 4) });
    }
  }
  agent.destroy();
  if (errorLog) {
    const log = errorLog().trim();
    if (log) console.log(`  --- nginx error log (tail) ---\n${log.split("\n").slice(-15).join("\n")}`);
  }
  const within = results.filter(withinBudget);
  const best = within.sort((a, b) => b.reviewsPerSecond - a.reviewsPerSecond)[0];
  if (best) console.log(`  Within budget (0 5xx, p99 < ${BUDGET_P99_MS} ms): ${best.reviewsPerSecond.toFixed(1)} reviews/s at concurrency ${best.concurrency} (p99 ${ms(best.p99)} ms).`);
  else console.log(`  No level was within budget (0 5xx, p99 < ${BUDGET_P99_MS} ms).`);
  const peak = [...results].sort((a, b) => b.reviewsPerSecond - a.reviewsPerSecond)[0];
  const errors = results.reduce((n, r) => n + r.status5xx, 0);
  if (errors) for (const app of apps) console.log(`  --- ${app.name} log (tail) ---\n${app.logs().slice(-3000)}`);
  for (const app of apps) await app.stop();
  const verified = await verify(key, await reader(), acks, scheduler);
  return { key, results, best, peak, verified };
}

/** Every acknowledged rating against what the database holds (see the header). */
async function verify(key, reader, acks, scheduler) {
  const t0 = Date.now();
  let v;
  try {
    v = await verifyReviewData(reader, acks, scheduler);
  } finally {
    await reader.close();
  }
  for (const p of v.problems) console.log(`  PROBLEM ${p}`);
  const ok = v.acknowledged > 0 && v.lost === 0 && v.duplicated === 0 && v.stateMismatches === 0;
  console.log(
    `  Checked ${v.acknowledged} acknowledged ratings against the database: ${v.stored} stored once, ${v.lost} lost, ${v.duplicated} duplicated; ${v.replayed} logs replayed with ${scheduler.source} (${v.balanced} due dates moved by load balancing within their fuzz range), ${v.stateMismatches} mismatches (${((Date.now() - t0) / 1000).toFixed(1)} s).`,
  );
  console.log(
    `VERIFY setup=${key} acknowledged=${v.acknowledged} stored=${v.stored} lost=${v.lost} duplicated=${v.duplicated} state_mismatches=${v.stateMismatches} result=${ok ? "PASS" : "FAIL"}`,
  );
  return ok;
}

await main(async () => {
  requireBuild();
  console.log(
    `bench:load — ${LEARNERS} learners, levels ${LEVELS.join("/")}, ${SECONDS} s each; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}; node ${process.version}`,
  );
  // The app processes inherit this environment (scripts/ops/proc.mjs startApp): OPTIMIZER=off keeps the background fit out of the figures.
  console.log(`  app processes' environment: OPTIMIZER=${process.env.OPTIMIZER ?? "(unset: the optimizer runs)"}`);
  const secret = crypto.randomBytes(32).toString("base64url");
  const scheduler = await loadScheduler();
  const summary = [];

  if (SETUPS.includes("pg")) {
    const nginx = findNginx();
    const unreachable = await pgUnreachable(PG_URL);
    if (!nginx) console.log(`\n== Setup A skipped: ${NGINX_INSTALL_HINT}`);
    else if (unreachable) console.log(`\n== Setup A skipped: PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, ":***@")} is not reachable (${unreachable}). Set DATABASE_URL_PG.`);
    else {
      summary.push(
        await benchSetup("A: PostgreSQL, 2 app processes behind nginx", "pg-nginx-2", async () => {
          const db = await scratchDatabase(PG_URL, "load");
          const env = { DATABASE_URL: db.url, SESSION_SECRET: secret, TRUST_PROXY: "1", ...(args["pool-size"] ? { DATABASE_POOL_SIZE: String(args["pool-size"]) } : {}) };
          const a1 = await startApp({ env, name: "app1" }); // migrates the fresh database
          const a2 = await startApp({ env, name: "app2" });
          const proxy = await startNginx({ upstreamPorts: [a1.port, a2.port] });
          console.log(`  database ${db.name}; app processes on :${a1.port} and :${a2.port}; nginx on :${proxy.port}`);
          return { base: proxy.url, apps: [a1, a2], errorLog: proxy.errorLog, dbName: db.name, reader: () => openReader({ pgUrl: db.url }) };
        }, scheduler),
      );
    }
  }
  if (SETUPS.includes("sqlite")) {
    summary.push(
      await benchSetup("B: SQLite, 1 app process", "sqlite-1", async () => {
        const app = await startApp({ env: { SESSION_SECRET: secret }, name: "app" });
        console.log(`  data folder ${app.dataDir}; app process on :${app.port}`);
        return { base: app.url, apps: [app], reader: () => openReader({ sqliteFile: path.join(app.dataDir, "attention-span.db") }) };
      }, scheduler),
    );
  }

  console.log("\n== Summary (highest throughput within budget: 0 5xx, p99 < 100 ms)");
  for (const s of summary) {
    console.log(
      s.best
        ? `BENCH_BEST setup=${s.key} concurrency=${s.best.concurrency} reviews_per_s=${s.best.reviewsPerSecond.toFixed(1)} p99_ms=${ms(s.best.p99)}`
        : `BENCH_BEST setup=${s.key} none_within_budget`,
    );
    if (s.peak) console.log(`BENCH_PEAK setup=${s.key} concurrency=${s.peak.concurrency} reviews_per_s=${s.peak.reviewsPerSecond.toFixed(1)} p99_ms=${ms(s.peak.p99)} status_5xx=${s.peak.status5xx}`);
  }
  return summary.every((s) => s.verified) ? 0 : 1;
});
