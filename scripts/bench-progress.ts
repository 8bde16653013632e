/**
 * npx tsx scripts/bench-progress.ts [iterations]   (npm run bench:progress)
 * BENCH_DATABASE=postgres DATABASE_URL_PG=postgresql://… npx tsx scripts/bench-progress.ts
 *
 * Server time of the dashboard and progress data for a heavy learner: a fresh
 * database (a SQLite file in a temporary folder, or a new PostgreSQL database
 * made from DATABASE_URL_PG and dropped at the end), the real course synced
 * into it, plus synthetic items spread over the course's real topics (5,000
 * items in all, every one with a learner state) and 100,000 review logs over
 * the last year (a review every day). Calls the server functions directly,
 * many times, and prints p50/p95. Modes: warm; after a review; cold (every
 * in-process cache emptied; what the database keeps stays); nothing kept (also
 * the kept past days of ADR 014 and the mastery snapshot of ADR 033 deleted: a
 * learner's first visit after the upgrade); new process (a fresh
 * node process per sample, the first call of the page there, as a restarted
 * server meets its first learner, under tsx); new server (node server.mjs on
 * the production build, started afresh per sample, and the learner's first
 * request for the page over HTTP, with and without the start-up warm-up of
 * app/warm-up.server.ts, with the server's own CPU time; needs npm run build). Budget: p50 under 50 ms. Also checks that
 * the per-day figures agree with the pure domain functions on the same data.
 * BENCH_MODES picks modes (comma-separated), e.g. to run this script on an
 * older tree as a baseline: BENCH_MODES="warm,cold,new process".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import pg from "pg";

/**
 * The index this feature asks for (to be added to prisma/schema.base.prisma as
 * `@@index([userId, kind, undone, reviewedAt, durationMs])` on ReviewLog): per-day
 * counts and sums become index-only. BENCH_INDEXES=1 creates it in the
 * benchmark's database to measure with it.
 */
const REQUESTED_INDEXES = [
  `CREATE INDEX IF NOT EXISTS "ReviewLog_userId_kind_undone_reviewedAt_durationMs_idx" ON "ReviewLog"("userId", "kind", "undone", "reviewedAt", "durationMs")`,
];
const ITEMS = 5_000;
const LOGS = 100_000;
const ITERATIONS = Number(process.argv[2] ?? 50);
const BUDGET_MS = 50;
const NOW = new Date();

