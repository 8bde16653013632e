/**
 * What a desired-retention setting means for the learner, computed with the
 * learner's own FSRS weights: the intervals a typical card gets and how many
 * reviews it costs in its first year. Pure; time is a parameter.
 *
 * The "typical card" is a flashcard rated Good at every showing: once new, once
 * at the end of its learning steps, then at each review on the day it is due.
 * Fuzz is off, so the figures are the scheduler's own intervals.
 */
import { createScheduler, newMemoryState, Rating, type SchedulerSettings } from "./scheduler";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionEffect {
  retention: number;
  /** Days until the card's first review after its learning steps. */
  firstInterval: number;
  /** Days until the review after that. */
  secondInterval: number;
  /** Ratings the card takes in the 365 days after it was new (learning steps included). */
  ratingsFirstYear: number;
}

export function retentionEffect(settings: Omit<SchedulerSettings, "desiredRetention">, retention: number, start: Date): RetentionEffect {
  const scheduler = createScheduler({ ...settings, desiredRetention: retention, enableFuzz: false });
  const end = start.getTime() + 365 * DAY_MS;
  let state = scheduler.next(newMemoryState(start), start, Rating.Good);
  let ratings = 1;
  const intervals: number[] = [];
  while (state.due.getTime() <= end && ratings < 1000) {
    const at = state.due;
    const wasLearning = intervals.length === 0 && state.scheduledDays === 0;
    state = scheduler.next(state, at, Rating.Good);
    ratings++;
    const days = (state.due.getTime() - at.getTime()) / DAY_MS;
    if (days >= 1 || !wasLearning) intervals.push(Math.round(days));
  }
  return { retention, firstInterval: intervals[0] ?? 0, secondInterval: intervals[1] ?? 0, ratingsFirstYear: ratings };
}

/** The effect of each retention from `min` to `max` in `step`s (rounded to the step, no float drift). */
export function retentionEffects(settings: Omit<SchedulerSettings, "desiredRetention">, range: { min: number; max: number; step: number }, start: Date): RetentionEffect[] {
  const out: RetentionEffect[] = [];
  const n = Math.round((range.max - range.min) / range.step);
  for (let i = 0; i <= n; i++) out.push(retentionEffect(settings, Math.round((range.min + i * range.step) * 100) / 100, start));
  return out;
}
