import crypto from "node:crypto";
import { getContentItem } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { feedbackFor, storedAnswer, type Feedback } from "./present.server";

/** Feedback on a question the learner just answered in review (only if they did, in the last 10 minutes). */
export async function latestReviewFeedback(userId: string, itemId: string, now: Date): Promise<(Feedback & { itemId: string; promptHtml: string; canOverrule: boolean; overruleClientId: string }) | null> {
  const item = getContentItem(itemId);
  if (!item || item.kind !== "quiz") return null;
  const answer = await getDb().quizAnswer.findFirst({
    where: { userId, itemId, createdAt: { gte: new Date(now.getTime() - 10 * 60 * 1000) } },
    orderBy: { id: "desc" },
  });
  if (!answer) return null;
  const { renderInline } = await import("~/content/course.server");
  return { ...feedbackFor(item.question, item.topic.slug, answer.correct, storedAnswer(answer.answer)), itemId, promptHtml: renderInline(item.question.prompt), canOverrule: !answer.correct && item.question.kind === "text", overruleClientId: `overrule-${crypto.randomUUID()}` };
}
