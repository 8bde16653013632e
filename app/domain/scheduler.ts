/**
 * All scheduling goes through here: a thin, pure wrapper around ts-fsrs
 * (FSRS-6). Time is always a parameter; nothing reads the clock.
 *
 * Our MemoryState is ts-fsrs's Card in camelCase, with `lastReview: null`
 * instead of undefined so it round-trips through the database and JSON.
 */
import {
  type AbstractScheduler,
  createEmptyCard,
  fsrs,
  generatorParameters,
  Rating,
  State,
  type Card,
  type FSRS,
  type Grade,
  type ReviewLog as FsrsLog,
  type StepUnit,
  StrategyMode,
} from "ts-fsrs";

import { fuzzRange, type FuzzRange } from "./load-balance";

export { Rating, State };
export type { Grade };

export const GRADES = [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy] as const;
export const RATING_LABEL: Record<Grade, string> = {
  [Rating.Again]: "Again",
  [Rating.Hard]: "Hard",
  [Rating.Good]: "Good",
  [Rating.Easy]: "Easy",
};

export interface MemoryState {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: State;
  lastReview: Date | null;
}

export interface SchedulerSettings {
  desiredRetention: number; // 0.70 to 0.99
  maximumInterval: number; // days
  learningSteps: string; // "1m 10m"
  relearningSteps: string; // "10m"
  weights?: readonly number[] | null; // the learner's optimised FSRS-6 weights
  enableFuzz?: boolean; // default true
}

export const DEFAULT_SETTINGS: SchedulerSettings = {
  desiredRetention: 0.9,
  maximumInterval: 36500,
  learningSteps: "1m 10m",
  relearningSteps: "10m",
  weights: null,
  enableFuzz: true,
};

export function parseSteps(steps: string): StepUnit[] {
  const parts = steps.trim().split(/\s+/).filter(Boolean);
  for (const p of parts) if (!/^\d+(\.\d+)?[mhd]$/.test(p)) throw new Error(`invalid step "${p}"`);
  return parts as StepUnit[];
}

export function toCard(s: MemoryState): Card {
  return {
    due: s.due,
    stability: s.stability,
    difficulty: s.difficulty,
    elapsed_days: s.elapsedDays,
    scheduled_days: s.scheduledDays,
    learning_steps: s.learningSteps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state,
    last_review: s.lastReview ?? undefined,
  };
}

export function fromCard(c: Card): MemoryState {
  return {
    due: c.due,
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    lastReview: c.last_review ?? null,
  };
}

export function newMemoryState(now: Date): MemoryState {
  return fromCard(createEmptyCard(now));
}

/** The ts-fsrs ReviewLog a rollback needs, rebuilt from the state before a review. */
export function logFromStateBefore(before: MemoryState, rating: Grade, reviewedAt: Date): FsrsLog {
  return {
    rating,
    state: before.state,
    due: before.lastReview ?? before.due, // as ts-fsrs logs it: the last review, or the due date of a new card
    stability: before.stability,
    difficulty: before.difficulty,
    elapsed_days: before.elapsedDays,
    last_elapsed_days: before.elapsedDays,
    scheduled_days: before.scheduledDays,
    learning_steps: before.learningSteps,
    review: reviewedAt,
  };
}

/**
 * Fuzz (the few days' spread ts-fsrs adds to review intervals so that cards
 * learnt together do not stay together) is seeded, as Anki seeds it, by the
 * card and its number of reviews: `key` names the learner's item. The seed
 * leaves the clock out, so the interval a button shows is the one its rating
 * gives, and it does not change when the page is reloaded a minute later.
 * Without a key, ts-fsrs's own time-based seed is used.
 */
const FUZZ_KEY = "fuzz_key";

/** The fuzz key of one learner's item: the same item spreads differently for different learners. */
export function fuzzKey(userId: string, itemId: string): string {
  return `${userId}:${itemId}`;
}

/** The seed fuzz draws from: the item's key and its review count, the review being scheduled included (ts-fsrs counts it first). */
export function fuzzSeed(key: string, reps: number): string {
  return `${key}:${reps}`;
}

export interface Scheduler {
  next(state: MemoryState, now: Date, rating: Grade, key?: string): MemoryState;
  /** What each rating would schedule, for the buttons ("10m", "1d", "3d", "8d"). */
  preview(state: MemoryState, now: Date, key?: string): Record<Grade, { due: Date; label: string }>;
  /**
   * The state before `rating` was applied at `reviewedAt`: ts-fsrs's rollback,
   * completed with the two fields its log cannot carry (the previous due date
   * and elapsed days), which we keep in our own log.
   */
  rollback(after: MemoryState, before: MemoryState, rating: Grade, reviewedAt: Date): MemoryState;
  /** Probability of recall at `now` (0 for a never-reviewed item). */
  retrievability(state: MemoryState, now: Date): number;
  /**
   * The days fuzz could pick from for this rating (ts-fsrs's get_fuzz_range
   * around the unfuzzed interval), or null when the result is not a fuzzed
   * review interval. Load balancing chooses within it (domain/load-balance.ts).
   */
  fuzzRange(state: MemoryState, now: Date, rating: Grade): FuzzRange | null;
  engine: FSRS;
}

