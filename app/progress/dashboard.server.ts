import { getDb } from "~/db/client.server";
import { getCourse } from "~/content/course.server";

export interface DashboardData {
  dueNow: number;
  nextLesson: { slug: string; title: string } | null;
  lessonsOpened: number;
  lessonsTotal: number;
}

export async function getDashboard(userId: string, now: Date): Promise<DashboardData> {
  const db = getDb();
  const [dueNow, visits] = await Promise.all([
    db.itemState.count({ where: { userId, due: { lte: now }, item: { retiredAt: null } } }),
    db.lessonVisit.findMany({ where: { userId }, select: { topicId: true } }),
  ]);
  const opened = new Set(visits.map((v) => v.topicId));
  const topics = getCourse().course.topics;
  const next = topics.find((t) => !opened.has(t.slug)) ?? null;
  return {
    dueNow,
    nextLesson: next ? { slug: next.slug, title: next.title } : null,
    lessonsOpened: opened.size,
    lessonsTotal: topics.length,
  };
}
