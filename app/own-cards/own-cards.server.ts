/**
 * The learner's own cards (docs/decisions/025-own-cards.md). Every function
 * takes the learner's id and every query is scoped by it: no learner reads,
 * changes or reviews another's card. A card is reviewed as the item
 * "own:<id>" through the same ItemState and ReviewLog rows as course cards.
 */
import type { OwnCard } from "~/generated/sqlite/client";
import { getCourse, getTopic, renderTopic } from "~/content/course.server";
import { renderUntrusted } from "~/content/render.server";
import { getDb } from "~/db/client.server";
import { queueCache } from "~/review/review.server";
import { MAX_OWN_CARDS, ownItemId } from "./schema";

export type { OwnCard };

export class OwnCardError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The anchors of a lesson's sections (its h2 headings), for checking where a card is added. */
export function sectionAnchors(topicSlug: string): Set<string> {
  const topic = getTopic(topicSlug);
  return new Set(topic ? renderTopic(topic).toc.map((t) => t.anchor) : []);
}

export function checkPlace(topicSlug: string, section: string): { topicId: string; section: string } {
  const topic = getTopic(topicSlug);
  if (!topic) throw new OwnCardError(`There is no lesson called "${topicSlug}".`);
  if (section && !sectionAnchors(topic.slug).has(section)) throw new OwnCardError(`The lesson "${topic.title}" has no section "${section}".`);
  return { topicId: topic.slug, section };
}

export async function listOwnCards(userId: string, topicId?: string): Promise<OwnCard[]> {
  return getDb().ownCard.findMany({ where: { userId, ...(topicId ? { topicId } : {}) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** Several of the learner's cards, presented (the review page's head of the queue). */
/** Ids per query: SQLite takes at most 999 bound parameters in a statement, and a queue can hold thousands of own cards. */
const IDS_PER_QUERY = 500;

export async function ownCardsByIds(userId: string, ids: string[]): Promise<PresentedOwnCard[]> {
  const cards: PresentedOwnCard[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await getDb().ownCard.findMany({ where: { userId, id: { in: ids.slice(i, i + IDS_PER_QUERY) } } });
    for (const row of rows) cards.push(presentOwnCard(row));
  }
  return cards;
}

/** The learner's card with this card id, or null (another learner's card is null too). */
export async function getOwnCard(userId: string, id: string): Promise<OwnCard | null> {
  return getDb().ownCard.findFirst({ where: { id, userId } });
}

export async function createOwnCard(userId: string, input: { topic: string; section: string; front: string; back: string }): Promise<OwnCard> {
  const place = checkPlace(input.topic, input.section);
  const db = getDb();
  const count = await db.ownCard.count({ where: { userId } });
  if (count >= MAX_OWN_CARDS) throw new OwnCardError(`You have ${MAX_OWN_CARDS.toLocaleString("en")} cards of your own, the most an account keeps. Delete some first.`, 409);
  // A resubmitted form (same text in the same lesson) is the card already made, not a second one.
  const same = await db.ownCard.findFirst({ where: { userId, topicId: place.topicId, front: input.front, back: input.back } });
  const card = same ?? (await db.ownCard.create({ data: { userId, ...place, front: input.front, back: input.back } }));
  queueCache.forget(userId);
  return card;
}

export async function updateOwnCard(userId: string, id: string, text: { front: string; back: string }): Promise<OwnCard | null> {
  const db = getDb();
  const res = await db.ownCard.updateMany({ where: { id, userId }, data: { front: text.front, back: text.back } });
  return res.count === 1 ? db.ownCard.findFirst({ where: { id, userId } }) : null;
}

/**
 * Deletes the card and its schedule; its reviews stay in the log (they happened:
 * the day's counts and history keep them). False if the learner has no such card.
 */
export async function deleteOwnCard(userId: string, id: string): Promise<boolean> {
  const db = getDb();
  const done = await db.$transaction(async (tx) => {
    const res = await tx.ownCard.deleteMany({ where: { id, userId } });
    if (res.count !== 1) return false;
    await tx.itemState.deleteMany({ where: { userId, itemId: ownItemId(id) } });
    return true;
  });
  queueCache.forget(userId);
  return done;
}

/** A card as the pages show it: its sides rendered safely, and where it lives. */
export function presentOwnCard(card: OwnCard) {
  const topic = getTopic(card.topicId);
  return {
    id: card.id,
    itemId: ownItemId(card.id),
    topic: card.topicId,
    topicTitle: topic?.title ?? card.topicId,
    section: card.section,
    front: card.front,
    back: card.back,
    frontHtml: renderUntrusted(card.front),
    backHtml: renderUntrusted(card.back),
  };
}
export type PresentedOwnCard = ReturnType<typeof presentOwnCard>;

/** Topic slugs in course order, for ordering own cards among course cards. */
export function topicOrder(): Map<string, number> {
  return new Map(getCourse().course.topics.map((t, i) => [t.slug, i]));
}
