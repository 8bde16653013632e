/**
 * Content -> database, idempotently. Every topic and item in content/ gets a row
 * keyed by its stable id; a changed item is updated in place (its learners'
 * history stays attached); an item gone from content is retired, never deleted.
 */
import crypto from "node:crypto";
import type { Course } from "./load.server";
import type { Db } from "~/db/client.server";

export interface SyncStats {
  created: number;
  updated: number;
  retired: number;
  unchanged: number;
}

interface ItemRow {
  id: string;
  topicId: string;
  kind: "card" | "quiz" | "exercise";
  section: string;
  position: number;
  tags: string;
  contentHash: string;
}

function hash(value: unknown) {
  return crypto.createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);
}

/** The rows content/ implies, in course order. */
export function itemRows(course: Course): ItemRow[] {
  const rows: ItemRow[] = [];
  for (const topic of course.topics) {
    const base = topic.position * 100_000;
    const add = (kind: ItemRow["kind"], offset: number, index: number, item: { id: string; section: string; tags: string[] }, content: unknown) =>
      rows.push({
        id: item.id,
        topicId: topic.slug,
        kind,
        section: item.section,
        position: base + offset + index,
        tags: JSON.stringify(item.tags),
        contentHash: hash(content),
      });
    topic.cards.forEach((c, i) => add("card", 0, i, c, [c.front, c.back]));
    topic.questions.forEach((q, i) => add("quiz", 30_000, i, q, { ...q, file: undefined, line: undefined }));
    topic.exercises.forEach((e, i) =>
      add("exercise", 60_000, i, e, { ...e, file: undefined, line: undefined, dir: undefined }),
    );
  }
  return rows;
}

const CHUNK = 200;

export async function syncContent(db: Db, course: Course, now = new Date()): Promise<SyncStats> {
  const stats: SyncStats = { created: 0, updated: 0, retired: 0, unchanged: 0 };
  const wanted = itemRows(course);
  await db.$transaction(async (tx) => {
    const topics = await tx.topic.findMany();
    const topicIds = new Set(course.topics.map((t) => t.slug));
    for (const t of course.topics) {
      const existing = topics.find((x) => x.id === t.slug);
      if (!existing) await tx.topic.create({ data: { id: t.slug, position: t.position, title: t.title } });
      else if (existing.position !== t.position || existing.title !== t.title || existing.retiredAt !== null) {
        await tx.topic.update({ where: { id: t.slug }, data: { position: t.position, title: t.title, retiredAt: null } });
      }
    }
    for (const t of topics) {
      if (!topicIds.has(t.id) && t.retiredAt === null) await tx.topic.update({ where: { id: t.id }, data: { retiredAt: now } });
    }

    const existing = new Map((await tx.item.findMany()).map((r) => [r.id, r]));
    const toCreate: ItemRow[] = [];
    for (const row of wanted) {
      const before = existing.get(row.id);
      existing.delete(row.id);
      if (!before) {
        toCreate.push(row);
        continue;
      }
      const same =
        before.topicId === row.topicId &&
        before.kind === row.kind &&
        before.section === row.section &&
        before.position === row.position &&
        before.tags === row.tags &&
        before.contentHash === row.contentHash &&
        before.retiredAt === null;
      if (same) {
        stats.unchanged++;
        continue;
      }
      await tx.item.update({ where: { id: row.id }, data: { ...row, retiredAt: null } });
      stats.updated++;
    }
    // In chunks: a statement has a bounded number of parameters (SQLite's driver and PostgreSQL alike).
    for (let i = 0; i < toCreate.length; i += CHUNK) {
      await tx.item.createMany({ data: toCreate.slice(i, i + CHUNK) });
    }
    stats.created += toCreate.length;
    const gone = [...existing.values()].filter((r) => r.retiredAt === null).map((r) => r.id);
    for (let i = 0; i < gone.length; i += CHUNK) {
      const res = await tx.item.updateMany({ where: { id: { in: gone.slice(i, i + CHUNK) } }, data: { retiredAt: now } });
      stats.retired += res.count;
    }
  }, { timeout: 60_000, maxWait: 30_000 }); // start-up on a busy database server (Prisma's 5 s default failed bench:load at load average 28)
  return stats;
}
