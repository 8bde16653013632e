/**
 * The exercise save endpoint against the built server: runs are stored once,
 * ratings follow the rules (first pass Good, pass after failures Hard, reveal
 * Again, nothing on a stale version or a practice run), and bad input is a 4xx
 * that writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => server?.stop());

const EX = "att-ex-softmax";
const TOTAL = "10";
let n = 0;
const cid = (p = "run") => `${p}-${process.pid}-${++n}-${Date.now().toString(36)}`;

type Reply = { ok: boolean; intent?: string; note?: string; rating?: number | null; version?: number | null; error?: string; solution?: string; stored?: boolean };

async function learner() {
  const client = new Client(server.url);
  const user = await signUp(client);
  return { client, user };
}

function run(client: Client, fields: Partial<Record<string, string>> = {}) {
  const passed = fields.passed ?? "false";
  return client.post(`/api/exercises/${EX}`, {
    intent: "attempt",
    clientId: cid(),
    version: "0",
    passed,
    testsPassed: passed === "true" ? TOTAL : "3",
    testsTotal: TOTAL,
    durationMs: "5000",
    code: "function softmax(x) { return x; }",
    ...(fields as Record<string, string>),
  });
}

const attempts = (userId: string) => server.all("SELECT * FROM ExerciseAttempt WHERE userId = ? ORDER BY id", userId);
const logs = (userId: string) => server.all<{ rating: number; source: string }>("SELECT rating, source FROM ReviewLog WHERE userId = ? ORDER BY id", userId);
const stateOf = (userId: string) => server.one<{ version: number; state: number }>("SELECT version, state FROM ItemState WHERE userId = ? AND itemId = ?", userId, EX);
const draft = (userId: string) => server.one<{ code: string; revealedAt: unknown }>("SELECT code, revealedAt FROM ExerciseDraft WHERE userId = ? AND itemId = ?", userId, EX);

describe("exercise runs and ratings", () => {
  it("needs an account", async () => {
    const res = await run(new Client(server.url));
    expect(res.status).toBe(401);
  });

  it("a first pass is rated Good, stored once, and kept as the draft", async () => {
    const { client, user } = await learner();
    const clientId = cid("good");
    const first = await run(client, { passed: "true", clientId, code: "function softmax(l) { /* mine */ }" });
    expect(first.status).toBe(200);
    expect((await first.json()) as Reply).toMatchObject({ ok: true, intent: "attempt", stored: true, note: "rated", rating: 3, version: 1 });
    const again = (await (await run(client, { passed: "true", clientId })).json()) as Reply;
    expect(again).toMatchObject({ ok: true, stored: false, note: "duplicate" });
    expect((await attempts(user.id))).toHaveLength(1);
    expect((await attempts(user.id))[0]).toMatchObject({ passed: 1, testsPassed: 10, testsTotal: 10, revealed: 0 });
    expect((await logs(user.id))).toEqual([{ rating: 3, source: "exercise" }]);
    expect((await draft(user.id))!.code).toBe("function softmax(l) { /* mine */ }");

    // Re-running on the same page (its version is now stale) stores the run without rating it again.
    const rerun = (await (await run(client, { passed: "true" })).json()) as Reply;
    expect(rerun).toMatchObject({ stored: true, note: "stale", rating: null });
    expect((await logs(user.id))).toHaveLength(1);
    expect((await attempts(user.id))).toHaveLength(2);
  });

  it("a pass after failed runs is rated Hard", async () => {
    const { client, user } = await learner();
    expect(((await (await run(client)).json()) as Reply).note).toBe("failed");
    expect(((await (await run(client)).json()) as Reply).note).toBe("failed");
    expect((await stateOf(user.id))).toBeUndefined(); // failures alone do not schedule anything
    const pass = (await (await run(client, { passed: "true" })).json()) as Reply;
    expect(pass).toMatchObject({ note: "rated", rating: 2 });
    expect((await logs(user.id))).toEqual([{ rating: 2, source: "exercise" }]);
  });

  it("revealing needs a failed run first, is rated Again at once, and the next pass is not rated", async () => {
    const { client, user } = await learner();
    const early = await client.post(`/api/exercises/${EX}`, { intent: "reveal", clientId: cid("reveal"), version: "0" });
    expect(early.status).toBe(409);
    expect(((await early.json()) as Reply).error).toMatch(/after a run that fails/);

    await run(client);
    const clientId = cid("reveal");
    const reveal = await client.post(`/api/exercises/${EX}`, { intent: "reveal", clientId, version: "0" });
    expect(reveal.status).toBe(200);
    const body = (await reveal.json()) as Reply;
    expect(body).toMatchObject({ ok: true, intent: "reveal", note: "rated", rating: 1, version: 1 });
    expect(body.solution).toMatch(/function softmax/);
    expect((await logs(user.id))).toEqual([{ rating: 1, source: "exercise" }]);
    expect((await draft(user.id))!.revealedAt).not.toBeNull();
    // Resubmitting the reveal answers the same way without a second rating.
    const repeat = (await (await client.post(`/api/exercises/${EX}`, { intent: "reveal", clientId, version: "0" })).json()) as Reply;
    expect(repeat).toMatchObject({ ok: true, note: "duplicate", rating: 1 });
    expect((await logs(user.id))).toHaveLength(1);

    const pass = (await (await run(client, { passed: "true", version: "1", revealed: "true" })).json()) as Reply;
    expect(pass).toMatchObject({ stored: true, note: "revealed", rating: null });
    expect((await logs(user.id))).toHaveLength(1);
    expect((await attempts(user.id)).at(-1)).toMatchObject({ passed: 1, revealed: 1 });
  });

  it("a pass on an exercise that is not due is practice: stored, not rated", async () => {
    const { client, user } = await learner();
    await run(client, { passed: "true" }); // Good: now in learning, due in minutes
    // Graduate it far into the future with Easy-like passes until it is not due today.
    let version = 1;
    for (let i = 0; i < 4; i++) {
      const r = (await (await run(client, { passed: "true", version: String(version) })).json()) as Reply;
      if (r.note !== "rated") {
        expect(r.note).toBe("not-due");
        break;
      }
      version = r.version!;
    }
    const practice = (await (await run(client, { passed: "true", version: String((await stateOf(user.id))!.version) })).json()) as Reply;
    expect(practice).toMatchObject({ stored: true, note: "not-due", rating: null });
  });

  it("rejects malformed input with a message and writes nothing", async () => {
    const { client, user } = await learner();
    const cases: [Record<string, string>, RegExp][] = [
      [{ intent: "nope" }, /intent must be attempt or reveal/],
      [{ intent: "attempt", clientId: "x" }, /clientId/],
      [{ intent: "attempt", clientId: cid(), version: "-1", passed: "false", testsPassed: "0", testsTotal: "10", code: "" }, /version/],
      [{ intent: "attempt", clientId: cid(), version: "0", passed: "maybe", testsPassed: "0", testsTotal: "10", code: "" }, /passed must be true or false/],
      [{ intent: "attempt", clientId: cid(), version: "0", passed: "false", testsPassed: "11", testsTotal: "10", code: "" }, /testsPassed: cannot exceed testsTotal/],
      [{ intent: "attempt", clientId: cid(), version: "0", passed: "true", testsPassed: "9", testsTotal: "10", code: "" }, /a passing run passes every test/],
      [{ intent: "attempt", clientId: cid(), version: "0", passed: "false", testsPassed: "0", testsTotal: "10" }, /code is required/],
      // The server knows the exercise's tests: counts from another exercise, or made up, are refused.
      [{ intent: "attempt", clientId: cid(), version: "0", passed: "true", testsPassed: "1", testsTotal: "1", code: "x" }, /testsTotal: this exercise has 10 tests, not 1/],
      [{ intent: "attempt", clientId: cid(), version: "0", passed: "false", testsPassed: "0", testsTotal: "11", code: "x" }, /testsTotal: this exercise has 10 tests, not 11/],
      [{ intent: "attempt", clientId: cid(), version: "0", passed: "true", testsPassed: "9", testsTotal: "10", code: "x" }, /a passing run passes every test/],
      [{ intent: "attempt", clientId: cid(), version: "0", passed: "false", testsPassed: "0", testsTotal: "10", code: "x".repeat(100_001) }, /code is limited/],
    ];
    for (const [form, message] of cases) {
      const res = await client.post(`/api/exercises/${EX}`, form);
      expect(res.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(((await res.json()) as Reply).error).toMatch(message);
    }
    const unknown = await client.post("/api/exercises/no-such-thing", { intent: "attempt" });
    expect(unknown.status).toBe(404);
    const notForm = await client.request(`/api/exercises/${EX}`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
    expect(notForm.status).toBe(415);
    expect((await attempts(user.id))).toEqual([]);
    expect((await logs(user.id))).toEqual([]);
    expect((await draft(user.id))).toBeUndefined();
  });

  it("the exercise pages: list and page need an account, an unknown id is a 404", async () => {
    const anon = new Client(server.url);
    expect((await anon.get("/exercises")).status).toBe(302);
    expect((await anon.get(`/exercises/${EX}`)).status).toBe(302);
    const { client } = await learner();
    const list = await client.get("/exercises");
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('id="topic-attention"');
    expect((await client.get("/exercises/no-such-thing")).status).toBe(404);
    const page = await client.get(`/exercises/${EX}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<textarea[^>]*id="exercise-code"/);
    expect(html).toContain('<label id="exercise-code-label" for="exercise-code"');
  });
});
