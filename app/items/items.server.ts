/**
 * The item browser (/items) and its actions: suspend, unsuspend, forget.
 * Every function takes the learner's id; every query is scoped by it.
 *
 * Browsing reads the learner's item states in one query and joins them with
 * the course in memory (the content is the list of items), so a page costs the
 * same whatever the filter. Suspending and forgetting bump the state's version
 * (a tab showing the old state gets a 409, mastery's cache sees the change) and
 * drop the learner's cached queue.
 */
import { all, get, getSql, isUniqueViolation, run, type Row, type Statement, type StepResult } from "~/db/sql.server";
import { getContentItem, getCourse } from "~/content/course.server";
import { isLeech } from "~/domain/leech";
import { matchesFilter, type BrowsedItem, type ItemFilter, type ItemKind, type ItemStateName } from "~/domain/item-query";
import { newMemoryState, State, stateToJson, type MemoryState } from "~/domain/scheduler";
import { learnerSettings, queueCache, schedulerFor, STATE_COLUMNS, stateFromRow, stateValues } from "~/review/review.server";
import { getOwnCard } from "~/own-cards/own-cards.server";
import { isOwnItemId, ownCardIdOf, ownItemId } from "~/own-cards/schema";

const DAY_MS = 86_400_000;
const STATE_NAMES: ItemStateName[] = ["new", "learning", "review", "relearning"];

interface CourseEntry {
  id: string;
  topic: string;
  topicTitle: string;
  section: string;
  kind: ItemKind;
  label: string; // plain text, short
  text: string; // lower-cased, for search
  own?: boolean; // a card the learner wrote (ADR 025)
}

const courseEntries = new WeakMap<object, CourseEntry[]>();

