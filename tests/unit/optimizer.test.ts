import { describe, expect, it } from "vitest";
import { acceptedItem, itemsOfHistories, learningDayNumber, spacedReviewCount, trainingHistories, trainingItems, type LogEntry, type TrainingReview } from "~/optimizer/items";
import { fitDue, MIN_GAIN, MIN_REVIEWS, MIN_SPACED_REVIEWS, REFIT_AFTER_MS, REFIT_EVERY_REVIEWS, RETRY_AFTER_MS, RETRY_AFTER_REVIEWS, retryBlocked, shouldAdopt } from "~/optimizer/policy";
import { syntheticLog } from "~/optimizer/synthetic";
import { ratingHabits, simulate } from "~/optimizer/simulate";
import { default_w } from "ts-fsrs";

const at = (iso: string) => new Date(iso);
const review = (itemId: string, rating: number, reviewedAt: string, prevState = 2, extra: Partial<LogEntry> = {}): LogEntry => ({
  itemId,
  kind: "review",
  undone: false,
  rating,
  prevState,
  reviewedAt: at(reviewedAt),
  ...extra,
});

describe("training items from a review log", () => {
  // Berlin in winter is UTC+1; the learner's day starts at 04:00 local (03:00 UTC).
  const zone = { timeZone: "Europe/Berlin", dayStartHour: 4 };
  const log: LogEntry[] = [
    review("a", 3, "2026-01-10T18:00:00Z", 0), // flashcard, first sight (a Saturday evening)
    review("a", 1, "2026-01-11T02:30:00Z", 1), // 03:30 local: still Saturday's learning day
    review("a", 3, "2026-01-11T03:30:00Z", 1), // 04:30 local: Sunday
    review("a", 4, "2026-01-14T09:00:00Z", 2, { undone: true }), // rolled back by an undo
    { ...review("a", 0, "2026-01-14T09:00:05Z", 2), kind: "undo" }, // the undo row itself
    review("a", 3, "2026-01-15T09:00:00Z", 2),
    review("q", 2, "2026-01-10T19:00:00Z", 0), // a quiz question answered in the lesson
    review("q", 3, "2026-01-12T19:00:00Z", 2), // ...and in review
    review("x", 3, "2026-01-12T20:00:00Z", 2), // an exercise whose first review is not in the log: left out
    review("x", 3, "2026-01-20T20:00:00Z", 2),
    review("e", 4, "2026-01-13T10:00:00Z", 0), // an exercise passed, then reset to new and relearnt
    review("e", 3, "2026-01-20T10:00:00Z", 2),
    review("e", 1, "2026-01-21T10:00:00Z", 0),
    review("e", 3, "2026-01-23T10:00:00Z", 1),
  ];

  it("counts days by the learner's day boundary, leaves undone reviews and undo rows out, splits at a reset", () => {
    expect(trainingHistories(log, zone)).toEqual([
      [
        { rating: 3, deltaT: 0 },
        { rating: 1, deltaT: 0 }, // 03:30 local belongs to the evening before
        { rating: 3, deltaT: 1 }, // 04:30 local is the next day
        { rating: 3, deltaT: 4 }, // the undone review on the 14th does not count
      ],
      [
        { rating: 2, deltaT: 0 },
        { rating: 3, deltaT: 2 },
      ],
      [
        { rating: 4, deltaT: 0 },
        { rating: 3, deltaT: 7 },
      ],
      [
        { rating: 1, deltaT: 0 },
        { rating: 3, deltaT: 2 },
      ],
    ]);
  });

  it("is one item per spaced review (a later day than the review before), each with every review before it, same-day ones included", () => {
    const items = trainingItems(log, zone);
    // a: the same-day second look makes no item of its own, but stays in the history of the two after it.
    expect(items).toHaveLength(2 + 1 + 1 + 1);
    expect(items[0]).toEqual([{ rating: 3, deltaT: 0 }, { rating: 1, deltaT: 0 }, { rating: 3, deltaT: 1 }]);
    expect(items[1]).toHaveLength(4);
    expect(items.every(acceptedItem)).toBe(true);
  });

  it("the same instants in UTC with the day at midnight give other gaps", () => {
    const [a] = trainingHistories(log, { timeZone: "UTC", dayStartHour: 0 });
    expect(a!.map((r) => r.deltaT)).toEqual([0, 1, 0, 4]);
  });

  it("in UTC, counts days by arithmetic exactly as the time-zone lookup does", () => {
    for (let i = 0; i < 2000; i++) {
      const instant = new Date(Date.UTC(2020, 0, 1) + i * 3_917_000 - 60 * 365 * 86_400_000); // every ~65 minutes from 1960 (Abidjan is UTC since 1912)
      for (const dayStartHour of [0, 4, 23]) {
        expect(learningDayNumber(instant, { timeZone: "UTC", dayStartHour })).toBe(learningDayNumber(instant, { timeZone: "Africa/Abidjan", dayStartHour }));
      }
    }
  });

  it("ignores the log's order", () => {
    expect(trainingHistories([...log].reverse(), zone).map((h) => h.length).sort()).toEqual([2, 2, 2, 4]);
  });
});