const onPostgres = process.env.BENCH_DATABASE === "postgres";
// A child (new-process mode): measures the first call of one page on the database its parent seeded.
const childPage = process.env.BENCH_CHILD_PAGE;
// BENCH_DIR=<folder> keeps the seeded SQLite database there and reuses it on the next run (for profiling).
const reuse = childPage !== undefined || (!onPostgres && process.env.BENCH_DIR ? fs.existsSync(path.join(process.env.BENCH_DIR, "attention-span.db")) : false);
const dir = process.env.BENCH_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "bench-progress-"));
fs.mkdirSync(dir, { recursive: true });
process.env.DATA_DIR = dir;
let dropDatabase = async () => {};
if (childPage !== undefined) {
  // DATABASE_URL comes from the parent.
} else if (onPostgres) {
  // Never a configured database: a new one, dropped at the end.
  const admin = process.env.DATABASE_URL_PG;
  if (!admin) throw new Error("BENCH_DATABASE=postgres needs DATABASE_URL_PG");
  const name = `bench_progress_${process.pid}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  dropDatabase = async () => {
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await d.end();
  };
} else delete process.env.DATABASE_URL; // a throwaway SQLite file, never a configured database

const { databaseConfig } = await import("../app/db/config.server");
const { migrate } = await import("../app/db/migrate.server");
const { getDb, disconnectDb } = await import("../app/db/client.server");
const { getCourse } = await import("../app/content/course.server");
const { syncContent } = await import("../app/content/sync.server");
const { getDashboard } = await import("../app/progress/dashboard.server");
const { getProgress, getTopicProgress } = await import("../app/progress/progress.server");
const { getStats, resetStatsCache } = await import("../app/progress/stats.server");
const { getSql, run: runSql } = await import("../app/db/sql.server");
const { resetMasteryCaches } = await import("../app/progress/mastery.server");
const { closeSql } = await import("../app/db/sql.server");
const { learningDays, totalsByDay } = await import("../app/domain/stats");
const { stateToJson } = await import("../app/domain/scheduler");
const { recordReview } = await import("../app/review/review.server");

// A small deterministic PRNG, so every run seeds the same data.
let seed = 0x5eed;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const DAY = 86_400_000;

/** Multi-row inserts straight to the bench database: one transaction on SQLite, chunks of rows on PostgreSQL. */
async function bulkInserter() {
  const tables: { name: string; columns: string[]; rows: unknown[][] }[] = [];
  return {
    table(name: string, columns: string[]) {
      const t = { name, columns, rows: [] as unknown[][] };
      tables.push(t);
      return { add: (...values: unknown[]) => void t.rows.push(values) };
    },
    async finish(extraDdl: string[]) {
      const cols = (t: (typeof tables)[number]) => t.columns.map((c) => `"${c}"`).join(", ");
      if (!onPostgres) {
        const sqlite = new Database(path.join(dir, "attention-span.db"));
        sqlite.pragma("busy_timeout = 10000");
        sqlite.transaction(() => {
          for (const t of tables) {
            const stmt = sqlite.prepare(`INSERT INTO "${t.name}" (${cols(t)}) VALUES (${t.columns.map(() => "?").join(", ")})`);
            for (const r of t.rows) stmt.run(...r);
          }
        })();
        for (const ddl of extraDdl) sqlite.exec(ddl);
        sqlite.exec("ANALYZE");
        sqlite.close();
        return;
      }
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query("BEGIN");
      for (const t of tables) {
        const per = Math.floor(10_000 / t.columns.length);
        for (let i = 0; i < t.rows.length; i += per) {
          const chunk = t.rows.slice(i, i + per);
          const values = chunk.map((_, j) => `(${t.columns.map((__, k) => `$${j * t.columns.length + k + 1}`).join(", ")})`).join(", ");
          await client.query(`INSERT INTO "${t.name}" (${cols(t)}) VALUES ${values}`, chunk.flat());
        }
      }
      await client.query("COMMIT");
      for (const ddl of extraDdl) await client.query(ddl);
      await client.query("ANALYZE");
      await client.end();
    },
  };
}

async function seedData() {
  const started = performance.now();
  await migrate(databaseConfig());
  const db = getDb();
  const { course } = getCourse();
  await syncContent(db, course, NOW);

  const userId = (await db.user.create({ data: { username: "bench", usernameKey: "bench" } })).id;
  await db.settings.create({ data: { userId, timeZone: "Europe/Paris", dayStartHour: 4 } });
  // A second learner, so every query really has to filter by user.
  const otherId = (await db.user.create({ data: { username: "other", usernameKey: "other" } })).id;

  const real = await db.item.findMany({ where: { retiredAt: null }, select: { id: true, topicId: true, kind: true } });
  const topics = course.topics.map((t) => t.slug);
  const tagsByTopic = new Map(course.topics.map((t) => [t.slug, [...new Set(t.cards.flatMap((c) => c.tags))]]));
  const synthetic: { id: string; topicId: string; kind: string; position: number; tags: string }[] = [];
  for (let i = 0; real.length + synthetic.length < ITEMS; i++) {
    const topic = course.topics[i % topics.length]!;
    const tags = tagsByTopic.get(topic.slug)!;
    synthetic.push({
      id: `bench-${topic.slug}-${i}`,
      topicId: topic.slug,
      kind: i % 10 === 0 ? "quiz" : "card",
      position: topic.position * 100_000 + 90_000 + i,
      tags: JSON.stringify(tags.length ? [pick(tags)] : []),
    });
  }
  const items = [...real.map((r) => r.id), ...synthetic.map((s) => s.id)];

  // Bulk rows go straight to the database (Prisma's createMany takes minutes for 100,000 rows),
  // stored exactly as Prisma stores them: on SQLite ISO-8601 text with "+00:00" and booleans as 0/1.
  const bulk = await bulkInserter();
  const iso = (d: Date) => (onPostgres ? d.toISOString() : d.toISOString().replace("Z", "+00:00"));
  const bool = (b: boolean) => (onPostgres ? b : b ? 1 : 0);
  const insertItem = bulk.table("Item", ["id", "topicId", "kind", "section", "position", "tags", "contentHash"]);
  const insertState = bulk.table("ItemState", [
    "userId", "itemId", "due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview", "version",
  ]);
  const insertLog = bulk.table("ReviewLog", [
    "userId", "itemId", "clientId", "kind", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter", "undone",
  ]);
  const start = NOW.getTime() - 365 * DAY;
  const myLogs: { itemId: string; kind: string; reviewedAt: Date; durationMs: number; undone: boolean }[] = [];
  {
    for (const s of synthetic) insertItem.add(s.id, s.topicId, s.kind, "bench", s.position, s.tags, "bench");
    // One state per item: mostly in Review, stabilities from half a day to 200 days.
    for (const itemId of items) {
      const state = rand() < 0.9 ? 2 : rand() < 0.5 ? 1 : 3;
      const stability = Math.exp(rand() * Math.log(400)) * 0.5;
      const lastReview = new Date(NOW.getTime() - Math.floor(rand() * 60 * DAY));
      const scheduledDays = state === 2 ? Math.max(1, Math.round(stability)) : 0;
      const due = new Date(lastReview.getTime() + (state === 2 ? scheduledDays * DAY : 10 * 60_000));
      insertState.add(
        userId,
        itemId,
        iso(due),
        stability,
        1 + rand() * 9,
        Math.floor(rand() * 30),
        scheduledDays,
        0,
        1 + Math.floor(rand() * 20),
        Math.floor(rand() * 3),
        state,
        iso(lastReview),
        1,
      );
    }
    // 100,000 reviews over the last 365 days in time order, at least one every day; 1% undone (plus their undo rows).
    const times = Array.from({ length: LOGS }, () => start + Math.floor(rand() * 365 * DAY));
    for (let d = 0; d < 365; d++) times[d] = start + d * DAY + 12 * 3_600_000;
    times.sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      const reviewedAt = new Date(times[i]!);
      const prevState = rand() < 0.75 ? 2 : pick([0, 1, 3]);
      const scheduledDays = prevState === 2 ? Math.floor(rand() * 60) : 0;
      const before = JSON.stringify({
        ...stateToJson({
          due: reviewedAt,
          stability: 1 + rand() * 50,
          difficulty: 5,
          elapsedDays: scheduledDays,
          scheduledDays,
          learningSteps: 0,
          reps: 3,
          lapses: 0,
          state: prevState,
          lastReview: new Date(times[i]! - scheduledDays * DAY),
        }),
        version: 1,
      });
      const undone = rand() < 0.01;
      const itemId = pick(items);
      const durationMs = 2_000 + Math.floor(rand() * 15_000);
      insertLog.add(
        userId,
        itemId,
        `c${i}`,
        "review",
        "review",
        rand() < 0.1 ? 1 : pick([2, 3, 3, 3, 4]),
        prevState,
        iso(reviewedAt),
        durationMs,
        before,
        before,
        bool(undone),
      );
      myLogs.push({ itemId, kind: "review", reviewedAt, durationMs, undone });
      if (undone) {
        insertLog.add(userId, itemId, `u${i}`, "undo", "review", 0, 2, iso(new Date(times[i]! + 1000)), 0, "{}", "{}", bool(false));
        myLogs.push({ itemId, kind: "undo", reviewedAt: new Date(times[i]! + 1000), durationMs: 0, undone: false });
      }
      if (i % 10 === 0) insertLog.add(otherId, itemId, `o${i}`, "review", "review", 3, 2, iso(reviewedAt), durationMs, before, before, bool(false));
    }
  }
  await bulk.finish(process.env.BENCH_INDEXES === "1" ? REQUESTED_INDEXES : []);

  for (const t of course.topics) {
    await db.lessonVisit.create({ data: { userId: userId, topicId: t.slug, firstOpened: new Date(start) } });
    await db.quizAttempt.create({
      data: { userId: userId, topicId: t.slug, seed: 1, startedAt: NOW, finishedAt: NOW, correct: 17, total: 20 },
    });
    for (const e of t.exercises)
      await db.exerciseAttempt.create({
        data: { userId: userId, itemId: e.id, clientId: `e-${e.id}`, passed: true, testsPassed: 3, testsTotal: 3, durationMs: 1000, code: "" },
      });
  }
  const reviews = myLogs.filter((l) => l.kind === "review").length;
  console.log(
    `seeded in ${Math.round(performance.now() - started)} ms: ${items.length} items (${real.length} from the course + ${
      synthetic.length
    } synthetic, spread over its ${topics.length} topics), ` +
      `${items.length} item states, ${reviews} review logs for the learner (+ undo rows and a second learner), in ${dir}`,
  );
  return { userId, logs: myLogs };
}

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

type Mode = "warm" | "after a review" | "cold" | "nothing kept";

/**
 * warm: the process caches as the learner's next visit finds them when nothing
 * changed (the course's items, their item states). after a review: one real
 * review (recordReview) just before each call, the usual way to reach the
 * dashboard. cold: every in-process cache emptied first (the past days kept in
 * the database stay). nothing kept: the kept past days deleted too, as on a
 * learner's first visit after the upgrade that added them (ADR 014).
 * Wall time is what the loader waits; CPU time is this process's own work
 * (better-sqlite3 runs in-process), less sensitive to a busy machine.
 */
async function measure(name: string, f: () => Promise<unknown>, mode: Mode = "warm") {
  for (let i = 0; i < 3; i++) await f(); // warm up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    if (mode === "cold" || mode === "nothing kept") {
      resetStatsCache();
      resetMasteryCaches();
    }
    if (mode === "nothing kept") {
      await getSql().run(runSql(`DELETE FROM "ReviewDay" WHERE "userId" = ?`, userId));
      await getSql().run(runSql(`DELETE FROM "MasterySnapshot" WHERE "userId" = ?`, userId));
    }
    if (mode === "after a review") await reviewOne();
    const c = process.cpuUsage();
    const t = performance.now();
    await f();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const p50 = percentile(wall, 50);
  const fmt = (x: number) => x.toFixed(1).padStart(6);
  console.log(
    `${`${name}, ${mode}`.padEnd(50)} wall p50 ${fmt(p50)} ms  p95 ${fmt(percentile(wall, 95))} ms   cpu p50 ${fmt(percentile(cpu, 50))} ms` +
      `   ${p50 < BUDGET_MS ? "ok" : "OVER BUDGET"}`,
  );
  return p50;
}

let reviews = 0;
/** One real review of a random course item, as the review page records it. */
async function reviewOne() {
  const { course } = getCourse();
  const cards = course.topics.flatMap((t) => t.cards.map((c) => c.id));
  const itemId = cards[Math.floor(rand() * cards.length)]!;
  const row = await getDb().itemState.findUnique({ where: { userId_itemId: { userId, itemId } }, select: { version: true } });
  const res = await recordReview(userId, {
    itemId,
    rating: 3,
    clientId: `bench-${Date.now()}-${reviews++}`,
    version: row?.version ?? 0,
    durationMs: 8000,
    source: "review",
  });
  if (res.status !== "recorded") throw new Error(`review not recorded: ${res.status}`);
}

const pages: [string, () => Promise<unknown>][] = [
  ["dashboard (getDashboard)", () => getDashboard(userId, new Date())],
  ["/progress (getProgress)", () => getProgress(userId, new Date())],
  ["/progress/attention (getTopicProgress)", () => getTopicProgress(userId, "attention", new Date())],
  ["/progress/stats (getStats)", () => getStats(userId, new Date())],
];

let userId = "";
if (childPage !== undefined) {
  // As a started server is before its first learner: start-up done (migrations, content sync), connection open.
  const { startup } = await import("../app/startup.server");
  await startup({ log: () => undefined });
  userId = (await getDb().user.findUniqueOrThrow({ where: { usernameKey: "bench" } })).id;
  await getSql().get({ sql: "SELECT 1 AS one", params: [], mode: "get" });
  const c = process.cpuUsage();
  const t = performance.now();
  await pages[Number(childPage)]![1]();
  const used = process.cpuUsage(c);
  process.stdout.write(JSON.stringify({ ms: performance.now() - t, cpu: (used.user + used.system) / 1000 }));
  await disconnectDb();
  await closeSql();
  process.exit(0);
}
if (reuse) {
  userId = (await getDb().user.findUniqueOrThrow({ where: { usernameKey: "bench" } })).id;
  console.log(`reusing the seeded database in ${dir}`);
} else {
  const seeded = await seedData();
  userId = seeded.userId;
  // The SQL grouping and the pure functions must agree on the same data (computed from the log, then from the kept days).
  for (const from of ["the log", "the kept days"]) {
    const stats = await getStats(userId, NOW);
    const days = learningDays(NOW, "Europe/Paris", 4, -29, 0);
    const expected = totalsByDay(days, seeded.logs);
    const mismatch = expected.filter((d, i) => d.reviews !== stats.perDay[i]!.reviews || d.timeMs !== stats.perDay[i]!.timeMs);
    if (mismatch.length) throw new Error(`per-day totals from ${from} disagree with the pure function on ${mismatch.length} days`);
    console.log(`check: per-day totals from ${from} match the pure function; streak ${stats.streak.days} days, ${stats.heatmap.total} reviews in the heatmap`);
  }
}

if (!onPostgres) {
  const check = new Database(path.join(dir, "attention-span.db"), { readonly: true });
  const indexed = check
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ReviewLog_userId_kind_undone_reviewedAt_durationMs_idx'`)
    .get();
  check.close();
  console.log(indexed ? "with the requested ReviewLog index" : "without the requested ReviewLog index (BENCH_INDEXES=1 adds it)");
}
console.log(
  `\n${onPostgres ? "PostgreSQL" : "SQLite"}, ${ITERATIONS} iterations each, server functions called directly (load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}, ${os.cpus().length} CPUs):`,
);
const over: string[] = [];
const fmt = (x: number) => x.toFixed(1).padStart(6);
// BENCH_MODES=warm,cold,new process (for example) runs only those; a tree without kept days (a baseline) has no "nothing kept".
const modes = (process.env.BENCH_MODES ?? "warm,after a review,cold,nothing kept,new process,new server").split(",").map((m) => m.trim());
for (const mode of (["warm", "after a review", "cold", "nothing kept"] as const).filter((m) => modes.includes(m))) {
  for (const [name, f] of pages) {
    const p50 = await measure(name, f, mode);
    if (p50 >= BUDGET_MS && mode !== "nothing kept") over.push(`${name}, ${mode}`);
  }
}
// New process: the first call of the page in a fresh node process (modules loaded, connection open).
const SAMPLES = Number(process.env.BENCH_PROCESS_SAMPLES ?? 7);
for (const [i, [name]] of modes.includes("new process") ? pages.entries() : []) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const res = spawnSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "bench-progress.ts")], {
      encoding: "utf8",
      env: { ...process.env, BENCH_CHILD_PAGE: String(i), BENCH_DIR: dir, DATABASE_URL: process.env.DATABASE_URL ?? "" },
    });
    if (res.status !== 0) throw new Error(`child failed: ${res.stderr}`);
    const out = JSON.parse(res.stdout.trim().split("\n").pop()!) as { ms: number; cpu: number };
    wall.push(out.ms);
    cpu.push(out.cpu);
  }
  const p50 = percentile(wall, 50);
  console.log(
    `${`${name}, new process`.padEnd(50)} wall p50 ${fmt(p50)} ms  p95 ${fmt(percentile(wall, 95))} ms   cpu p50 ${fmt(percentile(cpu, 50))} ms` +
      `   ${p50 < BUDGET_MS ? "ok" : "OVER BUDGET"} (${SAMPLES} processes)`,
  );
  if (p50 >= BUDGET_MS) over.push(`${name}, new process`);
}
// A restarted server (node server.mjs on the production build) and the learner's first page there, over HTTP.
if (modes.includes("new server")) {
  if (!fs.existsSync(path.join(import.meta.dirname, "..", "build", "server", "index.js"))) throw new Error("new server: run npm run build first");
  const { createCookie } = await import("@remix-run/node");
  const secret = "bench-progress-secret";
  const sessionId = `bench-session-${process.pid}`;
  await getDb().session.create({ data: { id: sessionId, userId, expiresAt: new Date(Date.now() + 86_400_000) } });
  const cookie = (await createCookie("__session", { secrets: [secret], path: "/" }).serialize(sessionId)).split(";")[0]!;
  // The request a learner's browser sends: with Node's own User-Agent the page took isbot's path (rendered whole before
  // the first byte) and Node's Accept-Encoding, neither of which a learner's browser takes.
  const BROWSER = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, br",
    "Accept-Language": "en-GB,en;q=0.9",
  };
  // BENCH_URLS=/progress/stats,/ (for example) measures only those pages.
  const only = process.env.BENCH_URLS?.split(",").map((u) => u.trim());
  const urls = (
    [
      ["dashboard /", "/"],
      ["/progress", "/progress"],
      ["/progress/attention", "/progress/attention"],
      ["/progress/stats", "/progress/stats"],
    ] as [string, string][]
  ).filter(([, url]) => !only || only.includes(url));
  const SERVER_SAMPLES = Number(process.env.BENCH_SERVER_SAMPLES ?? 5);
  const net = await import("node:net");
  const freePort = () =>
    new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => resolve(port));
      });
    });
  const { spawn } = await import("node:child_process");
  // The server process's own CPU time for the first request, every thread of it (the main thread, V8's helpers,
  // libuv's pool): from /proc/<pid>/task/*/schedstat in nanoseconds (clock ticks of /proc/<pid>/stat are 10 ms);
  // the figure that load on a shared machine does not inflate.
  const cpuOf = (pid: number, mainThreadOnly = false) => {
    try {
      let ns = 0;
      for (const task of mainThreadOnly ? [String(pid)] : fs.readdirSync(`/proc/${pid}/task`))
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
      return ns / 1e6;
    } catch {
      return NaN;
    }
  };
  // CPU ms per thread name (BENCH_THREADS=1 prints where a first request's CPU went: the main thread, V8's workers, libuv's pool).
  const byThread = (pid: number) => {
    const out = new Map<string, number>();
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = task === String(pid) ? "main" : fs.readFileSync(`/proc/${pid}/task/${task}/comm`, "utf8").trim();
        const ms = Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]) / 1e6;
        out.set(name, (out.get(name) ?? 0) + ms);
      } catch {
        // a thread that ended
      }
    }
    return out;
  };
  // On PostgreSQL the database's own work for the request is in its backends, not in the server process: the CPU a
  // learner waits for is the server's main thread plus those backends (the server's other threads, V8's background
  // compiler and garbage collector, run beside the main thread on a machine with a core to spare).
  const pgAdmin = onPostgres ? new pg.Client({ connectionString: process.env.DATABASE_URL }) : null;
  await pgAdmin?.connect();
  const backendCpu = async () => {
    if (!pgAdmin) return 0;
    const rows = (await pgAdmin.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows;
    return (rows as { pid: number }[]).reduce((sum, r) => sum + cpuOf(r.pid), 0);
  };
  // APP_NODE_ARGS: extra node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (one profile per server).
  const nodeArgs = (process.env.APP_NODE_ARGS ?? "").split(" ").filter(Boolean);
  // Each sample starts one server without the start-up warm-up (WARM_UP=0, the baseline) and one with it.
  for (const [name, url] of urls) {
    const sample = () => ({ wall: [] as number[], cpu: [] as number[], main: [] as number[], db: [] as number[] });
    const runs = { baseline: sample(), warmed: sample() };
    // BENCH_VARIANTS=warmed skips the servers without the warm-up (the baseline of ADR 022).
    const variants = (["baseline", "warmed"] as const).filter((v) => !process.env.BENCH_VARIANTS || process.env.BENCH_VARIANTS.split(",").includes(v));
    for (let k = 0; k < SERVER_SAMPLES; k++) {
      for (const variant of variants) {
        const port = await freePort();
        const child = spawn(process.execPath, [...nodeArgs, "server.mjs"], {
          cwd: path.join(import.meta.dirname, ".."),
          env: {
            ...process.env,
            NODE_ENV: "production",
            PORT: String(port),
            HOST: "127.0.0.1",
            DATA_DIR: dir,
            DATABASE_URL: process.env.DATABASE_URL ?? "",
            SESSION_SECRET: secret,
            WARM_UP: variant === "baseline" ? "0" : "1",
          },
          stdio: "ignore",
        });
        const base = `http://127.0.0.1:${port}`;
        for (let tries = 0; ; tries++) {
          if (tries > 600) throw new Error("new server: did not start");
          const ok = await fetch(`${base}/healthz`).then((r) => r.ok).catch(() => false);
          if (ok) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 300)); // let the first health checks' work settle
        const threads0 = byThread(child.pid!);
        const [cpu0, main0, db0] = [cpuOf(child.pid!), cpuOf(child.pid!, true), await backendCpu()];
        const t = performance.now();
        const t0 = process.hrtime.bigint();
        const res = await fetch(base + url, { headers: { ...BROWSER, Cookie: cookie } });
        await res.text();
        runs[variant].wall.push(performance.now() - t);
        // The request's window on the monotonic clock, in µs as V8's CPU profiles time their samples (profiling a server).
        if (nodeArgs.length) console.log(`  ${url} ${variant}: pid ${child.pid} request window ${t0 / 1000n}-${process.hrtime.bigint() / 1000n} µs`);
        runs[variant].cpu.push(cpuOf(child.pid!) - cpu0);
        runs[variant].main.push(cpuOf(child.pid!, true) - main0);
        runs[variant].db.push((await backendCpu()) - db0);
        if (process.env.BENCH_THREADS === "1") {
          const after = byThread(child.pid!);
          const spent = [...after].map(([n, ms]) => [n, ms - (threads0.get(n) ?? 0)] as const).filter(([, ms]) => ms > 0.05);
          console.log(`  ${url} ${variant}: ${spent.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(", ")} ms`);
        }
        if (res.status !== 200) throw new Error(`new server: ${url} answered ${res.status}`);
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
    }
    for (const variant of variants) {
      const { wall, cpu, main, db } = runs[variant];
      const p50 = percentile(wall, 50);
      const felt = percentile(
        main.map((m, i) => m + db[i]!),
        50,
      );
      const label = variant === "baseline" ? "new server, no warm-up (HTTP)" : "new server (HTTP)";
      console.log(
        `${`${name}, ${label}`.padEnd(50)} wall p50 ${fmt(p50)} ms  p95 ${fmt(percentile(wall, 95))} ms   server cpu p50 ${fmt(percentile(cpu, 50))} ms` +
          ` (main thread ${fmt(percentile(main, 50))}${onPostgres ? `, + PostgreSQL backends ${fmt(percentile(db, 50))}` : ""})` +
          `   main+db p50 ${fmt(felt)} ms   ${p50 < BUDGET_MS ? "ok" : "OVER BUDGET"} (wall), ${felt < BUDGET_MS ? "ok" : "OVER BUDGET"} (main+db cpu) (${SERVER_SAMPLES} servers)`,
      );
      if (p50 >= BUDGET_MS && variant === "warmed") over.push(`${name}, new server`);
    }
  }
  await pgAdmin?.end();
}
console.log(`\ncommand: ${onPostgres ? "BENCH_DATABASE=postgres " : ""}npx tsx scripts/bench-progress.ts ${ITERATIONS}   budget: p50 < ${BUDGET_MS} ms`);
await disconnectDb();
await closeSql();
await dropDatabase();
if (!process.env.BENCH_DIR) fs.rmSync(dir, { recursive: true, force: true });
if (over.length) {
  console.log(`over budget: ${over.join("; ")}`);
  process.exitCode = 1;
}
