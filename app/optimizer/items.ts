/**
 * Training items for the FSRS optimizer, built from a learner's review log
 * (pure: no I/O, no clock). ADR 026.
 *
 * fsrs-rs learns from one item per review: the review's rating together with
 * every earlier review of the same history, each as (rating, days since the
 * previous review). Days are the learner's learning days (their day-start hour
 * in their time zone, ADR 014), so two reviews either side of 04:00 are a day
 * apart and two on the same evening are 0 days apart (FSRS-6 models those
 * same-day reviews too).
 *
 * What counts: every source (flashcard ratings, quiz answers, exercise
 * results), never an undo row and never a review an undo rolled back. A review
 * of an item that was New again (a reset) starts a new history; a history whose
 * first review did not find the item New (its start is missing from the log) is
 * left out, as fsrs-rs cannot know the item's state before it.
 *
 * What fsrs-rs accepts (ADR 029; a history it refuses makes it panic, and a
 * panic in the binding aborts the process it runs in): every item starts
 * with the history's first review at delta_t 0, has at least two reviews,
 * ratings 1 to 4, and at least one review with delta_t > 0 (its outlier
 * filter and its evaluation look for the first such review and panic when
 * there is none). So an item is made only for a *spaced* review: one on a
 * later learning day than the review before it. Same-day reviews (learning
 * steps, a second look the same evening) stay in the histories of the items
 * after them, where FSRS-6's short-term terms learn from them, but are never
 * an item's last review; a history that never left its first day makes no
 * item at all.
 */
import { wallClock } from "~/domain/day";

export interface LogEntry {
  itemId: string;
  kind: string; // review | undo
  undone: boolean;
  rating: number; // 1-4 (0 for an undo row)
  prevState: number; // 0 New, 1 Learning, 2 Review, 3 Relearning
  reviewedAt: Date;
}

export interface TrainingReview {
  rating: number;
  deltaT: number; // learning days since the previous review of the history (0 for the first)
}

/** One review with its history: `reviews` ends with the review the item is for. */
export type TrainingItem = TrainingReview[];

export interface DayZone {
  timeZone: string;
  dayStartHour: number;
}

const UTC_ZONES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"]);

/**
 * The learning day of an instant as whole days since 1970-01-01: its calendar
 * date in the zone, the day before when it is earlier than the day-start hour
 * (the same day as dayKey in domain/day.ts, without the day's boundaries).
 */
export function learningDayNumber(at: Date, zone: DayZone): number {
  // UTC (the default zone) needs no time-zone lookup: its wall clock is the instant's own fields.
  if (UTC_ZONES.has(zone.timeZone)) return Math.floor((at.getTime() - zone.dayStartHour * 3_600_000) / 86_400_000);
  const w = wallClock(at, zone.timeZone);
  const day = Math.round(Date.UTC(w.year, w.month - 1, w.day) / 86_400_000);
  return w.hour < zone.dayStartHour ? day - 1 : day;
}

/** The review log entries that count: reviews (not undo rows) that no undo rolled back, rated 1 to 4. */
export function countedReviews<T extends LogEntry>(log: readonly T[]): T[] {
  return log.filter((e) => e.kind === "review" && !e.undone && e.rating >= 1 && e.rating <= 4);
}

/**
 * Every history of the log, in time order within each: a list of (rating, learning day).
 * Item order follows first appearance in the log.
 */
export function reviewHistories(log: readonly LogEntry[], zone: DayZone): { itemId: string; reviews: { rating: number; day: number }[] }[] {
  const byItem = new Map<string, LogEntry[]>();
  for (const e of countedReviews(log)) {
    let list = byItem.get(e.itemId);
    if (!list) byItem.set(e.itemId, (list = []));
    list.push(e);
  }
  const out: { itemId: string; reviews: { rating: number; day: number }[] }[] = [];
  // Day boundaries fall on whole hours in the zone, and every zone's offset is a
  // multiple of 15 minutes: instants in the same UTC quarter hour share a day.
  const days = new Map<number, number>();
  const dayOf = (at: Date) => {
    const quarter = Math.floor(at.getTime() / 900_000);
    let d = days.get(quarter);
    if (d === undefined) days.set(quarter, (d = learningDayNumber(new Date(quarter * 900_000), zone)));
    return d;
  };
  for (const [itemId, entries] of byItem) {
    entries.sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
    let current: { rating: number; day: number }[] | null = null;
    for (const e of entries) {
      if (e.prevState === 0) {
        if (current && current.length) out.push({ itemId, reviews: current });
        current = [];
      }
      if (current) current.push({ rating: e.rating, day: dayOf(e.reviewedAt) });
    }
    if (current && current.length) out.push({ itemId, reviews: current });
  }
  return out;
}

/**
 * Each history as fsrs-rs reads it: (rating, learning days since the previous
 * review; 0 for the first). A day earlier than the previous one (a change of
 * time zone) counts as the same day: fsrs-rs reads delta_t unsigned.
 */
export function trainingHistories(log: readonly LogEntry[], zone: DayZone): TrainingReview[][] {
  return reviewHistories(log, zone).map((h) => h.reviews.map((r, i) => ({ rating: r.rating, deltaT: i === 0 ? 0 : Math.max(0, r.day - h.reviews[i - 1]!.day) })));
}

/** Whether the review at `end` (index into its history) ends a training item: a spaced review, after the first. */
export function endsItem(reviews: readonly TrainingReview[], end: number): boolean {
  return end >= 1 && end < reviews.length && reviews[end]!.deltaT > 0;
}

/** Spaced reviews: how many training items the histories make. */
export function spacedReviewCount(histories: readonly TrainingReview[][]): number {
  let n = 0;
  for (const reviews of histories) for (let end = 1; end < reviews.length; end++) if (endsItem(reviews, end)) n++;
  return n;
}

/**
 * The training items: for each history, one item per spaced review, holding
 * every review up to it (same-day ones included). A history of one day makes none.
 */
export function itemsOfHistories(histories: readonly TrainingReview[][]): TrainingItem[] {
  const items: TrainingItem[] = [];
  for (const reviews of histories) for (let end = 1; end < reviews.length; end++) if (endsItem(reviews, end)) items.push(reviews.slice(0, end + 1));
  return items;
}

/**
 * Whether fsrs-rs accepts an item without panicking or refusing it: at least
 * two reviews, ratings 1-4 (whole numbers), the first at delta_t 0, every
 * delta_t a whole number >= 0, and at least one delta_t > 0. Every item
 * itemsOfHistories makes passes; the fit checks again before the binding sees one.
 */
export function acceptedItem(item: readonly TrainingReview[]): boolean {
  if (item.length < 2 || item[0]!.deltaT !== 0) return false;
  let spaced = false;
  for (const r of item) {
    if (!Number.isInteger(r.rating) || r.rating < 1 || r.rating > 4) return false;
    if (!Number.isInteger(r.deltaT) || r.deltaT < 0) return false;
    if (r.deltaT > 0) spaced = true;
  }
  return spaced;
}

export function trainingItems(log: readonly LogEntry[], zone: DayZone): TrainingItem[] {
  return itemsOfHistories(trainingHistories(log, zone));
}
