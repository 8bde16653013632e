/**
 * Rescheduling (ADR 030) on SQLite and (TEST_DATABASE=postgres) PostgreSQL, against the
 * real built server and its database: it moves only this learner's cards in review, in a
 * bounded number of statements (5,000 cards: one UPDATE per 500), all in one transaction;
 * a repeat writes no card; bad input is a 400 that changes nothing; a rating shown before
 * the reschedule, or racing it, is recorded, never lost.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type TestServer, twoLearners } from "./harness";
import type { Sql, Statement, StepResult } from "~/db/sql.server";

let server: TestServer;
let a: Client;
let b: Client;
let aId: string;
let bId: string;
let sql: Sql;
let rescheduleLearner: typeof import("~/reschedule/reschedule.server").rescheduleLearner;

const DAY = 86_400_000;
const N = 5000;
const CARD = "att-bottleneck"; // a real course card, put in review for the race
const settingsForm = (desiredRetention: string, extra: Record<string, string> = {}) => ({
  intent: "settings",
  desiredRetention,
  newPerDay: "20",
  dailyGoal: "20",
  reviewCap: "200",
  dayStartHour: "4",
  timeZone: "UTC",
  maximumInterval: "36500",
  learningSteps: "1m 10m",
  relearningSteps: "10m",
  leechThreshold: "8",
  ...extra,
});
const iso = (t: number) => new Date(t).toISOString().replace("Z", "+00:00");
const rowsOf = (userId: string) => server.all<Record<string, unknown>>("SELECT * FROM ItemState WHERE userId = ? ORDER BY itemId", userId);
const logsOf = (userId: string) => server.all("SELECT * FROM ReviewLog WHERE userId = ? ORDER BY id", userId);
const snapshot = async (userId: string) => JSON.stringify([await rowsOf(userId), await logsOf(userId)]);

/** Cards in review as a learner's history leaves them: due at their last review plus an interval near their stability. */
async function seed(userId: string, count: number, prefix: string) {
  const now = Date.now();
  for (let i = 0; i < count; i += 500) {
    const rows: unknown[] = [];
    const n = Math.min(500, count - i);
    for (let j = 0; j < n; j++) {
      const k = i + j;
      const stability = 3 + ((k * 37) % 120);
      const last = now - ((k * 13) % 60) * DAY - 3_600_000;
      rows.push(userId, `${prefix}-${String(k).padStart(5, "0")}`, iso(last + Math.round(stability) * DAY), stability, 5, 3, Math.round(stability), 0, 4, 0, 2, iso(last), 1);
    }
    await server.exec(
      `INSERT INTO ItemState (userId, itemId, due, stability, difficulty, elapsedDays, scheduledDays, learningSteps, reps, lapses, state, lastReview, version) VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      ...rows,
    );
  }
}

/** Our real Sql with a count of the statements each transaction runs, and a hook after each. */
function counting(inner: Sql, after: (s: Statement) => Statement | null = () => null) {
  const counter = { statements: 0 };
  const wrapped: Sql = {
    ...inner,
    transaction: (tx, options) =>
      inner.transaction(function* (): Generator<Statement, never, StepResult> {
        const it = tx();
        let step = it.next();
        while (!step.done) {
          counter.statements++;
          const result = yield step.value;
          const extra = after(step.value);
          if (extra) yield extra;
          step = it.next(result);
        }
        return step.value as never;
      }, options),
  };
  return { sql: wrapped, counter };
}

beforeAll(async () => {
  ({ server, a, b, aId, bId } = await twoLearners());
  await seed(aId, N, "bulk");
  await seed(bId, 50, "bulk");
  // A learning card of A's: rescheduling leaves its steps alone.
  await server.exec(
    "INSERT INTO ItemState (userId, itemId, due, stability, difficulty, elapsedDays, scheduledDays, learningSteps, reps, lapses, state, lastReview, version) VALUES (?, ?, ?, 2.3, 5, 0, 0, 1, 1, 0, 1, ?, 1)",
    aId,
    "learning-1",
    iso(Date.now() + 600_000),
    iso(Date.now() - 60_000),
  );
  process.env.DATABASE_URL = server.databaseUrl ?? `file:${path.join(server.dataDir, "attention-span.db")}`;
  sql = (await import("~/db/sql.server")).getSql();
  rescheduleLearner = (await import("~/reschedule/reschedule.server")).rescheduleLearner;
}, 120_000);
afterAll(async () => {
  await sql?.close();
  await server?.stop();
});

describe("rescheduling", () => {
  it("saving a retention without the checkbox moves nothing (it is off by default)", async () => {
    const before = await snapshot(aId);
    const res = await a.post("/account", settingsForm("0.8"));
    expect(res.status).toBe(200);
    expect(await snapshot(aId)).toBe(before);
    expect(await a.get("/account").then((r) => r.text())).toMatch(/<input type="checkbox" id="settings-reschedule" name="reschedule"/);
  });

  it(`moves only this learner's cards in review, ${N} of them in at most ${Math.ceil(N / 500) + 3} statements, and a repeat writes no card`, async () => {
    const bBefore = await snapshot(bId);
    const before = new Map((await rowsOf(aId)).map((r) => [r.itemId, r]));
    const { sql: counted, counter } = counting(sql);
    const result = await rescheduleLearner(aId, new Date(), counted);
    expect(result.cards).toBe(N);
    expect(result.moved).toBeGreaterThan(N / 2);
    expect(counter.statements).toBeLessThanOrEqual(Math.ceil(N / 500) + 3);
    const after = await rowsOf(aId);
    let moved = 0;
    for (const row of after) {
      const old = before.get(row.itemId)!;
      expect(row.version).toBe(old.version); // a rating shown before stays valid
      expect([row.stability, row.difficulty, row.reps, row.lapses, row.state, row.lastReview]).toEqual([old.stability, old.difficulty, old.reps, old.lapses, old.state, old.lastReview]);
      if (row.state !== 2) {
        expect(row).toEqual(old);
        continue;
      }
      expect(new Date(String(row.due)).getTime()).toBe(new Date(String(row.lastReview)).getTime() + Number(row.scheduledDays) * DAY);
      if (row.due !== old.due) moved++;
    }
    expect(moved).toBe(result.moved);
    expect(await snapshot(bId)).toBe(bBefore);
    expect(await logsOf(aId)).toEqual([]); // no review history changes

    const again = counting(sql);
    const repeat = await rescheduleLearner(aId, new Date(), again.sql);
    expect(repeat).toEqual({ cards: N, moved: 0 });
    expect(again.counter.statements).toBe(3); // two reads and the date of this reschedule
    expect(JSON.stringify(await rowsOf(aId))).toBe(JSON.stringify(after));
  }, 60_000);

  it("bad input is a 400 that changes nothing, settings included", async () => {
    const before = await snapshot(aId);
    const settings = await server.one("SELECT * FROM Settings WHERE userId = ?", aId);
    for (const form of [settingsForm("0.9", { reschedule: "yes" }), settingsForm("1.5", { reschedule: "on" }), { intent: "default-weights", reschedule: "please" }]) {
      const res = await a.post("/account", form);
      expect(res.status).toBe(400);
    }
    expect(await snapshot(aId)).toBe(before);
    expect(await server.one("SELECT * FROM Settings WHERE userId = ?", aId)).toEqual(settings);
  });

  it("the settings form's checkbox reschedules with the saved retention: a higher one brings dates forward", async () => {
    const before = new Map((await rowsOf(aId)).map((r) => [r.itemId, new Date(String(r.due)).getTime()]));
    const res = await a.post("/account", settingsForm("0.95", { reschedule: "on" }));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Rescheduled: [\d,]+ cards of your 5,000 cards in review moved/);
    const after = (await rowsOf(aId)).filter((r) => r.state === 2);
    const earlier = after.filter((r) => new Date(String(r.due)).getTime() < before.get(r.itemId)!).length;
    expect(earlier).toBeGreaterThan(N * 0.9);
    expect((await server.one<{ rescheduledAt: unknown }>("SELECT rescheduledAt FROM Settings WHERE userId = ?", aId))!.rescheduledAt).not.toBeNull();
  });

  it("after an adopted fit the settings page offers to reschedule, until the learner does", async () => {
    const fittedAt = new Date(Date.now() + 1000).toISOString(); // after the reschedules above
    const info = JSON.stringify({ reviews: 900, items: 800, fittedAt, logLossBefore: 0.35, logLossAfter: 0.33, rmseBefore: 0.05, rmseAfter: 0.03 });
    const w = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.3];
    await server.exec("UPDATE Settings SET weights = ?, fitInfo = ? WHERE userId = ?", JSON.stringify(w), info, aId);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await (await a.get("/account")).text()).toMatch(/Your model changed on \d+ \w+ \d{4}: reschedule your cards\?/);
    expect(await (await b.get("/account")).text()).not.toMatch(/Your model changed on/);
    const res = await a.post("/account", { intent: "reschedule" });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Rescheduled: [\d,]+ cards of your 5,000 cards in review moved/);
    expect(await (await a.get("/account")).text()).not.toMatch(/Your model changed on/);
  });

  it("a rating shown before the reschedule, or racing it, is recorded on top of it", async () => {
    const last = Date.now() - 20 * DAY;
    await server.exec(
      "INSERT INTO ItemState (userId, itemId, due, stability, difficulty, elapsedDays, scheduledDays, learningSteps, reps, lapses, state, lastReview, version) VALUES (?, ?, ?, 20, 5, 10, 20, 0, 4, 0, 2, ?, 3)",
      aId,
      CARD,
      iso(last + 20 * DAY),
      iso(last),
    );
    // Shown at version 3; the learner reschedules in another tab, then rates it here.
    await a.post("/account", settingsForm("0.85", { reschedule: "on" }));
    const shown = await a.post("/api/review", { intent: "rate", itemId: CARD, rating: "3", version: "3", clientId: "resched-shown-1" });
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { status: string }).status).toBe("recorded");

    // A rating racing a reschedule: sent while the reschedule's transaction holds the rows it read.
    const row = (await server.one<{ version: number }>("SELECT version FROM ItemState WHERE userId = ? AND itemId = ?", aId, CARD))!;
    let racing: Promise<Response> | null = null;
    const { sql: hooked } = counting(sql, (s) => {
      if (racing || !s.sql.includes('FROM "ItemState"')) return null;
      racing = a.post("/api/review", { intent: "rate", itemId: CARD, rating: "3", version: String(row.version), clientId: "resched-race-1" });
      // PostgreSQL: give the rating time to reach the locked row (it then waits for the commit).
      return sql.provider === "postgresql" ? { sql: "SELECT pg_sleep(0.5)", params: [], mode: "get" } : null;
    });
    await rescheduleLearner(aId, new Date(), hooked);
    const reply = await racing!;
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { status: string }).status).toBe("recorded");
    const state = (await server.one<Record<string, unknown>>("SELECT * FROM ItemState WHERE userId = ? AND itemId = ?", aId, CARD))!;
    expect(state.reps).toBe(6);
    expect(state.version).toBe(row.version + 1);
    const logs = await server.all<{ stateAfter: string }>("SELECT stateAfter FROM ReviewLog WHERE userId = ? AND itemId = ? AND kind = 'review' ORDER BY id", aId, CARD);
    expect(logs).toHaveLength(2);
    expect(Number(state.stability)).toBe((JSON.parse(logs[1]!.stateAfter) as { stability: number }).stability);
  }, 60_000);
});
