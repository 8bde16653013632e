#!/usr/bin/env node
/**
 * npm run bench:roundtrips — how many PostgreSQL round trips one review costs.
 *
 * Starts one app process on a scratch PostgreSQL database (DATABASE_URL_PG, or
 * the default local URL) with a small TCP proxy between the app and the server
 * that reads the wire protocol: each Sync (the end of an extended-protocol
 * query, which node-postgres sends for every parameterised statement) and each
 * simple Query (BEGIN, COMMIT) is one round trip. A learner signs up and then
 * sends reviews through POST /api/review (scripts/ops/pg-proxy.mjs); the script prints the round trips of
 * each review (the whole request: session, settings, the review, the next
 * cards; the five ratings include first reviews, Again, and Easy, whose interval
 * is load balanced) and, over --reviews more, the stored bytes per review log
 * row (with its indexes) and the CPU time per review of the app process and of
 * the PostgreSQL backends serving it (from /proc, where there is one). The
 * counts and sizes are deterministic; CPU time per request depends little on
 * how busy the machine is (it is time on a core, not time waited).
 *
 *   node scripts/count-roundtrips.mjs [--reviews 300]
 * Needs `npm run build` first.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import { HttpClient, keepAliveAgent } from "./ops/http.mjs";
import { setUpLearner } from "./ops/learner.mjs";
import { DEFAULT_PG_URL, pgUnreachable, scratchDatabase } from "./ops/pg.mjs";
import { countingProxy } from "./ops/pg-proxy.mjs";
import { main, onCleanup, parseArgs, requireBuild, sleep, startApp } from "./ops/proc.mjs";

const args = parseArgs();
const REVIEWS = Number(args.reviews ?? 300);

await main(async () => {
  requireBuild();
  const pgUrl = process.env.DATABASE_URL_PG || DEFAULT_PG_URL;
  const unreachable = await pgUnreachable(pgUrl);
  if (unreachable) {
    console.log(`ROUNDTRIPS skipped=1 reason="PostgreSQL at ${pgUrl.replace(/:[^:@/]*@/, ":***@")} is not reachable (${unreachable})"`);
    return 0;
  }
  const db = await scratchDatabase(pgUrl, "roundtrips");
  const target = new URL(db.url);
  const proxy = await countingProxy(target.hostname, Number(target.port || 5432));
  onCleanup(proxy.close);
  const viaProxy = new URL(db.url);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(proxy.port);
  const app = await startApp({ env: { DATABASE_URL: viaProxy.toString() } });
  const learner = await setUpLearner(new HttpClient(app.url, { agent: keepAliveAgent() }), `rt${Date.now().toString(36)}`);
  let view = (await learner.request("GET", "/api/review")).json().view;
  const card = () => view.entries.find((e) => e.kind === "card");
  const review = async (i, rating = 3) => {
    const c = card();
    const res = await learner.request("POST", "/api/review", { form: { intent: "rate", itemId: c.itemId, rating: String(rating), version: String(c.version), clientId: `rt-${i}-${Date.now().toString(36)}`, durationMs: "4000" } });
    view = res.json().view;
    return res;
  };
  const counts = [];
  const ratings = [3, 4, 1, 2, 4];
  for (let i = 0; i < ratings.length; i++) {
    await sleep(200); // nothing else in flight
    const before = proxy.counter.trips;
    const res = await review(i, ratings[i]);
    counts.push(proxy.counter.trips - before);
    console.log(`POST /api/review #${i + 1} (rating ${ratings[i]}): ${res.status} ${res.json().status}, ${proxy.counter.trips - before} round trips`);
  }
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const size = async () => (await admin.query(`SELECT pg_total_relation_size('"ReviewLog"') AS total, pg_relation_size('"ReviewLog"') AS heap, (SELECT count(*) FROM "ReviewLog") AS n`)).rows[0];

  // CPU seconds of a process so far (utime + stime in /proc/<pid>/stat), or null where there is no /proc.
  const tick = (() => {
    try {
      return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
    } catch {
      return 100;
    }
  })();
  const cpuOf = (pid) => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      return null;
    }
  };
  const backends = async () => {
    const rows = (await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows;
    return new Map(rows.map((r) => [r.pid, cpuOf(r.pid)]));
  };
  const appBefore = cpuOf(app.child?.pid);
  const pgBefore = await backends();
  for (let i = 0; i < REVIEWS; i++) await review(1000 + i, 1 + (i % 4));
  const appAfter = cpuOf(app.child?.pid);
  const pgAfter = await backends();
  let pgCpu = 0;
  let pgKnown = pgAfter.size > 0;
  for (const [pid, cpu] of pgAfter) {
    if (cpu === null) pgKnown = false;
    else pgCpu += cpu - (pgBefore.get(pid) ?? 0);
  }
  const appMs = appBefore !== null && appAfter !== null ? ((appAfter - appBefore) * 1000) / REVIEWS : null;
  const pgMs = pgKnown ? (pgCpu * 1000) / REVIEWS : null;
  console.log(`CPU per review over ${REVIEWS} reviews: app process ${appMs === null ? "n/a" : appMs.toFixed(2)} ms, PostgreSQL backends ${pgMs === null ? "n/a" : pgMs.toFixed(2)} ms`);
  const s1 = await size();
  await admin.end();
  const n = Number(s1.n);
  const perRow = Math.round(Number(s1.total) / n);
  console.log(`ReviewLog: ${n} rows, ${perRow} bytes per row with its indexes (heap ${Math.round(Number(s1.heap) / n)})`);
  console.log(
    `ROUNDTRIPS per_review=${Math.max(...counts)} min=${Math.min(...counts)} reviewlog_bytes_per_row=${perRow} app_cpu_ms_per_review=${appMs?.toFixed(2) ?? "n/a"} pg_cpu_ms_per_review=${pgMs?.toFixed(2) ?? "n/a"}`,
  );
  return 0;
});
