/**
 * The signed-in home page: what is due today, the next lesson, a mastery bar
 * per topic and the streak.
 */
import { getCourse } from "~/content/course.server";
import { dayWindow } from "~/domain/day";
import type { Level } from "~/domain/mastery";
import { buildQueue, type QueueState } from "~/domain/queue";
import type { MemoryState } from "~/domain/scheduler";
import { countsToday } from "~/review/review.server";
import { courseMastery, loadMasteryInputs, type MasteryInputs } from "./mastery.server";
import { learnerSettings, totalsPerDay } from "./queries.server";
import { getStreak } from "./stats.server";

export interface DashboardTopic {
  slug: string;
  title: string;
  level: Level;
  levelIndex: number;
  expectedRecall: number;
  memory: number | null;
  seen: number;
  items: number;
}

export interface DashboardData {
  due: { total: number; learning: number; review: number; new: number; nextDue: boolean };
  nextLesson: { slug: string; title: string; minutes: number | null } | null;
  /** When every lesson is open: the weakest topic below Proficient, to revisit. */
  revisit: { slug: string; title: string; level: Level } | null;
  /** Lessons whose flashcards the learner chose to study (ADR 021). */
  lessonsEnrolled: number;
  /** Lessons with something learnt (an item seen, the quiz finished or an exercise passed): the "Not started" of the progress pages, negated. */
  lessonsStarted: number;
  lessonsTotal: number;
  /** A first session's steps (read, learn its cards, take its quiz), until the learner has finished a quiz or started a second lesson. */
  firstSteps: { slug: string; title: string; minutes: number | null; enrolled: boolean; cardsSeen: number } | null;
  topics: DashboardTopic[];
  streak: { days: number; today: boolean };
  /** Ratings today (any source) against the learner's daily goal; done = nothing due now and something done today. */
  today: { ratings: number; goal: number; done: boolean };
}

const LEARN_AHEAD_MS = 20 * 60 * 1000; // as in domain/queue.ts

/**
 * Today's queue counts from the states mastery already loaded, through the
 * review's own pure buildQueue, so the number matches /review: learning items
 * due within the learn-ahead window, review items due by the end of the day
 * (up to the daily cap), and unseen flashcards of enrolled lessons (up to the
 * daily new-card limit).
 */
function dueToday(inputs: MasteryInputs, enrolled: Set<string>, now: Date, dayEnd: Date, done: { newDone: number; reviewsDone: number }) {
  const horizon = Math.max(dayEnd.getTime(), now.getTime() + LEARN_AHEAD_MS);
  const states: QueueState[] = [];
  const fresh: string[] = [];
  for (const [topicId, items] of inputs.itemsByTopic) {
    for (const it of items) {
      if (it.state && it.state.due.getTime() <= horizon) {
        // buildQueue reads only `state` and `due` of a memory state.
        states.push({ itemId: it.id, state: it.state as MemoryState, retrievability: 0 });
      } else if (!it.state && it.kind === "card" && enrolled.has(topicId)) fresh.push(it.id);
    }
  }
  const s = inputs.settings;
  const queue = buildQueue({
    now,
    dayEnd,
    states,
    newItemIds: fresh.slice(0, Math.max(0, s.newPerDay - done.newDone)),
    newDoneToday: done.newDone,
    reviewsDoneToday: done.reviewsDone,
    newPerDay: s.newPerDay,
    reviewCap: s.reviewCap,
    learnAheadMs: LEARN_AHEAD_MS,
  });
  return { total: queue.entries.length, ...queue.counts, nextDue: queue.nextDue !== null };
}

export async function getDashboard(userId: string, now: Date): Promise<DashboardData> {
  const settings = await learnerSettings(userId);
  const day = dayWindow(now, settings.timeZone, settings.dayStartHour);
  const [done, inputs, streak, [today]] = await Promise.all([
    countsToday(userId, day.start, day.end),
    loadMasteryInputs(userId, settings),
    getStreak(userId, now, settings),
    totalsPerDay(userId, [day]),
  ]);
  const ratingsToday = today?.reviews ?? 0;
  const enrolled = inputs.enrolled;
  const courseTopics = getCourse().course.topics;
  const mastery = courseMastery(inputs, now, { forecast: false });
  // The next lesson is the first one not started: a lesson only glanced at is not skipped.
  const next = mastery.find((t) => t.mastery.levelIndex === 0) ?? null;
  const topics = mastery.map((t) => ({
    slug: t.slug,
    title: t.title,
    level: t.mastery.level,
    levelIndex: t.mastery.levelIndex,
    expectedRecall: t.mastery.expectedRecall,
    memory: t.mastery.memory,
    seen: t.mastery.seen,
    items: t.mastery.items,
  }));
  const weakest = next
    ? null
    : [...topics].filter((t) => t.levelIndex < 3).sort((a, b) => a.levelIndex - b.levelIndex || a.expectedRecall - b.expectedRecall)[0] ?? null;
  const started = mastery.filter((t) => t.mastery.levelIndex > 0);
  const firstTopic = started[0] ?? next;
  const firstSteps =
    firstTopic && started.length <= 1 && Object.keys(inputs.quizLatest).length === 0
      ? {
          slug: firstTopic.slug,
          title: firstTopic.title,
          minutes: courseTopics.find((t) => t.slug === firstTopic.slug)?.minutes ?? null,
          enrolled: enrolled.has(firstTopic.slug),
          cardsSeen: firstTopic.mastery.kinds.card.seen,
        }
      : null;
  const due = dueToday(inputs, enrolled, now, day.end, done);
  const ratings = ratingsToday ?? 0;
  return {
    firstSteps,
    today: { ratings, goal: settings.dailyGoal, done: due.total === 0 && ratings > 0 },
    due,
    nextLesson: next ? { slug: next.slug, title: next.title, minutes: courseTopics.find((t) => t.slug === next.slug)?.minutes ?? null } : null,
    revisit: weakest ? { slug: weakest.slug, title: weakest.title, level: weakest.level } : null,
    lessonsEnrolled: courseTopics.filter((t) => enrolled.has(t.slug)).length,
    lessonsStarted: topics.filter((t) => t.levelIndex > 0).length,
    lessonsTotal: courseTopics.length,
    topics,
    streak: { days: streak.days, today: streak.today },
  };
}
