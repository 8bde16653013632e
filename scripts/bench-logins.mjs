#!/usr/bin/env node
/**
 * npm run bench:logins — what a storm of logins does to everyone else, and what
 * hostile bodies cost, with the hashing queue and the body limit (the app's
 * defaults) against a baseline in the same run with both effectively off
 * (HASH_CONCURRENCY=64, HASH_QUEUE=10000, MAX_BODY_BYTES=1 GB).
 *
 * Per setup, on a fresh SQLite server:
 *  - 8 learners run the review loop (POST /api/review) and a prober asks
 *    /healthz every 50 ms, while `--logins` concurrent logins (right and wrong
 *    passwords) are sent in waves for `--seconds`; prints p50/p99 of reviews and
 *    /healthz, logins answered per status, and the server's peak memory;
 *  - 4 parallel chunked bodies of `--body-mb` MB to POST /login: statuses and
 *    the server's peak memory (VmHWM) afterwards.
 *
 *   node scripts/bench-logins.mjs [--seconds 15] [--logins 100] [--body-mb 50]
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { HttpClient, keepAliveAgent } from "./ops/http.mjs";
import { prng, reviewLoop, setUpLearners } from "./ops/learner.mjs";
import { main, parseArgs, requireBuild, sleep, startApp } from "./ops/proc.mjs";
import { percentile } from "./ops/stats.mjs";

const args = parseArgs();
const SECONDS = Number(args.seconds ?? 15);
const LOGINS = Number(args.logins ?? 100);
const BODY_MB = Number(args["body-mb"] ?? 50);
const MB = 1024 * 1024;

const peakMb = (pid) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

function chunkedPost(base, total) {
  return new Promise((resolve) => {
    const req = http.request(new URL("/login", base), { method: "POST", agent: false, headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base } });
    let answered = false;
    let sent = 0;
    req.on("response", (res) => {
      answered = true;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, sentMb: Math.round(sent / MB) }));
    });
    req.on("error", () => resolve({ status: answered ? 0 : "reset", sentMb: Math.round(sent / MB) }));
    const chunk = Buffer.alloc(256 * 1024, "a");
    req.write("username=x&password=y&pad=");
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

async function setup(name, env) {
  const app = await startApp({ env: { SESSION_SECRET: crypto.randomBytes(32).toString("base64url"), RATE_LIMIT_USER: "1000000/900", RATE_LIMIT_IP: "1000000/900", ...env }, name });
  const pid = app.child.pid;
  const agent = keepAliveAgent();
  const learners = await setUpLearners({ base: app.url, agent, count: 8, prefix: `bl${name}` });
  const owner = new HttpClient(app.url, { agent: new http.Agent({ keepAlive: false }) });
  const username = `blowner${process.pid.toString(36)}${name}`;
  await owner.post("/signup", { username, password: "owner password 1", confirm: "owner password 1", timeZone: "UTC" });

  const reviewMs = [];
  const healthMs = [];
  const loginStatus = new Map();
  const until = Date.now() + SECONDS * 1000;
  const loops = learners.map((client, i) =>
    reviewLoop(client, { until, rand: prng(7 + i), record: (kind, status, ms) => kind === "post" && status === 200 && reviewMs.push(ms) }),
  );
  const prober = (async () => {
    const c = new HttpClient(app.url, { agent: keepAliveAgent() });
    while (Date.now() < until) {
      const res = await c.get("/healthz").catch(() => null);
      if (res) healthMs.push(res.ms);
      await sleep(50);
    }
  })();
  const storm = (async () => {
    while (Date.now() < until) {
      await Promise.all(
        Array.from({ length: LOGINS }, async (_, i) => {
          const c = new HttpClient(app.url, { agent: new http.Agent({ keepAlive: false }) });
          const res = await c.post("/login", { username, password: i % 4 ? "wrong password" : "owner password 1" }).catch((e) => ({ status: e.code ?? "error" }));
          const s = res.status;
          loginStatus.set(s, (loginStatus.get(s) ?? 0) + 1);
        }),
      );
    }
  })();
  await Promise.all([...loops, prober, storm]);
  const peakDuringStorm = peakMb(pid);
  reviewMs.sort((a, b) => a - b);
  healthMs.sort((a, b) => a - b);

  const before = rssMb(pid);
  const bodies = await Promise.all(Array.from({ length: 4 }, () => chunkedPost(app.url, BODY_MB * MB)));
  const peakAfterBodies = peakMb(pid);
  await app.stop();
  const f = (x) => x.toFixed(0);
  console.log(
    `LOGINS setup=${name} concurrent_logins=${LOGINS} reviews=${reviewMs.length} review_p50_ms=${f(percentile(reviewMs, 50))} review_p99_ms=${f(percentile(reviewMs, 99))} healthz_p50_ms=${f(percentile(healthMs, 50))} healthz_p99_ms=${f(percentile(healthMs, 99))} healthz_max_ms=${f(healthMs.at(-1) ?? NaN)} logins=${[...loginStatus].sort().map(([s, n]) => `${s}:${n}`).join(",")} peak_mb=${peakDuringStorm}`,
  );
  console.log(`BODIES setup=${name} bodies=4x${BODY_MB}MB_chunked statuses=${bodies.map((b) => b.status).join(",")} sent_mb=${bodies.map((b) => b.sentMb).join(",")} rss_before_mb=${before} peak_mb=${peakAfterBodies}`);
}

await main(async () => {
  requireBuild();
  await setup("unbounded", { HASH_CONCURRENCY: "64", HASH_QUEUE: "10000", MAX_BODY_BYTES: String(1024 * MB) });
  await setup("defaults", {});
  return 0;
});
