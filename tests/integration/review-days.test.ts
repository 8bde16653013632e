/**
 * The past days the progress pages keep in the database (ReviewDay, ADR 014)
 * never change a figure: after any mix of reviews, reviews dated in the past
 * (the offline outbox), undos, a time-zone change and the passing of days,
 * the statistics (with the due forecast) and the streak equal a fresh computation from the whole
 * review log by the pure functions of domain/stats.ts. The server's clock is
 * simulated (Date only); real database (SQLite file, or PostgreSQL with
 * TEST_DATABASE=postgres and DATABASE_URL_PG), real course.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inProcessDatabase } from "./in-process-db";

const scratch = await inProcessDatabase("days");

const { startup } = await import("~/startup.server");
const { createUser } = await import("~/auth/users.server");
const { recordReview, undoLastReview } = await import("~/review/review.server");
const { getStats, getStreak, resetStatsCache } = await import("~/progress/stats.server");
const { closeSql, getSql, all } = await import("~/db/sql.server");
const { getDb, disconnectDb } = await import("~/db/client.server");
const { updateSettings } = await import("~/settings/settings.server");
const { getCourse } = await import("~/content/course.server");
const { overruleLastAnswer, OVERRULE_WINDOW_MS } = await import("~/review/overrule.server");
const { recordReviewAnswer } = await import("~/quiz/attempts.server");
const { dayWindow } = await import("~/domain/day");
const { learningDays, totalsByDay, trueRetention, heatmap, dueForecast } = await import("~/domain/stats");

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let userId: string;

beforeAll(async () => {
  await startup({ log: () => undefined });
  userId = (await createUser("days-check", "a long enough password", "Europe/Berlin")).id;
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await closeSql();
  await disconnectDb();
  await scratch.cleanUp();
});

/** The statistics computed afresh from every log row, by the pure functions. */
async function fresh(now: Date, learner = userId) {
  const s = (await getDb().settings.findUniqueOrThrow({ where: { userId: learner } }))!;
  const logs = (await getDb().reviewLog.findMany({ where: { userId: learner } })).map((l) => ({
    itemId: l.itemId,
    kind: l.kind,
    undone: l.undone,
    reviewedAt: l.reviewedAt,
    durationMs: l.durationMs,
    rating: l.rating,
    prevState: l.prevState,
    scheduledDaysBefore: Number((JSON.parse(l.stateBefore) as { scheduledDays?: number }).scheduledDays ?? 0),
  }));
  const year = learningDays(now, s.timeZone, s.dayStartHour, -364, 0);
  const totals = totalsByDay(year, logs);
  let streak = 0;
  for (let i = totals.length - 2; i >= 0 && totals[i]!.reviews > 0; i--) streak++;
  if (totals[totals.length - 1]!.reviews > 0) streak++;
  const live = new Set((await getDb().item.findMany({ where: { retiredAt: null }, select: { id: true } })).map((i) => i.id));
  const states = (await getDb().itemState.findMany({ where: { userId: learner } })).filter((st) => live.has(st.itemId));
  return {
    due: dueForecast(states, learningDays(now, s.timeZone, s.dayStartHour, 0, 29)),
    perDay: totals.slice(-30),
    heatmap: heatmap(totals),
    retention: trueRetention(logs, year.slice(-30)),
    streak,
  };
}

