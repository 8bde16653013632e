/**
 * The PostgreSQL review path in two round trips (ADR 034), on a real
 * PostgreSQL (TEST_DATABASE=postgres and DATABASE_URL_PG; SQLite has no round
 * trips: its reads and writes run in process, ADR 009).
 *
 * - Over HTTP, through a proxy that counts the wire protocol's round trips (a
 *   Sync ends each parameterised statement, a Query each simple one): a whole
 *   POST /api/review, session to next cards, takes at most 2, whatever the
 *   rating, including first reviews and reviews whose interval is load
 *   balanced; the stored state and its log row agree.
 * - In process: after each of a seeded run of reviews (every rating, days
 *   passing, reviews ahead of time, light weekdays), the queue the review's
 *   own statement read and brought forward equals the queue read afresh, and
 *   the day the statement chose for a balanced interval is the one
 *   balancedInterval chooses from the same loads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingProxy } from "../../scripts/ops/pg-proxy.mjs";
import { Client, signUp, startServer, studyLesson, type TestServer } from "./harness";
import { inProcessDatabase, type ScratchDatabase } from "./in-process-db";
import { inProcessLearner, queueShape } from "./in-process-learner";
import type { ReviewReply } from "./review-learner";

const onPostgres = process.env.TEST_DATABASE === "postgres";

describe.runIf(onPostgres)("a review on PostgreSQL, over HTTP", () => {
  let owner: TestServer;
  let server: TestServer;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  beforeAll(async () => {
    owner = await startServer(); // creates and migrates the database
    const target = new URL(owner.databaseUrl!);
    proxy = await countingProxy(target.hostname, Number(target.port || 5432));
    const via = new URL(owner.databaseUrl!);
    via.hostname = "127.0.0.1";
    via.port = String(proxy.port);
    server = await startServer({ DATABASE_URL: via.toString(), OPTIMIZER: "off" }, { shareDatabaseOf: owner });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await owner?.stop();
  });

  it("takes at most 2 round trips, session to next cards, for every rating, and stores what it answers", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    await studyLesson(client, "attention");
    await studyLesson(client, "transformers");
    let view = ((await (await client.get("/api/review")).json()) as ReviewReply).view;
    const trips: number[] = [];
    const review = async (itemId: string, version: number, rating: number, n: number) => {
      await new Promise((r) => setTimeout(r, 50)); // nothing else of this learner in flight
      const before = proxy.counter.trips;
      const res = await client.post("/api/review", { intent: "rate", itemId, rating: String(rating), version: String(version), clientId: `rt-${n}-${user.id.slice(-6)}`, durationMs: "3000" });
      trips.push(proxy.counter.trips - before);
      expect(res.status).toBe(200);
      const body = (await res.json()) as ReviewReply;
      expect(body.status).toBe("recorded");
      view = body.view;
      return body;
    };
    // First reviews with every rating (Easy goes straight to review, its interval load balanced), then the same cards again, ahead of time.
    const cards = view.entries.filter((e) => e.kind === "card").slice(0, 8);
    expect(cards.length).toBe(8);
    let n = 0;
    for (const [i, c] of cards.entries()) await review(c.itemId, c.version, i < 4 ? 4 : 1 + (i % 4), n++);
    for (const [i, c] of cards.entries()) await review(c.itemId, 1, 1 + ((i + 1) % 4), n++);
    // And from the queue the replies carry.
    for (let i = 0; i < 6; i++) {
      const c = view.entries.find((e) => e.kind === "card")!;
      await review(c.itemId, c.version, 1 + (i % 4), n++);
    }
    expect(Math.max(...trips), `round trips per review: ${trips.join(", ")}`).toBeLessThanOrEqual(2);

    // What the statements stored agrees with itself: each state is its last log row's stateAfter, and a balanced interval is its due date's.
    const states = await server.all<Record<string, unknown>>(`SELECT * FROM ItemState WHERE userId = ?`, user.id);
    expect(states.filter((s) => Number(s.state) === 2).length).toBeGreaterThan(0);
    for (const s of states) {
      const last = await server.one<{ stateAfter: string }>(`SELECT stateAfter FROM ReviewLog WHERE userId = ? AND itemId = ? ORDER BY id DESC LIMIT 1`, user.id, s.itemId);
      const after = JSON.parse(last!.stateAfter) as Record<string, unknown>;
      expect(new Date(String(after.due)).getTime(), String(s.itemId)).toBe(new Date(String(s.due)).getTime());
      expect(after.scheduledDays).toBe(Number(s.scheduledDays));
      expect(after.version).toBe(Number(s.version));
    }
  }, 120_000);
});

describe.runIf(onPostgres)("a review on PostgreSQL, in process", () => {
  type Mod = {
    startup: typeof import("~/startup.server").startup;
    review: typeof import("~/review/review.server");
    balance: typeof import("~/review/load-balance.server");
    db: typeof import("~/db/client.server");
    sql: typeof import("~/db/sql.server");
  };
  let m: Mod;
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    scratch = await inProcessDatabase("rt");
    process.env.WRITE_CAP_REVIEW = "1000000/60";
    m = {
      startup: (await import("~/startup.server")).startup,
      review: await import("~/review/review.server"),
      balance: await import("~/review/load-balance.server"),
      db: await import("~/db/client.server"),
      sql: await import("~/db/sql.server"),
    };
    await m.startup({ log: () => undefined });
  }, 90_000);
  afterAll(async () => {
    await m?.sql.closeSql();
    await m?.db.disconnectDb();
    await scratch?.cleanUp();
  });

  const learner = (name: string, lightDays = "") => inProcessLearner(m.db.getDb(), name, lightDays);

  const shape = queueShape;

  it("brings the queue it read forward to what a fresh read gives, over a seeded run of reviews", async () => {
    const { userId, sessionId } = await learner("fwd", "0,6");
    let seed = 19;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let now = new Date("2026-12-07T10:00:00Z");
    let checked = 0;
    for (let i = 0; i < 120; i++) {
      if (rand() < 0.15) now = new Date(now.getTime() + Math.floor(rand() * 3 * 86_400_000) + 3_600_000);
      else now = new Date(now.getTime() + 20_000);
      const queue = await m.review.getQueue(userId, now, undefined, { useCache: false });
      const cards = queue.entries; // all flashcards: this learner answers no quiz questions
      // Mostly the queue's head, sometimes a card reviewed ahead of time (beyond the horizon).
      const ahead = rand() < 0.1 ? await m.sql.getSql().all(m.sql.all(`SELECT "itemId", "version" FROM "ItemState" WHERE "userId" = ? AND "due" > ? LIMIT 1`, userId, now)) : [];
      const pick = ahead[0] ? { itemId: String(ahead[0].itemId), version: Number(ahead[0].version) } : cards[0] ? { itemId: cards[0].itemId, version: queue.versions.get(cards[0].itemId) ?? 0 } : null;
      if (!pick) {
        now = new Date(now.getTime() + 86_400_000);
        continue;
      }
      const rating = (1 + Math.floor(rand() * 4)) as 1 | 2 | 3 | 4;
      const r = await m.review.rateOnPostgres(sessionId, { itemId: pick.itemId, rating, clientId: `fwd-${i}-0000`, version: pick.version, durationMs: 2000, source: "review" }, now);
      expect(r.kind).toBe("rated");
      if (r.kind !== "rated") return;
      expect(r.result.status).toBe("recorded");
      expect(r.queue).not.toBeNull();
      const fresh = await m.review.getQueue(userId, now, undefined, { useCache: false });
      expect(shape(r.queue!), `review ${i} (${pick.itemId}, rating ${rating})`).toEqual(shape(fresh));
      const row = (await m.sql.getSql().get(m.sql.get(`SELECT "due", "scheduledDays", "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ?`, userId, pick.itemId)))!;
      if (r.result.status === "recorded") {
        expect(r.result.state.due.getTime()).toBe((row.due as Date).getTime());
        expect(r.result.state.scheduledDays).toBe(Number(row.scheduledDays));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  }, 240_000);

  it("chooses, for a balanced interval, the day balancedInterval chooses from the same loads", async () => {
    const { userId } = await learner("bal", "3");
    const { schedulerFor, learnerSettings } = m.review;
    const settings = await learnerSettings(userId);
    const scheduler = schedulerFor(settings);
    const base = new Date("2026-12-07T10:00:00Z");
    // Review cards due over the coming weeks, unevenly.
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const values: string[] = [];
    for (let i = 0; i < 300; i++) {
      const due = new Date(base.getTime() + Math.floor(rand() * rand() * 40 * 86_400_000));
      values.push(`('${userId}', 'load-${i}', '${due.toISOString().replace("Z", "")}', 10, 5, 0, 10, 0, 3, 0, 2, '${base.toISOString().replace("Z", "")}', 1)`);
    }
    await m.sql.getSql().run(m.sql.run(`INSERT INTO "ItemState" ("userId", "itemId", "due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview", "version") VALUES ${values.join(", ")}`));
    let compared = 0;
    for (let i = 0; i < 40; i++) {
      const stability = 2 + rand() * 30;
      const before = { due: base, stability, difficulty: 5, elapsedDays: 0, scheduledDays: Math.round(stability), learningSteps: 0, reps: 3, lapses: 0, state: 2, lastReview: new Date(base.getTime() - stability * 86_400_000) };
      const rating = (2 + Math.floor(rand() * 3)) as 2 | 3 | 4;
      const after = scheduler.next(before, base, rating, `bal-${i}`);
      const step = m.balance.balanceStep(userId, `card-${i}`, settings, scheduler, before, after, base, rating);
      if (!step) continue;
      const inJs = step.apply(await m.sql.getSql().all(step.statement));
      const inSql = await m.review.pgBalancedStateForTests(userId, `card-${i}`, after, step);
      expect(inSql.due.toISOString(), `case ${i}`).toBe(inJs.due.toISOString());
      expect(inSql.scheduledDays).toBe(inJs.scheduledDays);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  }, 120_000);
});
