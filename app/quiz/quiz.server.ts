import { getDb } from "~/db/client.server";

export interface QuizScore {
  latest: number; // percent
  best: number;
  attempts: number;
}

/** Best and latest finished quiz score per lesson, for one learner. */
export async function quizScoresByTopic(userId: string): Promise<Record<string, QuizScore>> {
  const attempts = await getDb().quizAttempt.findMany({
    where: { userId, finishedAt: { not: null } },
    orderBy: { finishedAt: "asc" },
    select: { topicId: true, correct: true, total: true },
  });
  const out: Record<string, QuizScore> = {};
  for (const a of attempts) {
    const pct = a.total > 0 ? Math.round((100 * a.correct) / a.total) : 0;
    const prev = out[a.topicId];
    out[a.topicId] = { latest: pct, best: Math.max(prev?.best ?? 0, pct), attempts: (prev?.attempts ?? 0) + 1 };
  }
  return out;
}
