/**
 * Two learners. For every route that reads or writes learner data, B cannot
 * read or change A's by putting A's ids in the URL or the form.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, studyLesson, type TestServer, twoLearners } from "./harness";

let server: TestServer;
let a: Client;
let b: Client;
let aId: string;
let bId: string;
let attemptA: string;
let questionA: string;

const snapshot = async () =>
  JSON.stringify([
    await server.all("SELECT * FROM ItemState WHERE userId = ? ORDER BY itemId", aId),
    await server.all("SELECT * FROM ReviewLog WHERE userId = ? ORDER BY id", aId),
    await server.all("SELECT * FROM QuizAttempt WHERE userId = ? ORDER BY id", aId),
    await server.all("SELECT * FROM QuizAnswer WHERE userId = ? ORDER BY id", aId),
    await server.all("SELECT * FROM Settings WHERE userId = ?", aId),
    await server.all("SELECT * FROM ExerciseAttempt WHERE userId = ? ORDER BY id", aId),
    await server.all("SELECT * FROM ExerciseDraft WHERE userId = ? ORDER BY itemId", aId),
  ]);

beforeAll(async () => {
  ({ server, a, b, aId, bId } = await twoLearners());
  // A studies: opens a lesson, reviews a card, starts a quiz and answers one question.
  await studyLesson(a, "attention");
  const view = (await (await a.get("/api/review")).json()) as { view: { entries: { itemId: string }[] } };
  await a.post("/api/review", { intent: "rate", itemId: view.view.entries[0]!.itemId, rating: "3", version: "0", clientId: "a-review-0001" });
  await a.post("/lessons/attention/quiz", { intent: "start" });
  const page = await (await a.get("/lessons/attention/quiz")).text();
  attemptA = /name="attemptId" value="([^"]+)"/.exec(page)![1]!;
  questionA = /name="questionId" value="([^"]+)"/.exec(page)![1]!;
  await a.post("/lessons/attention/quiz", { intent: "answer", attemptId: attemptA, questionId: questionA, value: "1", choice: "a", order: ["0", "1", "2"] });
}, 60_000);
afterAll(async () => server?.stop());

describe("learner B against learner A's data", () => {
  it("cannot see A's quiz result or feedback by id", async () => {
    const before = await snapshot();
    expect((await b.get(`/lessons/attention/quiz?result=${attemptA}`)).status).toBe(404);
    const fb = await b.get(`/lessons/attention/quiz?attempt=${attemptA}&feedback=${questionA}`);
    expect(await fb.text()).not.toContain("feedback-verdict");
    expect(await snapshot()).toBe(before);
  });

  it("cannot answer into A's quiz attempt", async () => {
    const before = await snapshot();
    const res = await b.post("/lessons/attention/quiz", { intent: "answer", attemptId: attemptA, questionId: "att-q-anything", choice: "a" });
    expect(res.status).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it("cannot undo A's review or change A's item states", async () => {
    const before = await snapshot();
    const undo = (await (await b.post("/api/review", { intent: "undo", clientId: "b-undo-00001" })).json()) as { status: string };
    expect(undo.status).toBe("nothing");
    // B reusing A's client id records B's own review, never touches A's rows.
    await studyLesson(b, "attention");
    const view = (await (await b.get("/api/review")).json()) as { view: { entries: { itemId: string }[] } };
    await b.post("/api/review", { intent: "rate", itemId: view.view.entries[0]!.itemId, rating: "1", version: "0", clientId: "a-review-0001" });
    expect(await snapshot()).toBe(before);
    expect((await server.one<{ n: number }>("SELECT count(*) AS n FROM ReviewLog WHERE userId = ?", bId))!.n).toBeGreaterThan(0);
  });

  it("sees only their own data in the export and on their pages", async () => {
    const exported = (await (await b.get("/account/export")).json()) as { user: { id: string }; reviewLogs: { userId: string }[]; quizAttempts: unknown[] };
    expect(exported.user.id).toBe(bId);
    expect(exported.reviewLogs.every((l) => l.userId === bId)).toBe(true);
    expect(exported.quizAttempts).toEqual([]);
    expect(JSON.stringify(exported)).not.toContain(aId);
  });

  it("cannot change A's settings or password, or delete A", async () => {
    const before = await snapshot();
    await b.post("/account", { intent: "settings", userId: aId, desiredRetention: "0.75", newPerDay: "3", reviewCap: "9", dayStartHour: "2", timeZone: "UTC", maximumInterval: "100", learningSteps: "1m", relearningSteps: "5m" });
    expect(await snapshot()).toBe(before);
    const del = await b.post("/account", { intent: "delete-account", userId: aId, password: "wrong password here" });
    expect(del.status).toBe(400);
    expect(await server.one("SELECT count(*) AS n FROM User WHERE id = ?", aId)).toEqual({ n: 1 });
  });

  it("exercise routes are scoped to the learner", async () => {
    const before = await snapshot();
    const list = await b.get("/exercises");
    expect(list.status).toBe(200);
    expect(await list.text()).not.toContain(aId);
    expect(await snapshot()).toBe(before);
  });
});
