/**
 * A synthetic learner for the optimizer's benchmark and tests (pure, seeded):
 * memory follows FSRS-6 with known weights, reviews come when ts-fsrs with
 * those weights schedules them (late or early by up to half the interval, as
 * people are), and each review is recalled with the probability the known
 * weights give. The optimizer should find weights that predict close to the
 * known ones, and clearly better than the defaults.
 */
import { default_w, FSRSAlgorithm, generatorParameters } from "ts-fsrs";
import type { LogEntry } from "./items";
import { draw, seededRandom } from "./random";

/** Weights unlike the defaults: faster first forgetting, slower growth, a steeper curve. */
export const SYNTHETIC_WEIGHTS: readonly number[] = default_w.map((w, i) => {
  if (i <= 3) return w * 0.35; // initial stabilities
  if (i === 8) return w * 0.75; // growth on recall
  if (i === 20) return 0.4; // forgetting curve decay
  return w;
});

export interface SyntheticOptions {
  items: number;
  reviewsPerItem: number;
  seed: number;
  weights?: readonly number[];
  start?: Date;
  /** Items started a day. */
  newPerDay?: number;
}

const DAY_MS = 86_400_000;
const FIRST_RATING = [0.2, 0.15, 0.55, 0.1]; // Again, Hard, Good, Easy on a first sight
const RECALLED_RATING = [0.15, 0.75, 0.1]; // Hard, Good, Easy when recalled

export function syntheticLog({ items, reviewsPerItem, seed, weights = SYNTHETIC_WEIGHTS, start = new Date("2025-01-01T12:00:00Z"), newPerDay = 50 }: SyntheticOptions): LogEntry[] {
  const rand = seededRandom(seed);
  const fsrs = new FSRSAlgorithm(generatorParameters({ w: [...weights], enable_short_term: false, request_retention: 0.9, maximum_interval: 36500 }));
  const log: LogEntry[] = [];
  for (let i = 0; i < items; i++) {
    const itemId = `synthetic-${i}`;
    let day = Math.floor(i / newPerDay);
    let rating = draw(FIRST_RATING, rand()) + 1;
    let memory = fsrs.next_state(null, 0, rating);
    log.push({ itemId, kind: "review", undone: false, rating, prevState: 0, reviewedAt: new Date(start.getTime() + day * DAY_MS) });
    for (let k = 1; k < reviewsPerItem; k++) {
      const interval = fsrs.next_interval(memory.stability, 0);
      const elapsed = Math.max(1, Math.round(interval * (0.5 + rand())));
      day += elapsed;
      const recall = fsrs.forgetting_curve(elapsed, memory.stability);
      rating = rand() < recall ? draw(RECALLED_RATING, rand()) + 2 : 1;
      memory = fsrs.next_state(memory, elapsed, rating, recall);
      log.push({ itemId, kind: "review", undone: false, rating, prevState: 2, reviewedAt: new Date(start.getTime() + day * DAY_MS) });
    }
  }
  return log;
}
