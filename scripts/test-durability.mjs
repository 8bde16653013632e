#!/usr/bin/env node
/**
 * npm run test:durability — no acknowledged review is lost or doubled when an
 * app process dies mid-load, and the stored state is exactly what the
 * scheduler computes.
 *
 * (a) SQLite, one process: learners run the review loop; the process is
 *     killed with SIGKILL (kill -9) and restarted on the same data folder,
 *     --kills times, and killed once more at the end (no clean shutdown).
 * (b) PostgreSQL (DATABASE_URL_PG, or the default local URL when it answers):
 *     two processes behind nginx (or, without nginx, the clients spread their
 *     requests round-robin and fail over); each is killed -9 mid-load in turn
 *     and restarted.
 * Clients behave like the app's outbox: a request that got no answer (a
 * connection error, or the proxy's 502/503/504) is sent again with the SAME
 * clientId until it is answered. Every clientId answered with a 2xx is
 * recorded; afterwards the database is checked read-only (scripts/ops/verify.mjs).
 *
 *   node scripts/test-durability.mjs [--seconds 30] [--learners 20] [--kills 2]
 *        [--undo-rate 0.03] [--setup sqlite,pg] [--no-nginx] [--seed 1]
 *
 * Prints one line per setup:
 *   DURABILITY setup=<name> acknowledged=N stored=N lost=0 duplicated=0 state_mismatches=0 ...
 * and exits 1 when lost, duplicated or state_mismatches is not 0 (or nothing
 * was acknowledged, or a kill did not happen). Needs `npm run build` first.
 */
import crypto from "node:crypto";
import path from "node:path";
import { openReader } from "./ops/db.mjs";
import { keepAliveAgent } from "./ops/http.mjs";
import { prng, reviewLoop, setUpLearners } from "./ops/learner.mjs";
import { DEFAULT_PG_URL, pgUnreachable, scratchDatabase } from "./ops/pg.mjs";
import { findNginx, main, parseArgs, requireBuild, sleep, startApp, startNginx } from "./ops/proc.mjs";
import { loadScheduler, verifyReviewData } from "./ops/verify.mjs";

const args = parseArgs();
const SECONDS = Number(args.seconds ?? 30);
const LEARNERS = Number(args.learners ?? 20);
const KILLS = Number(args.kills ?? 2);
const UNDO_RATE = Number(args["undo-rate"] ?? 0.03);
const SETUPS = String(args.setup ?? "sqlite,pg").split(",");
const SEED = Number(args.seed ?? 1);

/**
 * Runs the load for SECONDS with `kill(i)` called at evenly spaced moments.
 * Returns the acknowledgements and counters.
 */
