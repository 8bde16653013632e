/**
 * The learner's cards as an Anki package (.apkg: a zip of collection.anki2 in
 * schema 11 and a `media` file) and as CSV in Anki's text-import format.
 * See docs/decisions/020-data-transfer.md.
 */
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { getCourse } from "~/content/course.server";
import { createRenderer, renderUntrusted } from "~/content/render.server";
import { listOwnCards } from "~/own-cards/own-cards.server";
import { ownItemId } from "~/own-cards/schema";
import { getDb } from "~/db/client.server";
import { ankiCard, ankiTag, checksumFromSha1Hex, collectionStart, revlogRows, stripHtml, toAnkiCsv, type CsvNote, type ReviewLike, type StateLike } from "~/domain/anki";
import { getSettings } from "~/settings/settings.server";
import { zip } from "./zip.server";

/** Fixed ids, so a second import into Anki updates the same note type, decks and notes. */
const ID_BASE = 1_600_000_000_000;
const MODEL_ID = ID_BASE + 1;
const DECK_ID_BASE = ID_BASE + 100;
const ROOT_DECK = "Attention Span";

export interface ExportNote {
  itemId: string;
  guid: string;
  front: string;
  back: string;
  deck: string;
  deckId: number;
  tags: string[];
  state: StateLike | undefined;
  reviews: ReviewLike[];
}

let mathjaxInline: { course: unknown; inline: (md: string) => string } | null = null;
/** Card Markdown to the HTML Anki shows: code as HTML, math left as \( \) and \[ \] for Anki's MathJax. */
function ankiHtml(md: string): string {
  const loaded = getCourse();
  if (mathjaxInline?.course !== loaded.course) {
    mathjaxInline = { course: loaded.course, inline: createRenderer({ slug: null, resources: loaded.resources, diagramBase: "", math: "mathjax" }).inline };
  }
  return mathjaxInline.inline(md);
}

interface StoredState {
  due: string;
  scheduledDays: number;
  state: number;
}
const parsedState = (json: string): { due: Date; scheduledDays: number; state: number } | null => {
  const s = JSON.parse(json) as StoredState | null;
  return s ? { due: new Date(s.due), scheduledDays: s.scheduledDays, state: s.state } : null;
};

/** Every live course card, in course order, with this learner's state and review history. */
export async function exportNotes(userId: string): Promise<ExportNote[]> {
  const { course } = getCourse();
  const db = getDb();
  const [states, logs, retired, own] = await Promise.all([
    db.itemState.findMany({ where: { userId } }),
    db.reviewLog.findMany({ where: { userId, kind: "review", undone: false }, orderBy: { id: "asc" } }),
    db.item.findMany({ where: { kind: "card", retiredAt: { not: null } }, select: { id: true } }),
    listOwnCards(userId),
  ]);
  const gone = new Set(retired.map((r) => r.id));
  const stateOf = new Map(states.map((s) => [s.itemId, s]));
  const reviewsOf = new Map<string, ReviewLike[]>();
  for (const l of logs) {
    const after = parsedState(l.stateAfter);
    if (!after) continue;
    const list = reviewsOf.get(l.itemId) ?? [];
    list.push({ reviewedAt: l.reviewedAt, rating: l.rating, prevState: l.prevState, durationMs: l.durationMs, before: parsedState(l.stateBefore), after });
    reviewsOf.set(l.itemId, list);
  }
  const notes: ExportNote[] = [];
  for (const topic of course.topics) {
    const deck = `${ROOT_DECK}::${topic.title}`;
    for (const card of topic.cards) {
      if (gone.has(card.id)) continue;
      notes.push({
        itemId: card.id,
        guid: `attention-span:${card.id}`,
        front: ankiHtml(card.front),
        back: ankiHtml(card.back),
        deck,
        deckId: DECK_ID_BASE + topic.position,
        tags: [ankiTag("attention-span", topic.slug), ...card.tags.map((t) => ankiTag("concept", t))],
        state: stateOf.get(card.id),
        reviews: reviewsOf.get(card.id) ?? [],
      });
    }
    // The learner's own cards, after the course's in their lesson's deck: a note of their own, tagged "own" (ADR 025).
    for (const card of own.filter((c) => c.topicId === topic.slug)) {
      const itemId = ownItemId(card.id);
      notes.push({
        itemId,
        guid: `attention-span:${itemId}`,
        front: renderUntrusted(card.front, "mathjax"),
        back: renderUntrusted(card.back, "mathjax"),
        deck,
        deckId: DECK_ID_BASE + topic.position,
        tags: ["own", ankiTag("attention-span", topic.slug)],
        state: stateOf.get(itemId),
        reviews: reviewsOf.get(itemId) ?? [],
      });
    }
  }
  return notes;
}

export async function exportCsv(userId: string): Promise<string> {
  const notes = await exportNotes(userId);
  return toAnkiCsv(notes.map((n): CsvNote => ({ guid: n.guid, front: n.front, back: n.back, deck: n.deck, tags: n.tags })));
}

const SCHEMA_11 = `
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null, ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null, models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null, mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null, ivl integer not null, factor integer not null, reps integer not null, lapses integer not null, left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
`;

