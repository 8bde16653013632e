/**
 * Mastery per topic for one learner: a few narrow queries (the course's live
 * items, the learner's reviewed item states, their latest lesson-quiz scores
 * and passed exercises), then the pure domain/mastery.ts. None of them reads
 * the review log. Every function takes the learner's id first.
 */
import { getContentItem, getCourse, renderInline } from "~/content/course.server";
import {
  fsrsForgettingCurve,
  itemsAtRisk,
  topicMastery,
  type ForgettingCurve,
  type MasteryItem,
  type RecallState,
  type TopicMastery,
} from "~/domain/mastery";
import type { State } from "~/domain/scheduler";
import { dayKey, dayWindow } from "~/domain/day";
import { formatDay } from "~/components/progress/format";
import { schedulerFor } from "~/review/review.server";
import {
  itemStates,
  itemsTouchedSince,
  latestQuizScores,
  learnerSettings,
  enrolledLessons,
  liveItemRows,
  passedExercises,
  statesStamp,
  type Settings,
  type StateRow,
} from "./queries.server";
import { readSnapshot, writeSnapshot, type Stamp } from "./snapshot.server";

export interface CatalogueItem {
  id: string;
  topicId: string;
  kind: string;
  tags: string[];
}

function parseTags(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}

const CATALOGUE_TTL_MS = 60_000;
let catalogue: { at: number; course: unknown; items: CatalogueItem[] } | null = null;

/**
 * The course's live items. They change only when content is synced (at
 * start-up, after a deploy), so a process keeps them for a minute instead of
 * reading every item row on every page.
 */
export async function liveItems(): Promise<CatalogueItem[]> {
  const now = Date.now();
  const course = getCourse().course;
  if (catalogue && catalogue.course === course && now - catalogue.at < CATALOGUE_TTL_MS) return catalogue.items;
  const tags = new Map<string, string[]>();
  const items = (await liveItemRows()).map((r) => {
    let t = tags.get(r.tags);
    if (!t) tags.set(r.tags, (t = parseTags(r.tags)));
    return { id: r.id, topicId: r.topicId, kind: r.kind, tags: t };
  });
  catalogue = { at: now, course, items };
  return items;
}

interface CachedStates {
  stamp: Stamp;
  /** Reviewed items (state not New) for mastery. */
  states: Map<string, RecallState>;
  /** Every state row's version, New ones included, to check a refresh against the stamp. */
  versions: Map<string, number>;
  /** When the rows were read (before the stamp was taken). */
  readAt: number;
}

const statesCache = new Map<string, CachedStates>();
let cachedRows = 0;
const STATES_CACHE_MAX_ROWS = 200_000;
/** Margin for clocks: log rows are stamped by the app server that wrote them. */
const TOUCHED_MARGIN_MS = 5 * 60_000;
const MAX_DELTA = 500;

function toRecall(r: StateRow): RecallState {
  return { state: r.state as State, stability: r.stability, lastReview: r.lastReview === null ? null : new Date(r.lastReview), due: new Date(r.due) };
}

function fromRows(rows: readonly StateRow[], stamp: Stamp, readAt: number): CachedStates {
  const states = new Map<string, RecallState>();
  const versions = new Map<string, number>();
  for (const r of rows) {
    versions.set(r.itemId, r.version);
    if (r.state !== 0) states.set(r.itemId, toRecall(r));
  }
  return { stamp, states, versions, readAt };
}

/** The rows of a cached entry, for its snapshot (New rows carry only their version). */
function* rowsOf(entry: CachedStates): Generator<StateRow> {
  for (const [itemId, version] of entry.versions) {
    const s = entry.states.get(itemId);
    yield s
      ? { itemId, state: s.state, stability: s.stability, lastReview: s.lastReview ? s.lastReview.getTime() : null, due: s.due.getTime(), version }
      : { itemId, state: 0, stability: 0, lastReview: null, due: 0, version };
  }
}

const sameStamp = (a: Stamp, b: Stamp) => a.rows === b.rows && a.versions === b.versions;