const h = (...pairs: [number, number][]): TrainingReview[] => pairs.map(([rating, deltaT]) => ({ rating, deltaT }));

describe("only items fsrs-rs accepts (a refused one makes it panic, ADR 029)", () => {
  it("a history that never left its first day makes no item (fsrs-rs needs a review with delta_t > 0)", () => {
    const sameDay = h([1, 0], [3, 0], [3, 0], [4, 0]);
    expect(itemsOfHistories([sameDay])).toEqual([]);
    expect(spacedReviewCount([sameDay])).toBe(0);
  });

  it("a first sight alone makes no item; each item starts at delta_t 0 and ends on a spaced review", () => {
    expect(itemsOfHistories([h([3, 0])])).toEqual([]);
    const items = itemsOfHistories([h([1, 0], [3, 0], [3, 2], [2, 0], [3, 5])]);
    expect(items).toEqual([h([1, 0], [3, 0], [3, 2]), h([1, 0], [3, 0], [3, 2], [2, 0], [3, 5])]);
    expect(spacedReviewCount([h([1, 0], [3, 0], [3, 2], [2, 0], [3, 5])])).toBe(2);
  });

  it("the 420 same-day reviews that crashed the server make no item at all", () => {
    const log: LogEntry[] = [];
    for (let i = 0; i < 105; i++) for (let k = 0; k < 4; k++) log.push(review(`s${i}`, k === 0 ? 1 : 3, new Date(Date.UTC(2026, 0, 10, 12, 0, i * 30 + k)).toISOString(), k === 0 ? 0 : 1));
    expect(trainingItems(log, { timeZone: "UTC", dayStartHour: 4 })).toEqual([]);
  });

  it("acceptedItem refuses what fsrs-rs refuses", () => {
    expect(acceptedItem(h([3, 0], [3, 2]))).toBe(true);
    expect(acceptedItem(h([3, 0], [3, 0], [3, 2]))).toBe(true);
    expect(acceptedItem(h([3, 0]))).toBe(false); // one review
    expect(acceptedItem(h([3, 0], [3, 0]))).toBe(false); // no delta_t > 0: the panic
    expect(acceptedItem(h([3, 2], [3, 2]))).toBe(false); // the first review must be at 0
    expect(acceptedItem(h([0, 0], [3, 2]))).toBe(false); // rating 0 (fsrs-rs: InvalidInput)
    expect(acceptedItem(h([3, 0], [5, 2]))).toBe(false);
    expect(acceptedItem(h([3, 0], [3, -1]))).toBe(false);
    expect(acceptedItem(h([3, 0], [3, 1.5]))).toBe(false);
  });
});

