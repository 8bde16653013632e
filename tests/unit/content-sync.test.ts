import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCourse, type Course } from "~/content/load.server";
import { itemRows, syncContent } from "~/content/sync.server";
import { createClient, type Db } from "~/db/client.server";
import { migrateSqlite, readMigrations } from "~/db/migrate.server";

const repo = path.resolve(__dirname, "../..");
const fixture = path.join(repo, "tests/fixtures/content-valid");
const migrations = readMigrations(path.join(repo, "prisma/sqlite/migrations"));

const T0 = new Date("2026-11-28T10:00:00.000Z");
const T1 = new Date("2026-11-29T10:00:00.000Z");
const T2 = new Date("2026-11-30T10:00:00.000Z");
const T3 = new Date("2026-12-01T10:00:00.000Z");

let tmp: string;
const clients: Db[] = [];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "attention-span-sync-"));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

let dbs = 0;
function freshDb(): Db {
  const dataDir = path.join(tmp, `db-${++dbs}`);
  const file = path.join(dataDir, "attention-span.db");
  const applied = migrateSqlite(file, migrations);
  expect(applied).toEqual(migrations.map((m) => m.name));
  const db = createClient({ provider: "sqlite", file, dataDir });
  clients.push(db);
  return db;
}

function loadFixture(): Course {
  const { course, problems } = loadCourse(fixture);
  expect(problems).toEqual([]);
  return course;
}

const ALL_IDS = [
  "alpha-card-one",
  "alpha-card-two",
  "alpha-q-single",
  "alpha-q-multiple",
  "alpha-q-numeric",
  "alpha-q-text",
  "alpha-q-order",
  "beta-card-one",
];

