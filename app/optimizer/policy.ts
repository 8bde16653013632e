/**
 * When to fit a learner's memory model and when to keep what it found (pure).
 * The figures are argued in docs/decisions/026-per-learner-optimisation.md.
 */

/** Counted reviews (not undone) before the first fit. */
export const MIN_REVIEWS = 400;
/** A new fit after this many further reviews... */
export const REFIT_EVERY_REVIEWS = 400;
/** ...or after a week, when at least this many reviews are new since the last fit. */
export const REFIT_AFTER_MS = 7 * 86_400_000;
export const MIN_NEW_FOR_WEEKLY = 50;

/**
 * Spaced reviews (on a later learning day than the item's review before:
 * the only ones fsrs-rs learns from, items.ts) a fit needs; with fewer it is
 * skipped ("not enough spaced reviews yet"). fsrs-rs's outlier filter drops at
 * least 20 first intervals per first rating, so below this little is left to
 * move the weights.
 */
export const MIN_SPACED_REVIEWS = 100;
/** After a fit that failed or was skipped, the next one waits for this many more counted reviews... */
export const RETRY_AFTER_REVIEWS = 50;
/** ...or this long, whichever comes first: the same data is never fitted again in a loop. */
export const RETRY_AFTER_MS = 86_400_000;

export interface FitHistory {
  /** Counted reviews in the learner's log now. */
  reviews: number;
  /** Counted reviews the last fit saw (0 when none ran). */
  reviewsAtFit: number;
  /** When the last fit ended, or null. */
  finishedAt: Date | null;
  /** How the last fit ended (FitJob.status), when one did. */
  lastStatus?: string;
}

/**
 * After a failed or skipped fit: when the next try may come (null when it may
 * come now, or the last fit did not fail). Applies to the background check and
 * to the learner's "Optimise now" alike.
 */
export function retryBlocked({ reviews, reviewsAtFit, finishedAt, lastStatus }: FitHistory, now: Date): { reviewsLeft: number; after: Date } | null {
  if (!finishedAt || (lastStatus !== "failed" && lastStatus !== "skipped")) return null;
  const reviewsLeft = reviewsAtFit + RETRY_AFTER_REVIEWS - reviews;
  const after = new Date(finishedAt.getTime() + RETRY_AFTER_MS);
  if (reviewsLeft <= 0 || now >= after) return null;
  return { reviewsLeft, after };
}

/** Whether a fit is due by the learner's review count alone (a learner can always ask for one, outside a back-off). */
export function fitDue(history: FitHistory, now: Date): boolean {
  const { reviews, reviewsAtFit, finishedAt, lastStatus } = history;
  if (reviews < MIN_REVIEWS) return false;
  if (!finishedAt) return true;
  if (lastStatus === "failed" || lastStatus === "skipped") return !retryBlocked(history, now);
  const fresh = reviews - reviewsAtFit;
  if (fresh >= REFIT_EVERY_REVIEWS) return true;
  return now.getTime() - finishedAt.getTime() >= REFIT_AFTER_MS && fresh >= MIN_NEW_FOR_WEEKLY;
}

export interface Evaluation {
  logLoss: number;
  rmseBins: number;
}

/** Smallest log-loss gain worth a change of schedule: below it the two predict alike. */
export const MIN_GAIN = 1e-4;

export function validWeights(w: readonly number[] | null | undefined): w is number[] {
  return Array.isArray(w) && w.length === 21 && w.every((x) => Number.isFinite(x));
}

/**
 * The fitted weights replace the current ones only when they predict the
 * learner's own reviews better: a lower log loss by at least MIN_GAIN. A tie,
 * a worse fit or weights that are not 21 finite numbers keep the current ones.
 */
export function shouldAdopt(current: Evaluation, fitted: Evaluation, weights: readonly number[]): boolean {
  if (!validWeights(weights)) return false;
  if (!Number.isFinite(fitted.logLoss) || !Number.isFinite(fitted.rmseBins)) return false;
  if (!Number.isFinite(current.logLoss)) return true;
  return fitted.logLoss < current.logLoss - MIN_GAIN;
}

/** What the settings keep about the adopted weights (Settings.fitInfo). */
export interface FitInfo {
  reviews: number; // counted reviews the fit learnt from
  items: number; // training items (reviews with a history)
  fittedAt: string; // ISO time
  logLossBefore: number; // the weights in use before, on the learner's history
  logLossAfter: number; // the fitted weights, on the same history
  rmseBefore: number;
  rmseAfter: number;
}

export function parseFitInfo(json: string | null | undefined): FitInfo | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<FitInfo>;
    if (typeof v.reviews !== "number" || typeof v.fittedAt !== "string" || typeof v.logLossBefore !== "number" || typeof v.logLossAfter !== "number") return null;
    return v as FitInfo;
  } catch {
    return null;
  }
}
