/**
 * The learner's own cards over real HTTP, on whichever database the suite runs
 * on: created in a lesson section, reviewed through /api/review like a course
 * card, invisible to every other learner, imported from Anki's text format
 * (and refused whole when the file is bad), and carried by every export.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzip } from "../../app/data-transfer/zip.server";
import { Client, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
let fresh: TestServer;
let a: Client;
let b: Client;
let aId: string;
let bId: string;
let section: string;
let cardId: string;
const FRONT = "What does $\\sqrt{d_k}$ scale (zqmarker)? <script>alert(1)</script>";
const BACK = "The dot products **before** the softmax.";

type Entry = { itemId: string; version: number; kind: string; frontHtml?: string; backHtml?: string };
const view = async (c: Client) => ((await (await c.get("/api/review")).json()) as { view: { entries: Entry[] } }).view.entries;
const ownCount = async (userId: string) => (await server.one<{ n: number }>("SELECT count(*) AS n FROM OwnCard WHERE userId = ?", userId))!.n;
const upload = (c: Client, body: Blob, topic = "") => {
  const form = new FormData();
  form.append("intent", "csv");
  form.append("topic", topic);
  form.append("file", body, "cards.csv");
  return c.request("/account/data", { method: "POST", body: form });
};
const addCard = (c: Client, fields: Record<string, string>) =>
  c.post("/own-cards", { intent: "add", topic: "attention", section, front: FRONT, back: BACK, returnTo: `/lessons/attention#${section}`, ...fields });

beforeAll(async () => {
  // One after the other: each gets the harness's whole start-up allowance on a busy machine.
  server = await startServer();
  fresh = await startServer();
  a = new Client(server.url);
  b = new Client(server.url);
  aId = (await signUp(a)).id;
  bId = (await signUp(b)).id;
  const page = await (await a.get("/lessons/attention")).text();
  section = /name="section" value="([^"]+)"/.exec(page)![1]!;
}, 120_000);
afterAll(async () => Promise.all([server?.stop(), fresh?.stop()]));

describe("an own card", () => {
  it("is created from a lesson section's form, once however often the form is sent", async () => {
    const res = await addCard(a, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/lessons/attention#${section}`);
    expect((await addCard(a, {})).status).toBe(303);
    const rows = await server.all<{ id: string; topicId: string; section: string; front: string }>("SELECT id, topicId, section, front FROM OwnCard WHERE userId = ?", aId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ topicId: "attention", section, front: FRONT });
    cardId = rows[0]!.id;
    // The lesson page shows it, rendered: math by KaTeX, the script tag as text.
    const page = await (await a.get("/lessons/attention")).text();
    expect(page).toContain("Your cards here (1)");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("refuses bad input with a 4xx and a message, changing nothing", async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ front: "   " }, 400, /Write the card's front/],
      [{ back: "x".repeat(2001) }, 400, /at most 2,000 characters/],
      [{ topic: "no-such-lesson" }, 400, /no lesson called/],
      [{ section: "no-such-section" }, 400, /has no section/],
      [{ intent: "explode" }, 400, /Unknown action/],
      [{ front: "a\u0007b" }, 400, /control characters/],
    ];
    for (const [fields, status, message] of cases) {
      const res = await addCard(a, fields);
      expect(res.status, String(message)).toBe(status);
      expect(await res.text()).toMatch(message);
    }
    expect(await ownCount(aId)).toBe(1);
  });

  it("is in the learner's review queue, rendered safely, and is reviewed through /api/review like a course card", async () => {
    const entries = await view(a);
    const mine = entries.find((e) => e.itemId === `own:${cardId}`)!;
    expect(mine).toBeDefined();
    expect(mine.kind).toBe("card");
    expect(mine.frontHtml).toContain("katex");
    expect(mine.frontHtml).not.toContain("<script");
    expect(mine.backHtml).toContain("<strong>before</strong>");
    const res = await a.post("/api/review", { intent: "rate", itemId: mine.itemId, rating: "3", version: "0", clientId: "own-review-0001", durationMs: "5000" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("recorded");
    const state = await server.one<{ state: number; version: number }>("SELECT state, version FROM ItemState WHERE userId = ? AND itemId = ?", aId, `own:${cardId}`);
    expect(state).toMatchObject({ version: 1 });
    expect(state!.state).toBeGreaterThan(0);
    // Undo works on it as on any card.
    const undo = (await (await a.post("/api/review", { intent: "undo", clientId: "own-undo-00001" })).json()) as { status: string; itemId: string };
    expect(undo).toMatchObject({ status: "undone", itemId: `own:${cardId}` });
    const again = await a.post("/api/review", { intent: "rate", itemId: `own:${cardId}`, rating: "3", version: "2", clientId: "own-review-0002", durationMs: "4000" });
    expect(((await again.json()) as { status: string }).status).toBe("recorded");
    // The pages that read item states and the log still render with an own card among them.
    for (const path of ["/", "/progress", "/progress/stats", "/progress/attention", "/review"]) expect((await a.get(path)).status, path).toBe(200);
  });

  it("is no one else's: another learner cannot see, review, edit, delete or export it", async () => {
    expect((await view(b)).some((e) => e.itemId.startsWith("own:"))).toBe(false);
    const rate = await b.post("/api/review", { intent: "rate", itemId: `own:${cardId}`, rating: "4", version: "0", clientId: "own-steal-0001", durationMs: "1000" });
    expect(rate.status).toBe(404);
    expect((await b.post("/own-cards", { intent: "save", id: cardId, front: "mine now", back: "x" })).status).toBe(404);
    expect((await b.post("/own-cards", { intent: "delete", id: cardId })).status).toBe(404);
    expect(await server.one("SELECT count(*) AS n FROM ItemState WHERE userId = ? AND itemId LIKE 'own:%'", bId)).toEqual({ n: 0 });
    expect((await server.one<{ front: string }>("SELECT front FROM OwnCard WHERE id = ?", cardId))!.front).toBe(FRONT);
    expect(await (await b.get("/account/anki.csv")).text()).not.toContain("zqmarker");
    expect(await (await b.get("/account/export")).text()).not.toContain("zqmarker");
    expect(await (await b.get("/account/data")).text()).not.toContain("zqmarker");
    const files = unzip(Buffer.from(await (await b.get("/account/anki.apkg")).arrayBuffer()));
    const col = new Database(files.find((f) => f.name === "collection.anki2")!.data, { readonly: true });
    try {
      expect(col.prepare("SELECT count(*) AS n FROM notes WHERE guid LIKE '%own:%'").get()).toEqual({ n: 0 });
    } finally {
      col.close();
    }
  });

  it("goes into the .apkg as its own note tagged own and its lesson, with its review history", async () => {
    const files = unzip(Buffer.from(await (await a.get("/account/anki.apkg")).arrayBuffer()));
    const col = new Database(files.find((f) => f.name === "collection.anki2")!.data, { readonly: true });
    try {
      const note = col.prepare("SELECT id, tags, flds FROM notes WHERE guid = ?").get(`attention-span:own:${cardId}`) as { id: number; tags: string; flds: string };
      expect(note.tags.trim().split(" ").sort()).toEqual(["attention-span::attention", "own"]);
      const [front, back] = note.flds.split("\x1f");
      expect(front).toContain("\\(\\sqrt{d_k}\\)");
      expect(front).toContain("&lt;script&gt;");
      expect(back).toContain("<strong>before</strong>");
      const card = col.prepare("SELECT type, reps FROM cards WHERE nid = ?").get(note.id) as { type: number; reps: number };
      expect(card.type).toBeGreaterThan(0);
      expect(col.prepare("SELECT count(*) AS n FROM revlog WHERE cid = ?").get(note.id)).toEqual({ n: 1 });
    } finally {
      col.close();
    }
    const csv = await (await a.get("/account/anki.csv")).text();
    expect(csv).toContain(`attention-span:own:${cardId}`);
    expect(csv).toMatch(/own attention-span::attention|attention-span::attention own/);
  });

  it("goes into the backup, and the backup restores it on a fresh server (and refuses it into another account here)", async () => {
    const backup = await (await a.get("/account/export")).text();
    const parsed = JSON.parse(backup) as { ownCards: { id: string; front: string }[] };
    expect(parsed.ownCards).toEqual([expect.objectContaining({ id: cardId, front: FRONT })]);
    const form = (body: string) => {
      const f = new FormData();
      f.append("file", new Blob([body], { type: "application/json" }), "backup.json");
      return f;
    };
    // Into b's account on this server: the card is a's.
    const refused = await b.request("/account/data", { method: "POST", body: form(backup) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/belong to another account/);
    expect(await ownCount(bId)).toBe(0);

    {
      const c = new Client(fresh.url);
      const cId = (await signUp(c)).id;
      for (let i = 0; i < 2; i++) {
        const res = await c.request("/account/data", { method: "POST", body: form(backup) });
        expect(res.status).toBe(200);
      }
      expect(await fresh.all("SELECT id, topicId, section, front, back FROM OwnCard WHERE userId = ?", cId)).toEqual(
        await server.all("SELECT id, topicId, section, front, back FROM OwnCard WHERE userId = ?", aId),
      );
      const cols = "itemId, due, stability, difficulty, reps, lapses, state";
      expect(await fresh.all(`SELECT ${cols} FROM ItemState WHERE userId = ? AND itemId LIKE 'own:%'`, cId)).toEqual(
        await server.all(`SELECT ${cols} FROM ItemState WHERE userId = ? AND itemId LIKE 'own:%'`, aId),
      );
      // And it is reviewable there.
      expect((await view(c)).some((e) => e.itemId === `own:${cardId}`) || (await fresh.one("SELECT 1 AS ok FROM ItemState WHERE itemId = ?", `own:${cardId}`)) !== undefined).toBe(true);
    }
  }, 60_000);

  it("is in the learner's item browser, where it is found, suspended, reviewed now and forgotten like a course card; no one else's", async () => {
    const itemId = `own:${cardId}`;
    const page = (await (await a.get("/items?q=is:own")).text()).replaceAll("<!-- -->", "");
    expect(page).toContain(`data-item="${itemId}"`);
    expect(page).toContain("your own flashcard");
    expect(page).toMatch(/1 of \d+ items/);
    // Searching its text finds it, among the course's items of its lesson.
    expect(await (await a.get("/items?q=zqmarker&topic=attention")).text()).toContain(`data-item="${itemId}"`);
    // Another learner's browser has none of it, and cannot act on it.
    expect(await (await b.get("/items?q=zqmarker")).text()).not.toContain(itemId);
    expect((await b.post("/items", { intent: "suspend", itemId })).status).toBe(404);
    expect(await server.one("SELECT count(*) AS n FROM ItemState WHERE userId = ? AND itemId = ?", bId, itemId)).toEqual({ n: 0 });
    // Review now: the review page shows it alone; for the other learner, nothing.
    const focus = (await (await a.get(`/api/review?item=${encodeURIComponent(itemId)}`)).json()) as { view: { entries: Entry[] } };
    expect(focus.view.entries.map((e) => e.itemId)).toEqual([itemId]);
    const theirs = (await (await b.get(`/api/review?item=${encodeURIComponent(itemId)}`)).json()) as { view: { entries: Entry[] } };
    expect(theirs.view.entries.some((e) => e.itemId === itemId)).toBe(false);
    // Suspended, it leaves the learner's queue and says so in the browser; unsuspended, it is back.
    expect((await a.post("/items", { intent: "suspend", itemId })).status).toBe(303);
    expect(await (await a.get("/items?q=is:own+is:suspended")).text()).toContain(`data-item="${itemId}"`);
    expect(await server.one("SELECT suspended FROM ItemState WHERE userId = ? AND itemId = ?", aId, itemId)).toMatchObject({ suspended: expect.anything() });
    expect((await view(a)).some((e) => e.itemId === itemId)).toBe(false);
    expect((await a.post("/items", { intent: "unsuspend", itemId })).status).toBe(303);
    // Forget resets it to new, logged as a forget row.
    const before = await server.one<{ state: number }>("SELECT state FROM ItemState WHERE userId = ? AND itemId = ?", aId, itemId);
    expect(before!.state).not.toBe(0);
    expect((await a.post("/items", { intent: "forget", itemId, clientId: `forget-own-${cardId}`.slice(0, 64).replace(/[^A-Za-z0-9_-]/g, "_") })).status).toBe(303);
    expect(await server.one("SELECT state FROM ItemState WHERE userId = ? AND itemId = ?", aId, itemId)).toEqual({ state: 0 });
    expect(await server.one("SELECT count(*) AS n FROM ReviewLog WHERE userId = ? AND itemId = ? AND kind = 'forget'", aId, itemId)).toEqual({ n: 1 });
  });

  it("is edited and deleted by its owner; its reviews stay in the log", async () => {
    expect((await a.post("/own-cards", { intent: "save", id: cardId, front: "Edited front", back: "Edited back", returnTo: "/account/data#own-cards" })).status).toBe(303);
    expect((await server.one<{ front: string }>("SELECT front FROM OwnCard WHERE id = ?", cardId))!.front).toBe("Edited front");
    expect(await (await a.get("/account/data")).text()).toContain("Edited front");
    const keep = await addCard(a, { front: "Second card", back: "kept" });
    expect(keep.status).toBe(303);
    expect((await a.post("/own-cards", { intent: "delete", id: cardId })).status).toBe(303);
    expect(await server.one("SELECT count(*) AS n FROM OwnCard WHERE id = ?", cardId)).toEqual({ n: 0 });
    expect(await server.one("SELECT count(*) AS n FROM ItemState WHERE itemId = ?", `own:${cardId}`)).toEqual({ n: 0 });
    expect((await server.one<{ n: number }>("SELECT count(*) AS n FROM ReviewLog WHERE itemId = ?", `own:${cardId}`))!.n).toBeGreaterThan(0);
    expect((await view(a)).some((e) => e.itemId === `own:${cardId}`)).toBe(false);
    // The learner's backup still imports (the deleted card's reviews are history).
    const f = new FormData();
    f.append("file", new Blob([await (await a.get("/account/export")).text()], { type: "application/json" }), "backup.json");
    expect((await a.request("/account/data", { method: "POST", body: f })).status).toBe(200);
  });
});

describe("importing cards from Anki's text format", () => {
  it("adds each row as an own card, in the lesson its tag or deck names or the one chosen, and adds nothing the second time", async () => {
    const before = await ownCount(bId);
    const tabbed = ["#separator:tab", "#html:false", "#columns:Front\tBack\tTags", "What is a token?\tA piece of text the model reads as one unit.\tattention-span::tokenization", "Softmax of $x_i$?\t$e^{x_i} / \\sum_j e^{x_j}$\t"].join("\n");
    let res = await upload(b, new Blob([tabbed]), "attention");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Imported 2 cards");
    const semicolons = ['#separator:Semicolon', '#deck:Attention Span::Attention', '"A field; with a separator";"and a ""quote""', 'over two lines"'].join("\r\n");
    res = await upload(b, new Blob([semicolons]));
    expect(res.status).toBe(200);
    const rows = await server.all<{ topicId: string; front: string; back: string }>("SELECT topicId, front, back FROM OwnCard WHERE userId = ? ORDER BY createdAt, id", bId);
    expect(rows.slice(before)).toEqual([
      { topicId: "tokenization", front: "What is a token?", back: "A piece of text the model reads as one unit." },
      { topicId: "attention", front: "Softmax of $x_i$?", back: "$e^{x_i} / \\sum_j e^{x_j}$" },
      { topicId: "attention", front: "A field; with a separator", back: 'and a "quote"\nover two lines' },
    ]);
    // Again: nothing new. Our own CSV export reads back too: its course cards are skipped, its own cards already here.
    res = await upload(b, new Blob([tabbed]), "attention");
    expect(await res.text()).toContain("Imported 0 cards");
    res = await upload(b, new Blob([await (await b.get("/account/anki.csv")).text()]));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Imported 0 cards.*3 were already here.*course cards were skipped/);
    expect(await ownCount(bId)).toBe(before + 3);
    // They are in b's queue.
    expect((await view(b)).filter((e) => e.itemId.startsWith("own:")).length).toBe(3);
  });

  it("refuses a file with missing columns, bad encoding, no lesson or over the size cap, with a message, and changes nothing", async () => {
    const before = await ownCount(bId);
    const cases: [Blob, string, number, RegExp][] = [
      [new Blob(["#columns:Question\tAnswer\nq\ta\n"]), "attention", 400, /names no Front or Back column/],
      [new Blob(["#separator:tab\nfront one\tback one\nonly a front\n"]), "attention", 400, /Line 3 has 1 column/],
      [new Blob([Buffer.from([0x66, 0x09, 0xc3, 0x28, 0x0a])]), "attention", 400, /not valid UTF-8/],
      [new Blob([Buffer.from([0xff, 0xfe, 0x66, 0x00])]), "attention", 400, /UTF-16/],
      [new Blob(["new front\tnew back\n"]), "", 400, /name no lesson/],
      [new Blob(['"never closed\tback\n']), "attention", 400, /never closed/],
      [new Blob([`ok\t${"x".repeat(2001)}\n`]), "attention", 400, /Line 1: The back is too long/],
      [new Blob([Buffer.alloc(50 * 1024 * 1024, 32)]), "attention", 413, /too large/],
    ];
    for (const [body, topic, status, message] of cases) {
      const res = await upload(b, body, topic);
      expect(res.status, String(message)).toBe(status);
      expect(await res.text()).toMatch(message);
    }
    expect(await ownCount(bId)).toBe(before);
  }, 60_000);
});
