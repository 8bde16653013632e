/**
 * Mastery, pure: how well a learner knows each topic, from their FSRS item
 * states, their latest lesson-quiz score and their exercise passes. Time is a
 * parameter; nothing reads the clock. The final definitions are in
 * docs/decisions/007-mastery.md and, in plain words, on /help/mastery.
 *
 * "Items" are every FSRS item of a topic that is not retired: its flashcards,
 * its quiz questions and its exercises.
 *
 * Two numbers are kept apart (ADR 007, as revised by ADR 017-b):
 *  - coverage: how many of the topic's items the learner has seen (reviewed at
 *    least once), "seen N of M";
 *  - memory: the mean, over the SEEN items only, of the FSRS probability of
 *    recalling the item now (the forgetting curve of ts-fsrs, with whole elapsed
 *    days as ts-fsrs's own `get_retrievability` uses). Null when nothing is seen.
 * The overall figure ("expected recall" of the topic) is their product: the
 * mean over all items with an unseen item counting 0, i.e. coverage x memory.
 *
 * Levels (each includes the conditions of the one before it):
 *  - Not started: nothing seen (no item reviewed, no lesson quiz finished, no exercise passed);
 *  - Learning: something seen;
 *  - Familiar: at least half the items seen and memory >= 60%;
 *  - Proficient: every item seen, memory >= 80%, latest lesson-quiz
 *    score >= 80% (when the topic has a quiz) and every exercise passed once;
 *  - Mastered: Proficient and every item has an FSRS stability of at least 21 days.
 * Every "what is missing" line names something the learner can do today, or
 * says when they next can (the day the topic's next review comes due).
 */
import { computeDecayFactor } from "ts-fsrs";
import { State, type MemoryState } from "./scheduler";

export const DAY_MS = 86_400_000;

export const LEVELS = ["Not started", "Learning", "Familiar", "Proficient", "Mastered"] as const;
export type Level = (typeof LEVELS)[number];

export const FAMILIAR_SEEN_SHARE = 0.5;
export const FAMILIAR_RECALL = 0.6;
export const PROFICIENT_RECALL = 0.8;
export const PROFICIENT_QUIZ_PERCENT = 80;
export const MASTERED_STABILITY_DAYS = 21;
/** The forecast looks for the day expected recall falls below this, up to FORECAST_HORIZON_DAYS ahead. */
export const FORECAST_THRESHOLD = 0.8;
export const FORECAST_HORIZON_DAYS = 365;

/** The part of an item's memory state that recall depends on. */
export type RecallState = Pick<MemoryState, "state" | "stability" | "lastReview" | "due">;

/** The FSRS forgetting curve R(t, S) with the learner's weights: ts-fsrs `fsrs(...).forgetting_curve`. */
export type ForgettingCurve = (elapsedDays: number, stability: number) => number;

export interface MasteryItem {
  id: string;
  kind: "card" | "quiz" | "exercise" | (string & {});
  tags: readonly string[];
  /** The learner's state for the item; null (or state New) when never reviewed. */
  state: RecallState | null;
  /** Retired items (gone from the course) are ignored. */
  retired?: boolean;
}

export interface TopicInput {
  topicId: string;
  items: readonly MasteryItem[];
  /** Latest finished lesson-quiz score in percent, or null when the quiz was never finished. */
  quizLatest: number | null;
  /** Ids of the exercise items the learner passed at least once. */
  passedExercises: ReadonlySet<string>;
  /** Whether the learner chose to study the lesson (its flashcards are then in the review; ADR 021). */
  enrolled?: boolean;
}

export interface Forecast {
  /** Expected recall in 7 and 30 days if the learner does nothing. */
  in7Days: number;
  in30Days: number;
  /**
   * When expected recall first falls below 80% with no more reviews:
   * "below" = it is below already; "on" = on `date` (`days` after now);
   * "beyond" = not within FORECAST_HORIZON_DAYS.
   */
  below: { status: "below" } | { status: "on"; days: number; date: Date } | { status: "beyond" };
}

export interface TagMastery {
  tag: string;
  items: number;
  seen: number;
  /** Coverage x memory, as for a topic. */
  expectedRecall: number;
  /** Mean recall of the tag's seen items; null when none is seen. */
  memory: number | null;
}

export interface TopicMastery {
  topicId: string;
  level: Level;
  levelIndex: number; // 0 Not started .. 4 Mastered
  items: number;
  seen: number;
  kinds: Record<"card" | "quiz" | "exercise", { items: number; seen: number }>;
  /** Coverage x memory: the mean recall over all items, unseen ones counting 0. */
  expectedRecall: number;
  /** Mean recall of the seen items now; null when nothing is seen. */
  memory: number | null;
  /** Seen items due by the end of the learner's day (`dayEnd`), and the first due after it. */
  dueToday: number;
  nextDue: Date | null;
  /** Of the memory (seen items only); null when not asked for (the dashboard does not show it). */
  forecast: Forecast | null;
  quiz: { required: boolean; latest: number | null };
  exercises: { items: number; passed: number };
  /** Items (of all) whose stability is at least 21 days. */
  stable: number;
  /** Concept tags, weakest first (lowest expected recall, then most items). */
  tags: TagMastery[];
  /** What is still missing for the next level, in plain words (empty at Mastered). */
  missing: string[];
}

