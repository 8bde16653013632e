/**
 * "I was right": the learner says a typed answer marked wrong was right. Only
 * their own last review may be overruled, only if it was a text question they
 * answered wrong in the last ten minutes and nothing happened to the item
 * since, and only once. The wrong rating is rolled back (marked undone, as an
 * undo does) and the item rated again as a right answer, in one transaction; the
 * new rating is a review row whose `undoesId` names the review it corrects, so
 * the log says what happened (docs/decisions/018-quiz-feedback-and-opaque-choices.md).
 */
import { getContentItem } from "~/content/course.server";
import { get, getSql, isUniqueViolation, run, toDate, type Row, type Statement, type StepResult } from "~/db/sql.server";
import { ratingForAnswer } from "~/domain/quiz-grading";
import { fuzzKey, stateFromJson, stateToJson, type MemoryState } from "~/domain/scheduler";
import { learnerSettings, queueCache, schedulerFor, STATE_COLUMNS, stateValues, type Settings } from "./review.server";
import type { Scheduler } from "~/domain/scheduler";

/** How long after a wrong answer "I was right" is offered. */
export const OVERRULE_WINDOW_MS = 10 * 60 * 1000;

export type OverruleResult =
  | { status: "rerated"; itemId: string; rating: number; state: MemoryState | null; version: number | null } // state null: only a quiz score changed
  | { status: "duplicate"; itemId: string }
  | { status: "refused"; reason: string };

type StoredState = ReturnType<typeof stateToJson> & { version: number };

export async function overruleLastAnswer(userId: string, itemId: string, clientId: string, now = new Date(), settings?: Settings): Promise<OverruleResult> {
  const sql = getSql();
  const already = await sql.get(get(`SELECT "itemId" FROM "ReviewLog" WHERE "userId" = ? AND "clientId" = ?`, userId, clientId));
  if (already) {
    if (String(already.itemId) !== itemId) return { status: "refused", reason: "That request id was already used for something else." };
    await sql.durable();
    return { status: "duplicate", itemId };
  }
  const item = getContentItem(itemId);
  if (!item || item.kind !== "quiz" || item.question.kind !== "text") return { status: "refused", reason: "Only a typed answer can be marked right by hand." };
  const question = item.question;
  const scheduler = schedulerFor(settings ?? (await learnerSettings(userId)), "answered"); // only quiz questions are overruled (ADR 017)
  const since = new Date(now.getTime() - OVERRULE_WINDOW_MS);
  try {
    return await sql.transaction(function* (): Generator<Statement, OverruleResult, StepResult> {
      // The learner's last rating of anything, from any source.
      const last = (yield get(
        `SELECT "id", "itemId", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter", "undoesId" FROM "ReviewLog" WHERE "userId" = ? AND "kind" = 'review' AND "undone" = ? ORDER BY "id" DESC LIMIT 1`,
        userId,
        false,
      )) as Row | undefined;
      if (!last || String(last.itemId) !== itemId) return { status: "refused", reason: "Only your last answer can be marked right, and this was not it." };
      if (last.undoesId !== null && last.undoesId !== undefined) return { status: "refused", reason: "That answer was already marked right." };
      if (String(last.source) !== "review" || Number(last.rating) !== 1) return { status: "refused", reason: "That answer was not marked wrong." };
      if (toDate(last.reviewedAt).getTime() < since.getTime()) return { status: "refused", reason: "That answer is too old to change now." };
      const answer = (yield get(
        `SELECT "correct" FROM "QuizAnswer" WHERE "userId" = ? AND "itemId" = ? AND "context" = 'review' AND "createdAt" >= ? ORDER BY "id" DESC LIMIT 1`,
        userId,
        itemId,
        since,
      )) as Row | undefined;
      if (!answer || answer.correct === true || Number(answer.correct) === 1) return { status: "refused", reason: "That answer was not marked wrong." };
      return yield* rerate(userId, itemId, last, question.difficulty, scheduler, clientId);
    });
  } catch (e) {
    queueCache.forget(userId);
    if (isUniqueViolation(e)) return { status: "duplicate", itemId };
    throw e;
  }
}

/** Thrown inside a transaction to roll back what it wrote. */
class Refused extends Error {}

/**
 * "I was right" on the lesson quiz's feedback page: the attempt's last answer,
 * a typed one marked wrong, under ten minutes old. It counts as right in the
 * attempt's score; if that answer was the item's first rating (and the learner
 * rated nothing since), the rating is corrected as in review.
 */
