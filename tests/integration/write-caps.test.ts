/**
 * Per-learner write caps counted in the database (ADR 022): the rules on a
 * real database (SQLite file, or PostgreSQL with TEST_DATABASE=postgres and
 * DATABASE_URL_PG), and one cap shared by two app processes on one database,
 * as behind a load balancer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessDatabase } from "./in-process-db";
import { Client, signUp, startServer, studyLesson, type TestServer } from "./harness";
import { learnerWithQueue } from "./review-learner";

const scratch = await inProcessDatabase("caps");

const { startup } = await import("~/startup.server");
const { checkWrite, resetWriteCaps } = await import("~/limits/write-caps.server");
const { purgeOnce } = await import("~/limits/purge.server");
const { closeSql, getSql, all, get } = await import("~/db/sql.server");
const { disconnectDb } = await import("~/db/client.server");

beforeAll(async () => {
  await startup({ log: () => undefined });
}, 60_000);
afterAll(async () => {
  delete process.env.WRITE_CAP_EXERCISE;
  resetWriteCaps();
  await closeSql();
  await disconnectDb();
  await scratch.cleanUp();
});

const at = (ms: number) => ({ now: new Date(ms) });

describe("checkWrite", () => {
  it("allows up to the cap per window, refuses, counts a refusal in no longer window, and opens again when the window ends", async () => {
    process.env.WRITE_CAP_EXERCISE = "5/100,3/10"; // given in any order: counted shortest first
    resetWriteCaps();
    const t0 = Date.UTC(2026, 11, 1, 12);
    for (let i = 0; i < 3; i++) expect((await checkWrite("a", "exercise", at(t0 + i))).allowed).toBe(true);
    const refused = await checkWrite("a", "exercise", at(t0 + 1_000));
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 9 });
    for (let i = 0; i < 20; i++) expect((await checkWrite("a", "exercise", at(t0 + 2_000 + i))).allowed).toBe(false);
    // Another learner, another kind: their own counters.
    expect((await checkWrite("b", "exercise", at(t0 + 1_000))).allowed).toBe(true);
    expect((await checkWrite("a", "review", at(t0 + 1_000))).allowed).toBe(true);
    // The 10-second window ends; the 100-second one has room for two more (the 21 refusals did not count there).
    expect((await checkWrite("a", "exercise", at(t0 + 10_000))).allowed).toBe(true);
    expect((await checkWrite("a", "exercise", at(t0 + 10_001))).allowed).toBe(true);
    const longer = await checkWrite("a", "exercise", at(t0 + 10_002));
    expect(longer).toMatchObject({ allowed: false, retryAfterSeconds: 90 });
    if (!longer.allowed) expect(longer.message).toMatch(/Too many exercise runs .* try again in 90 seconds/);
    // The counters are rows, one a window, and the purge drops them once the longest window is a day old.
    const keys = await getSql().all(all(`SELECT "key", "count" FROM "RateLimit" WHERE "key" LIKE ? ORDER BY "key"`, "write:exercise:%:a"));
    // (A count stops one past its cap: the 100-second window's refusal is its sixth.)
    expect(Object.fromEntries(keys.map((k) => [k.key, Number(k.count)]))).toEqual({ "write:exercise:10:a": 3, "write:exercise:100:a": 6 });
    await purgeOnce(new Date(t0 + 2 * 86_400_000));
    expect(Number((await getSql().get(get(`SELECT count(*) AS n FROM "RateLimit" WHERE "key" LIKE ?`, "write:%:a")))!.n)).toBe(0);
  });

  it("counts every write of a burst once, however they interleave", async () => {
    process.env.WRITE_CAP_EXERCISE = "25/60";
    resetWriteCaps();
    const now = Date.UTC(2026, 11, 1, 13);
    const results = await Promise.all(Array.from({ length: 40 }, () => checkWrite("burst", "exercise", at(now))));
    expect(results.filter((r) => r.allowed).length).toBe(25);
  });

  it("reads the caller's row in the same check", async () => {
    const res = await checkWrite("nobody", "review", { alsoRead: get(`SELECT ? AS "echo"`, "hello") });
    expect(res.allowed).toBe(true);
    expect(res.row).toMatchObject({ echo: "hello" });
  });

  it("has defaults a learner working by hand never reaches", async () => {
    delete process.env.WRITE_CAP_EXERCISE;
    resetWriteCaps();
    const t0 = Date.UTC(2026, 11, 1, 14);
    // A review every second for ten minutes, an outbox of 500 at once, a test run every 10 s for two hours.
    const learner = async (userId: string, kind: "review" | "exercise", n: number, everyMs: number) => {
      for (let i = 0; i < n; i++) expect((await checkWrite(userId, kind, at(t0 + i * everyMs))).allowed, `${userId} ${i}`).toBe(true);
    };
    await Promise.all([learner("keen", "review", 600, 1000), learner("offline", "review", 500, 0), learner("coder", "exercise", 720, 10_000)]);
  }, 60_000);
});

describe("two app processes on one database", () => {
  let a: TestServer;
  let b: TestServer;
  const caps = { WRITE_CAP_REVIEW: "6/60,1000/86400" };
  beforeAll(async () => {
    a = await startServer(caps);
    b = await startServer(caps, { shareDatabaseOf: a });
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it("hold one cap: a learner whose reviews alternate between them gets the cap once, not twice", async () => {
    const { client: viaA, user, cards } = await learnerWithQueue(a);
    expect(cards.length).toBeGreaterThanOrEqual(12);
    const viaB = new Client(b.url);
    viaB.cookies = new Map(viaA.cookies); // the same browser, sent to the other process by the load balancer
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await (i % 2 ? viaB : viaA).post("/api/review", { intent: "rate", itemId: cards[i]!.itemId, rating: "3", version: "0", clientId: `two-proc-${i}`, durationMs: "2000" });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
        expect(((await res.json()) as { error: string }).error).toMatch(/Too many reviews.*Nothing was saved/);
      }
    }
    expect(statuses).toEqual([...Array(6).fill(200), ...Array(6).fill(429)]);
    expect(Number((await a.one<{ n: number }>("SELECT count(*) AS n FROM ReviewLog WHERE userId = ?", user.id))!.n)).toBe(6);
    // Another learner on the other process is not held back.
    const other = new Client(b.url);
    await signUp(other);
    await studyLesson(other, "attention");
    const view = (await (await other.get("/api/review")).json()) as { view: { entries: { itemId: string; kind: string }[] } };
    const card = view.view.entries.find((e) => e.kind === "card")!;
    expect((await other.post("/api/review", { intent: "rate", itemId: card.itemId, rating: "3", version: "0", clientId: "two-proc-other" })).status).toBe(200);
  }, 60_000);
});
