#!/usr/bin/env node
/**
 * npm run test:disk-full — the app (SQLite) keeps its word when its data folder
 * fills up or turns read-only, and comes back by itself when space returns
 * (docs/decisions/013-review-times-and-faults.md).
 *
 * As root, it mounts a small ext4 image (a loop device) as the data folder,
 * starts one app process on it, and then:
 *  1. fills the filesystem (a ballast file, then reviews through the API until
 *     writes fail); checks that /healthz says 503, and that login, sign-up and
 *     reviews answer (with an error) instead of hanging;
 *  2. frees the space; checks, without a restart, that /healthz says 200 and
 *     login, sign-up and reviews work again;
 *  3. has the kernel turn the filesystem read-only under the running app (an
 *     ext4 error with errors=remount-ro), checks the same refusals and that
 *     reading pages still works; Linux cannot make that filesystem writable
 *     again while mounted, so it then stops the app, runs e2fsck, remounts, and
 *     restarts the app, and checks login, sign-up and reviews;
 *  4. stops the app and checks the database: integrity_check ok, and every
 *     review the server acknowledged is stored, once (scripts/ops/verify.mjs).
 *
 * Prints `DISK-FULL result=PASS|FAIL ...` and exits 1 on FAIL. On a machine
 * where it cannot mount (not root, or no mount permission in a container) it
 * prints `DISK-FULL skipped=1 reason=...` and exits 0. Needs `npm run build`.
 *
 *   node scripts/test-disk-full.mjs [--size-mb 48]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { openReader } from "./ops/db.mjs";
import { HttpClient, keepAliveAgent } from "./ops/http.mjs";
import { PASSWORD, prng, reviewLoop, setUpLearner } from "./ops/learner.mjs";
import { main, onCleanup, parseArgs, requireBuild, sleep, startApp, tempDir } from "./ops/proc.mjs";
import { loadScheduler, verifyReviewData } from "./ops/verify.mjs";

const args = parseArgs();
const SIZE_MB = Number(args["size-mb"] ?? 48);
const ANSWER_MS = 10_000; // every request must be answered within this, even while the disk is full

function skip(reason) {
  console.log(`DISK-FULL skipped=1 reason="${reason}"`);
  console.log("This machine cannot mount a small filesystem here, so the disk-full and read-only checks did not run.");
  return 0;
}

const problems = [];
const check = (ok, what) => {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) problems.push(what);
};

/** One request with a deadline: { status } or { status: 0, error } when no answer came in time. */
async function ask(client, method, pathname, form) {
  try {
    const res = await client.request(method, pathname, { form, timeoutMs: ANSWER_MS });
    return { status: res.status, text: res.text };
  } catch (e) {
    return { status: 0, error: e.code ?? e.message };
  }
}

async function health(url) {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(ANSWER_MS) });
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch (e) {
    return { status: 0, body: String(e) };
  }
}

async function waitHealthy(url, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    const h = await health(url);
    if (h.status === 200) return true;
    if (Date.now() > until) return false;
    await sleep(250);
  }
}

