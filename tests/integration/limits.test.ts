/**
 * Bounded growth, over real HTTP on the built server: a learner keeps at most
 * 20 sessions (the oldest are logged out), expired sessions and old
 * rate-limit rows are purged in the background, and per-learner write caps
 * answer 429 with Retry-After and a message, store nothing, and leave other
 * learners alone. The caps are set low here (WRITE_CAP_*) to reach them
 * quickly; the defaults are in app/limits/write-caps.server.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, studyLesson, PASSWORD, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ PURGE_EVERY_MS: "300", WRITE_CAP_EXERCISE: "5/60", WRITE_CAP_REVIEW: "8/60,1000/86400", WRITE_CAP_QUIZ: "4/60" });
}, 60_000);
afterAll(async () => server?.stop());

const count = async (sql: string, ...params: unknown[]) => Number((await server.one<{ n: number }>(sql, ...params))!.n);
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const signedIn = async (client: Client) => (await client.get("/account")).status === 200;

describe("sessions", () => {
  it("keeps a learner's 20 newest sessions and logs the oldest out", async () => {
    const first = new Client(server.url);
    const user = await signUp(first);
    const clients: Client[] = [];
    for (let i = 0; i < 21; i++) {
      const c = new Client(server.url);
      const res = await c.post("/login", { username: user.username, password: PASSWORD });
      expect([302, 303], `login ${i}`).toContain(res.status);
      clients.push(c);
    }
    expect(await count("SELECT count(*) AS n FROM Session WHERE userId = ?", user.id)).toBe(20);
    expect(await signedIn(first)).toBe(false);
    expect(await signedIn(clients[0]!)).toBe(false);
    expect(await signedIn(clients[1]!)).toBe(true);
    expect(await signedIn(clients[20]!)).toBe(true);
  }, 60_000);

  it("purges expired sessions and old rate-limit rows in the background, and nothing else", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    const now = Date.now();
    for (let i = 0; i < 3; i++) {
      await server.exec("INSERT INTO Session (id, userId, createdAt, expiresAt) VALUES (?, ?, ?, ?)", `expired-${user.id}-${i}`, user.id, iso(now - 40 * 86_400_000), iso(now - 60_000));
    }
    await server.exec("INSERT INTO RateLimit (key, windowStart, count) VALUES (?, ?, ?)", `old:${user.id}`, iso(now - 3 * 86_400_000), 5);
    await server.exec("INSERT INTO RateLimit (key, windowStart, count) VALUES (?, ?, ?)", `recent:${user.id}`, iso(now - 60_000), 5);
    const deadline = Date.now() + 15_000;
    while ((await count("SELECT count(*) AS n FROM Session WHERE id LIKE ?", `expired-${user.id}-%`)) > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await count("SELECT count(*) AS n FROM Session WHERE id LIKE ?", `expired-${user.id}-%`)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM RateLimit WHERE key = ?", `old:${user.id}`)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM RateLimit WHERE key = ?", `recent:${user.id}`)).toBe(1);
    expect(await signedIn(client)).toBe(true);
  }, 30_000);
});

async function expect429(res: Response) {
  expect(res.status).toBe(429);
  const retry = Number(res.headers.get("Retry-After"));
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(60);
  return res;
}

describe("per-learner write caps", () => {
  it("refuses exercise runs beyond the cap with a 429 that stores nothing, and only for that learner", async () => {
    const a = new Client(server.url);
    const userA = await signUp(a);
    const attempt = (c: Client, i: number) =>
      c.post("/api/exercises/att-ex-softmax", {
        intent: "attempt",
        clientId: `capped-run-${i}-${Date.now().toString(36)}`,
        version: "0",
        passed: "false",
        testsPassed: "3",
        testsTotal: "10",
        durationMs: "5000",
        code: "x".repeat(1000),
      });
    for (let i = 0; i < 5; i++) expect((await attempt(a, i)).status, `run ${i}`).toBe(200);
    const refused = await expect429(await attempt(a, 5));
    const body = (await refused.json()) as { ok: boolean; error: string };
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/Too many exercise runs.*Nothing was saved/);
    expect(await count("SELECT count(*) AS n FROM ExerciseAttempt WHERE userId = ?", userA.id)).toBe(5);
    const b = new Client(server.url);
    await signUp(b);
    expect((await attempt(b, 0)).status).toBe(200);
  });

  it("refuses reviews beyond the cap (the outbox keeps them and retries)", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    await studyLesson(client, "attention");
    const view = (await (await client.get("/api/review")).json()) as { view: { entries: { itemId: string; kind: string }[] } };
    const cards = view.view.entries.filter((e) => e.kind === "card");
    expect(cards.length).toBeGreaterThanOrEqual(9);
    const rate = (i: number) =>
      client.post("/api/review", { intent: "rate", itemId: cards[i]!.itemId, rating: "3", version: "0", clientId: `capped-review-${i}`, durationMs: "2000" });
    for (let i = 0; i < 8; i++) expect((await rate(i)).status, `review ${i}`).toBe(200);
    const refused = await expect429(await rate(8));
    expect(((await refused.json()) as { error: string }).error).toMatch(/Too many reviews/);
    expect(await count("SELECT count(*) AS n FROM ReviewLog WHERE userId = ?", user.id)).toBe(8);
    // The plain-form review page answers the same way.
    await expect429(await client.post("/review", { intent: "rate", itemId: cards[8]!.itemId, rating: "3", version: "0", clientId: "capped-review-form" }));
    expect(await count("SELECT count(*) AS n FROM ReviewLog WHERE userId = ?", user.id)).toBe(8);
  });

  it("refuses lesson-quiz writes beyond the cap", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    for (let i = 0; i < 4; i++) expect((await client.post("/lessons/attention/quiz", { intent: "start" })).status, `start ${i}`).toBe(303);
    await expect429(await client.post("/lessons/attention/quiz", { intent: "start" }));
    expect(await count("SELECT count(*) AS n FROM QuizAttempt WHERE userId = ?", user.id)).toBeLessThanOrEqual(4);
    expect(await count("SELECT count(*) AS n FROM QuizAttempt WHERE userId = ?", user.id)).toBeGreaterThan(0);
  });
});
