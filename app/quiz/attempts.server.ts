import { getDb } from "~/db/client.server";

/** A quiz question answered inside a daily review (not part of a lesson attempt). */
export async function recordReviewAnswer(userId: string, itemId: string, answer: unknown, correct: boolean, timeMs: number, now: Date) {
  await getDb().quizAnswer.create({
    data: { userId, itemId, answer: JSON.stringify(answer), correct, timeMs, context: "review", createdAt: now },
  });
}