/**
 * The FSRS-6 forgetting curve R(t, S) = (1 + factor * t / S)^decay for the
 * given weights, with decay and factor worked out once (ts-fsrs's
 * `forgetting_curve` recomputes them on every call; this is the same formula
 * without its rounding to 8 decimals).
 */
export function fsrsForgettingCurve(weights: readonly number[]): ForgettingCurve {
  const { decay, factor } = computeDecayFactor(weights);
  return (elapsedDays, stability) => Math.pow(1 + (factor * elapsedDays) / stability, decay);
}

/** Probability of recalling an item at `at`: 0 if never reviewed. Mirrors ts-fsrs get_retrievability. */
export function recallAt(state: RecallState | null, at: Date, curve: ForgettingCurve): number {
  if (!state || state.state === State.New) return 0;
  const last = state.lastReview ? state.lastReview.getTime() : at.getTime();
  const elapsed = Math.max(0, Math.floor((at.getTime() - last) / DAY_MS));
  return curve(elapsed, state.stability);
}

function seen(item: MasteryItem) {
  return item.state !== null && item.state.state !== State.New;
}

function meanRecall(items: readonly MasteryItem[], at: Date, curve: ForgettingCurve): number {
  if (items.length === 0) return 0;
  let sum = 0;
  for (const it of items) sum += recallAt(it.state, at, curve);
  return sum / items.length;
}

/** Expected recall of `items` in `days` days with no further reviews. */
export function expectedRecallIn(items: readonly MasteryItem[], now: Date, days: number, curve: ForgettingCurve): number {
  return meanRecall(items, new Date(now.getTime() + days * DAY_MS), curve);
}

/**
 * The forecast for a set of items. Expected recall never rises without a
 * review, so the first day below the threshold is found by bracketing it
 * between days already computed (0, 7, 30, 365) and narrowing the bracket,
 * alternating an interpolation step and a halving step. `recallNow` may pass
 * the expected recall at `now` when the caller has it already.
 */
export function forecast(items: readonly MasteryItem[], now: Date, curve: ForgettingCurve, recallNow?: number): Forecast {
  // The same sum as expectedRecallIn, over plain arrays. A whole number of days
  // later, an item's elapsed whole days are simply `days` more.
  const seenItems = items.filter(seen);
  const elapsed = seenItems.map((it) => Math.max(0, Math.floor((now.getTime() - (it.state!.lastReview ?? now).getTime()) / DAY_MS)));
  const stability = seenItems.map((it) => it.state!.stability);
  const at = (days: number) => {
    if (items.length === 0) return 0;
    let sum = 0;
    for (let i = 0; i < elapsed.length; i++) sum += curve(elapsed[i]! + days, stability[i]!);
    return sum / items.length;
  };
  const in7Days = at(7);
  const in30Days = at(30);
  const T = FORECAST_THRESHOLD;
  const r0 = recallNow ?? at(0);
  let below: Forecast["below"];
  if (r0 < T) below = { status: "below" };
  else {
    const rEnd = in30Days < T ? null : at(FORECAST_HORIZON_DAYS);
    if (rEnd !== null && rEnd >= T) below = { status: "beyond" };
    else {
      // at(lo) >= T > at(hi)
      let [lo, flo, hi, fhi] =
        in7Days < T ? [0, r0, 7, in7Days] : in30Days < T ? [7, in7Days, 30, in30Days] : [30, in30Days, FORECAST_HORIZON_DAYS, rEnd!];
      for (let step = 0; hi - lo > 1; step++) {
        const interpolated = lo + Math.round(((flo - T) * (hi - lo)) / (flo - fhi));
        const mid = step % 2 === 0 ? Math.min(hi - 1, Math.max(lo + 1, interpolated)) : (lo + hi) >> 1;
        const f = at(mid);
        if (f < T) [hi, fhi] = [mid, f];
        else [lo, flo] = [mid, f];
      }
      below = { status: "on", days: hi, date: new Date(now.getTime() + hi * DAY_MS) };
    }
  }
  return { in7Days, in30Days, below };
}

/** Rounded down, like the pages: 79.7% must not read as the 80% a level needs. */
function pct(x: number) {
  return `${Math.floor(x * 100 + 1e-9)}%`;
}

