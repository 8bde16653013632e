/**
 * ADR 021: a lesson's flashcards join the review when the learner chooses to
 * study it ("Study these flashcards", starting its quiz, running one of its
 * exercises), never on a page load. Runs on the database the suite runs on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signUp, startServer, studyLesson, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => server?.stop());

type View = { view: { entries: { itemId: string; kind: string }[]; counts: { new: number } } };

async function learner() {
  const client = new Client(server.url);
  const user = await signUp(client);
  return { client, user };
}
const newCards = async (client: Client) => ((await (await client.get("/api/review")).json()) as View).view.counts.new;
const enrolled = async (userId: string) =>
  (await server.all<{ topicId: string }>("SELECT topicId FROM LessonVisit WHERE userId = ? ORDER BY topicId", userId)).map((r) => r.topicId);

describe("lesson enrolment", () => {
  it("a page load enrols nothing; bad input is a 400 and writes nothing; 'Study these flashcards' enrols once", async () => {
    const { client, user } = await learner();
    for (const path of ["/lessons/attention", "/lessons/attention/quiz", "/exercises/att-ex-softmax", "/lessons/transformers"]) {
      expect((await client.get(path)).status, path).toBe(200);
    }
    expect(await enrolled(user.id)).toEqual([]);
    expect(await newCards(client)).toBe(0);

    for (const form of [{}, { intent: "studyy" }, { intent: "start" }, { intent: "study\u0000" }] as Record<string, string>[]) {
      const res = await client.post("/lessons/attention", form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(await res.text()).toMatch(/could not be read/);
    }
    expect((await client.post("/lessons/no-such-lesson", { intent: "study" })).status).toBe(404);
    expect(await enrolled(user.id)).toEqual([]);

    const res = await studyLesson(client, "attention");
    expect(res.headers.get("location")).toBe("/review");
    expect(await studyLesson(client, "attention").then((r) => r.status)).toBe(303); // again: a no-op
    expect(await enrolled(user.id)).toEqual(["attention"]);
    expect(await newCards(client)).toBe(20); // the default daily limit, from this lesson alone
    const page = await (await client.get("/lessons/attention")).text();
    expect(page).toContain("flashcards are in your review");
    expect(page).not.toContain("Study these");
  });

  it("a visitor without an account is sent to log in and nothing is written", async () => {
    const before = (await server.one<{ n: number }>("SELECT count(*) AS n FROM LessonVisit"))!.n;
    const res = await new Client(server.url).post("/lessons/attention", { intent: "study" });
    expect([302, 303]).toContain(res.status);
    expect(res.headers.get("location")).toMatch(/^\/login/);
    expect((await server.one<{ n: number }>("SELECT count(*) AS n FROM LessonVisit"))!.n).toBe(before);
  });

  it("starting the lesson quiz enrols the lesson", async () => {
    const { client, user } = await learner();
    expect((await client.post("/lessons/tokenization/quiz", { intent: "start" })).status).toBe(303);
    expect(await enrolled(user.id)).toEqual(["tokenization"]);
    expect(await newCards(client)).toBe(20);
  });

  it("a stored exercise run enrols its lesson; a refused one does not", async () => {
    const { client, user } = await learner();
    const run = (fields: Record<string, string>) =>
      client.post("/api/exercises/att-ex-softmax", {
        intent: "attempt",
        clientId: `enrol-${process.pid}-${Date.now().toString(36)}-${fields.testsTotal}`,
        version: "0",
        passed: "false",
        testsPassed: "3",
        durationMs: "5000",
        code: "function softmax(x) { return x; }",
        ...fields,
      });
    expect((await run({ testsTotal: "99" })).status).toBe(400);
    expect(await enrolled(user.id)).toEqual([]);
    expect((await run({ testsTotal: "10" })).status).toBe(200);
    expect(await enrolled(user.id)).toEqual(["attention"]);
  });
});
