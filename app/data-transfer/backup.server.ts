/**
 * The learner's own export (JSON) and its import back, on this or another
 * server. The file names the course version it was made from; an import into
 * a server with another course version is refused, since its item ids would
 * not line up. Importing is one transaction and idempotent: reviews are keyed
 * by their client id, states replace older ones only. See ADR 020.
 */
import crypto from "node:crypto";
import zlib from "node:zlib";
import { z } from "zod";
import { getCourse } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { exportUserData } from "~/auth/users.server";
import { CardText, isOwnItemId, MAX_OWN_CARDS, ownItemId } from "~/own-cards/schema";
import { ThemeSchema } from "~/theme/theme";

export const EXPORT_FORMAT = "attention-span-export";
export const EXPORT_FORMAT_VERSION = 1;

let versionCache: { course: unknown; version: string } | null = null;
/** The course version: a digest of every card, question and exercise id with its kind. Text edits keep it; adding or removing an item changes it. */
export function courseVersion(): string {
  const { course } = getCourse();
  if (versionCache?.course === course) return versionCache.version;
  const ids: string[] = [];
  for (const t of course.topics) {
    for (const c of t.cards) ids.push(`card:${c.id}`);
    for (const q of t.questions) ids.push(`quiz:${q.id}`);
    for (const e of t.exercises) ids.push(`exercise:${e.id}`);
  }
  ids.sort();
  const version = crypto.createHash("sha256").update(ids.join("\n")).digest("hex").slice(0, 16);
  versionCache = { course, version };
  return version;
}

export async function exportBackup(userId: string) {
  const [data, ownCards] = await Promise.all([exportUserData(userId), getDb().ownCard.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })]);
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    courseVersion: courseVersion(),
    ...data,
    ownCards: ownCards.map(({ id, topicId, section, front, back, createdAt, updatedAt }) => ({ id, topicId, section, front, back, createdAt, updatedAt })),
  };
}

// ---- the file, as zod sees it (only what an import restores is checked strictly) ----

const DateStr = z.string().datetime({ offset: true }).transform((s) => new Date(s));
const Int = z.number().int().safe();
const Num = z.number().finite();
const Id = z.string().min(1).max(200);

const StateJson = z
  .object({
    due: z.string().datetime({ offset: true }),
    stability: Num,
    difficulty: Num,
    elapsedDays: Int,
    scheduledDays: Int,
    learningSteps: Int,
    reps: Int,
    lapses: Int,
    state: z.number().int().min(0).max(3),
    lastReview: z.string().datetime({ offset: true }).nullable(),
  })
  .passthrough();