/** Mastery of one topic. */
export interface MasteryOptions {
  forecast?: boolean;
  /** The end of the learner's day: what is due before it can be done today. Default `now`. */
  dayEnd?: Date;
  /** A date as the learner reads it ("Tue 3 Mar"); default the UTC calendar date. */
  formatDay?: (d: Date) => string;
}

export function topicMastery(input: TopicInput, now: Date, curve: ForgettingCurve, options: MasteryOptions = {}): TopicMastery {
  const items = input.items.filter((i) => !i.retired);
  const kinds = { card: { items: 0, seen: 0 }, quiz: { items: 0, seen: 0 }, exercise: { items: 0, seen: 0 } };
  const tagAcc = new Map<string, { items: number; seen: number; recall: number }>();
  let seenCount = 0;
  let recallSum = 0;
  let stable = 0;
  let exercisesPassed = 0;
  let dueToday = 0;
  let nextDue: number | null = null;
  const dayEnd = (options.dayEnd ?? now).getTime();
  const unseenByKind = { card: 0, quiz: 0, exercise: 0 };
  for (const it of items) {
    const r = recallAt(it.state, now, curve);
    const s = seen(it);
    recallSum += r;
    if (s) {
      seenCount++;
      const due = it.state!.due.getTime();
      if (due <= dayEnd) dueToday++;
      else if (nextDue === null || due < nextDue) nextDue = due;
    } else if (it.kind === "card" || it.kind === "quiz" || it.kind === "exercise") unseenByKind[it.kind as "card" | "quiz" | "exercise"]++;
    if (s && it.state!.stability >= MASTERED_STABILITY_DAYS) stable++;
    const k = it.kind === "card" ? kinds.card : it.kind === "quiz" ? kinds.quiz : it.kind === "exercise" ? kinds.exercise : null;
    if (k) {
      k.items++;
      if (s) k.seen++;
    }
    if (it.kind === "exercise" && input.passedExercises.has(it.id)) exercisesPassed++;
    for (let i = 0; i < it.tags.length; i++) {
      const tag = it.tags[i]!;
      if (it.tags.indexOf(tag) !== i) continue; // a tag listed twice counts once
      let t = tagAcc.get(tag);
      if (!t) tagAcc.set(tag, (t = { items: 0, seen: 0, recall: 0 }));
      t.items++;
      if (s) t.seen++;
      t.recall += r;
    }
  }
  const total = items.length;
  const expectedRecall = total ? recallSum / total : 0;
  const memory = seenCount ? recallSum / seenCount : null;
  const mem = memory ?? 0;
  const quizRequired = kinds.quiz.items > 0;
  const quizOk = !quizRequired || (input.quizLatest !== null && input.quizLatest >= PROFICIENT_QUIZ_PERCENT);
  const exercisesOk = exercisesPassed >= kinds.exercise.items;

  const started = seenCount > 0 || input.quizLatest !== null || exercisesPassed > 0;
  const familiar = total > 0 && seenCount >= FAMILIAR_SEEN_SHARE * total && mem >= FAMILIAR_RECALL;
  const proficient = total > 0 && seenCount === total && mem >= PROFICIENT_RECALL && quizOk && exercisesOk;
  const mastered = proficient && stable === total;
  const levelIndex = mastered ? 4 : proficient ? 3 : familiar ? 2 : started ? 1 : 0;

  const day = options.formatDay ?? ((d: Date) => d.toISOString().slice(0, 10));
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  /** How to see the unseen items, by kind: each is something to do today. */
  const howToSee = (): string[] => {
    const ways: string[] = [];
    if (unseenByKind.card) ways.push(`learn ${plural(unseenByKind.card, "new flashcard")} in the review (new ones join it each day, up to your daily limit)`);
    if (unseenByKind.quiz) ways.push(`answer ${plural(unseenByKind.quiz, "question")} in the lesson quiz`);
    if (unseenByKind.exercise) ways.push(`do ${plural(unseenByKind.exercise, "exercise")}`);
    return ways;
  };
  /** Memory only rises by answering reviews when they come due: today, or on the day named. */
  const raiseMemory = (target: number) => {
    const now_ = `Recall of what you have seen is ${pct(mem)}; the next level needs ${pct(target)}.`;
    if (dueToday > 0) return `${now_} Answer the ${plural(dueToday, "item")} of this lesson due today.`;
    if (nextDue !== null) return `${now_} Nothing of this lesson is due today: its next review comes on ${day(new Date(nextDue))}.`;
    return `${now_} It rises as you answer its reviews when they come due.`;
  };
  const missing: string[] = [];
  const unseen = total - seenCount;
  if (levelIndex === 0)
    missing.push(
      input.enrolled
        ? "Learn its first flashcards in the review (they are in today's queue, up to your daily limit) or take the lesson quiz."
        : "Choose \"Study these flashcards\" at the end of the lesson, then learn them in the review; or take the lesson quiz.",
    );
  else if (levelIndex === 1) {
    const needSeen = Math.max(0, Math.ceil(FAMILIAR_SEEN_SHARE * total) - seenCount);
    if (needSeen > 0) missing.push(`See ${plural(needSeen, "more item")} (half of ${total}): ${howToSee().join("; or ")}.`);
    if (mem < FAMILIAR_RECALL) missing.push(raiseMemory(FAMILIAR_RECALL));
  } else if (levelIndex === 2) {
    if (unseen > 0) missing.push(`See the last ${plural(unseen, "item")}: ${howToSee().join("; ")}.`);
    if (mem < PROFICIENT_RECALL) missing.push(raiseMemory(PROFICIENT_RECALL));
    if (!quizOk)
      missing.push(
        input.quizLatest === null
          ? `Take the lesson quiz and score at least ${PROFICIENT_QUIZ_PERCENT}%.`
          : `Score at least ${PROFICIENT_QUIZ_PERCENT}% on the lesson quiz (latest: ${input.quizLatest}%); you can retake it today.`,
      );
    if (!exercisesOk) {
      const left = kinds.exercise.items - exercisesPassed;
      missing.push(`Pass ${plural(left, "more exercise")}.`);
    }
  } else if (levelIndex === 3) {
    const left = total - stable;
    const when =
      dueToday > 0
        ? ` Answer the ${plural(dueToday, "item")} due today.`
        : nextDue !== null
          ? ` Stability grows only with spaced reviews: the next one comes on ${day(new Date(nextDue))}.`
          : "";
    missing.push(`Keep reviewing until ${left} more item${left === 1 ? " is" : "s are"} stable for ${MASTERED_STABILITY_DAYS} days or more.${when}`);
  }

  const tags = [...tagAcc.entries()]
    .map(([tag, t]) => ({ tag, items: t.items, seen: t.seen, expectedRecall: t.items ? t.recall / t.items : 0, memory: t.seen ? t.recall / t.seen : null }))
    .sort((a, b) => a.expectedRecall - b.expectedRecall || b.items - a.items || a.tag.localeCompare(b.tag));

  return {
    topicId: input.topicId,
    level: LEVELS[levelIndex]!,
    levelIndex,
    items: total,
    seen: seenCount,
    kinds,
    expectedRecall,
    memory,
    dueToday,
    nextDue: nextDue === null ? null : new Date(nextDue),
    forecast: options.forecast === false ? null : forecast(items.filter(seen), now, curve, memory ?? 0),
    quiz: { required: quizRequired, latest: input.quizLatest },
    exercises: { items: kinds.exercise.items, passed: exercisesPassed },
    stable,
    tags,
    missing,
  };
}

