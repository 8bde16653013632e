/**
 * /progress and /progress/:topic: mastery per topic with its forecast, the
 * weakest concept tags and the items most at risk. Dates are turned into the
 * learner's learning-day keys here, so pages never need the time zone.
 */
import { getCourse } from "~/content/course.server";
import { dayKey } from "~/domain/day";
import { weakestTag, type Level, type TagMastery, type TopicMastery } from "~/domain/mastery";
import { courseMastery, loadMasteryInputs, riskyItems, type MasteryInputs, type RiskyItem } from "./mastery.server";

export interface ForecastView {
  in7Days: number;
  in30Days: number;
  below: { status: "below" } | { status: "on"; days: number; key: string } | { status: "beyond" };
}

export interface TopicView {
  slug: string;
  title: string;
  position: number;
  level: Level;
  levelIndex: number;
  items: number;
  seen: number;
  kinds: TopicMastery["kinds"];
  expectedRecall: number;
  memory: number | null;
  dueToday: number;
  forecast: ForecastView;
  quiz: TopicMastery["quiz"];
  exercises: TopicMastery["exercises"];
  stable: number;
  weakest: TagMastery | null;
  missing: string[];
}

export interface RiskyView extends Omit<RiskyItem, "due"> {
  dueKey: string;
}

function keyOf(inputs: MasteryInputs, d: Date) {
  return dayKey(d, inputs.settings.timeZone, inputs.settings.dayStartHour);
}

function topicView(inputs: MasteryInputs, t: { slug: string; title: string; position: number; mastery: TopicMastery }): TopicView {
  const m = t.mastery;
  const f = m.forecast!; // always computed here
  const below = f.below;
  return {
    slug: t.slug,
    title: t.title,
    position: t.position,
    level: m.level,
    levelIndex: m.levelIndex,
    items: m.items,
    seen: m.seen,
    kinds: m.kinds,
    expectedRecall: m.expectedRecall,
    memory: m.memory,
    dueToday: m.dueToday,
    forecast: {
      in7Days: f.in7Days,
      in30Days: f.in30Days,
      below: below.status === "on" ? { status: "on", days: below.days, key: keyOf(inputs, below.date) } : below,
    },
    quiz: m.quiz,
    exercises: m.exercises,
    stable: m.stable,
    weakest: weakestTag(m),
    missing: m.missing,
  };
}

function riskyView(inputs: MasteryInputs, items: RiskyItem[]): RiskyView[] {
  return items.map(({ due, ...rest }) => ({ ...rest, dueKey: keyOf(inputs, due) }));
}

export async function getProgress(userId: string, now: Date) {
  const inputs = await loadMasteryInputs(userId);
  const topics = courseMastery(inputs, now).map((t) => topicView(inputs, t));
  return {
    topics,
    atRisk: riskyView(inputs, riskyItems(inputs, now, null, 10)),
    desiredRetention: inputs.settings.desiredRetention,
  };
}

/** One topic in detail, or null for a topic the course does not have. */
export async function getTopicProgress(userId: string, slug: string, now: Date) {
  if (!getCourse().course.topics.some((t) => t.slug === slug)) return null;
  const inputs = await loadMasteryInputs(userId);
  const [t] = courseMastery(inputs, now, { only: slug });
  if (!t) return null;
  return {
    topic: topicView(inputs, t),
    tags: t.mastery.tags,
    atRisk: riskyView(inputs, riskyItems(inputs, now, slug, 10)),
  };
}