describe("itemRows", () => {
  it("lists every card and question in course order, with kinds and sections", () => {
    const rows = itemRows(loadFixture());
    expect(rows.map((r) => r.id)).toEqual(ALL_IDS);
    expect(rows.map((r) => r.kind)).toEqual(["card", "card", "quiz", "quiz", "quiz", "quiz", "quiz", "card"]);
    expect(rows[0]).toMatchObject({ topicId: "alpha", section: "first-steps", position: 100_000, tags: '["arithmetic"]' });
    expect(rows[2]!.position).toBe(130_000);
    expect(rows[7]).toMatchObject({ topicId: "beta", position: 200_000, tags: '["basics"]' });
    const positions = rows.map((r) => r.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("hashes the content, not the file location", () => {
    const a = itemRows(loadFixture());
    const moved = loadFixture();
    for (const c of moved.topics[0]!.cards) c.line += 10;
    for (const q of moved.topics[0]!.questions) q.line += 10;
    expect(itemRows(moved).map((r) => r.contentHash)).toEqual(a.map((r) => r.contentHash));
  });
});

describe("syncContent against a real SQLite file", () => {
  let db: Db;
  beforeAll(() => {
    db = freshDb();
  });

  it("the first sync creates every topic and item", async () => {
    const stats = await syncContent(db, loadFixture(), T0);
    expect(stats).toEqual({ created: ALL_IDS.length, updated: 0, retired: 0, unchanged: 0 });
    const topics = await db.topic.findMany({ orderBy: { position: "asc" } });
    expect(topics.map((t) => [t.id, t.position, t.title, t.retiredAt])).toEqual([
      ["alpha", 1, "Alpha", null],
      ["beta", 2, "Beta", null],
    ]);
    const items = await db.item.findMany({ orderBy: { position: "asc" } });
    expect(items.map((i) => i.id)).toEqual(ALL_IDS);
    expect(items.every((i) => i.retiredAt === null)).toBe(true);
    expect(items[0]).toMatchObject({ topicId: "alpha", kind: "card", section: "first-steps", tags: '["arithmetic"]' });
  });

  it("a second sync of the same content changes nothing (npm start twice does not duplicate rows)", async () => {
    const before = await db.item.findMany({ orderBy: { id: "asc" } });
    const stats = await syncContent(db, loadFixture(), T1);
    expect(stats).toEqual({ created: 0, updated: 0, retired: 0, unchanged: ALL_IDS.length });
    expect(await db.item.count()).toBe(ALL_IDS.length);
    expect(await db.topic.count()).toBe(2);
    expect(await db.item.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    // And a third time, for good measure.
    expect(await syncContent(db, loadFixture(), T1)).toEqual({ created: 0, updated: 0, retired: 0, unchanged: ALL_IDS.length });
    expect(await db.item.count()).toBe(ALL_IDS.length);
  });

  describe("with a learner's history on an item", () => {
    let userId: string;
    beforeAll(async () => {
      const user = await db.user.create({ data: { username: "Ada", usernameKey: "ada", createdAt: T0 } });
      userId = user.id;
      await db.itemState.create({
        data: {
          userId,
          itemId: "alpha-card-two",
          due: new Date("2026-12-05T10:00:00.000Z"),
          stability: 4.5,
          difficulty: 5.1,
          elapsedDays: 1,
          scheduledDays: 6,
          learningSteps: 0,
          reps: 3,
          lapses: 0,
          state: 2,
          lastReview: T0,
          version: 3,
        },
      });
      await db.reviewLog.create({
        data: {
          userId,
          itemId: "alpha-card-two",
          clientId: "client-1",
          kind: "review",
          source: "review",
          rating: 3,
          prevState: 1,
          reviewedAt: T0,
          durationMs: 4200,
          stateBefore: "{}",
          stateAfter: "{}",
        },
      });
    });

    const learnerRows = async () => ({
      state: await db.itemState.findUnique({ where: { userId_itemId: { userId, itemId: "alpha-card-two" } } }),
      logs: await db.reviewLog.findMany({ where: { userId, itemId: "alpha-card-two" } }),
    });

    it("editing an item's text keeps its id and updates it in place; the learner's state and log survive", async () => {
      const history = await learnerRows();
      const old = await db.item.findUniqueOrThrow({ where: { id: "alpha-card-two" } });

      const course = loadFixture();
      course.topics[0]!.cards[1]!.back = "The second part, which comes after the first.";
      const stats = await syncContent(db, course, T1);

      expect(stats).toEqual({ created: 0, updated: 1, retired: 0, unchanged: ALL_IDS.length - 1 });
      const now = await db.item.findUniqueOrThrow({ where: { id: "alpha-card-two" } });
      expect(now.contentHash).not.toBe(old.contentHash);
      expect({ ...now, contentHash: old.contentHash }).toEqual(old);
      expect(await db.item.count()).toBe(ALL_IDS.length);
      expect(await learnerRows()).toEqual(history);
      expect(history.state?.version).toBe(3);
      expect(history.logs).toHaveLength(1);

      // Syncing the edited content again is a no-op.
      expect(await syncContent(db, course, T1)).toEqual({ created: 0, updated: 0, retired: 0, unchanged: ALL_IDS.length });
    });

    it("moving an item to another section or retagging it updates it", async () => {
      const course = loadFixture();
      course.topics[0]!.cards[1]!.back = "The second part, which comes after the first.";
      course.topics[0]!.cards[1]!.section = "first-steps";
      course.topics[0]!.cards[1]!.tags = ["order"];
      expect(await syncContent(db, course, T1)).toEqual({ created: 0, updated: 1, retired: 0, unchanged: ALL_IDS.length - 1 });
      expect(await db.item.findUniqueOrThrow({ where: { id: "alpha-card-two" } })).toMatchObject({ section: "first-steps", tags: '["order"]' });
    });

    it("removing an item from content retires it; the row and the learner's history stay", async () => {
      const history = await learnerRows();
      const course = loadFixture();
      course.topics[0]!.cards.splice(1, 1);
      const stats = await syncContent(db, course, T2);

      expect(stats).toEqual({ created: 0, updated: 0, retired: 1, unchanged: ALL_IDS.length - 1 });
      const row = await db.item.findUniqueOrThrow({ where: { id: "alpha-card-two" } });
      expect(row.retiredAt).toEqual(T2);
      expect(await db.item.count()).toBe(ALL_IDS.length);
      expect(await db.item.count({ where: { retiredAt: null } })).toBe(ALL_IDS.length - 1);
      expect(await learnerRows()).toEqual(history);

      // Still gone on the next start: not retired twice, retiredAt unchanged.
      expect(await syncContent(db, course, T3)).toEqual({ created: 0, updated: 0, retired: 0, unchanged: ALL_IDS.length - 1 });
      expect((await db.item.findUniqueOrThrow({ where: { id: "alpha-card-two" } })).retiredAt).toEqual(T2);
    });

    it("putting the item back un-retires it, with the learner's history still attached", async () => {
      const history = await learnerRows();
      const stats = await syncContent(db, loadFixture(), T3);
      expect(stats).toEqual({ created: 0, updated: 1, retired: 0, unchanged: ALL_IDS.length - 1 });
      const row = await db.item.findUniqueOrThrow({ where: { id: "alpha-card-two" } });
      expect(row.retiredAt).toBeNull();
      expect(row.section).toBe("second-part");
      expect(await db.item.count()).toBe(ALL_IDS.length);
      expect(await learnerRows()).toEqual(history);
      expect(await syncContent(db, loadFixture(), T3)).toEqual({ created: 0, updated: 0, retired: 0, unchanged: ALL_IDS.length });
    });
  });

  it("a lesson removed from content retires its topic and items, and comes back when restored", async () => {
    const course = loadFixture();
    course.topics.splice(1, 1);
    const stats = await syncContent(db, course, T2);
    expect(stats).toEqual({ created: 0, updated: 0, retired: 1, unchanged: ALL_IDS.length - 1 });
    expect((await db.topic.findUniqueOrThrow({ where: { id: "beta" } })).retiredAt).toEqual(T2);
    expect((await db.item.findUniqueOrThrow({ where: { id: "beta-card-one" } })).retiredAt).toEqual(T2);

    expect(await syncContent(db, loadFixture(), T3)).toEqual({ created: 0, updated: 1, retired: 0, unchanged: ALL_IDS.length - 1 });
    expect((await db.topic.findUniqueOrThrow({ where: { id: "beta" } })).retiredAt).toBeNull();
    expect((await db.item.findUniqueOrThrow({ where: { id: "beta-card-one" } })).retiredAt).toBeNull();
  });

  it("a new item added to content is created next to the existing ones", async () => {
    const course = loadFixture();
    course.topics[1]!.cards.push({ ...course.topics[1]!.cards[0]!, id: "beta-card-two", front: "Another?", back: "Yes." });
    expect(await syncContent(db, course, T3)).toEqual({ created: 1, updated: 0, retired: 0, unchanged: ALL_IDS.length });
    expect(await db.item.findUniqueOrThrow({ where: { id: "beta-card-two" } })).toMatchObject({ topicId: "beta", position: 200_001, retiredAt: null });
  });
});

describe("the real course", () => {
  it("syncs into a fresh database once, then is unchanged", async () => {
    const db = freshDb();
    const { course, problems } = loadCourse(path.join(repo, "content"));
    expect(problems).toEqual([]);
    const total = itemRows(course).length;
    expect(total).toBeGreaterThan(100);
    expect(await syncContent(db, course, T0)).toEqual({ created: total, updated: 0, retired: 0, unchanged: 0 });
    expect(await syncContent(db, course, T1)).toEqual({ created: 0, updated: 0, retired: 0, unchanged: total });
    expect(await db.item.count()).toBe(total);
    expect(await db.topic.count()).toBe(5);
  });

  it("migrating the same file twice applies nothing the second time", () => {
    const file = path.join(tmp, "twice", "attention-span.db");
    expect(migrateSqlite(file, migrations)).toHaveLength(migrations.length);
    expect(migrateSqlite(file, migrations)).toEqual([]);
  });
});

describe("syncing at scale", () => {
  it("retires thousands of items in one sync (statements stay under the parameter limit)", async () => {
    const db = freshDb();
    const course = loadFixture();
    await syncContent(db, course);
    const many = Array.from({ length: 2_500 }, (_, i) => ({
      id: `bulk-${i}`,
      topicId: course.topics[0]!.slug,
      kind: "card",
      section: "x",
      position: 9_000_000 + i,
      tags: "[]",
      contentHash: "h",
    }));
    for (let i = 0; i < many.length; i += 500) await db.item.createMany({ data: many.slice(i, i + 500) });
    const stats = await syncContent(db, course);
    expect(stats.retired).toBe(2_500);
    expect(await db.item.count({ where: { id: { startsWith: "bulk-" }, retiredAt: null } })).toBe(0);
  });
});