/** The weakest concept of a topic: the lowest memory (recall of what was seen) among tags with something seen. */
export function weakestTag(m: Pick<TopicMastery, "tags">): TagMastery | null {
  let weakest: TagMastery | null = null;
  for (const t of m.tags) if (t.memory !== null && (weakest === null || t.memory < weakest.memory!)) weakest = t;
  return weakest;
}

export interface AtRiskItem {
  id: string;
  recall: number;
  /** Recall at the end of the look-ahead (`horizonDays` from now). */
  recallSoon: number;
  due: Date;
}

/** The look-ahead of "at risk": now or in the next few days. */
export const AT_RISK_HORIZON_DAYS = 3;

/**
 * The seen items that are below the learner's desired retention now or will be
 * within `horizonDays` without a review, lowest recall now first. An item at
 * recall 100% that stays above the target is not at risk, however few there are.
 */
export function itemsAtRisk(
  items: readonly MasteryItem[],
  now: Date,
  curve: ForgettingCurve,
  limit = 10,
  { threshold, horizonDays = AT_RISK_HORIZON_DAYS }: { threshold: number; horizonDays?: number } = { threshold: 0.9 },
): AtRiskItem[] {
  const before = (a: AtRiskItem, b: AtRiskItem) => a.recall - b.recall || a.due.getTime() - b.due.getTime() || a.id.localeCompare(b.id);
  const soon = new Date(now.getTime() + horizonDays * DAY_MS);
  const top: AtRiskItem[] = []; // the `limit` lowest so far, sorted
  for (const it of items) {
    if (it.retired || !seen(it)) continue;
    const recallSoon = recallAt(it.state, soon, curve);
    if (!(recallSoon < threshold)) continue;
    const r = recallAt(it.state, now, curve);
    if (top.length === limit && r > top[top.length - 1]!.recall) continue;
    const candidate = { id: it.id, recall: r, recallSoon, due: it.state!.due };
    let i = top.length;
    while (i > 0 && before(candidate, top[i - 1]!) < 0) i--;
    if (i < limit) {
      top.splice(i, 0, candidate);
      if (top.length > limit) top.pop();
    }
  }
  return top;
}
