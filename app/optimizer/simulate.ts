/**
 * The workload simulator behind "Help me choose" (pure, seeded): the
 * learner's next year at each desired retention from 0.70 to 0.99, with FSRS-6
 * (ts-fsrs) and their weights, their daily limits and their own rating habits.
 *
 * A simulated day: the cards due are reviewed (at most the review cap, most
 * overdue first), each recalled with the probability their weights give, rated
 * as the learner rates; then up to the new-card limit is introduced. Days are
 * whole: a first sight counts one rating more per learning step and a lapse
 * one more per relearning step, the ratings those steps take that day. The same random draws serve every
 * retention (the same seed), so the curves differ by the retention alone.
 */
import { FSRSAlgorithm, generatorParameters } from "ts-fsrs";
import { draw, seededRandom } from "./random";

export interface RatingHabits {
  /** Again, Hard, Good, Easy on a first sight (sums to 1). */
  first: [number, number, number, number];
  /** Hard, Good, Easy when a review is recalled (sums to 1). */
  recalled: [number, number, number];
}

/** What a learner does when the log says little: Anki's simulator's defaults, roughly. */
export const DEFAULT_HABITS: RatingHabits = { first: [0.2, 0.1, 0.6, 0.1], recalled: [0.1, 0.8, 0.1] };

/**
 * Rating habits from counts in the log: `first[r-1]` first-sight ratings r,
 * `recalled[r-2]` ratings r of reviews that were recalled (r 2 to 4). Ten
 * pseudo-reviews of the defaults keep a short log from deciding alone.
 */
export function ratingHabits(first: readonly number[], recalled: readonly number[]): RatingHabits {
  const PRIOR = 10;
  const mix = (counts: readonly number[], prior: readonly number[]) => {
    const total = counts.reduce((a, b) => a + b, 0) + PRIOR;
    return prior.map((p, i) => ((counts[i] ?? 0) + PRIOR * p) / total);
  };
  return { first: mix(first, DEFAULT_HABITS.first) as RatingHabits["first"], recalled: mix(recalled, DEFAULT_HABITS.recalled) as RatingHabits["recalled"] };
}

export interface SimulatedCard {
  stability: number;
  difficulty: number;
  /** Days since its last review, today (0 or more). */
  elapsed: number;
  /** Days until it is due, from today (0 when due or overdue). */
  dueIn: number;
}

export interface SimulatorInput {
  weights: readonly number[];
  newPerDay: number;
  reviewCap: number;
  maximumInterval: number;
  /** Cards the learner has started. */
  cards: readonly SimulatedCard[];
  /** Cards not yet started that the course still holds. */
  newCards: number;
  habits: RatingHabits;
  seed: number;
  days?: number;
  retentions?: readonly number[];
  /** At most this many cards are simulated; more are sampled and the figures scaled. */
  maxCards?: number;
  /** Same-day ratings a first sight takes (the learning steps), and a lapse (the relearning steps). */
  learningSteps?: number;
  relearningSteps?: number;
}

export interface RetentionOutcome {
  retention: number;
  /** Reviews on each day (first sights included), scaled to the learner's cards. */
  reviewsPerDay: number[];
  averageReviewsPerDay: number;
  /** Cards the learner would remember at the year's end (sum of recall probabilities). */
  knowledgeAtEnd: number;
  /** Reviews per card remembered at the end: what the suggestion minimises. */
  costPerCard: number;
}

export interface SimulationResult {
  outcomes: RetentionOutcome[];
  /**
   * The highest retention (at most 0.95) at which each card remembered at the
   * year's end costs at most SUGGEST_SLACK times the reviews it costs at the
   * cheapest retention: more memory for a bounded price (ADR 026).
   */
  suggested: number;
  simulatedCards: number;
  scale: number;
}

/** 0.70 to 0.98 in steps of 0.02, and 0.99. */
export const SIMULATED_RETENTIONS: readonly number[] = [...Array.from({ length: 15 }, (_, i) => Math.round((0.7 + i * 0.02) * 100) / 100), 0.99];
/** Above this the workload climbs steeply; Anki's suggestion stops at it too. */
const SUGGEST_AT_MOST = 0.95;
export const SUGGEST_SLACK = 1.25;

