/**
 * The in-memory cache of queue reads (ADR 011) must never change a queue: after
 * any mix of reviews, undos, resubmissions, stale ratings, lesson visits,
 * settings changes, outside writes and the passing of days, the cached queue
 * equals the queue read afresh. On a real SQLite file with the real course.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-span-queue-cache-"));
process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = "";

const { startup } = await import("~/startup.server");
const { createUser } = await import("~/auth/users.server");
const { enrolInLesson } = await import("~/lessons/enrolment.server");
const { updateSettings } = await import("~/settings/settings.server");
const { getQueue, recordReview, undoLastReview, queueCacheForTests } = await import("~/review/review.server");
const { closeSql } = await import("~/db/sql.server");
const { disconnectDb } = await import("~/db/client.server");
const { getCourse } = await import("~/content/course.server");

type Queue = Awaited<ReturnType<typeof getQueue>>;
const comparable = (q: Queue) => ({
  entries: q.entries,
  counts: q.counts,
  nextDue: q.nextDue?.toISOString() ?? null,
  done: q.done,
  versions: [...q.versions].sort(),
  states: [...q.states].sort(([a], [b]) => a.localeCompare(b)),
});

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let userId: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  await startup({ log: () => undefined });
  userId = (await createUser("cache-check", "a long enough password", "Europe/Berlin")).id;
});
afterAll(async () => {
  await closeSql();
  await disconnectDb();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("queue reads cache", () => {
  it("gives the same queue as a fresh read after every kind of change, across days", async () => {
    const random = rng(20261128);
    const topics = getCourse().course.topics.map((t) => t.slug);
    let now = new Date("2026-11-28T08:00:00Z");
    await enrolInLesson(userId, topics[0]!, now);
    const sent: { clientId: string; itemId: string; version: number }[] = [];
    let hits = 0;
    const counts = { reviews: 0, undos: 0, duplicates: 0, stale: 0, visits: 1, settings: 0, outside: 0, ahead: 0 };
    const known = new Map<string, number>(); // item -> version after our last review of it

    for (let step = 0; step < 250; step++) {
      const hitsBefore = queueCacheForTests.counters().hits;
      const cached = await getQueue(userId, now);
      hits += queueCacheForTests.counters().hits - hitsBefore;
      const fresh = await getQueue(userId, now, undefined, { useCache: false });
      expect(comparable(cached), `step ${step} at ${now.toISOString()}`).toEqual(comparable(fresh));

      const roll = random();
      const entry = cached.entries[Math.floor(random() * Math.min(3, cached.entries.length))];
      if (roll < 0.6 && entry) {
        const clientId = crypto.randomUUID();
        const version = cached.versions.get(entry.itemId) ?? 0;
        const source = random() < 0.8 ? "review" : random() < 0.5 ? "quiz" : "exercise";
        const res = await recordReview(userId, { itemId: entry.itemId, rating: (1 + Math.floor(random() * 4)) as 1 | 2 | 3 | 4, clientId, version, durationMs: 4000, source }, now);
        expect(res.status).toBe("recorded");
        sent.push({ clientId, itemId: entry.itemId, version });
        if (res.status === "recorded") known.set(entry.itemId, res.version);
        counts.reviews++;
      } else if (roll < 0.68) {
        await undoLastReview(userId, crypto.randomUUID(), now);
        counts.undos++;
      } else if (roll < 0.74 && sent.length) {
        const again = sent[Math.floor(random() * sent.length)]!;
        const res = await recordReview(userId, { itemId: again.itemId, rating: 3, clientId: again.clientId, version: again.version, durationMs: 1, source: "review" }, now);
        expect(res.status).toBe("duplicate");
        counts.duplicates++;
      } else if (roll < 0.8 && sent.length) {
        const old = sent[Math.floor(random() * sent.length)]!;
        const res = await recordReview(userId, { itemId: old.itemId, rating: 3, clientId: crypto.randomUUID(), version: old.version, durationMs: 1, source: "review" }, now);
        expect(["stale", "recorded"]).toContain(res.status);
        if (res.status === "recorded") sent.push({ clientId: crypto.randomUUID(), itemId: old.itemId, version: old.version });
        counts.stale++;
      } else if (roll < 0.84) {
        await enrolInLesson(userId, topics[Math.floor(random() * topics.length)]!, now);
        counts.visits++;
      } else if (roll < 0.87) {
        await updateSettings(userId, {
          desiredRetention: 0.9,
          newPerDay: 5 + Math.floor(random() * 20),
          reviewCap: 200,
          dayStartHour: 4,
          timeZone: random() < 0.5 ? "Europe/Berlin" : "America/New_York",
          maximumInterval: 36500,
          learningSteps: random() < 0.5 ? "1m 10m" : "5m",
          relearningSteps: "10m",
        });
        counts.settings++;
      } else if (roll < 0.9) {
        // Another process moves a card: the cache must notice (data_version).
        const outside = new Database(path.join(dataDir, "attention-span.db"));
        outside.pragma("busy_timeout = 5000");
        outside
          .prepare(`UPDATE "ItemState" SET "due" = ?, "version" = "version" + 1 WHERE "userId" = ? AND "state" <> 0 AND "itemId" = (SELECT "itemId" FROM "ItemState" WHERE "userId" = ? AND "state" <> 0 ORDER BY "itemId" LIMIT 1)`)
          .run(new Date(now.getTime() - HOUR).toISOString().replace("Z", "+00:00"), userId, userId);
        outside.close();
        counts.outside++;
      } else if (roll < 0.95) {
        // Practice ahead of time (a lesson quiz): an item that is not due now.
        const ahead = [...known].find(([id]) => !cached.versions.has(id));
        if (ahead) {
          const res = await recordReview(userId, { itemId: ahead[0], rating: 3, clientId: crypto.randomUUID(), version: ahead[1], durationMs: 1, source: "quiz" }, now);
          expect(["recorded", "stale"]).toContain(res.status);
          if (res.status === "recorded") known.set(ahead[0], res.version);
          counts.ahead++;
        }
      }
      // Minutes usually; now and then hours, across day starts and the horizon's last 20 minutes.
      const r = random();
      now = new Date(now.getTime() + (r < 0.7 ? 10_000 + random() * 10 * 60_000 : r < 0.95 ? random() * 3 * HOUR : random() * 20 * HOUR));
    }
    // The mix really happened, and the cache really served queues.
    expect(counts.reviews).toBeGreaterThan(100);
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(0);
    expect(hits).toBeGreaterThan(50);
  }, 120_000);
});