const plain = (md: string) => md.replace(/\$+([^$]*)\$+/g, "$1").replace(/[`*_#>[\]()]/g, "").replace(/\s+/g, " ").trim();
const short = (s: string) => (s.length > 90 ? `${s.slice(0, 89)}…` : s);

/** Every live item of the course, in course order, with its searchable text (built once per loaded course). */
export function courseItems(): CourseEntry[] {
  const { course } = getCourse();
  let list = courseEntries.get(course);
  if (list) return list;
  list = [];
  for (const t of course.topics) {
    const base = { topic: t.slug, topicTitle: t.title };
    for (const c of t.cards) list.push({ ...base, id: c.id, section: c.section, kind: "card", label: short(plain(c.front)), text: `${plain(c.front)} ${plain(c.back)} ${c.tags.join(" ")}`.toLowerCase() });
    for (const q of t.questions) list.push({ ...base, id: q.id, section: q.section, kind: "quiz", label: short(plain(q.prompt)), text: `${plain(q.prompt)} ${q.tags.join(" ")}`.toLowerCase() });
    for (const e of t.exercises) list.push({ ...base, id: e.id, section: e.section, kind: "exercise", label: short(e.title), text: `${e.title} ${e.tags.join(" ")}`.toLowerCase() });
  }
  courseEntries.set(course, list);
  return list;
}

export interface ItemRow {
  id: string;
  topic: string;
  topicTitle: string;
  sectionHref: string;
  kind: ItemKind;
  label: string;
  state: ItemStateName;
  due: string | null;
  dueInDays: number | null;
  retrievability: number | null;
  stability: number | null;
  lapses: number;
  leech: boolean;
  suspended: boolean;
  own: boolean;
  version: number; // of the learner's state (0: none yet); names a forget request
}

export interface BrowseResult {
  rows: ItemRow[];
  total: number; // matching items
  page: number;
  pages: number;
  courseTotal: number;
  leechThreshold: number;
}

export const PAGE_SIZE = 50;

interface StoredRow {
  state: MemoryState;
  suspended: boolean;
  version: number;
}

const truthy = (v: unknown) => v === true || v === 1 || v === "1" || v === "t";

async function learnerStates(userId: string): Promise<Map<string, StoredRow>> {
  const rows = await getSql().all(all(`SELECT "itemId", ${STATE_COLUMNS}, "version", "suspended" FROM "ItemState" WHERE "userId" = ?`, userId));
  return new Map(rows.map((r) => [String(r.itemId), { state: stateFromRow(r), suspended: truthy(r.suspended), version: Number(r.version) }]));
}

/** Entries of own cards as last built, by card id: rebuilt only when the card's text or place changed (bounded). */
const ownEntryCache = new Map<string, { front: string; back: string; topicId: string; section: string; entry: CourseEntry }>();
const MAX_OWN_ENTRIES = 50_000;

/**
 * The learner's own cards as browser entries, each after its lesson's course
 * items. One plain SQL read of the columns the browser needs (Prisma's row
 * mapping cost more than the rest of the page at 5,000 items: bench:items), and
 * the searchable text of a card is built once, not on every page view.
 */
async function ownEntries(userId: string): Promise<CourseEntry[]> {
  const titles = new Map(getCourse().course.topics.map((t) => [t.slug, t.title]));
  const rows = await getSql().all(all(`SELECT "id", "topicId", "section", "front", "back" FROM "OwnCard" WHERE "userId" = ? ORDER BY "createdAt", "id"`, userId));
  return rows.map((r) => {
    const [id, topicId, section, front, back] = [String(r.id), String(r.topicId), String(r.section), String(r.front), String(r.back)];
    const kept = ownEntryCache.get(id);
    if (kept && kept.front === front && kept.back === back && kept.topicId === topicId && kept.section === section) return { ...kept.entry, topicTitle: titles.get(topicId) ?? topicId };
    const entry: CourseEntry = {
      id: ownItemId(id),
      topic: topicId,
      topicTitle: titles.get(topicId) ?? topicId,
      section,
      kind: "card",
      label: short(plain(front)),
      text: `${plain(front)} ${plain(back)} own`.toLowerCase(),
      own: true,
    };
    if (ownEntryCache.size >= MAX_OWN_ENTRIES) ownEntryCache.clear();
    ownEntryCache.set(id, { front, back, topicId, section, entry });
    return entry;
  });
}

/** Is this an item the learner may act on: a live course item, or one of their own cards? */
async function knownItem(userId: string, itemId: string): Promise<boolean> {
  return isOwnItemId(itemId) ? (await getOwnCard(userId, ownCardIdOf(itemId))) !== null : getContentItem(itemId) !== undefined;
}

/** One page of the course's items and the learner's own cards that match `filter`, with the learner's state of each. */
export async function browseItems(userId: string, filter: ItemFilter, page: number, now = new Date()): Promise<BrowseResult> {
  const [settings, states, own] = await Promise.all([learnerSettings(userId), learnerStates(userId), ownEntries(userId)]);
  const scheduler = schedulerFor(settings);
  // Retrievability (ts-fsrs's forgetting curve) for every item only when the filter asks for it; else for the page's rows.
  const needsR = filter.numeric.some((c) => c.field === "r");
  const matched: { c: CourseEntry; s: StoredRow | undefined; browsed: BrowsedItem }[] = [];
  const course = courseItems();
  // Own cards sit after their lesson's items, so a topic filter shows them together.
  const items = own.length ? course.flatMap((c, i) => (course[i + 1]?.topic === c.topic ? [c] : [c, ...own.filter((o) => o.topic === c.topic)])) : course;
  const placed = new Set(items.filter((c) => c.own).map((c) => c.id));
  for (const o of own) if (!placed.has(o.id)) items.push(o); // a lesson no longer in the course
  const nowMs = now.getTime();
  for (const c of items) {
    const s = states.get(c.id);
    const seen = s !== undefined && s.state.state !== State.New;
    const browsed: BrowsedItem = {
      id: c.id,
      topic: c.topic,
      kind: c.kind,
      text: c.text,
      state: STATE_NAMES[s?.state.state ?? State.New]!,
      retrievability: seen && needsR ? scheduler.retrievability(s.state, now) : 0,
      stability: seen ? s.state.stability : 0,
      dueInDays: seen ? (s.state.due.getTime() - nowMs) / DAY_MS : null,
      lapses: s?.state.lapses ?? 0,
      suspended: s?.suspended ?? false,
      leech: isLeech(s?.state.lapses ?? 0, settings.leechThreshold),
      own: c.own === true,
    };
    if (matchesFilter(filter, browsed)) matched.push({ c, s, browsed });
  }
  const pages = Math.max(1, Math.ceil(matched.length / PAGE_SIZE));
  const p = Math.min(Math.max(1, page), pages);
  // Rows for the page shown only: at 5,000 items, building all of them cost more than filtering (bench:items).
  const rows = matched.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE).map(({ c, s, browsed }): ItemRow => {
    const seen = s !== undefined && s.state.state !== State.New;
    return {
      id: c.id,
      topic: c.topic,
      topicTitle: c.topicTitle,
      sectionHref: `/lessons/${c.topic}#${c.section}`,
      kind: c.kind,
      label: c.label,
      state: browsed.state,
      due: seen ? s.state.due.toISOString() : null,
      dueInDays: browsed.dueInDays,
      retrievability: seen ? (needsR ? browsed.retrievability : scheduler.retrievability(s.state, now)) : null,
      stability: seen ? browsed.stability : null,
      lapses: browsed.lapses,
      leech: browsed.leech,
      suspended: browsed.suspended,
      own: browsed.own,
      version: s?.version ?? 0,
    };
  });
  return { rows, total: matched.length, page: p, pages, courseTotal: items.length, leechThreshold: settings.leechThreshold };
}