const BackupFile = z.object({
  format: z.literal(EXPORT_FORMAT, { errorMap: () => ({ message: "This is not an Attention Span export file." }) }),
  formatVersion: z.literal(EXPORT_FORMAT_VERSION, { errorMap: () => ({ message: "This export was made by a newer or older version of the app than this one reads." }) }),
  courseVersion: z.string().min(1).max(100),
  settings: z
    .object({
      desiredRetention: z.number().min(0.7).max(0.99),
      newPerDay: z.number().int().min(0).max(9999),
      reviewCap: z.number().int().min(0).max(99999),
      dayStartHour: z.number().int().min(0).max(23),
      timeZone: z.string().min(1).max(100),
      maximumInterval: z.number().int().min(1).max(36500),
      learningSteps: z.string().max(200),
      relearningSteps: z.string().max(200),
      weights: z.string().max(2000).nullable(),
      // Settings added after the first version of the format: optional, so older files still import.
      fitInfo: z.string().max(2000).nullable().optional(),
      dailyGoal: z.number().int().min(1).max(1000).optional(),
      leechThreshold: z.number().int().min(0).max(99).optional(),
      lightDays: z.string().regex(/^([0-6](,[0-6])*)?$/).optional(),
      theme: ThemeSchema.optional(),
    })
    .nullable(),
  lessonVisits: z.array(z.object({ topicId: Id, firstOpened: DateStr })).max(10_000),
  itemStates: z
    .array(
      z.object({
        itemId: Id,
        due: DateStr,
        stability: Num,
        difficulty: Num,
        elapsedDays: Int,
        scheduledDays: Int,
        learningSteps: Int,
        reps: Int,
        lapses: Int,
        state: z.number().int().min(0).max(3),
        lastReview: DateStr.nullable(),
        suspended: z.boolean().optional(), // ADR 027; older files have none
      }),
    )
    .max(100_000),
  reviewLogs: z
    .array(
      z.object({
        id: Int,
        itemId: Id,
        clientId: z.string().min(1).max(100),
        kind: z.enum(["review", "undo", "forget"]), // forget: reset to new from /items (ADR 027)
        source: z.enum(["review", "quiz", "exercise"]),
        rating: z.number().int().min(0).max(4),
        prevState: z.number().int().min(0).max(3),
        reviewedAt: DateStr,
        durationMs: Int,
        stateBefore: StateJson.nullable(),
        stateAfter: StateJson,
        undoesId: Int.nullable(),
        undone: z.boolean(),
      }),
    )
    .max(100_000, "a backup holds at most 100,000 reviews"),
  quizAttempts: z
    .array(z.object({ id: Id, topicId: Id, seed: Int, startedAt: DateStr, finishedAt: DateStr.nullable(), correct: Int, total: Int }))
    .max(100_000)
    .default([]),
  quizAnswers: z
    .array(
      z.object({
        attemptId: Id.nullable(),
        itemId: Id,
        answer: z.unknown(),
        correct: z.boolean(),
        timeMs: Int,
        context: z.string().min(1).max(50),
        createdAt: DateStr,
      }),
    )
    .max(1_000_000)
    .default([]),
  exerciseAttempts: z
    .array(
      z.object({
        itemId: Id,
        clientId: z.string().min(1).max(100),
        passed: z.boolean(),
        testsPassed: Int,
        testsTotal: Int,
        durationMs: Int,
        code: z.string().max(200_000),
        revealed: z.boolean(),
        createdAt: DateStr,
      }),
    )
    .max(100_000)
    .default([]),
  exerciseDrafts: z
    .array(z.object({ itemId: Id, code: z.string().max(200_000), revealedAt: DateStr.nullable(), updatedAt: DateStr }))
    .max(10_000)
    .default([]),
  // The learner's own cards (ADR 025); files from before them have none.
  ownCards: z
    .array(
      z
        .object({ id: Id, topicId: Id, section: z.string().max(200), createdAt: DateStr, updatedAt: DateStr })
        .and(CardText),
    )
    .max(MAX_OWN_CARDS)
    .default([]),
});
export type BackupFile = z.infer<typeof BackupFile>;

export class ImportError extends Error {}

export interface ImportSummary {
  reviewsAdded: number;
  statesChanged: number;
  visitsAdded: number;
  otherAdded: number; // quiz attempts and answers, exercise attempts
}

/** How large a compressed backup may grow when inflated. */
export const MAX_INFLATED_BYTES = 512 * 1024 * 1024;

/** The file's text: as it is, or inflated when it is gzip (the compressed export). */
export function backupText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return zlib.gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }).toString("utf8");
    } catch {
      throw new ImportError("This compressed file is damaged or cut short, or too large once uncompressed. Nothing was imported.");
    }
  }
  return bytes.toString("utf8");
}

/** Parses and checks a file; throws ImportError with a message for the learner. */
export function parseBackup(text: string): BackupFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ImportError("This file is not an Attention Span export (it is not JSON, or it was cut short).");
  }
  const parsed = BackupFile.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const where = first.path.length ? ` (at ${first.path.join(".")})` : "";
    throw new ImportError(first.path[0] === "format" || first.path[0] === "formatVersion" ? first.message : `This export file is damaged: ${first.message}${where}.`);
  }
  if (parsed.data.courseVersion !== courseVersion()) {
    throw new ImportError(
      `This export was made from another version of the course (${parsed.data.courseVersion}; this server has ${courseVersion()}), so its cards would not line up. Nothing was imported.`,
    );
  }
  return parsed.data;
}

