/**
 * The item browser and its actions over HTTP, on SQLite and (TEST_DATABASE=postgres)
 * PostgreSQL: suspend, unsuspend and forget change only the learner's own rows,
 * suspended items leave the queue, the browser's filters, and bad input is a 4xx
 * that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type TestServer, studyLesson, twoLearners } from "./harness";

let server: TestServer;
let a: Client;
let b: Client;
let aId: string;
let bId: string;

const CARD = "att-bottleneck";
const OTHER = "att-long-sentences";

const rowsOf = (userId: string) => server.all("SELECT * FROM ItemState WHERE userId = ? ORDER BY itemId", userId);
const logsOf = (userId: string) => server.all("SELECT * FROM ReviewLog WHERE userId = ? ORDER BY id", userId);
const snapshot = async (userId: string) => JSON.stringify([await rowsOf(userId), await logsOf(userId)]);
const itemsOnPage = (html: string) => [...html.matchAll(/data-item="([^"]+)"/g)].map((m) => m[1]!);
const queueIds = async (c: Client) => ((await (await c.get("/api/review")).json()) as { view: { entries: { itemId: string }[] } }).view.entries.map((e) => e.itemId);

beforeAll(async () => {
  ({ server, a, b, aId, bId } = await twoLearners());
  for (const [itemId, n] of [
    [CARD, 1],
    [OTHER, 2],
  ] as const) {
    const res = await a.post("/api/review", { intent: "rate", itemId, rating: "1", version: "0", clientId: `a-rate-${n}-000` });
    expect(res.status).toBe(200);
  }
}, 60_000);
afterAll(async () => server?.stop());

describe("suspend and unsuspend", () => {
  it("suspends only the learner's own item, takes it out of their queue, and is idempotent", async () => {
    expect(await queueIds(a)).toContain(CARD); // a relearning step, due soon
    const bBefore = await snapshot(bId);
    const res = await a.post("/items", { intent: "suspend", itemId: CARD, back: "?q=att" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/items?q=att&done=suspend");
    const row = await server.one<{ suspended: number; version: number }>("SELECT suspended, version FROM ItemState WHERE userId = ? AND itemId = ?", aId, CARD);
    expect(row!.suspended).toBe(1);
    expect(await queueIds(a)).not.toContain(CARD);
    expect(await snapshot(bId)).toBe(bBefore);
    // Again: nothing changes, not even the version.
    await a.post("/items", { intent: "suspend", itemId: CARD });
    expect((await server.one<{ version: number }>("SELECT version FROM ItemState WHERE userId = ? AND itemId = ?", aId, CARD))!.version).toBe(row!.version);
  });

  it("B suspending the same item makes B a row of B's own and leaves A's alone", async () => {
    const aBefore = await snapshot(aId);
    expect((await b.post("/items", { intent: "suspend", itemId: OTHER })).status).toBe(303);
    expect((await b.post("/items", { intent: "unsuspend", itemId: CARD })).status).toBe(303);
    expect(await snapshot(aId)).toBe(aBefore);
    const bRows = await server.all<{ itemId: string; suspended: number; state: number }>("SELECT itemId, suspended, state FROM ItemState WHERE userId = ?", bId);
    expect(bRows).toEqual([{ itemId: OTHER, suspended: 1, state: 0 }]);
    // A never-seen suspended item does not come as a new card either.
    await studyLesson(b, "attention");
    expect(await queueIds(b)).not.toContain(OTHER);
  });

  it("unsuspending brings the item back", async () => {
    expect((await a.post("/items", { intent: "unsuspend", itemId: CARD })).status).toBe(303);
    expect(await queueIds(a)).toContain(CARD);
  });
});

describe("forget", () => {
  it("resets the learner's item to new, logs it once, and leaves the other learner alone", async () => {
    const bBefore = await snapshot(bId);
    const form = { intent: "forget", itemId: OTHER, clientId: "forget-abc-0001" };
    expect((await a.post("/items", form)).status).toBe(303);
    expect((await a.post("/items", form)).status).toBe(303); // a resubmission
    const row = await server.one<{ state: number; reps: number; lapses: number }>("SELECT state, reps, lapses FROM ItemState WHERE userId = ? AND itemId = ?", aId, OTHER);
    expect(row).toEqual({ state: 0, reps: 0, lapses: 0 });
    const forgets = await server.all<{ kind: string; prevState: number }>("SELECT kind, prevState FROM ReviewLog WHERE userId = ? AND kind = 'forget'", aId);
    expect(forgets).toEqual([{ kind: "forget", prevState: 1 }]); // it was in its learning steps
    expect(await snapshot(bId)).toBe(bBefore);
  });
});

describe("the browser's filters", () => {
  it("filters by search conditions, selects and text", async () => {
    await a.post("/items", { intent: "suspend", itemId: CARD });
    const page = async (q: string) => {
      const res = await a.get(`/items?${q}`);
      expect(res.status).toBe(200);
      return itemsOnPage(await res.text());
    };
    expect(await page("q=is%3Asuspended")).toEqual([CARD]);
    expect(await page("state=suspended")).toEqual([CARD]);
    // Rated a moment ago: recall near 1. OTHER was forgotten: a new item has no recall to compare.
    expect(await page("q=r%3E0.5+topic%3Aattention")).toEqual([CARD]);
    expect(await page("q=r%3C0.5")).toEqual([]);
    expect(await page("q=s%3E0+s%3C%3D100")).toEqual([CARD]);
    expect(await page("state=new&q=att-bottleneck")).toEqual([]); // it is in its learning steps
    expect(await page("state=learning&q=att-bottleneck")).toEqual([CARD]);
    const quizzes = await page("kind=quiz&topic=attention");
    expect(quizzes.length).toBeGreaterThan(0);
    expect(quizzes.every((id) => id.startsWith("att-q"))).toBe(true);
    const all = await page("");
    expect(all.length).toBe(50); // one page
    const second = await page("page=2");
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((id) => all.includes(id))).toBe(false);
  });

  it("marks leeches from the learner's threshold", async () => {
    await server.exec("UPDATE ItemState SET lapses = 8 WHERE userId = ? AND itemId = ?", aId, CARD);
    expect(itemsOnPage(await (await a.get("/items?q=is%3Aleech")).text())).toEqual([CARD]);
    expect(itemsOnPage(await (await b.get("/items?q=is%3Aleech")).text())).toEqual([]);
  });

  it("refuses a query it cannot read with a 400 and a message", async () => {
    for (const q of ["q=r%3Cabc", "q=r%3E2", "q=color%3Ared", "q=is%3Afrozen", "kind=deck", "page=0"]) {
      const res = await a.get(`/items?${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.text()).toContain('role="alert"');
    }
  });
});

describe("bad actions change nothing", () => {
  it("an unknown intent, a missing id or an unknown item is a 4xx", async () => {
    const before = await snapshot(aId);
    expect((await a.post("/items", { intent: "delete", itemId: CARD })).status).toBe(400);
    expect((await a.post("/items", { intent: "suspend" })).status).toBe(400);
    expect((await a.post("/items", { intent: "forget", itemId: CARD, clientId: "x" })).status).toBe(400);
    expect((await a.post("/items", { intent: "suspend", itemId: "no-such-item" })).status).toBe(404);
    expect((await a.post("/review", { intent: "suspend", itemId: "no-such-item" })).status).toBe(404);
    expect(await snapshot(aId)).toBe(before);
  });
});

describe("review now and custom study", () => {
  it("/review?topic= lists the topic's seen, unsuspended items not yet reviewed today; ?item= one item", async () => {
    await a.post("/items", { intent: "unsuspend", itemId: CARD });
    // Push CARD's last review to yesterday, in the Review state, due next week: custom study offers it early.
    await server.exec(
      "UPDATE ItemState SET state = 2, stability = 10, lastReview = ?, due = ? WHERE userId = ? AND itemId = ?",
      new Date(Date.now() - 2 * 86_400_000).toISOString().replace("Z", "+00:00"),
      new Date(Date.now() + 7 * 86_400_000).toISOString().replace("Z", "+00:00"),
      aId,
      CARD,
    );
    const topic = await (await a.get("/api/review?topic=attention")).json() as { view: { entries: { itemId: string }[] } };
    expect(topic.view.entries.map((e) => e.itemId)).toEqual([CARD]);
    expect(await queueIds(a)).not.toContain(CARD); // not due: the daily queue does not have it
    const html = await (await a.get(`/review?item=${OTHER}`)).text();
    expect(html).toContain(`value="${OTHER}"`);
    // The rating is an ordinary review; the topic session then has nothing left today.
    const version = String((await server.one<{ version: number }>("SELECT version FROM ItemState WHERE userId = ? AND itemId = ?", aId, CARD))!.version);
    const res = await a.post("/api/review", { intent: "rate", itemId: CARD, rating: "3", version, clientId: "a-early-0001" });
    expect(res.status).toBe(200);
    const log = await server.one<{ kind: string; prevState: number }>("SELECT kind, prevState FROM ReviewLog WHERE userId = ? AND clientId = 'a-early-0001'", aId);
    expect(log).toEqual({ kind: "review", prevState: 2 });
    const after = await (await a.get("/api/review?topic=attention")).json() as { view: { entries: unknown[] } };
    expect(after.view.entries).toEqual([]);
  });
});
