/**
 * For tests that call the review path in process (see in-process-db.ts): a
 * learner made straight in the database, with a live session and two lessons
 * studied, and a queue reduced to what two reads of it must agree on.
 */
import type { getDb } from "~/db/client.server";
import type { getQueue } from "~/review/review.server";

export async function inProcessLearner(db: ReturnType<typeof getDb>, name: string, lightDays = "") {
  const username = `${name}${Date.now().toString(36)}`;
  const user = await db.user.create({ data: { username, usernameKey: username.toLowerCase() } });
  await db.settings.create({ data: { userId: user.id, lightDays, newPerDay: 30 } });
  const session = await db.session.create({ data: { id: `s-${user.id}`, userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) } });
  for (const topicId of ["attention", "transformers"]) await db.lessonVisit.create({ data: { userId: user.id, topicId } });
  return { userId: user.id, sessionId: session.id };
}

/** A queue's entries with their versions, counts, next due date and states: equal for equal queues. */
export const queueShape = (q: Awaited<ReturnType<typeof getQueue>>) => ({
  entries: q.entries.map((e) => [e.itemId, q.versions.get(e.itemId) ?? 0]),
  counts: q.counts,
  nextDue: q.nextDue?.toISOString() ?? null,
  states: [...q.states].map(([k, s]) => [k, s.due.toISOString(), s.scheduledDays, s.state]).sort(),
});
