/**
 * A learner can have thousands of own cards (MAX_OWN_CARDS) and a queue can hold them all:
 * reading them by id must not exceed the database's limit on bound parameters (SQLite: 999),
 * which made GET /api/review a 500 for a learner with over a thousand own cards due.
 * Real database (SQLite file, or PostgreSQL with TEST_DATABASE=postgres).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessDatabase } from "./in-process-db";

const scratch = await inProcessDatabase("own_many");
const { startup } = await import("~/startup.server");
const { createUser } = await import("~/auth/users.server");
const { ownCardsByIds } = await import("~/own-cards/own-cards.server");
const { getDb, disconnectDb } = await import("~/db/client.server");
const { closeSql } = await import("~/db/sql.server");

beforeAll(async () => {
  await startup({ log: () => undefined });
}, 60_000);
afterAll(async () => {
  await closeSql();
  await disconnectDb();
  await scratch.cleanUp();
});

describe("own cards read by id", () => {
  it("returns every one of 1,200 cards, and none of another learner's", async () => {
    const mine = (await createUser("many-own", "a long enough password", "UTC")).id;
    const other = (await createUser("many-other", "a long enough password", "UTC")).id;
    const rows = (userId: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${userId}-c${i}`, userId, topicId: "attention", section: "", front: `Front ${i}`, back: `Back ${i}` }));
    await getDb().ownCard.createMany({ data: rows(mine, 1_200) });
    await getDb().ownCard.createMany({ data: rows(other, 10) });
    const ids = [...rows(mine, 1_200).map((r) => r.id), ...rows(other, 10).map((r) => r.id)];
    const cards = await ownCardsByIds(mine, ids);
    expect(cards).toHaveLength(1_200);
    expect(new Set(cards.map((c) => c.id)).size).toBe(1_200);
  }, 60_000);
});
