/**
 * Per-learner optimisation through the real server (ADR 026): a fit runs in
 * the background after reviews, its weights schedule the next review, and two
 * app processes on one database never fit the same learner at once.
 * SQLite, and PostgreSQL with TEST_DATABASE=postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { default_w } from "ts-fsrs";
import { Client, signUp, startServer, type TestServer, studyLesson } from "./harness";
import { syntheticLog } from "~/optimizer/synthetic";

const FAST = { OPTIMIZER_TICK_MS: "150" };
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  a = await startServer(FAST);
  // The second process shares the first one's database.
  b = await startServer({ ...FAST, DATA_DIR: a.dataDir, ...(a.provider === "postgresql" ? { DATABASE_URL: await databaseUrlOf(a) } : {}) });
}, 90_000);
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

async function databaseUrlOf(server: TestServer): Promise<string> {
  const row = await server.one<{ db: string }>("SELECT current_database() AS db");
  const url = new URL(process.env.DATABASE_URL_PG!);
  url.pathname = `/${row!.db}`;
  return url.toString();
}

/** Dates as the app writes them on SQLite (PostgreSQL reads the same text). */
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** A learner with a history the optimizer can learn from, written behind the server's back (about 700 reviews over 120 items). */
async function learnerWithHistory(server: TestServer, seed: number) {
  const client = new Client(server.url);
  const user = await signUp(client);
  const log = syntheticLog({ items: 120, reviewsPerItem: 6, seed, start: new Date(Date.now() - 300 * 86_400_000), newPerDay: 10 }).filter((e) => e.reviewedAt.getTime() < Date.now() - 86_400_000);
  for (let i = 0; i < log.length; i += 100) {
    const chunk = log.slice(i, i + 100);
    await server.exec(
      `INSERT INTO ReviewLog (userId, itemId, clientId, kind, source, rating, prevState, reviewedAt, durationMs, stateBefore, stateAfter, undone) VALUES ${chunk.map(() => "(?, ?, ?, 'review', 'review', ?, ?, ?, 0, '{}', '{}', ?)").join(", ")}`,
      ...chunk.flatMap((e, k) => [user.id, e.itemId, `synthetic-${seed}-${i + k}`, e.rating, e.prevState, iso(e.reviewedAt), 0]),
    );
  }
  return { client, user, reviews: log.length };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- a ---\n${a.logs().slice(-2000)}\n--- b ---\n${b.logs().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

type Reply = { ok: boolean; status?: string; view: { entries: { itemId: string; version: number; kind: string }[] } };

describe("per-learner optimisation", () => {
  it("fits in the background after a review, and the next review is scheduled with the fitted weights", async () => {
    const { client, user, reviews } = await learnerWithHistory(a, 1);
    expect(reviews).toBeGreaterThanOrEqual(400);
    // Nothing is fitted before a review notes the learner.
    await studyLesson(client, "attention");
    const queue = ((await (await client.get("/api/review")).json()) as Reply).view.entries.filter((e) => e.kind === "card");
    const first = await client.post("/api/review", { intent: "rate", itemId: queue[0]!.itemId, rating: "3", version: "0", clientId: "fit-first-0001" });
    expect(((await first.json()) as Reply).status).toBe("recorded");
    const job = await until("the fit", async () => {
      const row = await a.one<{ status: string; result: string }>("SELECT status, result FROM FitJob WHERE userId = ?", user.id);
      return row && ["adopted", "kept", "failed"].includes(row.status) ? row : null;
    });
    expect(job.status).toBe("adopted");
    const settings = (await a.one<{ weights: string; fitInfo: string }>("SELECT weights, fitInfo FROM Settings WHERE userId = ?", user.id))!;
    const weights = JSON.parse(settings.weights) as number[];
    expect(weights).toHaveLength(21);
    const info = JSON.parse(settings.fitInfo) as { reviews: number; logLossBefore: number; logLossAfter: number };
    expect(info.reviews).toBe(reviews + 1);
    expect(info.logLossAfter).toBeLessThan(info.logLossBefore);
    // A new card rated Good starts at the fitted weights' initial stability for Good (w[2]), not the default one.
    expect(Math.abs(weights[2]! - default_w[2]!)).toBeGreaterThan(0.1);
    const next = await client.post("/api/review", { intent: "rate", itemId: queue[1]!.itemId, rating: "3", version: "0", clientId: "fit-second-001" });
    expect(((await next.json()) as Reply).status).toBe("recorded");
    const state = (await a.one<{ stability: number }>("SELECT stability FROM ItemState WHERE userId = ? AND itemId = ?", user.id, queue[1]!.itemId))!;
    expect(state.stability).toBeCloseTo(weights[2]!, 4);
    // The settings page says so.
    const page = await (await client.get("/account")).text();
    expect(page).toMatch(new RegExp(`Fitted on ${(reviews + 1).toLocaleString("en-US")} reviews on`));
  }, 120_000);

  it("two processes never fit the same learner at once, however often it is asked for", async () => {
    const { client: onA, user } = await learnerWithHistory(a, 2);
    // The same learner, logged in once, asks on both processes (they share the database, so the session too).
    const onB = new Client(b.url);
    onB.cookies = onA.cookies;
    // Keep pressing "Optimise now" on both while fits run.
    const deadline = Date.now() + 6_000;
    let asked = 0;
    while (Date.now() < deadline) {
      const replies = await Promise.all([onA, onB].map((c) => c.post("/account", { intent: "optimise" })));
      for (const r of replies) expect(r.status).toBe(200);
      asked += replies.length;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(asked).toBeGreaterThan(4);
    await until("the last fit to end", async () => {
      const row = await a.one<{ leaseUntil: string | null; requestedAt: string | null }>("SELECT leaseUntil, requestedAt FROM FitJob WHERE userId = ?", user.id);
      return row && !row.leaseUntil && !row.requestedAt;
    });
    // Every fit start and end, from both processes' logs, in time order.
    const events = [a, b]
      .flatMap((s) => [...s.logs().matchAll(new RegExp(`optimizer: fit (start|end) user=${user.id} holder=(\\S+) at=(\\S+)`, "g"))])
      .map((m) => ({ kind: m[1]!, holder: m[2]!, at: Date.parse(m[3]!) }))
      .sort((x, y) => x.at - y.at || (x.kind === "end" ? -1 : 1));
    expect(events.length).toBeGreaterThanOrEqual(4); // at least two fits
    let running = 0;
    for (const e of events) {
      running += e.kind === "start" ? 1 : -1;
      expect(running).toBeLessThanOrEqual(1);
      expect(running).toBeGreaterThanOrEqual(0);
    }
  }, 120_000);
});
