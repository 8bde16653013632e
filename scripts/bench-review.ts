/**
 * npm run bench:review — how fast is a review, with a heavy learner?
 * Seeds a learner with 5,000 items and 100,000 review logs (a fresh SQLite file),
 * then measures, in the same run:
 *  (a) server time to record a review and return the next items through the real
 *      route (POST /api/review via the Remix request handler of the production build);
 *  (b) a bare better-sqlite3 baseline doing the same read, update and insert by hand;
 *  (c) the query plans of the hot queries (no scan of a learner's whole log);
 *  (d) keypress to next card in Chromium (performance marks): to the card in the DOM,
 *      and to the frame that shows it, unless --no-browser.
 * Prints p50/p99 and the ratio. Figures, not assertions: see docs/benchmarks.md.
 * --keep leaves the seeded database behind (its path is printed) for closer study.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "as-bench-review-"));
process.env.DATA_DIR = dataDir;
process.env.NODE_ENV = "production";
process.env.DATABASE_URL = "";
const ITEMS = 5_000;
const LOGS = 100_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const KEY_ROUNDS = 3;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

const { createRequestHandler } = await import("@remix-run/node");
const build = await import(path.join(root, "build/server/index.js"));
await build.entry.module.startup({ log: () => undefined });
const handler = createRequestHandler(build, "production");
const Database = (await import("better-sqlite3")).default;
const file = path.join(dataDir, "attention-span.db");

// A learner, signed up through the real route. (Requests go straight to the Remix
// handler: no Origin header, since server.mjs's cross-site check is not in this path.)
const origin = "http://bench.local";
const signup = await handler(
  new Request(`${origin}/signup`, {
    method: "POST",
    body: new URLSearchParams({ username: "bench", password: "benchmark password", confirm: "benchmark password" }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  }),
);
const cookie = signup.headers.get("set-cookie")!.split(";")[0]!;

// Seed: synthetic cards up to 5,000 items, a state for each, 100,000 logs over a year.
const db = new Database(file);
db.pragma("journal_mode = WAL");
const userId = (db.prepare("SELECT id FROM User WHERE usernameKey = 'bench'").get() as { id: string }).id;
const realItems = (db.prepare("SELECT id FROM Item WHERE retiredAt IS NULL").all() as { id: string }[]).map((r) => r.id);
const now = Date.now();
const DAY = 86_400_000;
// Prisma stores DateTime in SQLite as ISO text with an explicit offset; seed the same way.
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
db.transaction(() => {
  db.prepare("INSERT INTO Topic (id, position, title) VALUES ('bench', 99, 'Benchmark')").run();
  const insItem = db.prepare("INSERT INTO Item (id, topicId, kind, section, position, tags, contentHash) VALUES (?, 'bench', 'card', 'x', ?, '[]', 'h')");
  for (let i = realItems.length; i < ITEMS; i++) insItem.run(`bench-${i}`, 9_900_000 + i);
})();
const allItems = (db.prepare("SELECT id FROM Item").all() as { id: string }[]).map((r) => r.id);
// The real flashcards are due now (the route can only present real content); the
// synthetic items are due over the coming months and only add weight to the tables.
const realCards = new Set((db.prepare("SELECT id FROM Item WHERE kind = 'card' AND topicId <> 'bench'").all() as { id: string }[]).map((r) => r.id));
db.transaction(() => {
  const insState = db.prepare(
    "INSERT INTO ItemState (userId, itemId, due, stability, difficulty, elapsedDays, scheduledDays, learningSteps, reps, lapses, state, lastReview, version) VALUES (?, ?, ?, ?, ?, 0, ?, 0, ?, ?, 2, ?, ?)",
  );
  allItems.forEach((id, i) => {
    const due = realCards.has(id) ? now - (i % 5) * DAY : now + ((i % 180) + 1) * DAY;
    insState.run(userId, id, iso(due), 5 + (i % 60), 3 + (i % 5), 10 + (i % 50), 20, i % 3, iso(due - 10 * DAY), 20);
  });
  const insLog = db.prepare(
    "INSERT INTO ReviewLog (userId, itemId, clientId, kind, source, rating, prevState, reviewedAt, durationMs, stateBefore, stateAfter) VALUES (?, ?, ?, 'review', 'review', ?, 2, ?, 4000, '{}', '{}')",
  );
  for (let i = 0; i < LOGS; i++) insLog.run(userId, allItems[i % allItems.length], `seed-${i}`, 1 + (i % 4), iso(now - 2 * DAY - Math.floor((i / LOGS) * 365 * DAY)));
})();
db.pragma("wal_checkpoint(TRUNCATE)");
db.exec("ANALYZE");
db.prepare("INSERT INTO LessonVisit (userId, topicId, firstOpened) VALUES (?, 'bench', ?)").run(userId, iso(now));

// (a) the real route.
type Reply = { ok: boolean; status?: string; view: { entries: { itemId: string; version: number; kind: string }[] } };
// Server time: from the request (built as the Express adapter builds it) to the
// whole response body; reading the JSON back is the client's work, not timed.
const post = async (form: Record<string, string>) => {
  const started = performance.now();
  const res = await handler(
    new Request(`${origin}/api/review`, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    }),
  );
  const text = await res.text();
  const ms = performance.now() - started;
  return { ms, body: JSON.parse(text) as Reply, status: res.status };
};
const first = await handler(new Request(`${origin}/api/review`, { headers: { Cookie: cookie } }));
let queue = ((await first.json()) as Reply).view.entries.filter((e) => e.kind === "card");
const routeTimes: number[] = [];
let errors = 0;
for (let i = 0; i < RUNS + 50; i++) {
  const next = queue.shift();
  if (!next) {
    console.log(`  (queue ran out after ${i} reviews)`);
    break;
  }
  // Mostly Again and Hard, so cards cycle back through relearning and the queue never runs dry.
  const r = await post({ intent: "rate", itemId: next.itemId, rating: String([1, 2, 1, 3][i % 4]), version: String(next.version), clientId: crypto.randomUUID(), durationMs: "3000" });
  if (r.status !== 200) errors++;
  if (i >= 50) routeTimes.push(r.ms); // the first 50 warm the JIT and caches
  queue = r.body.view.entries.filter((e) => e.kind === "card");
}

// (b) the bare better-sqlite3 baseline: read the state, update it with a version check, append the log.
// Same connection settings as the app (synchronous=FULL), with the app's checkpointer still running.
const { openSqlite } = await import("../app/db/sqlite.server");
const baseline = openSqlite(file);
const sel = baseline.prepare("SELECT * FROM ItemState WHERE userId = ? AND itemId = ?");
const upd = baseline.prepare("UPDATE ItemState SET due = ?, stability = ?, reps = reps + 1, version = version + 1 WHERE userId = ? AND itemId = ? AND version = ?");
const ins = baseline.prepare(
  "INSERT INTO ReviewLog (userId, itemId, clientId, kind, source, rating, prevState, reviewedAt, durationMs, stateBefore, stateAfter) VALUES (?, ?, ?, 'review', 'review', 3, 2, ?, 3000, ?, ?)",
);
const bare = baseline.transaction((itemId: string) => {
  const row = sel.get(userId, itemId) as { version: number; stability: number };
  upd.run(iso(Date.now() + DAY), row.stability * 1.1, userId, itemId, row.version);
  ins.run(userId, itemId, crypto.randomUUID(), iso(Date.now()), JSON.stringify(row), JSON.stringify(row));
});
const bareTimes: number[] = [];
for (let i = 0; i < RUNS + 50; i++) {
  const started = performance.now();
  bare(allItems[(i * 7) % allItems.length]!);
  if (i >= 50) bareTimes.push(performance.now() - started);
}

// (c) query plans of the hot queries.
const plans: [string, string, unknown[]][] = [
  ["today's counts", "SELECT prevState, count(*) FROM ReviewLog WHERE userId = ? AND kind = 'review' AND undone = 0 AND source = 'review' AND reviewedAt >= ? AND reviewedAt < ? GROUP BY prevState", [userId, iso(now), iso(now + DAY)]],
  ["due items", "SELECT * FROM ItemState WHERE userId = ? AND due <= ? AND state <> 0", [userId, iso(now + DAY)]],
  ["resubmission check", "SELECT * FROM ReviewLog WHERE userId = ? AND clientId = ?", [userId, "x"]],
  ["last review (undo)", "SELECT * FROM ReviewLog WHERE userId = ? AND reviewedAt >= ? AND kind = 'review' AND undone = 0 ORDER BY id DESC LIMIT 1", [userId, iso(now - DAY)]],
];
const planLines = plans.map(([name, sql, args]) => {
  const rows = baseline.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
  return `  ${name}: ${rows.map((r) => r.detail).join("; ")}`;
});
baseline.close();
db.close();

console.log(`bench:review — ${ITEMS} items, ${LOGS} review logs, ${routeTimes.length} timed reviews (SQLite, WAL, synchronous=FULL, background checkpoints)`);
console.log(`  real route  POST /api/review: p50 ${fmt(pct(routeTimes, 50))}, p99 ${fmt(pct(routeTimes, 99))}  (budget: p50 < 5 ms, p99 < 20 ms); non-200: ${errors}`);
console.log(`  bare SQL baseline:            p50 ${fmt(pct(bareTimes, 50))}, p99 ${fmt(pct(bareTimes, 99))}`);
console.log(`  ratio route/bare: p50 ${(pct(routeTimes, 50) / pct(bareTimes, 50)).toFixed(1)}x, p99 ${(pct(routeTimes, 99) / pct(bareTimes, 99)).toFixed(1)}x`);
console.log("query plans:");
for (const l of planLines) console.log(l);

// (d) keypress to next card, in Chromium.
if (!process.argv.includes("--no-browser")) {
  const { chromium } = await import("@playwright/test");
  const port = 3900 + Math.floor(Math.random() * 90);
  const server = spawn(process.execPath, ["server.mjs"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "as-bench-ui-")), RATE_LIMIT_IP: "1000/60" },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/signup`);
    await page.getByLabel("Username").fill("keys");
    await page.getByLabel("Password", { exact: true }).fill("benchmark password");
    await page.getByLabel("Repeat the password").fill("benchmark password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/account`);
    await page.getByLabel("New cards per day").fill("60");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
    for (const slug of ["transformers", "attention"]) {
      await page.goto(`${base}/lessons/${slug}`);
      await page.getByRole("button", { name: /^Study these \d+ flashcards$/ }).click(); // ADR 021: opening a lesson enrols nothing
      await page.waitForURL(`${base}/review`);
    }
    // Rounds of 25 ratings, each from a fresh /review page: every card rated is one the page already holds.
    const toCard: number[] = [];
    const toFrame: number[] = [];
    let frame = 0;
    for (let round = 0; round < KEY_ROUNDS; round++) {
      await page.goto(`${base}/review`);
      await page.waitForFunction(() => (window as unknown as { __hydrated?: boolean }).__hydrated === true);
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press("Space");
        await page.locator(".rating-buttons").waitFor();
        await page.keyboard.press(String(1 + ((i + 2) % 4)));
        await page.waitForTimeout(30);
      }
      // A string, not a function: tsx would wrap named helpers in a __name() the page does not have.
      const got = (await page.evaluate(`(async () => {
        // The page's frame interval, from a second of animation frames.
        const stamps = [];
        await new Promise((done) => {
          const tick = (t) => { stamps.push(t); if (stamps.length < 61) requestAnimationFrame(tick); else done(); };
          requestAnimationFrame(tick);
        });
        const deltas = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
        return {
          toCard: performance.getEntriesByName("review:key-to-card").map((e) => e.duration),
          toFrame: performance.getEntriesByName("review:key-to-frame").map((e) => e.duration),
          frame: deltas[Math.floor(deltas.length / 2)],
        };
      })()`)) as { toCard: number[]; toFrame: number[]; frame: number };
      toCard.push(...got.toCard);
      toFrame.push(...got.toFrame);
      frame = got.frame;
      await page.getByText(/unsaved|Saving/i).waitFor({ state: "hidden" }).catch(() => undefined); // the outbox drained
    }
    const late = toFrame.filter((d) => d > frame + 1).length;
    console.log(`  keypress to next card in the page (Chromium, ${toCard.length} ratings): p50 ${fmt(pct(toCard, 50))}, p95 ${fmt(pct(toCard, 95))} (budget: p95 < 16 ms)`);
    console.log(
      `  keypress to the frame that shows it: p50 ${fmt(pct(toFrame, 50))}, p95 ${fmt(pct(toFrame, 95))}; frame interval ${fmt(frame)}; shown on the first frame after the key: ${toFrame.length - late} of ${toFrame.length}`,
    );
  } finally {
    await browser.close();
    server.kill();
  }
}
if (process.argv.includes("--keep")) console.log(`seeded database kept in ${dataDir}`);
else fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