/** Fills the filesystem with a ballast file until ENOSPC; returns its path. */
function fill(dir) {
  const file = path.join(dir, "ballast");
  const fd = fs.openSync(file, "w");
  const chunk = Buffer.alloc(64 * 1024, 7);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (e) {
    if (e.code !== "ENOSPC") throw e;
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** Runs the review loop for `seconds`; returns the acknowledgements and the statuses seen. */
async function reviews(client, seconds, seed) {
  const acks = [];
  const statuses = new Map();
  let slowest = 0;
  await reviewLoop(client, {
    until: Date.now() + seconds * 1000,
    rand: prng(seed),
    timeoutMs: ANSWER_MS,
    record: (kind, status, ms) => {
      if (kind !== "post") return;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      slowest = Math.max(slowest, ms);
    },
    onAck: (clientId, body) => acks.push({ username: client.username, clientId, status: body.status }),
  });
  return { acks, statuses, slowest };
}

const fmt = (statuses) => [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? "no-answer" : s}:${n}`).join(" ");

/** Login, sign-up and a few reviews, while the data folder refuses writes: each answers, none hangs. */
async function refusals(app, agent, username, label) {
  const h = await health(app.url);
  check(h.status === 503, `${label}: /healthz says 503 (${h.status} ${JSON.stringify(h.body)})`);
  const login = await ask(new HttpClient(app.url, { agent }), "POST", "/login", { username, password: PASSWORD });
  check(login.status !== 0, `${label}: POST /login answers (${login.status || login.error})`);
  const signup = await ask(new HttpClient(app.url, { agent }), "POST", "/signup", { username: `${username}n${Date.now().toString(36)}`, password: PASSWORD, confirm: PASSWORD, timeZone: "UTC" });
  check(signup.status !== 0, `${label}: POST /signup answers (${signup.status || signup.error})`);
}

/** After the space is back: healthy, and login, sign-up and reviews work, without a restart. */
async function recovery(app, agent, username, label, seed, acks, { restarted = false } = {}) {
  check(await waitHealthy(app.url), `${label}: /healthz says 200 again${restarted ? "" : " without a restart"}`);
  const again = new HttpClient(app.url, { agent });
  const login = await ask(again, "POST", "/login", { username, password: PASSWORD });
  check(login.status === 302 || login.status === 303, `${label}: POST /login works (${login.status || login.error})`);
  const fresh = new HttpClient(app.url, { agent });
  const signup = await ask(fresh, "POST", "/signup", { username: `${username}r${seed}`, password: PASSWORD, confirm: PASSWORD, timeZone: "UTC" });
  check(signup.status === 302 || signup.status === 303, `${label}: POST /signup works (${signup.status || signup.error})`);
  again.username = username;
  const r = await reviews(again, 3, seed);
  acks.push(...r.acks);
  check(r.acks.length > 0 && !r.statuses.has(0) && ![...r.statuses.keys()].some((s) => s >= 500), `${label}: reviews are saved again (${fmt(r.statuses)})`);
}

await main(async () => {
  requireBuild();
  if (process.platform !== "linux") return skip(`mounting a loop filesystem needs Linux (this is ${process.platform})`);
  if (process.getuid?.() !== 0) return skip("mounting a loop filesystem needs root (run it as root, or in CI)");
  // An ext4 image on a loop device, so that part 3 can have the kernel turn it read-only under the running app.
  const work = tempDir("as-diskfull-");
  const image = path.join(work, "data.img");
  const mnt = path.join(work, "data");
  fs.mkdirSync(mnt);
  const sh = (cmd, ...a) => execFileSync(cmd, a, { stdio: "pipe" });
  try {
    fs.closeSync(fs.openSync(image, "w"));
    fs.truncateSync(image, SIZE_MB * 1024 * 1024);
    sh("mkfs.ext4", "-q", "-F", "-m", "0", image);
    sh("mount", "-o", "loop,errors=remount-ro", image, mnt);
  } catch (e) {
    return skip(`could not mount an ext4 loop filesystem: ${String(e.stderr ?? e.message).trim()}`);
  }
  let mounted = true;
  onCleanup(async () => {
    if (!mounted) return;
    try {
      sh("umount", mnt);
    } catch (e) {
      console.error(`umount ${mnt}: ${String(e.stderr ?? e.message).trim()}`);
    }
  });
  const scheduler = await loadScheduler();
  const app = await startApp({ dataDir: mnt, name: "app" });
  const agent = keepAliveAgent();
  const username = `full${process.pid.toString(36)}`;
  const learner = await setUpLearner(new HttpClient(app.url, { agent }), username);
  const acks = [];

  console.log(`\n== 1. the data folder fills up (an ext4 image of ${SIZE_MB} MB)`);
  const warm = await reviews(learner, 2, 1);
  acks.push(...warm.acks);
  const ballast = fill(mnt);
  const full = await reviews(learner, 6, 2);
  acks.push(...full.acks);
  const failed = [...full.statuses].filter(([s]) => s >= 500).reduce((n, [, k]) => n + k, 0);
  console.log(`  reviews while full: ${fmt(full.statuses)}; slowest answer ${Math.round(full.slowest)} ms`);
  check(failed > 0, "writes fail while the disk is full (the test really filled it)");
  check(!full.statuses.has(0), "every review got an answer while the disk was full");
  check(![...full.statuses.keys()].some((s) => s >= 500 && s !== 503), "refused reviews are a 503 (with Retry-After), never a 500");
  await refusals(app, agent, username, "full");

  console.log("\n== 2. space returns");
  fs.rmSync(ballast);
  await recovery(app, agent, username, "after full", 3, acks);

  console.log("\n== 3. the kernel turns the data folder read-only (an ext4 error, errors=remount-ro)");
  const dev = path.basename(execFileSync("findmnt", ["-n", "-o", "SOURCE", mnt], { encoding: "utf8" }).trim());
  fs.writeFileSync(`/sys/fs/ext4/${dev}/trigger_fs_error`, "1");
  const opts = execFileSync("findmnt", ["-n", "-o", "OPTIONS", mnt], { encoding: "utf8" }).trim();
  check(/\bemergency_ro\b|^ro\b/.test(opts), `the filesystem is read-only now (${opts})`);
  const ro = await reviews(learner, 3, 4);
  acks.push(...ro.acks);
  console.log(`  reviews while read-only: ${fmt(ro.statuses)}; slowest answer ${Math.round(ro.slowest)} ms`);
  check(!ro.statuses.has(0), "every review got an answer while read-only");
  check(ro.acks.length === 0, "no review is acknowledged while nothing can be written");
  check(![...ro.statuses.keys()].some((s) => s >= 500 && s !== 503), "refused reviews are a 503 (with Retry-After), never a 500");
  await refusals(app, agent, username, "read-only");
  const page = await ask(learner, "GET", "/progress");
  check(page.status === 200, `read-only: pages that only read still work (GET /progress ${page.status || page.error})`);
  // Linux cannot make an emergency read-only ext4 writable again while it is mounted: the operator
  // unmounts, checks and remounts it, and the app, whose files pointed into the old mount, restarts.
  await app.stop();
  sh("umount", mnt);
  mounted = false;
  try {
    sh("e2fsck", "-f", "-y", image);
  } catch (e) {
    if (e.status !== 1) throw e; // 1: errors corrected
  }
  sh("mount", "-o", "loop,errors=remount-ro", image, mnt);
  mounted = true;
  await app.start();
  await recovery(app, agent, username, "after read-only, remounted and restarted", 5, acks, { restarted: true });

  console.log("\n== 4. the stored data");
  agent.destroy();
  await app.stop();
  const file = path.join(mnt, "attention-span.db");
  const reader = await openReader({ sqliteFile: file });
  try {
    const [integrity] = await reader.all("PRAGMA integrity_check");
    check(Object.values(integrity)[0] === "ok", `integrity_check: ${Object.values(integrity)[0]}`);
    const v = await verifyReviewData(reader, acks, scheduler);
    for (const p of v.problems.slice(0, 10)) console.log(`  PROBLEM ${p}`);
    check(v.lost === 0 && v.duplicated === 0 && v.stateMismatches === 0, `acknowledged ${v.acknowledged}, stored ${v.stored}, lost ${v.lost}, duplicated ${v.duplicated}, state mismatches ${v.stateMismatches}`);
  } finally {
    await reader.close();
  }
  const ok = problems.length === 0;
  console.log(`\nDISK-FULL result=${ok ? "PASS" : "FAIL"} acknowledged=${acks.length} problems=${problems.length}`);
  return ok ? 0 : 1;
});
