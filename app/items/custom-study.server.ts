/**
 * Custom study and "review now" (ADR 027): the review page shows one topic's
 * items, or one item, ahead of schedule. Nothing is queued twice: the ratings
 * are ordinary reviews (ts-fsrs schedules an early review from the days that
 * really elapsed, so a review the day after the last one raises stability
 * little), written by the same review path, counted in the same daily figures.
 * Suspended items are left out; so are items already reviewed today in a topic
 * session, which then ends instead of going round again.
 */
import { all, getSql, type Row } from "~/db/sql.server";
import { getContentItem, getTopic } from "~/content/course.server";
import { dayWindow } from "~/domain/day";
import { State, type MemoryState } from "~/domain/scheduler";
import { present, type Presented } from "~/review/present.server";
import { learnerSettings, schedulerFor, STATE_COLUMNS, stateFromRow, type Settings } from "~/review/review.server";
import type { ReviewView } from "~/review/actions.server";
import { listOwnCards, ownCardsByIds } from "~/own-cards/own-cards.server";
import { isOwnItemId, ownCardIdOf, ownItemId } from "~/own-cards/schema";

export type Focus = { topic: string } | { item: string };

const truthy = (v: unknown) => v === true || v === 1;

/** The focus a /review URL asks for, if any (an unknown topic or item is none). */
export function focusFrom(search: URLSearchParams): Focus | null {
  const topic = search.get("topic");
  if (topic && getTopic(topic)) return { topic };
  const item = search.get("item");
  // An own card is checked against the learner in focusView (another learner's card shows nothing).
  if (item && (getContentItem(item) || (isOwnItemId(item) && item.length <= 100))) return { item };
  return null;
}

export async function focusView(userId: string, focus: Focus, now = new Date(), limit = 30, known?: Settings): Promise<ReviewView> {
  const settings = known ?? (await learnerSettings(userId));
  const scheduler = schedulerFor(settings);
  const ids = "item" in focus ? [focus.item] : [...topicItemIds(focus.topic), ...(await listOwnCards(userId, focus.topic)).map((c) => ownItemId(c.id))];
  // The learner's own cards among them (ADR 025): only theirs are shown.
  const ownIds = ids.filter(isOwnItemId).map(ownCardIdOf);
  const own = new Map((ownIds.length ? await ownCardsByIds(userId, ownIds) : []).map((c) => [c.itemId, c]));
  const sql = getSql();
  const rows: Row[] = ids.length
    ? await sql.all(
        sql.provider === "postgresql"
          ? all(`SELECT "itemId", ${STATE_COLUMNS}, "version", "suspended" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ANY(?::text[])`, userId, ids)
          : all(`SELECT "itemId", ${STATE_COLUMNS}, "version", "suspended" FROM "ItemState" WHERE "userId" = ? AND "itemId" IN (${ids.map(() => "?").join(", ")})`, userId, ...ids),
      )
    : [];
  const byId = new Map(rows.map((r) => [String(r.itemId), r]));
  const dayStart = dayWindow(now, settings.timeZone, settings.dayStartHour).start.getTime();
  const picked: { itemId: string; state: MemoryState | undefined; version: number; r: number }[] = [];
  for (const id of ids) {
    if (isOwnItemId(id) && !own.has(id)) continue;
    const row = byId.get(id);
    if (row && truthy(row.suspended)) continue;
    const state = row ? stateFromRow(row) : undefined;
    if ("topic" in focus) {
      // A topic session goes over what was learnt: seen items not yet reviewed today, learning steps when due.
      if (!state || state.state === State.New) continue;
      const inLearning = state.state === State.Learning || state.state === State.Relearning;
      if (inLearning ? state.due.getTime() > now.getTime() : (state.lastReview?.getTime() ?? 0) >= dayStart) continue;
    }
    picked.push({ itemId: id, state, version: row ? Number(row.version) : 0, r: state ? scheduler.retrievability(state, now) : 0 });
  }
  // Weakest first: what an exam tomorrow would most likely catch out.
  picked.sort((a, b) => a.r - b.r || a.itemId.localeCompare(b.itemId));
  const entries: Presented[] = [];
  let fresh = 0;
  for (const p of picked) {
    const kind = !p.state || p.state.state === State.New ? ("new" as const) : p.state.state === State.Review ? ("review" as const) : ("learning" as const);
    if (entries.length < limit) {
      const shown = present(userId, { itemId: p.itemId, kind }, p.version, p.state, scheduler, now, settings.leechThreshold, own);
      if (shown) entries.push(shown);
    }
    if (kind === "new") fresh++;
  }
  const learning = entries.filter((e) => e.queue === "learning").length;
  return { entries, counts: { learning, review: picked.length - fresh - learning, new: fresh }, remaining: picked.length, nextDue: null };
}

function topicItemIds(slug: string): string[] {
  const t = getTopic(slug);
  if (!t) return [];
  return [...t.cards.map((c) => c.id), ...t.questions.map((q) => q.id)];
}
