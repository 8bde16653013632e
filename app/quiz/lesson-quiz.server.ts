/**
 * Lesson quizzes: an attempt walks the lesson's questions in order, one at a
 * time. Each answer is stored once per attempt; a question's first answer ever
 * also rates it for FSRS (wrong: Again, right: Good, right and fast on an easy
 * question: Easy), after which it comes back in the daily review.
 */
import crypto from "node:crypto";
import { getDb } from "~/db/client.server";
import type { TopicContent } from "~/content/load.server";
import { gradeAnswer, ratingForAnswer, type RawAnswer } from "~/domain/quiz-grading";
import { State } from "~/domain/scheduler";
import { recordReview } from "~/review/review.server";
import { questionSpec, resolveAnswer } from "./present.server";

export async function activeAttempt(userId: string, topicId: string) {
  return getDb().quizAttempt.findFirst({
    where: { userId, topicId, finishedAt: null },
    orderBy: { startedAt: "desc" },
    include: { answers: { orderBy: { id: "asc" } } },
  });
}

export async function getAttempt(userId: string, attemptId: string) {
  return getDb().quizAttempt.findFirst({ where: { id: attemptId, userId }, include: { answers: { orderBy: { id: "asc" } } } });
}

export async function startAttempt(userId: string, topic: TopicContent, now = new Date()) {
  const existing = await activeAttempt(userId, topic.slug);
  if (existing) return existing;
  return getDb().quizAttempt.create({
    data: { userId, topicId: topic.slug, seed: crypto.randomInt(0, 2 ** 31), total: topic.questions.length, startedAt: now },
    include: { answers: true },
  });
}

export type AnswerResult =
  | { ok: true; correct: boolean; finished: boolean; duplicate: boolean }
  | { ok: false; status: 400 | 404 | 409; error: string };

export async function answerQuestion(
  userId: string,
  topic: TopicContent,
  input: { attemptId: string; questionId: string; raw: RawAnswer; timeMs: number },
  now = new Date(),
): Promise<AnswerResult> {
  const db = getDb();
  const attempt = await getAttempt(userId, input.attemptId);
  if (!attempt || attempt.topicId !== topic.slug) return { ok: false, status: 404, error: "No such quiz attempt." };
  const question = topic.questions.find((q) => q.id === input.questionId);
  if (!question) return { ok: false, status: 404, error: "That question is not in this quiz." };
  const previous = attempt.answers.find((a) => a.itemId === question.id);
  if (previous) return { ok: true, correct: previous.correct, finished: attempt.finishedAt !== null, duplicate: true };
  if (attempt.finishedAt) return { ok: false, status: 409, error: "This attempt is already finished." };

  const graded = gradeAnswer(questionSpec(question), resolveAnswer(question, attempt.id, input.raw));
  if (!graded.ok) return { ok: false, status: 400, error: graded.error };
  const timeMs = Math.max(0, Math.min(input.timeMs, 3_600_000));

  const state = await db.itemState.findUnique({ where: { userId_itemId: { userId, itemId: question.id } }, select: { state: true, version: true } });
  try {
    await db.quizAnswer.create({
      data: { attemptId: attempt.id, userId, itemId: question.id, answer: JSON.stringify(graded.answer), correct: graded.correct, timeMs, context: "lesson", createdAt: now },
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return { ok: true, correct: graded.correct, finished: false, duplicate: true };
    throw e;
  }
  if (!state || state.state === State.New) {
    await recordReview(
      userId,
      {
        itemId: question.id,
        rating: ratingForAnswer(graded.correct, question.difficulty, timeMs),
        clientId: `quiz-${attempt.id}-${crypto.createHash("sha256").update(question.id).digest("hex").slice(0, 16)}`,
        version: state?.version ?? 0,
        durationMs: timeMs,
        source: "quiz",
      },
      now,
    );
  }
  const answered = attempt.answers.length + 1;
  let finished = false;
  if (answered >= attempt.total) {
    const correct = attempt.answers.filter((a) => a.correct).length + (graded.correct ? 1 : 0);
    const res = await db.quizAttempt.updateMany({ where: { id: attempt.id, finishedAt: null }, data: { finishedAt: now, correct } });
    finished = res.count === 1;
  }
  return { ok: true, correct: graded.correct, finished, duplicate: false };
}
