/**
 * PostgreSQL: each app process's copy of a learner's queue (ADR 037), on a real
 * PostgreSQL (TEST_DATABASE=postgres and DATABASE_URL_PG; SQLite has its own
 * cache, checked by data_version, ADR 011).
 *
 * - In process: reviews answer from the copy while nothing else changed the
 *   learner's queue, and after a change made on another connection (another
 *   app process, a script, psql) to any table the queue reads, the next review
 *   reads afresh; after every review the queue it answers with equals the
 *   queue read afresh.
 * - The triggers: every insert, update and delete on those tables stamps the
 *   learner whose row it is, at commit, and no one else; a rollback stamps
 *   nothing.
 * - Over HTTP, two processes on one database: reviews alternate between them
 *   with changes made through the other, and every answer equals a fresh read.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signUp, startServer, studyLesson, type TestServer } from "./harness";
import { inProcessDatabase, type ScratchDatabase } from "./in-process-db";
import { inProcessLearner, queueShape } from "./in-process-learner";

type View = { entries: { itemId: string; version: number; kind: string }[]; counts: unknown; remaining: number; nextDue: string | null };
type Reply = { status?: string; view: View };

const onPostgres = process.env.TEST_DATABASE === "postgres";

describe.runIf(onPostgres)("this process's copy of a learner's queue, in process", () => {
  type Mod = {
    startup: typeof import("~/startup.server").startup;
    review: typeof import("~/review/review.server");
    db: typeof import("~/db/client.server");
    sql: typeof import("~/db/sql.server");
  };
  let m: Mod;
  let scratch: ScratchDatabase | undefined;
  let outside: pg.Client; // another connection: what another app process or a script would do
  beforeAll(async () => {
    scratch = await inProcessDatabase("copy");
    process.env.WRITE_CAP_REVIEW = "1000000/60";
    m = {
      startup: (await import("~/startup.server")).startup,
      review: await import("~/review/review.server"),
      db: await import("~/db/client.server"),
      sql: await import("~/db/sql.server"),
    };
    await m.startup({ log: () => undefined });
    outside = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await outside.connect();
  }, 90_000);
  afterAll(async () => {
    await outside?.end();
    await m?.sql.closeSql();
    await m?.db.disconnectDb();
    await scratch?.cleanUp();
  });

  const learner = (name: string, lightDays = "") => inProcessLearner(m.db.getDb(), name, lightDays);

  const shape = queueShape;
  const stampOf = async (userId: string) => (await outside.query(`SELECT "stamp"::text AS s FROM "QueueStamp" WHERE "userId" = $1`, [userId])).rows[0]?.s ?? null;

  it("answers from the copy while nothing else changed, and reads afresh after a change made elsewhere", async () => {
    const { userId, sessionId } = await learner("copy");
    let now = new Date("2026-12-07T10:00:00Z");
    let n = 0;
    /** Rates the head of the queue; the answer's queue must equal a fresh read. Returns whether the copy answered. */
    const rateHead = async (label: string) => {
      now = new Date(now.getTime() + 15_000);
      const queue = await m.review.getQueue(userId, now, undefined, { useCache: false });
      const head = queue.entries.find((e) => !e.itemId.startsWith("own:"))!; // own cards take the general path (ADR 025)
      const before = m.review.pgQueues.counters().hits;
      const r = await m.review.rateOnPostgres(sessionId, { itemId: head.itemId, rating: (1 + (n % 4)) as 1 | 2 | 3 | 4, clientId: `copy-${n++}-0000`, version: queue.versions.get(head.itemId) ?? 0, durationMs: 2000, source: "review" }, now);
      expect(r.kind).toBe("rated");
      if (r.kind !== "rated") throw new Error("not rated");
      expect(r.result.status, label).toBe("recorded");
      expect(r.queue, label).not.toBeNull();
      expect(shape(r.queue!), label).toEqual(shape(await m.review.getQueue(userId, now, undefined, { useCache: false })));
      return m.review.pgQueues.counters().hits > before;
    };
    const hits: boolean[] = [];
    for (let i = 0; i < 8; i++) hits.push(await rateHead(`review ${i}`));
    expect(hits[0]).toBe(false); // nothing copied yet
    expect(hits.slice(1).every(Boolean), hits.join(", ")).toBe(true);

    // Items of the queue now that have a state row (seen before), head first.
    const headNow = async () => {
      const q = await m.review.getQueue(userId, now, undefined, { useCache: false });
      return q.entries.map((e) => e.itemId).filter((id) => q.states.has(id));
    };
    const changes: [string, () => Promise<unknown>][] = [
      ["an item suspended elsewhere", async () => outside.query(`UPDATE "ItemState" SET "suspended" = true WHERE "userId" = $1 AND "itemId" = $2`, [userId, (await headNow())[1]])],
      ["a lesson studied elsewhere", async () => outside.query(`INSERT INTO "LessonVisit" ("userId", "topicId", "firstOpened") VALUES ($1, 'tokenization', now())`, [userId])],
      ["an own card written elsewhere", async () => outside.query(`INSERT INTO "OwnCard" ("id", "userId", "topicId", "section", "front", "back", "createdAt", "updatedAt") VALUES ($1, $2, 'attention', '', 'front', 'back', now(), now())`, [`oc${Date.now().toString(36)}`, userId])],
      [
        "a review from another device",
        async () => {
          const [itemId] = await headNow();
          await outside.query("BEGIN");
          await outside.query(`UPDATE "ItemState" SET "due" = $3, "version" = "version" + 1 WHERE "userId" = $1 AND "itemId" = $2`, [userId, itemId, new Date(now.getTime() + 30 * 86_400_000)]);
          await outside.query(
            `INSERT INTO "ReviewLog" ("userId", "itemId", "clientId", "kind", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter") VALUES ($1, $2, $3, 'review', 'review', 3, 1, $4, 1000, '{}', '{}')`,
            [userId, itemId, `other-${Date.now()}`, now],
          );
          await outside.query("COMMIT");
        },
      ],
      ["an item forgotten elsewhere", async () => outside.query(`DELETE FROM "ItemState" WHERE "userId" = $1 AND "itemId" = $2`, [userId, (await headNow())[0]])],
    ];
    for (const [label, change] of changes) {
      const stamp = await stampOf(userId);
      await change();
      expect(await stampOf(userId), label).not.toBe(stamp);
      expect(await rateHead(`after ${label}`), `after ${label}: the copy must not answer`).toBe(false);
      expect(await rateHead(`the review after ${label}`), `the review after ${label}: copied again`).toBe(true);
    }
  }, 120_000);

  it("stamps exactly the learner whose rows change, at commit, for every change to the tables the queue reads", async () => {
    const a = await learner("stampa");
    const b = await learner("stampb");
    // Give both a stamp to compare with.
    for (const who of [a, b]) await outside.query(`INSERT INTO "ItemState" ("userId", "itemId", "due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview", "version") VALUES ($1, 'stamp-seed', now(), 1, 5, 0, 1, 0, 1, 0, 2, now(), 1)`, [who.userId]);
    const oc = `ocs${Date.now().toString(36)}`;
    const ops: [string, string, unknown[]][] = [
      ["ItemState insert", `INSERT INTO "ItemState" ("userId", "itemId", "due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview", "version") VALUES ($1, 'stamp-x', now(), 1, 5, 0, 1, 0, 1, 0, 2, now(), 1)`, [a.userId]],
      ["ItemState update", `UPDATE "ItemState" SET "version" = "version" + 1 WHERE "userId" = $1 AND "itemId" = 'stamp-x'`, [a.userId]],
      ["ItemState delete", `DELETE FROM "ItemState" WHERE "userId" = $1 AND "itemId" = 'stamp-x'`, [a.userId]],
      ["ReviewLog insert", `INSERT INTO "ReviewLog" ("userId", "itemId", "clientId", "kind", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter") VALUES ($1, 'stamp-x', 'stamp-log', 'review', 'review', 3, 2, now(), 1, '{}', '{}')`, [a.userId]],
      ["ReviewLog update", `UPDATE "ReviewLog" SET "undone" = true WHERE "userId" = $1 AND "clientId" = 'stamp-log'`, [a.userId]],
      ["ReviewLog delete", `DELETE FROM "ReviewLog" WHERE "userId" = $1 AND "clientId" = 'stamp-log'`, [a.userId]],
      ["LessonVisit insert", `INSERT INTO "LessonVisit" ("userId", "topicId", "firstOpened") VALUES ($1, 'books', now())`, [a.userId]],
      ["LessonVisit update", `UPDATE "LessonVisit" SET "firstOpened" = now() WHERE "userId" = $1 AND "topicId" = 'books'`, [a.userId]],
      ["LessonVisit delete", `DELETE FROM "LessonVisit" WHERE "userId" = $1 AND "topicId" = 'books'`, [a.userId]],
      ["OwnCard insert", `INSERT INTO "OwnCard" ("id", "userId", "topicId", "section", "front", "back", "createdAt", "updatedAt") VALUES ('${oc}', $1, 'attention', '', 'f', 'b', now(), now())`, [a.userId]],
      ["OwnCard update", `UPDATE "OwnCard" SET "front" = 'g' WHERE "userId" = $1 AND "id" = '${oc}'`, [a.userId]],
      ["OwnCard delete", `DELETE FROM "OwnCard" WHERE "userId" = $1 AND "id" = '${oc}'`, [a.userId]],
    ];
    for (const [label, sql, params] of ops) {
      const [sa, sb] = [await stampOf(a.userId), await stampOf(b.userId)];
      expect(sa, label).not.toBeNull();
      // Deferred: inside the transaction nothing is stamped yet; a rollback stamps nothing.
      await outside.query("BEGIN");
      await outside.query(sql, params);
      expect(await stampOf(a.userId), `${label}, before commit`).toBe(sa);
      await outside.query("ROLLBACK");
      expect(await stampOf(a.userId), `${label}, rolled back`).toBe(sa);
      await outside.query(sql, params);
      expect(await stampOf(a.userId), label).not.toBe(sa);
      expect(await stampOf(b.userId), `${label}: another learner`).toBe(sb);
    }
    // Deleting an account removes its stamp with it (and its rows' triggers stamp no one).
    await outside.query(`DELETE FROM "User" WHERE "id" = $1`, [b.userId]);
    expect(await stampOf(b.userId)).toBeNull();
  }, 60_000);
});

