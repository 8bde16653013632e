/**
 * Faults on the review path (issue 19): a health check that writes, review times
 * from the client and resubmissions racing each other:
 * skewed device clocks must never be a 500, backdated reviews count against the
 * day they arrive on, and the same review id sent twice at once is a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayWindow } from "~/domain/day";
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
  return { client, user, cards: view.view.entries.filter((e) => e.kind === "card") };
}

const HOUR = 60 * 60 * 1000;
const logTimes = async (userId: string, itemId: string) =>
  (await server.all<{ reviewedAt: string }>("SELECT reviewedAt FROM ReviewLog WHERE userId = ? AND itemId = ? ORDER BY id", userId, itemId)).map((r) => new Date(r.reviewedAt).getTime());

describe("client review times", () => {
  it("a review time before the item's last review is recorded at the last review, not a 500", async () => {
    const { client, user, cards } = await learnerWithQueue();
    const card = cards[0]!;
    const first = await client.post("/api/review", { intent: "rate", itemId: card.itemId, rating: "4", version: "0", clientId: "skew-first-01" });
    expect(first.status).toBe(200);
    // A second device whose clock runs three days behind rates the same card (ts-fsrs refuses a negative interval).
    const behind = await client.post("/api/review", { intent: "rate", itemId: card.itemId, rating: "1", version: "1", clientId: "skew-second-1", reviewedAt: String(Date.now() - 3 * 24 * HOUR) });
    expect(behind.status).toBe(200);
    expect(((await behind.json()) as Reply).status).toBe("recorded");
    const [t1, t2] = await logTimes(user.id, card.itemId);
    expect(t2).toBeGreaterThanOrEqual(t1!);
    const state = await server.one<{ version: number; lastReview: string }>("SELECT version, lastReview FROM ItemState WHERE userId = ? AND itemId = ?", user.id, card.itemId);
    expect(state!.version).toBe(2);
    expect(new Date(state!.lastReview).getTime()).toBe(t2);
  });

  it("a review time in the future is recorded now", async () => {
    const { client, user, cards } = await learnerWithQueue();
    const card = cards[0]!;
    const before = Date.now();
    const res = await client.post("/api/review", { intent: "rate", itemId: card.itemId, rating: "3", version: "0", clientId: "skew-future-1", reviewedAt: String(Date.now() + 30 * 24 * HOUR) });
    expect(res.status).toBe(200);
    const [t] = await logTimes(user.id, card.itemId);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });

  it("a backdated review counts against the learning day it arrives on", async () => {
    const { client, user, cards } = await learnerWithQueue();
    const card = cards[0]!;
    const res = await client.post("/api/review", { intent: "rate", itemId: card.itemId, rating: "3", version: "0", clientId: "backdated-001", reviewedAt: String(Date.now() - 3 * 24 * HOUR) });
    expect(res.status).toBe(200);
    const settings = await server.one<{ timeZone: string; dayStartHour: number }>("SELECT timeZone, dayStartHour FROM Settings WHERE userId = ?", user.id);
    const today = dayWindow(new Date(), settings?.timeZone ?? "UTC", settings?.dayStartHour ?? 4);
    const [t] = await logTimes(user.id, card.itemId);
    expect(t).toBeGreaterThanOrEqual(today.start.getTime());
  });
});

describe("the same review id twice at once", () => {
  it("answers recorded once and duplicate otherwise, never 409, for first and later reviews", async () => {
    const { client, user, cards } = await learnerWithQueue();
    const picked = cards.slice(0, 6);
    expect(picked.length).toBeGreaterThanOrEqual(3);
    for (const version of [0, 1]) {
      const replies = await Promise.all(
        picked.flatMap((card) => {
          const form = { intent: "rate", itemId: card.itemId, rating: "3", version: String(version), clientId: `race-${version}-${card.itemId}`.slice(0, 64).replace(/[^A-Za-z0-9_-]/g, "_") };
          return [client.post("/api/review", form), client.post("/api/review", form)];
        }),
      );
      const statuses = await Promise.all(replies.map(async (r) => `${r.status} ${((await r.json()) as Reply).status ?? ""}`));
      for (let i = 0; i < picked.length; i++) {
        expect([statuses[2 * i], statuses[2 * i + 1]].sort(), picked[i]!.itemId).toEqual(["200 duplicate", "200 recorded"]);
      }
    }
    const n = await server.one<{ n: number }>("SELECT count(*) AS n FROM ReviewLog WHERE userId = ?", user.id);
    expect(n!.n).toBe(picked.length * 2);
  });
});

describe("/healthz", () => {
  it("proves the database takes a write, not only that it answers", async () => {
    const before = Date.now();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { write?: string }).write).toBe("ok");
    const beat = await server.one<{ at: string }>("SELECT at FROM Heartbeat WHERE id = 1");
    expect(new Date(beat!.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});
