import { getDb } from "~/db/client.server";

/** Remember that the learner opened a lesson: its new cards may now enter their queue. */
export async function recordLessonVisit(userId: string, topicId: string, now = new Date()) {
  await getDb().lessonVisit.upsert({
    where: { userId_topicId: { userId, topicId } },
    create: { userId, topicId, firstOpened: now },
    update: {},
  });
}
