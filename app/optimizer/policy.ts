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

export interface FitHistory {
  /** Counted reviews in the learner's log now. */
  reviews: number;
  /** Counted reviews the last fit saw (0 when none ran). */
  reviewsAtFit: number;
  /** When the last fit ended, or null. */
  finishedAt: Date | null;
}

/** Whether a fit is due by the learner's review count alone (a learner can always ask for one). */
export function fitDue({ reviews, reviewsAtFit, finishedAt }: FitHistory, now: Date): boolean {
  if (reviews < MIN_REVIEWS) return false;
  if (!finishedAt) return true;
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