/**
 * The cached states brought up to date with the few rows touched since they
 * were read (items in review-log rows since then), or null when that cannot
 * be proven complete: the refreshed row count and version sum must equal the
 * new stamp.
 */
async function refreshed(userId: string, old: CachedStates, stamp: Stamp, readAt: number): Promise<CachedStates | null> {
  const touched = await itemsTouchedSince(userId, new Date(old.readAt - TOUCHED_MARGIN_MS));
  if (touched.length > MAX_DELTA) return null;
  const rows = await itemStates(userId, touched);
  const states = new Map(old.states);
  const versions = new Map(old.versions);
  let count = old.stamp.rows;
  let sum = old.stamp.versions;
  for (const id of touched) {
    const before = versions.get(id);
    if (before !== undefined) {
      count--;
      sum -= before;
      versions.delete(id);
      states.delete(id);
    }
  }
  for (const r of rows) {
    count++;
    sum += r.version;
    versions.set(r.itemId, r.version);
    if (r.state !== 0) states.set(r.itemId, toRecall(r));
  }
  if (count !== stamp.rows || sum !== stamp.versions) return null;
  return { stamp, states, versions, readAt };
}

let writing: Promise<void> = Promise.resolve();
/** Persisted states wait for no disk and fail quietly: they are a cache, and the page has its figures. */
function persist(userId: string, entry: CachedStates) {
  const write = writeSnapshot(userId, { stamp: entry.stamp, readAt: entry.readAt, rows: rowsOf(entry) }).catch(() => undefined);
  writing = writing.then(() => write);
}

/** Resolves once the snapshots pages have started writing are written (tests, benchmarks, shutdown). */
export function snapshotWrites(): Promise<void> {
  return writing;
}

/**
 * The learner's reviewed item states by item id. Reading and parsing thousands
 * of rows is most of a page's time, so a process keeps them (least recently
 * used learners go first), and the database keeps them packed in one row
 * (snapshot.server.ts) for a process that has none. One cheap query (row count
 * and sum of versions: every write to a state bumps its version, and rows other
 * than own cards are never deleted, so any write changes it) says whether
 * anything changed; if so, only the items in review-log rows written since are
 * read again. The numbers are the same whichever copy they come from: the
 * same rows, exactly.
 */
export async function learnerStates(userId: string): Promise<Map<string, RecallState>> {
  const readAt = Date.now();
  const old = statesCache.get(userId);
  if (old) {
    statesCache.delete(userId);
    cachedRows -= old.versions.size;
  }
  const [stamp, snapshot] = await Promise.all([statesStamp(userId), old ? null : readSnapshot(userId)]);
  let entry = old && sameStamp(old.stamp, stamp) ? old : null;
  if (!entry && old) entry = await refreshed(userId, old, stamp, readAt);
  if (!entry && snapshot) {
    const kept = fromRows(snapshot.rows, snapshot.stamp, snapshot.readAt);
    if (sameStamp(kept.stamp, stamp)) entry = kept;
    else if ((entry = await refreshed(userId, kept, stamp, readAt))) persist(userId, entry);
  }
  if (!entry) {
    entry = fromRows(await itemStates(userId), stamp, readAt);
    persist(userId, entry);
  }
  statesCache.set(userId, entry);
  cachedRows += entry.versions.size;
  for (const [id, e] of statesCache) {
    if (cachedRows <= STATES_CACHE_MAX_ROWS || id === userId) break;
    statesCache.delete(id);
    cachedRows -= e.versions.size;
  }
  return entry.states;
}

/** Forget one learner's cached states (the warm-up: the process keeps its catalogue). */
export function forgetLearnerStates(userId: string) {
  const e = statesCache.get(userId);
  if (!e) return;
  statesCache.delete(userId);
  cachedRows -= e.versions.size;
}

/** Forget the cached catalogue and learner states (tests, benchmarks). */
export function resetMasteryCaches() {
  catalogue = null;
  statesCache.clear();
  cachedRows = 0;
}

export type LiveItem = MasteryItem & { topicId: string };

