/**
 * The progress pages' figures are the same whichever copy of the learner's
 * item states they come from (ADR 033): the process's memory (brought up to
 * date with the rows touched since), the packed MasterySnapshot row (as a new
 * process finds it, valid or behind), or a full read of every ItemState row.
 * After each kind of write (reviews, undo, forget, suspend and
 * unsuspend, own cards reviewed and deleted) the dashboard, /progress and a
 * topic page agree exactly. Real database (SQLite file, or PostgreSQL with
 * TEST_DATABASE=postgres and DATABASE_URL_PG), real course, in process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessDatabase } from "./in-process-db";

const scratch = await inProcessDatabase("mastery_snapshot");

const { startup } = await import("~/startup.server");
const { createUser } = await import("~/auth/users.server");
const { recordReview, undoLastReview } = await import("~/review/review.server");
const { forgetItem, setSuspended } = await import("~/items/items.server");
const { createOwnCard, deleteOwnCard } = await import("~/own-cards/own-cards.server");
const { ownItemId } = await import("~/own-cards/schema");
const { getDashboard } = await import("~/progress/dashboard.server");
const { getProgress, getTopicProgress } = await import("~/progress/progress.server");
const { resetMasteryCaches, snapshotWrites } = await import("~/progress/mastery.server");
const { closeSql, getSql, get, run } = await import("~/db/sql.server");
const { disconnectDb } = await import("~/db/client.server");
const { getCourse } = await import("~/content/course.server");

let userId: string;
let n = 0;
const versions = new Map<string, number>();

beforeAll(async () => {
  await startup({ log: () => undefined });
  userId = (await createUser("snapshot-check", "a long enough password", "Europe/Berlin")).id;
}, 60_000);
afterAll(async () => {
  await snapshotWrites();
  await closeSql();
  await disconnectDb();
  await scratch.cleanUp();
});

async function review(itemId: string, rating: 1 | 2 | 3 | 4, at: Date) {
  const res = await recordReview(userId, { itemId, rating, clientId: `snap-${n++}`, version: versions.get(itemId) ?? 0, durationMs: 3000, source: "review" }, at);
  if (res.status !== "recorded") throw new Error(`${itemId}: ${res.status}`);
  versions.set(itemId, res.version);
}

/** What the three mastery pages show, at `now`. */
async function pages(now: Date) {
  const [dashboard, progress, topic] = [await getDashboard(userId, now), await getProgress(userId, now), await getTopicProgress(userId, "attention", now)];
  return JSON.parse(JSON.stringify({ dashboard, progress, topic })) as unknown;
}

/** The pages from memory, then from the snapshot (a new process), then from every row; all must agree. */
async function expectAllCopiesAgree(now: Date) {
  const fromMemory = await pages(now);
  await snapshotWrites();
  resetMasteryCaches();
  const fromSnapshot = await pages(now);
  await snapshotWrites();
  resetMasteryCaches();
  const fromValidSnapshot = await pages(now);
  await snapshotWrites();
  const kept = await getSql().get(get(`SELECT "rows" FROM "MasterySnapshot" WHERE "userId" = ?`, userId));
  expect(kept).toBeDefined();
  resetMasteryCaches();
  await getSql().run(run(`DELETE FROM "MasterySnapshot" WHERE "userId" = ?`, userId));
  const fromRows = await pages(now);
  expect(fromMemory).toEqual(fromRows);
  expect(fromSnapshot).toEqual(fromRows);
  expect(fromValidSnapshot).toEqual(fromRows);
  return fromRows;
}

describe("mastery from the kept snapshot", () => {
  it("gives the figures of a full read after every kind of write", async () => {
    const course = getCourse().course;
    const items = course.topics.flatMap((t) => [...t.cards.map((c) => c.id), ...t.questions.map((q) => q.id)]);
    const at = (h: number) => new Date(Date.now() + h * 3_600_000);
    let before = await expectAllCopiesAgree(at(0));

    // Reviews over three days, some items more than once.
    for (let i = 0; i < 40; i++) await review(items[i % 25]!, ((i % 4) + 1) as 1 | 2 | 3 | 4, at(i));
    let after = await expectAllCopiesAgree(at(41));
    expect(after).not.toEqual(before);

    // Undo the last review.
    before = after;
    expect((await undoLastReview(userId, `snap-undo-${n++}`, at(42))).status).toBe("undone");
    versions.clear();
    for (const row of await getSql().all<{ itemId: string; version: number }>({ sql: `SELECT "itemId", "version" FROM "ItemState" WHERE "userId" = ?`, params: [userId], mode: "all" }))
      versions.set(row.itemId, Number(row.version));
    after = await expectAllCopiesAgree(at(43));
    expect(after).not.toEqual(before);

    // Forget, suspend, unsuspend.
    expect((await forgetItem(userId, items[0]!, `snap-forget-${n++}`, at(46))).status).toBe("done");
    await expectAllCopiesAgree(at(47));
    await setSuspended(userId, [items[1]!, items[2]!], true, at(48));
    await expectAllCopiesAgree(at(48));
    await setSuspended(userId, [items[1]!], false, at(49));
    await expectAllCopiesAgree(at(49));

    // Own cards: reviewed twice, then deleted while one new item and one known item are reviewed.
    // With own cards in the stamp (count, version sum) these three writes leave it unchanged.
    const own = await createOwnCard(userId, { topic: "attention", section: "", front: "My own question", back: "My own answer" });
    await review(ownItemId(own.id), 3, at(50));
    await review(ownItemId(own.id), 3, at(60));
    await expectAllCopiesAgree(at(61));
    const shown = await pages(at(62)); // the process now holds the states
    expect(await deleteOwnCard(userId, own.id)).toBe(true);
    await review(items[40]!, 3, at(62));
    await review(items[3]!, 4, at(62));
    const now = await pages(at(62));
    expect(now).not.toEqual(shown);
    await expectAllCopiesAgree(at(62));
  }, 120_000);
});