describe("back-off after a failed or skipped fit", () => {
  const now = at("2026-03-01T12:00:00Z");
  const finishedAt = at("2026-03-01T10:00:00Z");
  it("waits for RETRY_AFTER_REVIEWS more reviews or RETRY_AFTER_MS, whichever comes first", () => {
    expect(retryBlocked({ reviews: 500, reviewsAtFit: 500, finishedAt, lastStatus: "failed" }, now)).toEqual({ reviewsLeft: RETRY_AFTER_REVIEWS, after: new Date(finishedAt.getTime() + RETRY_AFTER_MS) });
    expect(retryBlocked({ reviews: 500 + RETRY_AFTER_REVIEWS - 1, reviewsAtFit: 500, finishedAt, lastStatus: "skipped" }, now)?.reviewsLeft).toBe(1);
    expect(retryBlocked({ reviews: 500 + RETRY_AFTER_REVIEWS, reviewsAtFit: 500, finishedAt, lastStatus: "failed" }, now)).toBeNull();
    expect(retryBlocked({ reviews: 500, reviewsAtFit: 500, finishedAt, lastStatus: "failed" }, new Date(finishedAt.getTime() + RETRY_AFTER_MS))).toBeNull();
    expect(retryBlocked({ reviews: 500, reviewsAtFit: 500, finishedAt, lastStatus: "adopted" }, now)).toBeNull();
  });
  it("the background check does not ask again on the same data, and does once the back-off is over", () => {
    expect(fitDue({ reviews: 500, reviewsAtFit: 500, finishedAt, lastStatus: "failed" }, now)).toBe(false);
    expect(fitDue({ reviews: 549, reviewsAtFit: 500, finishedAt, lastStatus: "skipped" }, now)).toBe(false);
    expect(fitDue({ reviews: 550, reviewsAtFit: 500, finishedAt, lastStatus: "failed" }, now)).toBe(true);
    expect(fitDue({ reviews: 501, reviewsAtFit: 500, finishedAt, lastStatus: "failed" }, new Date(finishedAt.getTime() + RETRY_AFTER_MS))).toBe(true);
  });
  it("MIN_SPACED_REVIEWS is below what the first fit's review count can hold", () => {
    expect(MIN_SPACED_REVIEWS).toBeLessThan(MIN_REVIEWS);
  });
});

describe("when to fit", () => {
  const now = at("2026-03-01T12:00:00Z");
  it("needs MIN_REVIEWS for a first fit", () => {
    expect(fitDue({ reviews: MIN_REVIEWS - 1, reviewsAtFit: 0, finishedAt: null }, now)).toBe(false);
    expect(fitDue({ reviews: MIN_REVIEWS, reviewsAtFit: 0, finishedAt: null }, now)).toBe(true);
  });
  it("fits again after REFIT_EVERY_REVIEWS more, or a week with some new reviews", () => {
    const finishedAt = new Date(now.getTime() - 1000);
    expect(fitDue({ reviews: 1000 + REFIT_EVERY_REVIEWS - 1, reviewsAtFit: 1000, finishedAt }, now)).toBe(false);
    expect(fitDue({ reviews: 1000 + REFIT_EVERY_REVIEWS, reviewsAtFit: 1000, finishedAt }, now)).toBe(true);
    const weekAgo = new Date(now.getTime() - REFIT_AFTER_MS);
    expect(fitDue({ reviews: 1060, reviewsAtFit: 1000, finishedAt: weekAgo }, now)).toBe(true);
    expect(fitDue({ reviews: 1010, reviewsAtFit: 1000, finishedAt: weekAgo }, now)).toBe(false);
  });
});