export interface MasteryInputs {
  settings: Settings;
  curve: ForgettingCurve;
  /** The course's live items by topic, each with the learner's state (null when never reviewed). */
  itemsByTopic: Map<string, LiveItem[]>;
  quizLatest: Record<string, number>;
  passedExercises: Set<string>;
  /** Lessons the learner chose to study (ADR 021). */
  enrolled: Set<string>;
}

/** Everything mastery needs. */
export async function loadMasteryInputs(userId: string, settings?: Settings): Promise<MasteryInputs> {
  const [s, items, stateById, passes, quizLatest, visits] = await Promise.all([
    settings ?? learnerSettings(userId),
    liveItems(),
    learnerStates(userId),
    passedExercises(userId),
    latestQuizScores(userId),
    enrolledLessons(userId),
  ]);
  const itemsByTopic = new Map<string, LiveItem[]>();
  for (const it of items) {
    let list = itemsByTopic.get(it.topicId);
    if (!list) itemsByTopic.set(it.topicId, (list = []));
    list.push({
      id: it.id,
      topicId: it.topicId,
      kind: it.kind,
      tags: it.tags,
      state: stateById.get(it.id) ?? null,
    });
  }
  return {
    settings: s,
    curve: fsrsForgettingCurve(schedulerFor(s).engine.parameters.w),
    itemsByTopic,
    quizLatest,
    passedExercises: new Set(passes),
    enrolled: new Set(visits),
  };
}

export interface TopicSummary {
  slug: string;
  title: string;
  position: number;
  mastery: TopicMastery;
}

/** Mastery of every topic of the course (or only of `only`), in course order; `forecast: false` skips the forecasts. */
export function courseMastery(
  inputs: MasteryInputs,
  now: Date,
  { only, forecast = true }: { only?: string; forecast?: boolean } = {},
): TopicSummary[] {
  const topics = getCourse().course.topics;
  const { timeZone, dayStartHour } = inputs.settings;
  const day = dayWindow(now, timeZone, dayStartHour);
  const learnerDay = (d: Date) => formatDay(dayKey(d, timeZone, dayStartHour), { year: false });
  return (only ? topics.filter((t) => t.slug === only) : topics).map((t) => ({
    slug: t.slug,
    title: t.title,
    position: t.position,
    mastery: topicMastery(
      {
        topicId: t.slug,
        items: inputs.itemsByTopic.get(t.slug) ?? [],
        quizLatest: inputs.quizLatest[t.slug] ?? null,
        passedExercises: inputs.passedExercises,
        enrolled: inputs.enrolled.has(t.slug),
      },
      now,
      inputs.curve,
      { forecast, dayEnd: day.end, formatDay: learnerDay },
    ),
  }));
}

export interface RiskyItem {
  id: string;
  kind: string;
  topic: { slug: string; title: string } | null;
  labelHtml: string;
  recall: number;
  /** Recall in AT_RISK_HORIZON_DAYS days without a review. */
  recallSoon: number;
  due: Date;
}

/** The seen items most at risk of being forgotten, with a label from the content. */
export function riskyItems(inputs: MasteryInputs, now: Date, topicId: string | null, limit = 10): RiskyItem[] {
  const pool = topicId ? inputs.itemsByTopic.get(topicId) ?? [] : [...inputs.itemsByTopic.values()].flat();
  const kinds = new Map(pool.map((i) => [i.id, i.kind]));
  return itemsAtRisk(pool, now, inputs.curve, limit, { threshold: inputs.settings.desiredRetention }).map((r) => {
    const content = getContentItem(r.id);
    const label =
      content?.kind === "card"
        ? renderInline(content.card.front)
        : content?.kind === "quiz"
        ? renderInline(content.question.prompt)
        : content?.kind === "exercise"
        ? escapeHtml(content.exercise.title)
        : escapeHtml(r.id);
    return {
      id: r.id,
      kind: kinds.get(r.id) ?? "card",
      topic: content ? { slug: content.topic.slug, title: content.topic.title } : null,
      labelHtml: label,
      recall: r.recall,
      recallSoon: r.recallSoon,
      due: r.due,
    };
  });
}

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]!));
}
