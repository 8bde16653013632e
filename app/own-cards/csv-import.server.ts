/**
 * Cards from a file in Anki's text-import format become the learner's own
 * cards: all of them in one transaction, or none with a message saying why.
 * A card whose front and back the learner already has is skipped, so importing
 * the same file twice adds nothing the second time. Rows of our own export that
 * are course cards (guid "attention-span:<course id>") are skipped too: the
 * course already has them.
 */
import { getCourse, getTopic } from "~/content/course.server";
import { getDb } from "~/db/client.server";
import { decodeUtf8, htmlFieldToMarkdown, parseAnkiText } from "~/domain/anki-csv";
import { queueCache } from "~/review/review.server";
import { OwnCardError } from "./own-cards.server";
import { CardText, MAX_OWN_CARDS } from "./schema";

export interface CsvImportSummary {
  added: number;
  alreadyHere: number;
  courseCards: number;
}

/** The lesson a row names: by its tag "attention-span::<lesson>", or its deck's last part (a lesson's title or slug). */
function topicOf(tags: string[], deck: string | null): string | null {
  for (const t of tags) {
    const m = /^attention-span::([a-z0-9-]+)$/i.exec(t);
    if (m && getTopic(m[1]!.toLowerCase())) return m[1]!.toLowerCase();
  }
  if (deck) {
    const last = deck.split("::").pop()!.trim().toLowerCase();
    const found = getCourse().course.topics.find((t) => t.title.toLowerCase() === last || t.slug === last);
    if (found) return found.slug;
  }
  return null;
}

export async function importCardsCsv(userId: string, bytes: Uint8Array, chosenTopic: string | null): Promise<CsvImportSummary> {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) throw new OwnCardError(decoded.error);
  const parsed = parseAnkiText(decoded.text);
  if (!parsed.ok) throw new OwnCardError(parsed.error);
  const fallback = chosenTopic ? (getTopic(chosenTopic)?.slug ?? null) : null;
  if (chosenTopic && !fallback) throw new OwnCardError(`There is no lesson called "${chosenTopic}". Nothing was imported.`);

  const summary: CsvImportSummary = { added: 0, alreadyHere: 0, courseCards: 0 };
  const rows: { topicId: string; front: string; back: string }[] = [];
  for (const c of parsed.cards) {
    if (c.guid && c.guid.startsWith("attention-span:") && !c.guid.startsWith("attention-span:own:")) {
      summary.courseCards++;
      continue;
    }
    const text = CardText.safeParse(parsed.html ? { front: htmlFieldToMarkdown(c.front), back: htmlFieldToMarkdown(c.back) } : { front: c.front, back: c.back });
    if (!text.success) throw new OwnCardError(`Line ${c.line}: ${text.error.issues[0]!.message} Nothing was imported.`);
    const topicId = topicOf(c.tags, c.deck) ?? fallback;
    if (!topicId) throw new OwnCardError(`Line ${c.line}: its deck and tags name no lesson of this course; choose the lesson the cards belong to and import again. Nothing was imported.`);
    rows.push({ topicId, ...text.data });
  }

  const db = getDb();
  const result = await db.$transaction(async (tx) => {
    const here = await tx.ownCard.findMany({ where: { userId }, select: { front: true, back: true } });
    const seen = new Set(here.map((h) => JSON.stringify([h.front, h.back])));
    const fresh = rows.filter((r) => {
      const key = JSON.stringify([r.front, r.back]);
      if (seen.has(key)) {
        summary.alreadyHere++;
        return false;
      }
      seen.add(key);
      return true;
    });
    if (here.length + fresh.length > MAX_OWN_CARDS) {
      throw new OwnCardError(`This file would give you ${(here.length + fresh.length).toLocaleString("en")} cards of your own; an account keeps at most ${MAX_OWN_CARDS.toLocaleString("en")}. Nothing was imported.`);
    }
    // Each card a millisecond apart, so the queue takes them in file order (own cards come in the order written).
    const start = Date.now();
    for (let i = 0; i < fresh.length; i += 500) {
      await tx.ownCard.createMany({ data: fresh.slice(i, i + 500).map((r, j) => ({ userId, section: "", ...r, createdAt: new Date(start - fresh.length + i + j) })) });
    }
    summary.added = fresh.length;
    return summary;
  }, { timeout: 60_000, maxWait: 10_000 });
  queueCache.forget(userId);
  return result;
}
