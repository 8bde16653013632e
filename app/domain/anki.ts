/**
 * Our item states and review log in the terms of Anki's schema-11 collection
 * (the `cards` and `revlog` tables of collection.anki2), and the CSV text
 * import format. Pure: no I/O, time passed in. Column meanings, from Anki's
 * schema-11 documentation:
 *
 * cards.type   0 new, 1 learning, 2 review, 3 relearning
 * cards.queue  0 new, 1 learning due today (due = epoch seconds),
 *              2 review (due = days since col.crt), 3 learning due on a later day (due = day number)
 * cards.ivl    days for review cards, 0 otherwise
 * cards.factor ease in permille (2500 = 250%); FSRS ignores it
 * cards.data   JSON; Anki's FSRS keeps the memory state there as "s" (stability, days),
 *              "d" (difficulty, 1 to 10, the same scale as ts-fsrs) and "dr" (desired retention)
 * revlog.id    epoch milliseconds of the review (unique)
 * revlog.ease  1 Again, 2 Hard, 3 Good, 4 Easy
 * revlog.ivl / lastIvl  the interval after / before: positive days, negative seconds while learning
 * revlog.time  milliseconds spent answering, capped at 60 000 by Anki
 * revlog.type  0 learning, 1 review, 2 relearning (by the card's state before the answer)
 */

const DAY_MS = 86_400_000;

export interface StateLike {
  due: Date;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  reps: number;
  lapses: number;
  state: number; // 0 New, 1 Learning, 2 Review, 3 Relearning
  lastReview: Date | null;
}

export interface AnkiCardFields {
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  left: number;
  data: string;
}

export const DEFAULT_FACTOR = 2500;

/** Collection creation time (col.crt, epoch seconds): the start of the UTC day of `first`, shifted by the learner's day start. */
export function collectionStart(first: Date, dayStartHour: number): number {
  const dayStart = Math.floor((first.getTime() - dayStartHour * 3_600_000) / DAY_MS) * DAY_MS + dayStartHour * 3_600_000;
  return Math.floor(dayStart / 1000);
}

/** Day number of `when` counted from col.crt, as Anki's review queue stores due dates. */
export function dayNumber(when: Date, crtSeconds: number): number {
  return Math.floor((when.getTime() - crtSeconds * 1000) / DAY_MS);
}

/** A card's row fields; `position` is its place among new cards (course order). */
export function ankiCard(state: StateLike | undefined, position: number, crtSeconds: number, desiredRetention: number, now: Date): AnkiCardFields {
  if (!state || state.state === 0) {
    return { type: 0, queue: 0, due: position, ivl: 0, factor: 0, reps: 0, lapses: 0, left: 0, data: "{}" };
  }
  const memory = JSON.stringify({ s: round(state.stability, 4), d: round(state.difficulty, 4), dr: desiredRetention });
  const common = { reps: state.reps, lapses: state.lapses, factor: DEFAULT_FACTOR, data: memory };
  if (state.state === 2) {
    return { ...common, type: 2, queue: 2, due: dayNumber(state.due, crtSeconds), ivl: Math.max(1, state.scheduledDays), left: 0 };
  }
  // Learning or relearning: today's queue by the second, a later day's by the day.
  const later = dayNumber(state.due, crtSeconds) > dayNumber(now, crtSeconds);
  return {
    ...common,
    type: state.state === 3 ? 3 : 1,
    queue: later ? 3 : 1,
    due: later ? dayNumber(state.due, crtSeconds) : Math.floor(state.due.getTime() / 1000),
    ivl: state.state === 3 ? Math.max(1, state.scheduledDays) : 0,
    left: 1001, // one step left today, one in all: Anki then follows its own steps
  };
}

/** revlog.ivl for the state a review produced (or lastIvl for the one before). */
export function revlogInterval(state: { due: Date; scheduledDays: number; state: number } | null, reviewedAt: Date): number {
  if (!state || state.state === 0) return 0;
  if (state.state === 2) return Math.max(1, state.scheduledDays);
  return -Math.max(1, Math.round((state.due.getTime() - reviewedAt.getTime()) / 1000));
}

export interface ReviewLike {
  reviewedAt: Date;
  rating: number;
  prevState: number;
  durationMs: number;
  before: { due: Date; scheduledDays: number; state: number } | null;
  after: { due: Date; scheduledDays: number; state: number };
}

export interface RevlogFields {
  id: number;
  ease: number;
  ivl: number;
  lastIvl: number;
  factor: number;
  time: number;
  type: number;
}

/** Revlog rows in review order, ids made unique by moving a clash one millisecond on. */
export function revlogRows(reviews: readonly ReviewLike[], taken: Set<number>): RevlogFields[] {
  return [...reviews]
    .sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime())
    .map((r) => {
      let id = r.reviewedAt.getTime();
      while (taken.has(id)) id++;
      taken.add(id);
      const type = r.prevState === 2 ? 1 : r.prevState === 3 ? 2 : 0;
      return {
        id,
        ease: Math.min(4, Math.max(1, r.rating)),
        ivl: revlogInterval(r.after, r.reviewedAt),
        lastIvl: revlogInterval(r.before, r.reviewedAt),
        factor: type === 0 && r.after.state !== 2 ? 0 : DEFAULT_FACTOR,
        time: Math.min(60_000, Math.max(0, Math.round(r.durationMs))),
        type,
      };
    });
}

/** Anki's note checksum: the first 8 hex digits of the SHA-1 of the sort field's text, as an integer. */
export function checksumFromSha1Hex(hex: string): number {
  return parseInt(hex.slice(0, 8), 16);
}

/** Text for the sort field and checksum: tags removed, as Anki strips HTML before hashing. */
export function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

/** A tag Anki accepts: no spaces (they separate tags), hierarchy with "::". */
export function ankiTag(...parts: string[]): string {
  return parts.map((p) => p.replace(/[\s"]+/g, "_")).join("::");
}

// ---- CSV in Anki's text-import format ----

export interface CsvNote {
  guid: string;
  front: string; // HTML
  back: string; // HTML
  deck: string;
  tags: string[];
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Header lines name the separator, that fields are HTML, and which columns hold the guid, deck and tags. */
export function toAnkiCsv(notes: readonly CsvNote[], notetype = "Basic"): string {
  const lines = [
    "#separator:Comma",
    "#html:true",
    `#notetype:${notetype}`,
    "#columns:GUID,Front,Back,Deck,Tags",
    "#guid column:1",
    "#deck column:4",
    "#tags column:5",
  ];
  for (const n of notes) lines.push([n.guid, n.front, n.back, n.deck, n.tags.join(" ")].map(csvField).join(","));
  return lines.join("\n") + "\n";
}

function round(x: number, digits: number) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