describe("kept past days", () => {
  it("agree with a fresh computation after reviews, late reviews, undos, a zone change and day changes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const random = rng(19);
    const cards = getCourse().course.topics.flatMap((t) => t.cards.map((c) => c.id));
    const versions = new Map<string, number>();
    let t = Date.UTC(2026, 9, 20, 9, 0); // 20 October 2026, 11:00 in Berlin
    let n = 0;
    let late = 0;
    let undos = 0;
    let keptReads = 0;
    for (let step = 0; step < 40; step++) {
      t += Math.floor((3 + random() * 27) * HOUR);
      vi.setSystemTime(t);
      for (let k = 0, m = 1 + Math.floor(random() * 4); k < m; k++) {
        // A card reviewed before, or (one time in five) a new card reviewed "days ago" from the outbox.
        const backdate = random() < 0.2;
        const pool = backdate ? cards.filter((c) => !versions.has(c)) : [...versions.keys(), ...cards.slice(0, 30)];
        const itemId = pool[Math.floor(random() * pool.length)]!;
        const at = backdate ? new Date(t - Math.floor((0.5 + random() * 3) * DAY)) : new Date(t);
        const res = await recordReview(
          userId,
          // The client's own time goes in reviewedAt; the server clamps it to today (ADR 013), so a late review lands on today.
          { itemId, rating: (1 + Math.floor(random() * 4)) as 1 | 2 | 3 | 4, clientId: `days-${n++}`, version: versions.get(itemId) ?? 0, durationMs: Math.floor(random() * 20_000), source: "review", reviewedAt: at.getTime() },
          new Date(t),
        );
        if (res.status === "recorded") {
          versions.set(itemId, res.version);
          if (backdate) late++;
        }
      }
      if (random() < 0.25) {
        // Undo now, or a little after the next day began (the review is then on a kept day).
        const nextDay = random() < 0.5;
        vi.setSystemTime((t += nextDay ? 20 * HOUR : 60_000));
        if (nextDay) await getStats(userId, new Date(t)); // keeps the day the review is on, if it is over
        const res = await undoLastReview(userId, `days-undo-${n++}`, new Date(t));
        if (res.status === "undone") {
          versions.set(res.itemId, res.version);
          undos++;
        }
      }
      if (step === 25) await getDb().settings.update({ where: { userId }, data: { timeZone: "America/New_York" } });
      if (random() < 0.3) resetStatsCache(); // a new process: only what the database keeps
      const now = new Date(t);
      const [stats, streak, expected] = await Promise.all([getStats(userId, now), getStreak(userId, now), fresh(now)]);
      expect(stats.perDay, `step ${step}`).toEqual(expected.perDay.map(({ key, reviews, timeMs }) => ({ key, reviews, timeMs })));
      expect(stats.heatmap, `step ${step}`).toEqual(expected.heatmap);
      expect({ young: stats.retention.young, mature: stats.retention.mature, all: stats.retention.all }, `step ${step}`).toEqual(expected.retention);
      expect(stats.streak.days, `step ${step}`).toBe(expected.streak);
      expect(stats.due, `step ${step}`).toEqual(expected.due);
      expect(streak.days, `step ${step}`).toBe(expected.streak);
      const kept = await getSql().all(all(`SELECT "day" FROM "ReviewDay" WHERE "userId" = ?`, userId));
      if (kept.length > 0) keptReads++;
    }
    // The walk really went through every case.
    expect(late).toBeGreaterThan(3);
    expect(undos).toBeGreaterThan(3);
    expect(keptReads).toBeGreaterThan(20);
    const retained = await fresh(new Date(t));
    expect(retained.retention.all.total).toBeGreaterThan(0);
  }, 120_000);

  it("hold an \"I was right\" correction made just after the day ended, as late as it is allowed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const learner = (await createUser("days-overrule", "a long enough password", "Europe/Berlin")).id;
    const question = getCourse().course.topics.flatMap((t) => t.questions).find((q) => q.kind === "text")!;
    const s = (await getDb().settings.findUniqueOrThrow({ where: { userId: learner } }))!;
    // Days before: answered right until the question is in review, so a wrong answer counts against retention.
    let t = Date.UTC(2026, 10, 2, 9, 0);
    let version = 0;
    for (let i = 0; i < 4; i++, t += 3 * DAY) {
      vi.setSystemTime(t);
      const res = await recordReview(learner, { itemId: question.id, rating: 3, clientId: `ovr-pre-${i}`, version, durationMs: 4000, source: "review" }, new Date(t));
      if (res.status !== "recorded") throw new Error(res.status);
      version = res.version;
    }
    // Answered wrong two minutes before the learning day ends.
    const dayEnd = dayWindow(new Date(t), s.timeZone, s.dayStartHour).end.getTime();
    t = dayEnd - 2 * 60_000;
    vi.setSystemTime(t);
    const wrong = await recordReview(learner, { itemId: question.id, rating: 1, clientId: "ovr-wrong", version, durationMs: 4000, source: "review" }, new Date(t));
    expect(wrong.status).toBe("recorded");
    await recordReviewAnswer(learner, question.id, "not it", false, 4000, new Date(t));
    // The last moment "I was right" is offered: a page seen then must not keep the day the rating is on.
    const last = t + OVERRULE_WINDOW_MS - 1000;
    vi.setSystemTime(last);
    await getStats(learner, new Date(last));
    const res = await overruleLastAnswer(learner, question.id, "ovr-right", new Date(last));
    expect(res.status).toBe("rerated");
    for (const later of [last + 60_000, dayEnd + 2 * HOUR]) {
      vi.setSystemTime(later);
      resetStatsCache(); // a new process: only what the database keeps
      const stats = await getStats(learner, new Date(later));
      const yesterday = stats.perDay.find((d) => d.key === dayWindow(new Date(dayEnd - 1), s.timeZone, s.dayStartHour).key)!;
      expect(yesterday.reviews).toBe(1);
      // The corrected rating counts as passed; a kept day from before the correction would say failed.
      expect(stats.retention.all).toMatchObject({ passed: stats.retention.all.total });
      expect(stats.retention.all.total).toBeGreaterThan(0);
    }
  }, 60_000);
  it("stay right when the learner's zone changes and changes back", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const learner = (await createUser("days-zones", "a long enough password", "America/Los_Angeles")).id;
    const s = (await getDb().settings.findUniqueOrThrow({ where: { userId: learner } }))!;
    const { desiredRetention, newPerDay, reviewCap, dayStartHour, maximumInterval, learningSteps, relearningSteps } = s;
    const moveTo = (timeZone: string) => updateSettings(learner, { desiredRetention, newPerDay, reviewCap, dayStartHour, maximumInterval, learningSteps, relearningSteps, timeZone });
    const [first, second] = getCourse().course.topics.flatMap((t) => t.cards.map((c) => c.id));
    // 21 October 2026, 12:00 UTC: 05:00 in Los Angeles (its learning day began at 04:00, 11:00 UTC), 21:00 in Tokyo.
    const now = Date.UTC(2026, 9, 21, 12, 0);
    vi.setSystemTime(now - 20 * HOUR); // Los Angeles' yesterday
    expect((await recordReview(learner, { itemId: first!, rating: 3, clientId: "zones-1", version: 0, durationMs: 4000, source: "review" }, new Date(now - 20 * HOUR))).status).toBe("recorded");
    vi.setSystemTime(now);
    await getStats(learner, new Date(now)); // keeps Los Angeles' yesterday, which ended an hour ago
    // In Tokyo the learning day began at 04:00 there, 19:00 UTC yesterday: inside the kept Los Angeles day.
    await moveTo("Asia/Tokyo");
    const late = await recordReview(learner, { itemId: second!, rating: 3, clientId: "zones-2", version: 0, durationMs: 4000, source: "review", reviewedAt: now - 3 * DAY }, new Date(now));
    expect(late.status).toBe("recorded");
    await moveTo("America/Los_Angeles");
    for (const newProcess of [false, true]) {
      if (newProcess) resetStatsCache();
      const [stats, expected] = await Promise.all([getStats(learner, new Date(now)), fresh(new Date(now), learner)]);
      expect(expected.perDay.at(-2)!.reviews, "the late review landed on the kept day").toBe(2);
      expect(stats.perDay, newProcess ? "in a new process" : "in this process").toEqual(expected.perDay.map(({ key, reviews, timeMs }) => ({ key, reviews, timeMs })));
    }
  }, 60_000);
});