describe("adopt only if better", () => {
  const w = [...default_w];
  it("adopts a lower log loss", () => {
    expect(shouldAdopt({ logLoss: 0.35, rmseBins: 0.05 }, { logLoss: 0.33, rmseBins: 0.02 }, w)).toBe(true);
  });
  it("keeps the current weights on a tie, a worse fit or a gain below MIN_GAIN", () => {
    expect(shouldAdopt({ logLoss: 0.33, rmseBins: 0.05 }, { logLoss: 0.33, rmseBins: 0.01 }, w)).toBe(false);
    expect(shouldAdopt({ logLoss: 0.33, rmseBins: 0.05 }, { logLoss: 0.34, rmseBins: 0.01 }, w)).toBe(false);
    expect(shouldAdopt({ logLoss: 0.33, rmseBins: 0.05 }, { logLoss: 0.33 - MIN_GAIN / 2, rmseBins: 0.01 }, w)).toBe(false);
  });
  it("never adopts weights that are not 21 finite numbers", () => {
    expect(shouldAdopt({ logLoss: 0.4, rmseBins: 0.05 }, { logLoss: 0.3, rmseBins: 0.01 }, w.slice(0, 19))).toBe(false);
    expect(shouldAdopt({ logLoss: 0.4, rmseBins: 0.05 }, { logLoss: 0.3, rmseBins: 0.01 }, [...w.slice(0, 20), NaN])).toBe(false);
    expect(shouldAdopt({ logLoss: 0.4, rmseBins: 0.05 }, { logLoss: NaN, rmseBins: 0.01 }, w)).toBe(false);
  });
});

describe("the synthetic learner", () => {
  it("is the same for a seed and differs across seeds", () => {
    const a = syntheticLog({ items: 20, reviewsPerItem: 5, seed: 7 });
    expect(syntheticLog({ items: 20, reviewsPerItem: 5, seed: 7 })).toEqual(a);
    expect(syntheticLog({ items: 20, reviewsPerItem: 5, seed: 8 })).not.toEqual(a);
    expect(a).toHaveLength(100);
  });
});

describe("the workload simulator", () => {
  const input = {
    weights: [...default_w],
    newPerDay: 10,
    reviewCap: 100,
    maximumInterval: 36500,
    cards: [{ stability: 5, difficulty: 5, elapsed: 3, dueIn: 0 }, { stability: 30, difficulty: 4, elapsed: 10, dueIn: 20 }],
    newCards: 120,
    habits: ratingHabits([10, 5, 30, 5], [5, 40, 5]),
    seed: 42,
    days: 120,
  };
  it("gives the same figures for a seed, and others for another seed", () => {
    const one = simulate(input);
    expect(simulate(input)).toEqual(one);
    expect(simulate({ ...input, seed: 43 }).outcomes).not.toEqual(one.outcomes);
  });
  it("covers 0.70 to 0.99; a higher retention costs more reviews and keeps more in memory", () => {
    const { outcomes, suggested } = simulate(input);
    expect(outcomes[0]!.retention).toBe(0.7);
    expect(outcomes.at(-1)!.retention).toBe(0.99);
    expect(outcomes.at(-1)!.averageReviewsPerDay).toBeGreaterThan(outcomes[0]!.averageReviewsPerDay * 1.5);
    expect(outcomes.at(-1)!.knowledgeAtEnd).toBeGreaterThan(outcomes[0]!.knowledgeAtEnd);
    expect(suggested).toBeGreaterThanOrEqual(0.7);
    expect(suggested).toBeLessThanOrEqual(0.95);
    for (const o of outcomes) expect(o.reviewsPerDay).toHaveLength(120);
  });
  it("never reviews more than the cap a day, nor introduces more than the new-card limit", () => {
    const capped = simulate({ ...input, reviewCap: 3, newPerDay: 2, learningSteps: 0, relearningSteps: 0 });
    for (const o of capped.outcomes) for (const n of o.reviewsPerDay) expect(n).toBeLessThanOrEqual(3 + 2);
  });
  it("scales a sample when the learner has more cards than it simulates", () => {
    const big = simulate({ ...input, newCards: 5000, newPerDay: 50, maxCards: 200 });
    expect(big.simulatedCards).toBeLessThanOrEqual(201);
    expect(big.scale).toBeGreaterThan(1);
  });
  it("reads rating habits from the log's counts, leaning on typical habits when the log is short", () => {
    const h = ratingHabits([0, 0, 0, 0], [0, 0, 0]);
    expect(h.first.reduce((a, b) => a + b)).toBeCloseTo(1, 9);
    const many = ratingHabits([1000, 0, 0, 0], [0, 0, 1000]);
    expect(many.first[0]).toBeGreaterThan(0.98);
    expect(many.recalled[2]).toBeGreaterThan(0.98);
  });
});
