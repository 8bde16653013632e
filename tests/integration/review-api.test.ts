import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, studyLesson, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => server?.stop());

type Reply = { ok: boolean; status?: string; error?: string; version?: number; view: { entries: { itemId: string; version: number; kind: string }[] } };

async function learnerWithQueue() {
  const client = new Client(server.url);
  const user = await signUp(client);
  await studyLesson(client, "attention");
  const view = (await (await client.get("/api/review")).json()) as Reply;
  return { client, user, entries: view.view.entries };
}

const state = (userId: string, itemId: string) =>
  server.one("SELECT * FROM ItemState WHERE userId = ? AND itemId = ?", userId, itemId);
const logCount = async (userId: string) => (await server.one<{ n: number }>("SELECT count(*) AS n FROM ReviewLog WHERE userId = ?", userId))!.n;

describe("recording reviews", () => {
  it("stores a resubmitted review id once", async () => {
    const { client, user, entries } = await learnerWithQueue();
    const item = entries[0]!;
    const form = { intent: "rate", itemId: item.itemId, rating: "3", version: "0", clientId: "resubmit-0001", durationMs: "1200" };
    const first = (await (await client.post("/api/review", form)).json()) as Reply;
    const second = await client.post("/api/review", form);
    expect(first.status).toBe("recorded");
    expect(second.status).toBe(200);
    expect(((await second.json()) as Reply).status).toBe("duplicate");
    expect((await logCount(user.id))).toBe(1);
    expect((await state(user.id, item.itemId))!.version).toBe(1);
  });

  it("refuses a stale version without changing the state (two tabs)", async () => {
    const { client, user, entries } = await learnerWithQueue();
    const item = entries[0]!;
    const tabA = await client.post("/api/review", { intent: "rate", itemId: item.itemId, rating: "3", version: "0", clientId: "tab-a-000001" });
    expect(tabA.status).toBe(200);
    const before = (await state(user.id, item.itemId));
    const tabB = await client.post("/api/review", { intent: "rate", itemId: item.itemId, rating: "1", version: "0", clientId: "tab-b-000001" });
    expect(tabB.status).toBe(409);
    const body = (await tabB.json()) as Reply;
    expect(body.error).toMatch(/Already reviewed/);
    expect(body.view.entries.length).toBeGreaterThan(0); // and the next card
    expect((await state(user.id, item.itemId))).toEqual(before);
    expect((await logCount(user.id))).toBe(1);
  });

  it("undo restores the exact previous state and is itself recorded", async () => {
    const { client, user, entries } = await learnerWithQueue();
    const item = entries[0]!;
    await client.post("/api/review", { intent: "rate", itemId: item.itemId, rating: "4", version: "0", clientId: "undo-first-01" });
    const afterFirst = (await state(user.id, item.itemId))!;
    // Move the item on again, then undo that second review.
    const now = Date.now();
    await client.post("/api/review", { intent: "rate", itemId: item.itemId, rating: "2", version: "1", clientId: "undo-second-1", reviewedAt: String(now) });
    expect((await state(user.id, item.itemId))!.version).toBe(2);
    const undo = (await (await client.post("/api/review", { intent: "undo", clientId: "undo-action-01" })).json()) as Reply;
    expect(undo.status).toBe("undone");
    const restored = (await state(user.id, item.itemId))!;
    for (const k of ["due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview"]) {
      expect(restored[k], k).toEqual(afterFirst[k]);
    }
    expect(restored.version).toBe(3);
    const logs = await server.all("SELECT kind, undone FROM ReviewLog WHERE userId = ? ORDER BY id", user.id);
    expect(logs).toEqual([
      { kind: "review", undone: 0 },
      { kind: "review", undone: 1 },
      { kind: "undo", undone: 0 },
    ]);
    // Undo is idempotent too.
    const again = (await (await client.post("/api/review", { intent: "undo", clientId: "undo-action-01" })).json()) as Reply;
    expect(again.status).toBe("duplicate");
    expect((await state(user.id, item.itemId))!.version).toBe(3);
  });

  it("malformed requests get 4xx with a message and change nothing", async () => {
    const { client, user, entries } = await learnerWithQueue();
    const item = entries[0]!;
    const bad: Record<string, string>[] = [
      { intent: "rate", itemId: item.itemId, rating: "0", version: "0", clientId: "bad-rating-0" },
      { intent: "rate", itemId: item.itemId, rating: "5", version: "0", clientId: "bad-rating-5" },
      { intent: "rate", itemId: item.itemId, rating: "abc", version: "0", clientId: "bad-rating-x" },
      { intent: "rate", itemId: item.itemId, rating: "3", version: "-1", clientId: "bad-version1" },
      { intent: "rate", itemId: item.itemId, rating: "3", version: "0", clientId: "x" },
      { intent: "rate", itemId: "no-such-item", rating: "3", version: "0", clientId: "unknown-item" },
      { intent: "rate", itemId: item.itemId, rating: "3" },
      { intent: "fly", itemId: item.itemId },
      {},
      { intent: "answer", itemId: item.itemId, version: "0", clientId: "answer-card1" },
    ];
    for (const form of bad) {
      const res = await client.post("/api/review", form);
      expect(res.status, JSON.stringify(form)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(form)).toBeLessThan(500);
      const body = (await res.json()) as Reply;
      expect(body.error, JSON.stringify(form)).toBeTruthy();
    }
    const notForm = await client.request("/api/review", { method: "POST", body: "{not json", headers: { "Content-Type": "application/json" } });
    expect(notForm.status).toBe(415);
    expect((await logCount(user.id))).toBe(0);
    expect(await server.one("SELECT count(*) AS n FROM ItemState WHERE userId = ?", user.id)).toEqual({ n: 0 });
  });

  it("a quiz answer with an unknown choice is a validation error, not a wrong answer", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    await client.post("/lessons/attention/quiz", { intent: "start" });
    const page = await (await client.get("/lessons/attention/quiz")).text();
    const attemptId = /name="attemptId" value="([^"]+)"/.exec(page)![1]!;
    const questionId = /name="questionId" value="([^"]+)"/.exec(page)![1]!;
    const res = await client.post("/lessons/attention/quiz", { intent: "answer", attemptId, questionId, choice: "zz", value: "not a number", order: ["9", "9"] });
    expect(res.status).toBe(400);
    expect(await server.one("SELECT count(*) AS n FROM QuizAnswer WHERE userId = ?", user.id)).toEqual({ n: 0 });
  });

  it("needs a session", async () => {
    const res = await new Client(server.url).post("/api/review", { intent: "undo", clientId: "anonymous-1" });
    expect(res.status).toBe(401);
  });
});
