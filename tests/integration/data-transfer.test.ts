/**
 * Data that moves: the Anki package and CSV, and a backup exported from one
 * server and imported into a fresh one. Over real HTTP, on whichever database
 * the suite runs on; the .apkg is unpacked and its collection opened with
 * better-sqlite3 like Anki would.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzip } from "../../app/data-transfer/zip.server";
import { Client, studyLesson, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
let fresh: TestServer;
let a: Client;
let aId: string;
const reviewed: string[] = [];

type View = { view: { entries: { itemId: string; version: number; kind: string }[] } };

beforeAll(async () => {
  [server, fresh] = await Promise.all([startServer(), startServer()]);
  a = new Client(server.url);
  aId = (await signUp(a)).id;
  await studyLesson(a, "attention");
  // Two cards: one rated Good, one Again then Good, so the history has learning steps.
  const entries = ((await (await a.get("/api/review")).json()) as View).view.entries.filter((e) => e.kind === "card");
  const [first, second] = entries;
  await a.post("/api/review", { intent: "rate", itemId: first!.itemId, rating: "3", version: "0", clientId: "dt-review-0001", durationMs: "4200" });
  await a.post("/api/review", { intent: "rate", itemId: second!.itemId, rating: "1", version: "0", clientId: "dt-review-0002", durationMs: "9000" });
  await a.post("/api/review", { intent: "rate", itemId: second!.itemId, rating: "3", version: "1", clientId: "dt-review-0003", durationMs: "3000" });
  reviewed.push(first!.itemId, second!.itemId);
  // A third card rated and then undone: neither goes to Anki, both go to the backup.
  await a.post("/api/review", { intent: "rate", itemId: entries[2]!.itemId, rating: "4", version: "0", clientId: "dt-review-0004", durationMs: "2000" });
  const undo = (await (await a.post("/api/review", { intent: "undo", clientId: "dt-undo-00001" })).json()) as { status: string };
  expect(undo.status).toBe("undone");
}, 90_000);
afterAll(async () => Promise.all([server?.stop(), fresh?.stop()]));

async function openApkg(client: Client) {
  const res = await client.get("/account/anki.apkg");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-disposition")).toContain(".apkg");
  const files = unzip(Buffer.from(await res.arrayBuffer()));
  expect(files.map((f) => f.name).sort()).toEqual(["collection.anki2", "media"]);
  expect(JSON.parse(files.find((f) => f.name === "media")!.data.toString())).toEqual({});
  const col = new Database(files.find((f) => f.name === "collection.anki2")!.data, { readonly: true });
  expect(col.pragma("integrity_check", { simple: true })).toBe("ok");
  return col;
}

const liveCards = async (s: TestServer) => (await s.one<{ n: number }>("SELECT count(*) AS n FROM Item WHERE kind = 'card' AND retiredAt IS NULL"))!.n;

describe("Anki package", () => {
  it("holds every course card as a note with its card, tags and the learner's review log", async () => {
    const col = await openApkg(a);
    try {
      const meta = col.prepare("SELECT ver, crt, models, decks FROM col").get() as { ver: number; crt: number; models: string; decks: string };
      expect(meta.ver).toBe(11);
      const models = Object.values(JSON.parse(meta.models) as Record<string, { flds: { name: string }[] }>);
      expect(models[0]!.flds.map((f) => f.name)).toEqual(["Front", "Back"]);
      expect(Object.values(JSON.parse(meta.decks) as Record<string, { name: string }>).map((d) => d.name)).toContain("Attention Span::Attention");

      const notes = col.prepare("SELECT id, guid, tags, flds FROM notes").all() as { id: number; guid: string; tags: string; flds: string }[];
      expect(notes.length).toBe(await liveCards(server));
      expect((col.prepare("SELECT count(*) AS n FROM cards").get() as { n: number }).n).toBe(notes.length);
      for (const n of notes) expect(n.flds.split("\x1f")).toHaveLength(2);
      // Math is left for Anki's MathJax, never KaTeX's HTML; tags name the topic and concepts.
      expect(notes.some((n) => n.flds.includes("\\(") && n.flds.includes("\\)"))).toBe(true);
      expect(notes.some((n) => n.flds.includes("katex"))).toBe(false);
      expect(notes.every((n) => /(^| )attention-span::[a-z-]+( |$)/.test(n.tags.trim()))).toBe(true);
      expect(notes.some((n) => / concept::[a-z-]+/.test(n.tags))).toBe(true);

      const cardOf = (itemId: string) =>
        col.prepare("SELECT c.* FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ?").get(`attention-span:${itemId}`) as Record<string, number | string>;
      const good = cardOf(reviewed[0]!);
      expect(good.type).not.toBe(0);
      expect(good.reps).toBe(1);
      const memory = JSON.parse(String(good.data)) as { s: number; d: number; dr: number };
      const state = (await server.one<{ stability: number; difficulty: number }>("SELECT stability, difficulty FROM ItemState WHERE userId = ? AND itemId = ?", aId, reviewed[0]))!;
      expect(memory.s).toBeCloseTo(state.stability, 3);
      expect(memory.d).toBeCloseTo(state.difficulty, 3);
      expect(memory.dr).toBe(0.9);

      const revlog = col.prepare("SELECT * FROM revlog ORDER BY id").all() as Record<string, number>[];
      expect(revlog).toHaveLength(3);
      const logs = await server.all<{ reviewedAt: string }>("SELECT reviewedAt FROM ReviewLog WHERE userId = ? AND kind = 'review' AND NOT undone ORDER BY id", aId);
      expect(revlog.map((r) => r.id)).toEqual(logs.map((l) => new Date(l.reviewedAt).getTime()));
      expect(revlog.map((r) => r.ease)).toEqual([3, 1, 3]);
      expect(revlog.map((r) => r.time)).toEqual([4200, 9000, 3000]);
      expect(revlog.every((r) => r.type === 0)).toBe(true); // all three answered a new or learning card
      expect(revlog[1]!.cid).toBe(cardOf(reviewed[1]!).id);
      expect(revlog[1]!.ivl).toBeLessThan(0); // Again: back in minutes, written as negative seconds
      expect(revlog[1]!.lastIvl).toBe(0);
      // Untouched cards are new, in course order.
      const untouched = col.prepare("SELECT due FROM cards WHERE type = 0 ORDER BY id").all() as { due: number }[];
      expect(untouched.length).toBe(notes.length - 2);
      expect(untouched.map((u) => u.due)).toEqual([...untouched.map((u) => u.due)].sort((x, y) => x - y));
    } finally {
      col.close();
    }
  });

  it("carries only the learner's own history", async () => {
    const b = new Client(server.url);
    await signUp(b);
    const col = await openApkg(b);
    try {
      expect((col.prepare("SELECT count(*) AS n FROM revlog").get() as { n: number }).n).toBe(0);
      expect((col.prepare("SELECT count(*) AS n FROM cards WHERE type <> 0").get() as { n: number }).n).toBe(0);
    } finally {
      col.close();
    }
  });

  it("needs a login", async () => {
    const res = await new Client(server.url).get("/account/anki.apkg");
    expect(res.status).toBe(302);
  });
});

describe("CSV for Anki", () => {
  it("starts with Anki's header lines and has one row of five columns per card", async () => {
    const res = await a.get("/account/anki.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    const lines = text.trimEnd().split("\n");
    const header = lines.filter((l) => l.startsWith("#"));
    expect(header).toEqual(expect.arrayContaining(["#separator:Comma", "#html:true", "#notetype:Basic", "#columns:GUID,Front,Back,Deck,Tags", "#deck column:4", "#tags column:5"]));
    // A field with a comma or quote is quoted, so count rows by their guid.
    const rows = lines.filter((l) => l.startsWith("attention-span:"));
    expect(rows.length).toBe(await liveCards(server));
    expect(text).toContain("\\(");
  });
});

describe("backup round trip", () => {
  const states = (s: TestServer, userId: string) =>
    s.all(
      "SELECT itemId, due, stability, difficulty, elapsedDays, scheduledDays, learningSteps, reps, lapses, state, lastReview FROM ItemState WHERE userId = ? ORDER BY itemId",
      userId,
    );
  const snapshot = async (s: TestServer, userId: string) =>
    JSON.stringify([
      await states(s, userId),
      await s.all("SELECT itemId, clientId, kind, rating, reviewedAt, stateAfter, undone FROM ReviewLog WHERE userId = ? ORDER BY id", userId),
      await s.all("SELECT u.clientId AS undo, r.clientId AS target FROM ReviewLog u JOIN ReviewLog r ON r.id = u.undoesId WHERE u.userId = ?", userId),
      await s.all("SELECT desiredRetention, newPerDay, reviewCap, dayStartHour, timeZone, maximumInterval, learningSteps, relearningSteps, weights, dailyGoal, leechThreshold, lightDays, theme FROM Settings WHERE userId = ?", userId),
      await s.all("SELECT topicId FROM LessonVisit WHERE userId = ? ORDER BY topicId", userId),
      await s.all("SELECT id, topicId, seed, startedAt, finishedAt, correct, total FROM QuizAttempt WHERE userId = ? ORDER BY id", userId),
      await s.all("SELECT attemptId, itemId, answer, correct, context FROM QuizAnswer WHERE userId = ? ORDER BY attemptId, itemId", userId),
      await s.all("SELECT itemId, clientId, passed, testsPassed, code FROM ExerciseAttempt WHERE userId = ? ORDER BY clientId", userId),
      await s.all("SELECT itemId, code FROM ExerciseDraft WHERE userId = ? ORDER BY itemId", userId),
    ]);
  let file: string;
  let c: Client;
  let cId: string;

  const upload = (client: Client, body: Blob | string, name = "backup.json") => {
    const form = new FormData();
    form.append("file", typeof body === "string" ? new Blob([body], { type: "application/json" }) : body, name);
    return client.request("/account/data", { method: "POST", body: form });
  };

  beforeAll(async () => {
    await a.post("/account", { intent: "settings", desiredRetention: "0.85", newPerDay: "15", reviewCap: "150", dayStartHour: "3", timeZone: "UTC", maximumInterval: "3650", learningSteps: "1m 10m", relearningSteps: "10m", dailyGoal: "35", leechThreshold: "5", lightDaysSent: "1", "light-0": "on", "light-6": "on" });
    expect((await a.post("/theme", { theme: "dark" })).status).toBe(200); // every setting travels, the theme too
    // A quiz answer and an exercise run, so the backup holds more than reviews.
    await a.post("/lessons/attention/quiz", { intent: "start" });
    const page = await (await a.get("/lessons/attention/quiz")).text();
    const attemptId = /name="attemptId" value="([^"]+)"/.exec(page)![1]!;
    const questionId = /name="questionId" value="([^"]+)"/.exec(page)![1]!;
    await a.post("/lessons/attention/quiz", { intent: "answer", attemptId, questionId, value: "1", choice: "a", order: ["0", "1", "2"] });
    const run = await a.post("/api/exercises/att-ex-softmax", {
      intent: "attempt",
      clientId: "dt-exercise-0001",
      version: "0",
      passed: "false",
      testsPassed: "3",
      testsTotal: "10",
      durationMs: "5000",
      code: "function softmax(x) { return x; }",
    });
    expect(run.status).toBe(200);
    const res = await a.get("/account/export");
    file = await res.text();
    c = new Client(fresh.url);
    cId = (await signUp(c)).id;
  });

  it("gives the same item states on a fresh server, and a second import changes nothing", async () => {
    const meta = JSON.parse(file) as { format: string; courseVersion: string };
    expect(meta.format).toBe("attention-span-export");
    expect(meta.courseVersion).toMatch(/^[0-9a-f]{16}$/);

    const first = await upload(c, file);
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/Imported [3-9] reviews/);
    expect(await states(fresh, cId)).toEqual(await states(server, aId));
    // The whole history moved: the same snapshot as on the first server, apart from the user id.
    expect(await snapshot(fresh, cId)).toBe(await snapshot(server, aId));
    expect(await snapshot(fresh, cId)).toContain('"undo":"dt-undo-00001","target":"dt-review-0004"');
    expect((await fresh.one<{ desiredRetention: number }>("SELECT desiredRetention FROM Settings WHERE userId = ?", cId))!.desiredRetention).toBe(0.85);
    const after = await snapshot(fresh, cId);

    // The compressed export of the same history is the same file to the importer.
    const gz = Buffer.from(await (await a.get("/account/export?compressed=1")).arrayBuffer());
    expect(gz.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gz.length).toBeLessThan(file.length / 3);
    const second = await upload(c, new Blob([gz]), "backup.json.gz");
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("nothing changed");
    expect(await snapshot(fresh, cId)).toBe(after);

    // The imported learner reviews on from there: the queue holds the imported learning card.
    const queue = ((await (await c.get("/api/review")).json()) as View).view.entries.map((e) => e.itemId);
    const due = await fresh.all<{ itemId: string }>("SELECT itemId FROM ItemState WHERE userId = ? AND due <= ?", cId, new Date(Date.now() + 86_400_000).toISOString());
    for (const d of due) expect(queue).toContain(d.itemId);
  });

  it("takes a backup larger than the 1 MiB limit every other form has", async () => {
    const e = new Client(fresh.url);
    await signUp(e);
    // Whitespace keeps the JSON valid: the file is 3 MB, well past the server-wide body limit.
    const big = file.replace(/\}\s*$/, " ".repeat(3 * 1024 * 1024) + "}");
    expect(big.length).toBeGreaterThan(3 * 1024 * 1024);
    const res = await upload(e, big);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Imported [3-9] reviews/);
  });

  it("refuses bad files with a clear message and changes nothing", async () => {
    const d = new Client(fresh.url);
    const dId = (await signUp(d)).id;
    const before = await snapshot(fresh, dId);
    const apkg = Buffer.from(await (await a.get("/account/anki.apkg")).arrayBuffer());
    const cases: [Blob | string, number, RegExp][] = [
      [new Blob([apkg.subarray(0, 200)]), 400, /not an Attention Span export/],
      [file.slice(0, file.length / 2), 400, /not an Attention Span export/],
      [file.replace(/"courseVersion": "[0-9a-f]+"/, '"courseVersion": "0000000000000000"'), 400, /another version of the course/],
      [file.replace(/"rating": 3/, '"rating": 9'), 400, /damaged/],
      [JSON.stringify({ hello: "world" }), 400, /not an Attention Span export/],
      [new Blob([Buffer.from(await (await a.get("/account/export?compressed=1")).arrayBuffer()).subarray(0, 300)]), 400, /damaged or cut short/],
      [new Blob([Buffer.alloc(50 * 1024 * 1024, 32)]), 413, /too large/],
    ];
    for (const [body, status, message] of cases) {
      const res = await upload(d, body);
      expect(res.status, String(message)).toBe(status);
      expect(await res.text()).toMatch(message);
    }
    expect(await snapshot(fresh, dId)).toBe(before);
  });
});
