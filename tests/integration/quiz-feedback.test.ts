/**
 * Over real HTTP, on the database TEST_DATABASE names: quiz choice tokens give
 * nothing away (issue 16), and "I was right" is the learner's own last answer
 * only, once (issue 14).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCourse } from "../../app/content/load.server";
import { createRenderer } from "../../app/content/render.server";
import { Client, root, signUp, startServer, type TestServer, studyLesson } from "./harness";
import path from "node:path";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => server?.stop());

const course = loadCourse(path.join(root, "content")).course;
const inline = createRenderer({ slug: null, resources: new Map(), diagramBase: "" }).inline;
const question = (id: string) => {
  const q = course.topics.flatMap((t) => t.questions).find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
};

type Reply = { ok: boolean; status?: string; error?: string; version?: number; feedback?: { correct: boolean; canOverrule?: boolean; yourAnswerHtml: string | null } };

/** The choices of the question on a page, in page order: the token in the form and the HTML beside it. */
function choicesOn(html: string): { token: string; html: string }[] {
  const out: { token: string; html: string }[] = [];
  const re = /<input class="choice-input" type="(?:radio|checkbox)" name="choices?"[^>]* value="([^"]+)"[^>]*\/?><span class="choice-text">([\s\S]*?)<\/span>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) out.push({ token: m[1]!, html: m[2]! });
  return out;
}

describe("quiz choice ids reveal nothing (issue 16)", () => {
  it("the right choice's token and place change from attempt to attempt, and nothing else in the page marks it", async () => {
    const q = question("att-q-bottleneck");
    if (q.kind !== "single") throw new Error("expected a single-choice question");
    const rightHtml = inline(q.choices.find((c) => c.correct)!.text);
    const tokens = new Set<string>();
    const places = new Set<number>();
    const allTokens = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const client = new Client(server.url);
      await signUp(client);
      await client.post("/lessons/attention/quiz", { intent: "start" });
      const page = await (await client.get("/lessons/attention/quiz")).text();
      expect(page).toContain(`name="questionId" value="${q.id}"`);
      const choices = choicesOn(page);
      expect(choices).toHaveLength(q.choices.length);
      const right = choices.findIndex((c) => c.html === rightHtml);
      expect(right).toBeGreaterThanOrEqual(0);
      tokens.add(choices[right]!.token);
      places.add(right);
      for (const c of choices) {
        expect(c.token).toMatch(/^[A-Za-z0-9_-]{12}$/);
        expect(allTokens.has(c.token)).toBe(false); // never reused across attempts or choices
        allTokens.add(c.token);
      }
      // No trace of correctness: no content ids or letters as values, no word "correct" outside the page chrome.
      const form = /<form[^>]*class="review-card"[\s\S]*?<\/form>/.exec(page)![0];
      expect(form).not.toMatch(/correct|data-right|value="[a-d]"/i);
      const script = page.slice(page.indexOf("window.__remixContext"));
      expect(script).not.toMatch(/"correct"\s*:\s*true/);

      if (i === 0) {
        // The token of the right choice is right, graded on the server.
        const attemptId = /name="attemptId" value="([^"]+)"/.exec(page)![1]!;
        const res = await client.post("/lessons/attention/quiz", { intent: "answer", attemptId, questionId: q.id, choice: choices[right]!.token });
        expect(res.status).toBe(303);
        const feedback = await (await client.get(res.headers.get("location")!)).text();
        expect(feedback).toContain("Correct.");
      }
    }
    expect(tokens.size).toBe(8);
    expect(places.size).toBeGreaterThan(1);
  }, 120_000);

  it("a token from another attempt is refused, not graded", async () => {
    const a = new Client(server.url);
    await signUp(a);
    await a.post("/lessons/attention/quiz", { intent: "start" });
    const pageA = await (await a.get("/lessons/attention/quiz")).text();
    const b = new Client(server.url);
    const userB = await signUp(b);
    await b.post("/lessons/attention/quiz", { intent: "start" });
    const pageB = await (await b.get("/lessons/attention/quiz")).text();
    const attemptB = /name="attemptId" value="([^"]+)"/.exec(pageB)![1]!;
    const res = await b.post("/lessons/attention/quiz", { intent: "answer", attemptId: attemptB, questionId: "att-q-bottleneck", choice: choicesOn(pageA)[0]!.token });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/not one of this question/);
    expect(await server.one("SELECT count(*) AS n FROM QuizAnswer WHERE userId = ?", userB.id)).toEqual({ n: 0 });
  });
});