export type ItemActionResult = { status: "done"; changed: number } | { status: "not-found"; itemId: string } | { status: "duplicate" };

/**
 * Suspends or unsuspends items (all of them or none: an unknown id refuses the
 * whole request). A never-seen item gets a new-card state row that carries the
 * flag. Repeating it changes nothing.
 */
export async function setSuspended(userId: string, itemIds: readonly string[], suspended: boolean, now = new Date()): Promise<ItemActionResult> {
  for (const id of itemIds) if (!(await knownItem(userId, id))) return { status: "not-found", itemId: id };
  const fresh = newMemoryState(now);
  try {
    const changed = await getSql().transaction(function* (): Generator<Statement, number, StepResult> {
      let n = 0;
      for (const id of itemIds) {
        const res = (yield suspended
          ? run(
              `INSERT INTO "ItemState" ("userId", "itemId", ${STATE_COLUMNS}, "version", "suspended") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
               ON CONFLICT ("userId", "itemId") DO UPDATE SET "suspended" = excluded."suspended", "version" = "ItemState"."version" + 1 WHERE "ItemState"."suspended" <> excluded."suspended"`,
              userId,
              id,
              ...stateValues(fresh),
              true,
            )
          : run(`UPDATE "ItemState" SET "suspended" = ?, "version" = "version" + 1 WHERE "userId" = ? AND "itemId" = ? AND "suspended" = ?`, false, userId, id, true)) as { changes: number };
        n += res.changes;
      }
      return n;
    });
    return { status: "done", changed };
  } finally {
    queueCache.forget(userId);
  }
}

/**
 * Resets an item to a new card ("forget"), logged as a `forget` row with the
 * state before and after, so the history explains the reset; statistics count
 * only `review` rows. `clientId` makes a resubmission a no-op. The suspended
 * flag is kept.
 */
export async function forgetItem(userId: string, itemId: string, clientId: string, now = new Date()): Promise<ItemActionResult> {
  if (!(await knownItem(userId, itemId))) return { status: "not-found", itemId };
  try {
    return await getSql().transaction(function* (): Generator<Statement, ItemActionResult, StepResult> {
      const dup = (yield get(`SELECT "id" FROM "ReviewLog" WHERE "userId" = ? AND "clientId" = ?`, userId, clientId)) as Row | undefined;
      if (dup) return { status: "duplicate" };
      const row = (yield get(`SELECT ${STATE_COLUMNS}, "version" FROM "ItemState" WHERE "userId" = ? AND "itemId" = ?`, userId, itemId)) as Row | undefined;
      if (!row || Number(row.state) === State.New) return { status: "done", changed: 0 };
      const before = stateFromRow(row);
      const after = newMemoryState(now);
      const version = Number(row.version) + 1;
      yield run(
        `UPDATE "ItemState" SET ${["due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview"].map((f) => `"${f}" = ?`).join(", ")}, "version" = ? WHERE "userId" = ? AND "itemId" = ?`,
        ...stateValues(after),
        version,
        userId,
        itemId,
      );
      yield run(
        `INSERT INTO "ReviewLog" ("userId", "itemId", "clientId", "kind", "source", "rating", "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter", "undone") VALUES (?, ?, ?, 'forget', 'review', 0, ?, ?, 0, ?, ?, ?)`,
        userId,
        itemId,
        clientId,
        before.state,
        now,
        JSON.stringify({ ...stateToJson(before), version: Number(row.version) }),
        JSON.stringify({ ...stateToJson(after), version }),
        false,
      );
      return { status: "done", changed: 1 };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { status: "duplicate" };
    throw e;
  } finally {
    queueCache.forget(userId);
  }
}

/** How many of the learner's items are suspended (the progress page says so; mastery keeps their memory as it is). */
export async function suspendedCount(userId: string): Promise<number> {
  const row = await getSql().get(get(`SELECT CAST(count(*) AS INTEGER) AS n FROM "ItemState" WHERE "userId" = ? AND "suspended" = ?`, userId, true));
  return Number(row?.n ?? 0);
}