export function simulate(input: SimulatorInput): SimulationResult {
  const days = input.days ?? 365;
  const retentions = input.retentions ?? SIMULATED_RETENTIONS;
  const maxCards = input.maxCards ?? 400;
  const newTotal = Math.min(input.newCards, input.newPerDay * days);
  const total = input.cards.length + newTotal;
  const scale = total > maxCards ? total / maxCards : 1;
  // Sample every scale-th card (deterministically), so the mix of old and new cards is kept.
  const pick = <T,>(list: readonly T[]) => (scale === 1 ? [...list] : list.filter((_, i) => Math.floor(i / scale) !== Math.floor((i - 1) / scale) || i === 0));
  const existing = pick(input.cards);
  const newCount = scale === 1 ? newTotal : Math.round(newTotal / scale);
  const newPerDay = input.newPerDay / scale;
  const reviewCap = input.reviewCap / scale;
  const learningSteps = input.learningSteps ?? 2;
  const relearningSteps = input.relearningSteps ?? 1;

  const outcomes = retentions.map((retention) => {
    const rand = seededRandom(input.seed);
    const fsrs = new FSRSAlgorithm(generatorParameters({ w: [...input.weights], request_retention: retention, maximum_interval: input.maximumInterval, enable_short_term: false, enable_fuzz: false }));
    const n = existing.length + newCount;
    const s = new Float64Array(n);
    const d = new Float64Array(n);
    const last = new Float64Array(n); // day of the last review (negative: before today)
    const due = new Float64Array(n);
    existing.forEach((c, i) => {
      s[i] = c.stability;
      d[i] = c.difficulty;
      last[i] = -c.elapsed;
      due[i] = c.dueIn;
    });
    let started = existing.length;
    let newBudget = 0;
    const reviewsPerDay: number[] = [];
    const dueToday: number[] = [];
    for (let day = 0; day < days; day++) {
      dueToday.length = 0;
      for (let i = 0; i < started; i++) if (due[i]! <= day) dueToday.push(i);
      dueToday.sort((a, b) => due[a]! - due[b]! || a - b);
      const count = Math.min(dueToday.length, Math.floor(reviewCap + 1e-9) || (reviewCap > 0 ? 1 : 0));
      let ratings = count;
      for (let k = 0; k < count; k++) {
        const i = dueToday[k]!;
        const elapsed = day - last[i]!;
        const recall = fsrs.forgetting_curve(elapsed, s[i]!);
        const rating = rand() < recall ? draw(input.habits.recalled, rand()) + 2 : 1;
        if (rating === 1) ratings += relearningSteps;
        const next = fsrs.next_state({ stability: s[i]!, difficulty: d[i]! }, elapsed, rating, recall);
        s[i] = next.stability;
        d[i] = next.difficulty;
        last[i] = day;
        due[i] = day + fsrs.next_interval(next.stability, elapsed);
      }
      newBudget += newPerDay;
      let introduced = 0;
      while (newBudget >= 1 - 1e-9 && started < n) {
        const rating = draw(input.habits.first, rand()) + 1;
        const next = fsrs.next_state(null, 0, rating);
        s[started] = next.stability;
        d[started] = next.difficulty;
        last[started] = day;
        due[started] = day + fsrs.next_interval(next.stability, 0);
        started++;
        introduced++;
        newBudget -= 1;
      }
      if (started >= n) newBudget = 0;
      reviewsPerDay.push((ratings + introduced * (1 + learningSteps)) * scale);
    }
    let knowledge = 0;
    for (let i = 0; i < started; i++) knowledge += fsrs.forgetting_curve(days - last[i]!, s[i]!);
    knowledge *= scale;
    const totalReviews = reviewsPerDay.reduce((a, b) => a + b, 0);
    return {
      retention,
      reviewsPerDay,
      averageReviewsPerDay: totalReviews / days,
      knowledgeAtEnd: knowledge,
      costPerCard: knowledge > 0 ? totalReviews / knowledge : Infinity,
    };
  });
  const candidates = outcomes.filter((o) => o.retention <= SUGGEST_AT_MOST + 1e-9);
  const pool = candidates.length ? candidates : outcomes;
  const cheapest = Math.min(...pool.map((o) => o.costPerCard));
  const affordable = pool.filter((o) => o.costPerCard <= cheapest * SUGGEST_SLACK);
  const suggested = affordable.reduce((a, b) => (b.retention > a.retention ? b : a), affordable[0] ?? pool[0]!).retention;
  return { outcomes, suggested, simulatedCards: existing.length + newCount, scale };
}