describe('"I was right" (issue 14)', () => {
  const TEXT_Q = "tr-q-residual-name";

  async function answerWrong(client: Client, itemId = TEXT_Q, version = 0, clientId = `ans-${Math.random().toString(36).slice(2, 12)}`) {
    const res = await client.post("/api/review", { intent: "answer", itemId, version: String(version), clientId, value: "the attention matrix", durationMs: "4000" });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as Reply;
    expect(reply.feedback?.correct).toBe(false);
    return reply;
  }
  const logs = (userId: string, itemId = TEXT_Q) =>
    server.all<{ id: number; kind: string; source: string; rating: number; undone: number; undoesId: number | null }>(
      `SELECT id, kind, source, rating, undone, undoesId FROM ReviewLog WHERE userId = ? AND itemId = ? ORDER BY id`,
      userId,
      itemId,
    );
  const itemState = (userId: string, itemId = TEXT_Q) => server.one("SELECT * FROM ItemState WHERE userId = ? AND itemId = ?", userId, itemId);

  it("re-rates the learner's last wrong text answer as right, recorded as a correction of it; a replay changes nothing", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    const reply = await answerWrong(client);
    expect(reply.feedback?.canOverrule).toBe(true);
    expect(reply.feedback?.yourAnswerHtml).toBe("the attention matrix");
    const wrongState = await itemState(user.id);
    expect(wrongState!.state).not.toBe(2);

    const res = await client.post("/api/review", { intent: "overrule", itemId: TEXT_Q, clientId: "overrule-00001" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Reply).status).toBe("rerated");
    const rows = await logs(user.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ kind: "review", source: "review", rating: 1, undone: 1, undoesId: null });
    expect(rows[1]).toMatchObject({ kind: "review", source: "review", rating: 3, undone: 0, undoesId: rows[0]!.id });
    const rerated = (await itemState(user.id))!;
    expect(rerated.version).toBe(2);
    expect(rerated.lapses).toBe(0);
    expect(new Date(rerated.due as string).getTime()).toBeGreaterThan(new Date(wrongState!.due as string).getTime());

    // The same request again: a duplicate, nothing new.
    const again = await client.post("/api/review", { intent: "overrule", itemId: TEXT_Q, clientId: "overrule-00001" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Reply).status).toBe("duplicate");
    // A new request for the same answer: refused, nothing new.
    const replay = await client.post("/api/review", { intent: "overrule", itemId: TEXT_Q, clientId: "overrule-00002" });
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as Reply).error).toMatch(/already marked right/);
    expect(await logs(user.id)).toHaveLength(2);
    expect(await itemState(user.id)).toEqual(rerated);
  });

  it("only the learner's own last answer: not another learner's, not an older one, not a right one, not a choice", async () => {
    const a = new Client(server.url);
    const userA = await signUp(a);
    await answerWrong(a);
    const stateA = await itemState(userA.id);

    // Another learner cannot touch it (and has no such answer of their own).
    const b = new Client(server.url);
    const userB = await signUp(b);
    const fromB = await b.post("/api/review", { intent: "overrule", itemId: TEXT_Q, clientId: "overrule-b-0001" });
    expect(fromB.status).toBe(409);
    expect(await itemState(userA.id)).toEqual(stateA);
    expect(await logs(userB.id)).toHaveLength(0);

    // After another review, the text answer is no longer the last one.
    await studyLesson(a, "attention");
    const view = (await (await a.get("/api/review")).json()) as { view: { entries: { itemId: string; kind: string; version: number }[] } };
    const card = view.view.entries.find((e) => e.kind === "card")!;
    expect((await a.post("/api/review", { intent: "rate", itemId: card.itemId, rating: "3", version: String(card.version), clientId: "card-after-01" })).status).toBe(200);
    const late = await a.post("/api/review", { intent: "overrule", itemId: TEXT_Q, clientId: "overrule-a-0001" });
    expect(late.status).toBe(409);
    expect(await itemState(userA.id)).toEqual(stateA);

    // A right answer has nothing to overrule.
    const c = new Client(server.url);
    const userC = await signUp(c);
    await c.post("/api/review", { intent: "answer", itemId: TEXT_Q, version: "0", clientId: "right-ans-0001", value: "residual stream" });
    expect((await c.post("/api/review", { intent: "overrule", itemId: TEXT_Q, clientId: "overrule-c-0001" })).status).toBe(409);
    expect((await logs(userC.id)).map((r) => r.rating)).toEqual([3]);

    // A choice question is graded exactly: no "I was right".
    const d = new Client(server.url);
    const userD = await signUp(d);
    const single = await d.post("/api/review", { intent: "overrule", itemId: "att-q-bottleneck", clientId: "overrule-d-0001" });
    expect(single.status).toBe(409);
    expect(await logs(userD.id, "att-q-bottleneck")).toHaveLength(0);
  });

  it("bad input is a clear 400 and changes nothing", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    await answerWrong(client);
    const before = await itemState(user.id);
    const forms: Record<string, string>[] = [{ intent: "overrule", clientId: "overrule-x-0001" }, { intent: "overrule", itemId: TEXT_Q, clientId: "no" }, { intent: "overrule", itemId: TEXT_Q }];
    for (const form of forms) {
      const res = await client.post("/api/review", form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(((await res.json()) as Reply).error).toBeTruthy();
    }
    expect(await itemState(user.id)).toEqual(before);
    expect(await logs(user.id)).toHaveLength(1);
  });

  it("works as a plain form on /review (no JavaScript): the page offers it after a wrong typed answer", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    const res = await client.post("/review", { intent: "answer", itemId: TEXT_Q, version: "0", clientId: "plain-ans-0001", value: "attention matrix" });
    expect(res.status).toBe(303);
    const page = await (await client.get(res.headers.get("location")!)).text();
    expect(page).toContain("You answered:");
    expect(page).toContain("I was right");
    const clientId = /name="intent" value="overrule"\/?>[\s\S]*?name="clientId" value="([^"]+)"/.exec(page)![1]!;
    const posted = await client.post("/review", { intent: "overrule", itemId: TEXT_Q, clientId });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe("/review?rerated=1");
    expect((await logs(user.id)).map((r) => [r.rating, r.undone])).toEqual([
      [1, 1],
      [3, 0],
    ]);
  });

  it("in the lesson quiz: the attempt's last answer, typed and wrong, counts as right once, and its first rating is corrected", async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    await client.post("/lessons/tokenization/quiz", { intent: "start" });
    let page = await (await client.get("/lessons/tokenization/quiz")).text();
    const attemptId = /name="attemptId" value="([^"]+)"/.exec(page)![1]!;
    const first = /name="questionId" value="([^"]+)"/.exec(page)![1]!;
    expect((await client.post("/lessons/tokenization/quiz", { intent: "answer", attemptId, questionId: first, choice: choicesOn(page)[0]!.token })).status).toBe(303);
    page = await (await client.get("/lessons/tokenization/quiz")).text();
    expect(page).toContain('name="questionId" value="tok-q-name"');
    const answered = await client.post("/lessons/tokenization/quiz", { intent: "answer", attemptId, questionId: "tok-q-name", value: "word piece merging" });
    const feedback = await (await client.get(answered.headers.get("location")!)).text();
    expect(feedback).toContain("Not quite.");
    expect(feedback).toContain("I was right");

    // Another learner cannot touch it.
    const other = new Client(server.url);
    await signUp(other);
    expect((await other.post("/lessons/tokenization/quiz", { intent: "overrule", attemptId, questionId: "tok-q-name" })).status).toBe(409);
    // A choice question is not overruled.
    expect((await client.post("/lessons/tokenization/quiz", { intent: "overrule", attemptId, questionId: first })).status).toBe(409);

    const res = await client.post("/lessons/tokenization/quiz", { intent: "overrule", attemptId, questionId: "tok-q-name" });
    expect(res.status).toBe(303);
    expect(await (await client.get(res.headers.get("location")!)).text()).toContain("Marked right");
    expect(await server.one("SELECT correct FROM QuizAnswer WHERE attemptId = ? AND itemId = ?", attemptId, "tok-q-name")).toEqual({ correct: 1 });
    const rows = await logs(user.id, "tok-q-name");
    expect(rows.map((r) => [r.source, r.rating, r.undone, r.undoesId === rows[0]!.id])).toEqual([
      ["quiz", 1, 1, false],
      ["quiz", 3, 0, true],
    ]);
    const after = await itemState(user.id, "tok-q-name");
    // A replay is refused and changes nothing.
    const replay = await client.post("/lessons/tokenization/quiz", { intent: "overrule", attemptId, questionId: "tok-q-name" });
    expect(replay.status).toBe(409);
    expect(await logs(user.id, "tok-q-name")).toHaveLength(2);
    expect(await itemState(user.id, "tok-q-name")).toEqual(after);
    // Bad input: a 400.
    expect((await client.post("/lessons/tokenization/quiz", { intent: "overrule", attemptId })).status).toBe(400);
  });
});
