/** Queue entries as the review page shows them. Content HTML is rendered once per course (renderInline keeps it). */
import { getContentItem, renderInline } from "~/content/course.server";
import { publicQuestion, type PublicQuestion } from "~/quiz/present.server";
import { fuzzKey, newMemoryState, type MemoryState, type Scheduler } from "~/domain/scheduler";
import type { QueueEntryKind } from "~/domain/queue";
import { DEFAULT_LEECH_THRESHOLD, isLeech } from "~/domain/leech";

/** A leech (domain/leech.ts): forgotten `lapses` times; `href` is its lesson section. */
export type LeechMark = { lapses: number; href: string } | null;

type Base = { itemId: string; queue: QueueEntryKind; version: number; topic: string; leech: LeechMark };
export type Presented =
  | (Base & { kind: "card"; frontHtml: string; backHtml: string; previews: Record<number, string> })
  | (Base & { kind: "quiz"; question: PublicQuestion })
  | (Base & { kind: "exercise"; title: string; href: string });

/** The render a review question's choice tokens belong to: this learner, this item, this version of its state. */
export function reviewNonce(userId: string, itemId: string, version: number): string {
  return `review:${userId}:${itemId}:${version}`;
}

export function present(
  userId: string,
  entry: { itemId: string; kind: QueueEntryKind },
  version: number,
  state: MemoryState | undefined,
  scheduler: Scheduler,
  now: Date,
  leechThreshold = DEFAULT_LEECH_THRESHOLD,
  own?: Map<string, { topic: string; topicTitle: string; section: string; frontHtml: string; backHtml: string }>,
): Presented | null {
  const mine = own?.get(entry.itemId);
  if (mine) {
    // The learner's own card (ADR 025): shown and rated like a course card.
    const preview = scheduler.preview(state ?? newMemoryState(now), now, fuzzKey(userId, entry.itemId));
    const leech = state && isLeech(state.lapses, leechThreshold) ? { lapses: state.lapses, href: `/lessons/${mine.topic}#${mine.section}` } : null;
    return { itemId: entry.itemId, queue: entry.kind, version, topic: mine.topicTitle, leech, kind: "card", frontHtml: mine.frontHtml, backHtml: mine.backHtml, previews: { 1: preview[1].label, 2: preview[2].label, 3: preview[3].label, 4: preview[4].label } };
  }
  const item = getContentItem(entry.itemId);
  if (!item) return null;
  const section = item.kind === "card" ? item.card.section : item.kind === "quiz" ? item.question.section : item.exercise.section;
  const leech = state && isLeech(state.lapses, leechThreshold) ? { lapses: state.lapses, href: `/lessons/${item.topic.slug}#${section}` } : null;
  const base = { itemId: entry.itemId, queue: entry.kind, version, topic: item.topic.title, leech };
  if (item.kind === "card") {
    const html = { frontHtml: renderInline(item.card.front), backHtml: renderInline(item.card.back) };
    const preview = scheduler.preview(state ?? newMemoryState(now), now, fuzzKey(userId, entry.itemId));
    return { ...base, kind: "card", ...html, previews: { 1: preview[1].label, 2: preview[2].label, 3: preview[3].label, 4: preview[4].label } };
  }
  if (item.kind === "quiz") return { ...base, kind: "quiz", question: publicQuestion(item.question, reviewNonce(userId, item.id, version)) };
  return { ...base, kind: "exercise", title: item.exercise.title, href: `/exercises/${item.id}?review=1` };
}