async function load({ base, bases, kill }) {
  const agent = keepAliveAgent();
  const learners = await setUpLearners({ base, agent, count: LEARNERS, prefix: "dur" });
  const acks = [];
  let requests = 0;
  let retries = 0;
  const statuses = new Map();
  const until = Date.now() + SECONDS * 1000;
  const loops = learners.map((client, i) =>
    reviewLoop(client, {
      until,
      hardStop: until + 60_000,
      rand: prng(SEED * 7919 + i),
      retry: true,
      bases,
      undoRate: UNDO_RATE,
      record: (_kind, status) => {
        requests++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      },
      onRetry: () => retries++,
      onAck: (clientId, body, form) => {
        // An undo that found nothing to undo (or was refused) writes no row.
        if (form.intent === "undo" && body.status !== "undone" && body.status !== "duplicate") return;
        acks.push({ username: client.username, clientId, status: body.status });
      },
    }),
  );
  const kills = [];
  const killer = (async () => {
    for (let i = 0; i < KILLS; i++) {
      const at = until - SECONDS * 1000 + ((i + 1) * SECONDS * 1000) / (KILLS + 1);
      await sleep(Math.max(0, at - Date.now()));
      const t0 = Date.now();
      const name = await kill(i);
      kills.push({ name, downMs: Date.now() - t0 });
      console.log(`  kill -9 ${name} at +${((t0 - (until - SECONDS * 1000)) / 1000).toFixed(1)} s; back up after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  })();
  await Promise.all([...loops, killer]);
  agent.destroy();
  return { acks, requests, retries, statuses, kills };
}

function report(key, result, verdict, scheduler) {
  const v = verdict;
  const statusText = [...result.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? "no-answer" : s}:${n}`).join(" ");
  console.log(`  requests ${result.requests} (${statusText}); resent after no answer: ${result.retries}`);
  const dupAcks = result.acks.filter((a) => a.status === "duplicate").length;
  console.log(`  review logs ${v.logs} (${v.undos} undos) over ${v.items} (learner, item) pairs; replayed ${v.replayed} with ${scheduler.source} (${v.balanced} due dates moved by load balancing within their fuzz range)`);
  console.log(`  answered "duplicate" (saved before the crash, answer lost, sent again): ${dupAcks}`);
  for (const p of v.problems) console.log(`  PROBLEM ${p}`);
  const ok = v.lost === 0 && v.duplicated === 0 && v.stateMismatches === 0 && v.acknowledged > 0 && result.kills.length === KILLS;
  console.log(
    `DURABILITY setup=${key} acknowledged=${v.acknowledged} stored=${v.stored} lost=${v.lost} duplicated=${v.duplicated} state_mismatches=${v.stateMismatches} chain_breaks=${v.chainBreaks} itemstate_mismatches=${v.itemStateMismatches} replay_mismatches=${v.replayMismatches} unacknowledged_stored=${v.unacknowledgedStored} kills=${result.kills.length} resent=${result.retries} result=${ok ? "PASS" : "FAIL"}`,
  );
  return ok;
}

async function sqliteCase(scheduler, secret) {
  console.log(`\n== (a) SQLite, 1 process, kill -9 ${KILLS}x during ${SECONDS} s, ${LEARNERS} learners`);
  const app = await startApp({ env: { SESSION_SECRET: secret }, name: "app" });
  const result = await load({
    base: app.url,
    kill: async () => {
      await app.kill9();
      await app.start();
      return "app";
    },
  });
  await app.kill9(); // no clean shutdown before the check either
  const reader = await openReader({ sqliteFile: path.join(app.dataDir, "attention-span.db") });
  try {
    return report("sqlite-1", result, await verifyReviewData(reader, result.acks, scheduler), scheduler);
  } finally {
    await reader.close();
  }
}

async function pgCase(scheduler, secret, pgUrl) {
  const nginx = args["no-nginx"] ? null : findNginx();
  const mode = nginx ? "behind nginx" : "no nginx: clients round-robin and fail over";
  console.log(`\n== (b) PostgreSQL, 2 processes ${mode}, kill -9 ${KILLS}x during ${SECONDS} s, ${LEARNERS} learners`);
  const db = await scratchDatabase(pgUrl, "durability");
  const env = { DATABASE_URL: db.url, SESSION_SECRET: secret, ...(nginx ? { TRUST_PROXY: "1" } : {}) };
  const apps = [await startApp({ env, name: "app1" }), await startApp({ env, name: "app2" })];
  const proxy = nginx ? await startNginx({ upstreamPorts: apps.map((a) => a.port) }) : null;
  const result = await load({
    base: proxy ? proxy.url : apps[0].url,
    bases: proxy ? null : apps.map((a) => a.url),
    kill: async (i) => {
      const app = apps[i % apps.length];
      await app.kill9();
      await app.start();
      return app.name;
    },
  });
  for (const app of apps) await app.kill9();
  const reader = await openReader({ pgUrl: db.url });
  try {
    return report(nginx ? "pg-nginx-2" : "pg-2-roundrobin", result, await verifyReviewData(reader, result.acks, scheduler), scheduler);
  } finally {
    await reader.close();
  }
}

await main(async () => {
  requireBuild();
  const scheduler = await loadScheduler();
  const secret = crypto.randomBytes(32).toString("base64url");
  let ok = true;
  if (SETUPS.includes("sqlite")) ok = (await sqliteCase(scheduler, secret)) && ok;
  if (SETUPS.includes("pg")) {
    const pgUrl = process.env.DATABASE_URL_PG || DEFAULT_PG_URL;
    const unreachable = await pgUnreachable(pgUrl);
    if (unreachable) {
      console.log(`\n== (b) PostgreSQL skipped: ${pgUrl.replace(/:[^:@/]*@/, ":***@")} is not reachable (${unreachable}). Set DATABASE_URL_PG to run it.`);
      console.log("DURABILITY setup=pg skipped=1");
    } else ok = (await pgCase(scheduler, secret, pgUrl)) && ok;
  }
  console.log(ok ? "\nDurability: PASS" : "\nDurability: FAIL");
  return ok ? 0 : 1;
});