/** ts-fsrs's parameters for a learner's settings, with or without fuzz. */
export function fsrsParameters(settings: SchedulerSettings, enableFuzz: boolean) {
  return generatorParameters({
    request_retention: settings.desiredRetention,
    maximum_interval: settings.maximumInterval,
    enable_fuzz: enableFuzz,
    enable_short_term: true,
    learning_steps: parseSteps(settings.learningSteps),
    relearning_steps: parseSteps(settings.relearningSteps),
    ...(settings.weights && settings.weights.length === 21 ? { w: [...settings.weights] } : {}),
  });
}

export function createScheduler(settings: SchedulerSettings): Scheduler {
  const params = (enableFuzz: boolean) => fsrsParameters(settings, enableFuzz);
  const fuzzed = settings.enableFuzz ?? true;
  const engine = fsrs(params(fuzzed));
  let unfuzzed: FSRS | null = null; // built on first use: the interval fuzz starts from
  engine.useStrategy(StrategyMode.SEED, function (this: AbstractScheduler) {
    // `current` and `review_time` are protected in ts-fsrs's types; a seed strategy is meant to read them.
    const { current, review_time } = this as unknown as { current: Card & { [FUZZ_KEY]?: string }; review_time: Date };
    const { reps, difficulty, stability } = current;
    return current[FUZZ_KEY] ? fuzzSeed(current[FUZZ_KEY], reps) : `${review_time.getTime()}_${reps}_${difficulty * stability}`;
  });
  const keyed = (state: MemoryState, key: string | undefined): Card => (key ? { ...toCard(state), [FUZZ_KEY]: key } as Card : toCard(state));
  return {
    engine,
    next: (state, now, rating, key) => fromCard(engine.next(keyed(state, key), now, rating).card),
    // One `repeat` computes all four outcomes (about 4 times faster than four `next` calls, same cards).
    preview(state, now, key) {
      const outcomes = engine.repeat(keyed(state, key), now);
      const out = {} as Record<Grade, { due: Date; label: string }>;
      for (const g of GRADES) {
        const due = outcomes[g].card.due;
        out[g] = { due, label: formatInterval(due.getTime() - now.getTime()) };
      }
      return out;
    },
    // ts-fsrs sets the restored due date to the review time (its log does not keep the old due date); we know it.
    rollback: (after, before, rating, reviewedAt) => ({
      ...fromCard(engine.rollback(toCard(after), logFromStateBefore(before, rating, reviewedAt))),
      due: before.due,
    }),
    retrievability: (state, now) => {
      if (state.state === State.New) return 0;
      if (!state.lastReview) return engine.get_retrievability(toCard(state), now, false);
      // ts-fsrs's get_retrievability without converting a whole card first (the queue asks this of every
      // due item on every review): whole days since the last review, the stability to 8 places.
      const days = Math.max(Math.floor((now.getTime() - state.lastReview.getTime()) / 86_400_000), 0);
      return engine.forgetting_curve(days, +state.stability.toFixed(8));
    },
    fuzzRange(state, now, rating) {
      if (!fuzzed) return null;
      unfuzzed ??= fsrs(params(false));
      const card = unfuzzed.next(toCard(state), now, rating).card;
      if (card.state !== State.Review) return null;
      return fuzzRange(card.scheduled_days, card.elapsed_days, settings.maximumInterval);
    },
  };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Anki-style interval labels: "<1m", "10m", "3h", "1d", "12d", "3.5mo", "1.2y". */
export function formatInterval(ms: number): string {
  if (ms < MINUTE_MS) return "<1m";
  if (ms < HOUR_MS) return `${Math.round(ms / MINUTE_MS)}m`;
  if (ms < DAY_MS) return `${Math.round(ms / HOUR_MS)}h`;
  const days = ms / DAY_MS;
  if (days < 30) return `${Math.round(days)}d`;
  if (days < 365) return `${trim(days / 30)}mo`;
  return `${trim(days / 365)}y`;
}

function trim(x: number): string {
  return x < 10 ? String(Math.round(x * 10) / 10) : String(Math.round(x));
}

/** Serialise for the ReviewLog's stateBefore/stateAfter columns. */
export function stateToJson(s: MemoryState) {
  return { ...s, due: s.due.toISOString(), lastReview: s.lastReview?.toISOString() ?? null };
}

export function stateFromJson(j: ReturnType<typeof stateToJson>): MemoryState {
  return { ...j, due: new Date(j.due), lastReview: j.lastReview ? new Date(j.lastReview) : null };
}
