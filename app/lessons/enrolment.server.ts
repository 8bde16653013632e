/**
 * Which lessons' new flashcards may enter a learner's review (ADR 021). A
 * lesson is enrolled when the learner chooses to study it: "Study these
 * flashcards" on the lesson page, starting its quiz, or running one of its
 * exercises. Opening the page is a glance and enrols nothing.
 *
 * The row is the LessonVisit table's (its name and `firstOpened` column predate
 * the rule; `firstOpened` is now the time of enrolment). Written through Prisma,
 * so SQLite's data_version tells the queue cache (ADR 011).
 */
import { getDb, type Db } from "~/db/client.server";

/** Enrols the learner in a lesson (idempotent: the first time is kept). */
export async function enrolInLesson(userId: string, topicId: string, now = new Date(), db: Db = getDb()) {
  await db.lessonVisit.upsert({
    where: { userId_topicId: { userId, topicId } },
    create: { userId, topicId, firstOpened: now },
    update: {},
  });
}

/** Whether the learner is enrolled in the lesson. */
export async function isEnrolled(userId: string, topicId: string): Promise<boolean> {
  const row = await getDb().lessonVisit.findUnique({ where: { userId_topicId: { userId, topicId } }, select: { topicId: true } });
  return row !== null;
}