describe.runIf(onPostgres)("this process's copy of a learner's queue, two processes over HTTP", () => {
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    one = await startServer({ OPTIMIZER: "off" });
    two = await startServer({ OPTIMIZER: "off" }, { shareDatabaseOf: one });
  }, 90_000);
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  it("answers every review with the queue a fresh read gives, whichever process changed it last", async () => {
    const a = new Client(one.url);
    const b = new Client(two.url);
    b.cookies = a.cookies; // one learner, one session, two processes (as behind a load balancer that moves them)
    const user = await signUp(a);
    await studyLesson(a, "attention");
    let n = 0;
    const fresh = async (c: Client) => ((await (await c.get("/api/review")).json()) as Reply).view;
    const rate = async (via: Client, label: string) => {
      const head = (await fresh(via)).entries.find((e) => e.kind === "card")!;
      const res = await via.post("/api/review", { intent: "rate", itemId: head.itemId, rating: String(1 + (n % 4)), version: String(head.version), clientId: `two-${n++}-${user.id.slice(-6)}`, durationMs: "2000" });
      expect(res.status, label).toBe(200);
      const body = (await res.json()) as Reply;
      expect(body.status, label).toBe("recorded");
      // What the other process reads afresh now (its GET never answers from a copy).
      const other = await fresh(via === a ? b : a);
      const key = (v: View) => ({ head: v.entries.slice(0, 3).map((e) => [e.itemId, e.version]), counts: v.counts, remaining: v.remaining, nextDue: v.nextDue });
      expect(key(body.view), label).toEqual(key(other));
    };
    for (let i = 0; i < 4; i++) await rate(a, `on one, ${i}`);
    await rate(b, "on two");
    await rate(a, "back on one");
    await studyLesson(b, "transformers");
    await rate(a, "on one after a lesson studied on two");
    const suspend = (await fresh(a)).entries[1]!;
    const res = await b.post("/items", { intent: "suspend", itemId: suspend.itemId });
    expect(res.status).toBeLessThan(400);
    await rate(a, "on one after an item suspended on two");
    for (let i = 0; i < 3; i++) await rate(i % 2 ? a : b, `alternating, ${i}`);
  }, 120_000);
});