/** Restores a parsed file into the learner's account, all or nothing. */
export async function importBackup(userId: string, file: BackupFile): Promise<ImportSummary> {
  const db = getDb();
  // Own cards: a card id held by another learner here is not this learner's to restore.
  const ownHere = await db.ownCard.findMany({ where: { id: { in: file.ownCards.map((c) => c.id) } }, select: { id: true, userId: true, updatedAt: true } });
  if (ownHere.some((c) => c.userId !== userId)) throw new ImportError("This export's own cards belong to another account on this server. Nothing was imported.");
  const ownUpdated = new Map(ownHere.map((c) => [c.id, c.updatedAt]));
  const ownKnown = new Set([...file.ownCards.map((c) => ownItemId(c.id)), ...(await db.ownCard.findMany({ where: { userId }, select: { id: true } })).map((c) => ownItemId(c.id))]);
  const strayOwn = file.itemStates.find((s) => isOwnItemId(s.itemId) && !ownKnown.has(s.itemId));
  if (strayOwn) throw new ImportError(`This export schedules a card of your own that it does not hold (${strayOwn.itemId}). Nothing was imported.`);
  const itemIds = [
    ...new Set([
      // Own items are checked above; the reviews of a deleted own card are history and come along.
      ...file.itemStates.map((s) => s.itemId).filter((id) => !isOwnItemId(id)),
      ...file.reviewLogs.map((l) => l.itemId).filter((id) => !isOwnItemId(id)),
      ...file.quizAnswers.map((a) => a.itemId),
      ...file.exerciseAttempts.map((a) => a.itemId),
      ...file.exerciseDrafts.map((d) => d.itemId),
    ]),
  ];
  const known = new Set((await db.item.findMany({ where: { id: { in: itemIds } }, select: { id: true } })).map((i) => i.id));
  const missing = itemIds.find((id) => !known.has(id));
  if (missing) throw new ImportError(`This export names an item this server does not have (${missing}). Nothing was imported.`);
  const topics = new Set((await db.topic.findMany({ select: { id: true } })).map((t) => t.id));
  const visits = file.lessonVisits.filter((v) => topics.has(v.topicId));

  return db.$transaction(
    async (tx) => {
      const summary: ImportSummary = { reviewsAdded: 0, statesChanged: 0, visitsAdded: 0, otherAdded: 0 };
      if (file.settings) {
        await tx.settings.upsert({ where: { userId }, create: { userId, ...file.settings }, update: file.settings });
      }
      const haveVisits = new Set((await tx.lessonVisit.findMany({ where: { userId }, select: { topicId: true } })).map((v) => v.topicId));
      const newVisits = visits.filter((v) => !haveVisits.has(v.topicId));
      if (newVisits.length) await tx.lessonVisit.createMany({ data: newVisits.map((v) => ({ userId, topicId: v.topicId, firstOpened: v.firstOpened })) });
      summary.visitsAdded = newVisits.length;

      for (const c of file.ownCards) {
        const here = ownUpdated.get(c.id);
        if (here && here.getTime() >= c.updatedAt.getTime()) continue;
        const { id, ...fields } = c;
        if (here) await tx.ownCard.update({ where: { id }, data: fields });
        else await tx.ownCard.create({ data: { id, userId, ...fields } });
        summary.otherAdded++;
      }

      // Reviews in their original order, written in batches; an undo points at the new id of the review it rolled back.
      const existing = await tx.reviewLog.findMany({ where: { userId }, select: { id: true, clientId: true } });
      const idByClient = new Map(existing.map((l) => [l.clientId, l.id]));
      const clientByOldId = new Map(file.reviewLogs.map((l) => [l.id, l.clientId]));
      const toRow = (l: BackupFile["reviewLogs"][number], undoesId: number | null) => ({
        userId,
        itemId: l.itemId,
        clientId: l.clientId,
        kind: l.kind,
        source: l.source,
        rating: l.rating,
        prevState: l.prevState,
        reviewedAt: l.reviewedAt,
        durationMs: l.durationMs,
        stateBefore: JSON.stringify(l.stateBefore),
        stateAfter: JSON.stringify(l.stateAfter),
        undoesId,
        undone: l.undone,
      });
      let batch: ReturnType<typeof toRow>[] = [];
      const flush = async () => {
        if (batch.length) await tx.reviewLog.createMany({ data: batch });
        summary.reviewsAdded += batch.length;
        batch = [];
      };
      const seen = new Set<string>();
      for (const l of [...file.reviewLogs].sort((a, b) => a.id - b.id)) {
        if (idByClient.has(l.clientId) || seen.has(l.clientId)) continue;
        seen.add(l.clientId);
        if (l.kind === "review") {
          batch.push(toRow(l, null));
          if (batch.length >= 500) await flush();
          continue;
        }
        await flush();
        const target = l.undoesId === null ? undefined : clientByOldId.get(l.undoesId);
        let undoes = target ? (idByClient.get(target) ?? null) : null;
        if (target && undoes === null) {
          undoes = (await tx.reviewLog.findUnique({ where: { userId_clientId: { userId, clientId: target } }, select: { id: true } }))?.id ?? null;
        }
        batch.push(toRow(l, undoes));
        await flush();
      }
      await flush();

      // A state from the file wins only when it is newer than the one here (or there is none).
      const current = new Map((await tx.itemState.findMany({ where: { userId } })).map((s) => [s.itemId, s]));
      for (const s of file.itemStates) {
        const here = current.get(s.itemId);
        const { itemId, ...fields } = s;
        if (!here) {
          await tx.itemState.create({ data: { userId, itemId, ...fields } });
          summary.statesChanged++;
        } else if ((s.lastReview?.getTime() ?? 0) > (here.lastReview?.getTime() ?? 0)) {
          await tx.itemState.update({ where: { userId_itemId: { userId, itemId } }, data: { ...fields, version: here.version + 1 } });
          summary.statesChanged++;
        }
      }

      // Quiz attempts keep their ids; one whose id is already taken (by this learner: imported before) is skipped with its answers.
      const takenAttempts = new Set(
        (await tx.quizAttempt.findMany({ where: { id: { in: file.quizAttempts.map((q) => q.id) } }, select: { id: true } })).map((q) => q.id),
      );
      const freshAttempts = file.quizAttempts.filter((q) => !takenAttempts.has(q.id) && topics.has(q.topicId));
      if (freshAttempts.length) await tx.quizAttempt.createMany({ data: freshAttempts.map((q) => ({ userId, ...q })) });
      const freshIds = new Set(freshAttempts.map((q) => q.id));
      const looseHere = new Set(
        (await tx.quizAnswer.findMany({ where: { userId, attemptId: null }, select: { itemId: true, createdAt: true } })).map((a) => `${a.itemId}@${a.createdAt.getTime()}`),
      );
      const answers = file.quizAnswers.filter((a) => (a.attemptId === null ? !looseHere.has(`${a.itemId}@${a.createdAt.getTime()}`) : freshIds.has(a.attemptId)));
      if (answers.length) await tx.quizAnswer.createMany({ data: answers.map((a) => ({ userId, ...a, answer: JSON.stringify(a.answer ?? null) })) });

      // Exercise attempts by client id; a draft replaces the one here only when it is newer.
      const attemptsHere = new Set((await tx.exerciseAttempt.findMany({ where: { userId }, select: { clientId: true } })).map((a) => a.clientId));
      const newAttempts = file.exerciseAttempts.filter((a) => !attemptsHere.has(a.clientId));
      if (newAttempts.length) await tx.exerciseAttempt.createMany({ data: newAttempts.map((a) => ({ userId, ...a })) });
      const draftsHere = new Map((await tx.exerciseDraft.findMany({ where: { userId } })).map((d) => [d.itemId, d]));
      for (const d of file.exerciseDrafts) {
        const here = draftsHere.get(d.itemId);
        if (here && here.updatedAt.getTime() >= d.updatedAt.getTime()) continue;
        await tx.exerciseDraft.upsert({ where: { userId_itemId: { userId, itemId: d.itemId } }, create: { userId, ...d }, update: d });
      }
      summary.otherAdded = freshAttempts.length + answers.length + newAttempts.length;
      return summary;
    },
    { timeout: 180_000, maxWait: 10_000 },
  );
}