function deckJson(id: number, name: string, mod: number) {
  return {
    id,
    name,
    mod,
    usn: -1,
    lrnToday: [0, 0],
    revToday: [0, 0],
    newToday: [0, 0],
    timeToday: [0, 0],
    collapsed: false,
    browserCollapsed: false,
    desc: "",
    dyn: 0,
    conf: 1,
    extendNew: 0,
    extendRev: 0,
  };
}

function field(name: string, ord: number) {
  return { name, ord, sticky: false, rtl: false, font: "Arial", size: 20, media: [] };
}

/** The schema-11 collection as bytes (an in-memory SQLite database, serialised). */
export function buildCollection(notes: readonly ExportNote[], settings: { desiredRetention: number; dayStartHour: number; newPerDay: number; reviewCap: number; maximumInterval: number }, now: Date): Buffer {
  const firstReview = notes.flatMap((n) => n.reviews.map((r) => r.reviewedAt.getTime())).reduce((a, b) => Math.min(a, b), now.getTime());
  const crt = collectionStart(new Date(firstReview), settings.dayStartHour);
  const mod = now.getTime();
  const modSeconds = Math.floor(mod / 1000);
  const decks: Record<string, unknown> = { "1": deckJson(1, "Default", modSeconds) };
  decks[String(DECK_ID_BASE)] = deckJson(DECK_ID_BASE, ROOT_DECK, modSeconds);
  for (const n of notes) decks[String(n.deckId)] ??= deckJson(n.deckId, n.deck, modSeconds);
  const model = {
    id: MODEL_ID,
    name: "Attention Span Basic",
    type: 0,
    mod: modSeconds,
    usn: -1,
    sortf: 0,
    did: DECK_ID_BASE,
    tmpls: [{ name: "Card 1", ord: 0, qfmt: "{{Front}}", afmt: "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}", bqfmt: "", bafmt: "", did: null, bfont: "", bsize: 0 }],
    flds: [field("Front", 0), field("Back", 1)],
    css: ".card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left; color: black; background-color: white; }\npre { text-align: left; }",
    latexPre: "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
    latexPost: "\\end{document}",
    latexsvg: false,
    req: [[0, "any", [0]]],
    tags: [],
    vers: [],
  };
  const dconf = {
    "1": {
      id: 1,
      name: "Default",
      mod: modSeconds,
      usn: -1,
      maxTaken: 60,
      autoplay: true,
      timer: 0,
      replayq: true,
      dyn: false,
      new: { bury: false, delays: [1, 10], initialFactor: 2500, ints: [1, 4, 0], order: 1, perDay: settings.newPerDay },
      lapse: { delays: [10], leechAction: 1, leechFails: 8, minInt: 1, mult: 0 },
      rev: { bury: false, ease4: 1.3, ivlFct: 1, maxIvl: settings.maximumInterval, perDay: settings.reviewCap, hardFactor: 1.2 },
      desiredRetention: settings.desiredRetention,
    },
  };
  const conf = { nextPos: notes.length + 1, estTimes: true, activeDecks: [1], sortType: "noteFld", timeLim: 0, sortBackwards: false, addToCur: true, curDeck: 1, newSpread: 0, dueCounts: true, curModel: MODEL_ID, collapseTime: 1200, schedVer: 2 };

  const db = new Database(":memory:");
  try {
    db.exec(SCHEMA_11);
    db.prepare("INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')").run(
      crt,
      mod,
      mod,
      JSON.stringify(conf),
      JSON.stringify({ [MODEL_ID]: model }),
      JSON.stringify(decks),
      JSON.stringify(dconf),
    );
    const insertNote = db.prepare("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')");
    const insertCard = db.prepare("INSERT INTO cards VALUES (?, ?, ?, 0, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)");
    const insertRevlog = db.prepare("INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)");
    const taken = new Set<number>();
    db.transaction(() => {
      notes.forEach((n, i) => {
        const id = ID_BASE + 1_000_000 + i;
        const sort = stripHtml(n.front);
        const csum = checksumFromSha1Hex(crypto.createHash("sha1").update(sort).digest("hex"));
        insertNote.run(id, n.guid, MODEL_ID, modSeconds, ` ${n.tags.join(" ")} `, `${n.front}\x1f${n.back}`, sort, csum);
        const c = ankiCard(n.state, i + 1, crt, settings.desiredRetention, now);
        insertCard.run(id, id, n.deckId, modSeconds, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses, c.left, c.data);
        for (const r of revlogRows(n.reviews, taken)) insertRevlog.run(r.id, id, r.ease, r.ivl, r.lastIvl, r.factor, r.time, r.type);
      });
    })();
    return db.serialize();
  } finally {
    db.close();
  }
}

export async function exportApkg(userId: string, now: Date): Promise<Buffer> {
  const [notes, settings] = await Promise.all([exportNotes(userId), getSettings(userId)]);
  const collection = buildCollection(notes, settings, now);
  return zip(
    [
      { name: "collection.anki2", data: collection },
      { name: "media", data: Buffer.from("{}") },
    ],
    now,
  );
}