export async function overruleLessonAnswer(userId: string, attemptId: string, questionId: string, now = new Date(), settings?: Settings): Promise<OverruleResult> {
  const item = getContentItem(questionId);
  if (!item || item.kind !== "quiz" || item.question.kind !== "text") return { status: "refused", reason: "Only a typed answer can be marked right by hand." };
  const difficulty = item.question.difficulty;
  const scheduler = schedulerFor(settings ?? (await learnerSettings(userId)), "answered"); // only quiz questions are overruled (ADR 017)
  const since = new Date(now.getTime() - OVERRULE_WINDOW_MS);
  try {
    return await getSql().transaction(function* (): Generator<Statement, OverruleResult, StepResult> {
      const answer = (yield get(
        `SELECT a."id", a."correct", a."createdAt", t."finishedAt" FROM "QuizAnswer" a JOIN "QuizAttempt" t ON t."id" = a."attemptId" WHERE a."attemptId" = ? AND a."userId" = ? AND t."userId" = ? AND a."itemId" = ?`,
        attemptId,
        userId,
        userId,
        questionId,
      )) as Row | undefined;
      if (!answer) return { status: "refused", reason: "There is no such answer of yours." };
      if (answer.correct === true || Number(answer.correct) === 1) return { status: "refused", reason: "That answer already counts as right." };
      if (toDate(answer.createdAt).getTime() < since.getTime()) return { status: "refused", reason: "That answer is too old to change now." };
      const latest = (yield get(`SELECT max("id") AS "id" FROM "QuizAnswer" WHERE "attemptId" = ?`, attemptId)) as Row;
      if (Number(latest.id) !== Number(answer.id)) return { status: "refused", reason: "Only your last answer can be marked right, and this was not it." };
      // The replay guard: only one request turns this answer right.
      const flipped = (yield run(`UPDATE "QuizAnswer" SET "correct" = ? WHERE "id" = ? AND "correct" = ?`, true, answer.id, false)) as { changes: number };
      if (flipped.changes !== 1) return { status: "refused", reason: "That answer already counts as right." };
      if (answer.finishedAt !== null && answer.finishedAt !== undefined) yield run(`UPDATE "QuizAttempt" SET "correct" = "correct" + 1 WHERE "id" = ?`, attemptId);
      // Did this answer rate the item? Then it is the quiz's rating of it, and it must be the learner's last rating.
      const rating = (yield get(
        `SELECT "id", "itemId", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter" FROM "ReviewLog" WHERE "userId" = ? AND "itemId" = ? AND "kind" = 'review' AND "undone" = ? AND "source" = 'quiz' AND "clientId" LIKE ? ORDER BY "id" DESC LIMIT 1`,
        userId,
        questionId,
        false,
        `quiz-${attemptId}-%`,
      )) as Row | undefined;
      if (!rating || Number(rating.rating) !== 1) return { status: "rerated", itemId: questionId, rating: 0, state: null, version: null };
      const last = (yield get(`SELECT max("id") AS "id" FROM "ReviewLog" WHERE "userId" = ? AND "kind" = 'review' AND "undone" = ?`, userId, false)) as Row;
      if (Number(last.id) !== Number(rating.id)) throw new Refused("You rated other items since; this answer's schedule can no longer change.");
      const result = yield* rerate(userId, questionId, rating, difficulty, scheduler, `overrule-lesson-${Number(rating.id)}`);
      if (result.status !== "rerated") throw new Refused(result.status === "refused" ? result.reason : "Already marked right.");
      return result;
    });
  } catch (e) {
    queueCache.forget(userId);
    if (e instanceof Refused) return { status: "refused", reason: e.message };
    if (isUniqueViolation(e)) return { status: "refused", reason: "That answer already counts as right." };
    throw e;
  }
}

/**
 * The correction itself, inside the caller's transaction: `last` (a review row
 * rated Again) is marked undone and a review row rated as a right answer, at the
 * same time, takes its place, with `undoesId` pointing at it.
 */
function* rerate(
  userId: string,
  itemId: string,
  last: Row,
  difficulty: "easy" | "medium" | "hard",
  scheduler: Scheduler,
  clientId: string,
): Generator<Statement, OverruleResult, StepResult> {
  const before = JSON.parse(last.stateBefore as string) as StoredState;
  const after = JSON.parse(last.stateAfter as string) as StoredState;
  const row = (yield get(`SELECT ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ?`, userId, itemId)) as Row | undefined;
  if (!row || Number(row.version) !== after.version) return { status: "refused", reason: "That item changed since (another tab or device); nothing to change." };
  const reviewedAt = toDate(last.reviewedAt);
  const durationMs = Number(last.durationMs);
  const rating = ratingForAnswer(true, difficulty, durationMs);
  const rerated = scheduler.next(stateFromJson(before), reviewedAt, rating, fuzzKey(userId, itemId));
  const version = Number(row.version) + 1;
  // The version condition makes two corrections racing on PostgreSQL apply once: the second updates nothing.
  const res = (yield run(
    `UPDATE "ItemState" SET "due" = ?, "stability" = ?, "difficulty" = ?, "elapsedDays" = ?, "scheduledDays" = ?, "learningSteps" = ?, "reps" = ?, "lapses" = ?, "state" = ?, "lastReview" = ?, "version" = ? WHERE "userId" = ? AND "itemId" = ? AND "version" = ?`,
    ...stateValues(rerated),
    version,
    userId,
    itemId,
    Number(row.version),
  )) as { changes: number };
  if (res.changes !== 1) return { status: "refused", reason: "That item changed since (another tab or device); nothing to change." };
  yield run(`UPDATE "ReviewLog" SET "undone" = ? WHERE "id" = ?`, true, last.id);
  yield run(
    `INSERT INTO "ReviewLog" ("userId", "itemId", "clientId", "kind", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter", "undoesId", "undone") VALUES (?, ?, ?, 'review', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    userId,
    itemId,
    clientId,
    String(last.source),
    rating,
    Number(last.prevState),
    reviewedAt,
    durationMs,
    // It replaces the wrong rating: its state before is the one before that answer, so an undo goes back there.
    last.stateBefore as string,
    JSON.stringify({ ...stateToJson(rerated), version }),
    last.id,
    false,
  );
  queueCache.forget(userId);
  return { status: "rerated", itemId, rating, state: rerated, version };
}
