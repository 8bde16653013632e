import { describe, expect, it } from "vitest";
import { dayKey, dayWindow, instantOf, wallClock } from "~/domain/day";
import { buildQueue, type QueueInput, type QueueState } from "~/domain/queue";
import { State, type MemoryState } from "~/domain/scheduler";

const HOUR = 3_600_000;
const MIN = 60_000;
const utc = (iso: string) => new Date(iso);

describe("instantOf", () => {
  it.each([
    ["UTC", 2026, 6, 15, 4, "2026-06-15T04:00:00.000Z"],
    ["Europe/Paris", 2026, 6, 15, 4, "2026-06-15T02:00:00.000Z"], // CEST, +02:00
    ["Europe/Paris", 2026, 1, 15, 4, "2026-01-15T03:00:00.000Z"], // CET, +01:00
    ["America/New_York", 2026, 6, 15, 4, "2026-06-15T08:00:00.000Z"], // EDT, -04:00
    ["America/New_York", 2026, 1, 15, 4, "2026-01-15T09:00:00.000Z"], // EST, -05:00
    ["Asia/Tokyo", 2026, 6, 15, 4, "2026-06-14T19:00:00.000Z"], // +09:00
    ["Asia/Kolkata", 2026, 6, 15, 4, "2026-06-14T22:30:00.000Z"], // +05:30
    ["America/New_York", 2026, 3, 8, 4, "2026-03-08T08:00:00.000Z"], // just after spring forward
    ["America/New_York", 2026, 11, 1, 4, "2026-11-01T09:00:00.000Z"], // just after fall back
    ["Europe/Paris", 2026, 3, 29, 4, "2026-03-29T02:00:00.000Z"],
    ["Europe/Paris", 2026, 10, 25, 4, "2026-10-25T03:00:00.000Z"],
    ["Europe/Paris", 2026, 12, 31, 23, "2026-12-31T22:00:00.000Z"],
  ] as const)("%s %d-%d-%d %d:00 -> %s", (tz, y, m, d, h, iso) => {
    expect(instantOf(y, m, d, h, tz).toISOString()).toBe(iso);
  });
});

describe("dayWindow at 04:00", () => {
  it.each([
    // zone, now, start, end, key
    ["UTC", "2026-06-15T12:00:00Z", "2026-06-15T04:00:00.000Z", "2026-06-16T04:00:00.000Z", "2026-06-15"],
    ["Europe/Paris", "2026-06-15T12:00:00Z", "2026-06-15T02:00:00.000Z", "2026-06-16T02:00:00.000Z", "2026-06-15"],
    ["America/New_York", "2026-06-15T12:00:00Z", "2026-06-15T08:00:00.000Z", "2026-06-16T08:00:00.000Z", "2026-06-15"],
    ["Asia/Tokyo", "2026-06-15T03:00:00Z", "2026-06-14T19:00:00.000Z", "2026-06-15T19:00:00.000Z", "2026-06-15"],
    ["Asia/Kolkata", "2026-06-15T06:30:00Z", "2026-06-14T22:30:00.000Z", "2026-06-15T22:30:00.000Z", "2026-06-15"],
  ])("%s at %s", (tz, now, start, end, key) => {
    const w = dayWindow(utc(now), tz, 4);
    expect(w.start.toISOString()).toBe(start);
    expect(w.end.toISOString()).toBe(end);
    expect(w.key).toBe(key);
    expect(w.end.getTime() - w.start.getTime()).toBe(24 * HOUR);
    expect(wallClock(w.start, tz)).toMatchObject({ hour: 4, minute: 0, second: 0 });
    expect(wallClock(w.end, tz)).toMatchObject({ hour: 4, minute: 0, second: 0 });
  });

  it.each([
    // zone, 03:59 local, 04:00 local
    ["UTC", "2026-06-15T03:59:00Z", "2026-06-15T04:00:00Z"],
    ["Europe/Paris", "2026-06-15T01:59:00Z", "2026-06-15T02:00:00Z"],
    ["America/New_York", "2026-06-15T07:59:00Z", "2026-06-15T08:00:00Z"],
    ["Asia/Tokyo", "2026-06-14T18:59:00Z", "2026-06-14T19:00:00Z"],
    ["Asia/Kolkata", "2026-06-14T22:29:00Z", "2026-06-14T22:30:00Z"],
  ])("%s: 03:59 local belongs to the previous day, 04:00 to the new one", (tz, before, at) => {
    expect(wallClock(utc(before), tz)).toMatchObject({ day: 15, hour: 3, minute: 59 });
    const prev = dayWindow(utc(before), tz, 4);
    const next = dayWindow(utc(at), tz, 4);
    expect(prev.key).toBe("2026-06-14");
    expect(next.key).toBe("2026-06-15");
    expect(prev.end).toEqual(next.start);
    expect(next.start).toEqual(utc(at));
    expect(dayKey(utc(before), tz, 4)).toBe("2026-06-14");
  });

  it("counts 01:00 as the evening before, across a month and a year boundary", () => {
    const w = dayWindow(utc("2027-01-01T00:30:00Z"), "Europe/Paris", 4); // 01:30 local on New Year's Day
    expect(w.key).toBe("2026-12-31");
    expect(w.start.toISOString()).toBe("2026-12-31T03:00:00.000Z");
    expect(w.end.toISOString()).toBe("2027-01-01T03:00:00.000Z");
    expect(dayWindow(utc("2026-03-01T02:00:00Z"), "UTC", 4).key).toBe("2026-02-28");
  });

  it("honours another day-start hour", () => {
    const w = dayWindow(utc("2026-06-15T05:00:00Z"), "UTC", 6);
    expect(w.key).toBe("2026-06-14");
    expect(w.start.toISOString()).toBe("2026-06-14T06:00:00.000Z");
    expect(dayWindow(utc("2026-06-15T00:00:00Z"), "UTC", 0).start.toISOString()).toBe("2026-06-15T00:00:00.000Z");
  });
});

describe("dayWindow across DST changes", () => {
  it.each([
    // zone, a moment inside the learning day that contains the change, key, start, end, hours
    ["America/New_York", "2026-03-08T06:30:00Z", "2026-03-07", "2026-03-07T09:00:00.000Z", "2026-03-08T08:00:00.000Z", 23], // 01:30 EST
    ["America/New_York", "2026-03-08T07:30:00Z", "2026-03-07", "2026-03-07T09:00:00.000Z", "2026-03-08T08:00:00.000Z", 23], // 03:30 EDT
    ["America/New_York", "2026-11-01T05:30:00Z", "2026-10-31", "2026-10-31T08:00:00.000Z", "2026-11-01T09:00:00.000Z", 25], // 01:30 EDT
    ["America/New_York", "2026-11-01T06:30:00Z", "2026-10-31", "2026-10-31T08:00:00.000Z", "2026-11-01T09:00:00.000Z", 25], // 01:30 EST
    ["Europe/Paris", "2026-03-29T00:30:00Z", "2026-03-28", "2026-03-28T03:00:00.000Z", "2026-03-29T02:00:00.000Z", 23], // 01:30 CET
    ["Europe/Paris", "2026-03-29T01:30:00Z", "2026-03-28", "2026-03-28T03:00:00.000Z", "2026-03-29T02:00:00.000Z", 23], // 03:30 CEST
    ["Europe/Paris", "2026-10-25T00:30:00Z", "2026-10-24", "2026-10-24T02:00:00.000Z", "2026-10-25T03:00:00.000Z", 25], // 02:30 CEST
    ["Europe/Paris", "2026-10-25T01:30:00Z", "2026-10-24", "2026-10-24T02:00:00.000Z", "2026-10-25T03:00:00.000Z", 25], // 02:30 CET
  ])("%s at %s: day %s is %d h long", (tz, now, key, start, end, hours) => {
    const w = dayWindow(utc(now), tz, 4);
    expect(w.key).toBe(key);
    expect(w.start.toISOString()).toBe(start);
    expect(w.end.toISOString()).toBe(end);
    expect(w.end.getTime() - w.start.getTime()).toBe(hours * HOUR);
    expect(wallClock(w.start, tz)).toMatchObject({ hour: 4, minute: 0 });
    expect(wallClock(w.end, tz)).toMatchObject({ hour: 4, minute: 0 });
  });

  it.each([
    ["America/New_York", "2026-03-08T16:00:00Z", "2026-03-08T08:00:00.000Z", "2026-03-09T08:00:00.000Z"],
    ["America/New_York", "2026-11-01T16:00:00Z", "2026-11-01T09:00:00.000Z", "2026-11-02T09:00:00.000Z"],
    ["Europe/Paris", "2026-03-29T12:00:00Z", "2026-03-29T02:00:00.000Z", "2026-03-30T02:00:00.000Z"],
    ["Europe/Paris", "2026-10-25T12:00:00Z", "2026-10-25T03:00:00.000Z", "2026-10-26T03:00:00.000Z"],
  ])("%s: the day after the change (at %s) is 24 h again", (tz, now, start, end) => {
    const w = dayWindow(utc(now), tz, 4);
    expect(w.start.toISOString()).toBe(start);
    expect(w.end.toISOString()).toBe(end);
  });

  it("consecutive days tile time with no gap and no overlap through a whole year", () => {
    for (const tz of ["America/New_York", "Europe/Paris", "Asia/Kolkata", "Australia/Lord_Howe"]) {
      let w = dayWindow(utc("2026-01-01T12:00:00Z"), tz, 4);
      for (let i = 0; i < 366; i++) {
        const next = dayWindow(w.end, tz, 4);
        expect(next.start).toEqual(w.end);
        expect(next.key > w.key).toBe(true);
        w = next;
      }
    }
  });
});

// ---------------------------------------------------------------------------

const NOW = utc("2026-11-28T15:00:00Z");
const DAY_END = utc("2026-11-29T04:00:00Z");

function mem(state: State, due: Date): MemoryState {
  return {
    due,
    stability: state === State.New ? 0 : 5,
    difficulty: state === State.New ? 0 : 5,
    elapsedDays: 0,
    scheduledDays: 0,
    learningSteps: 0,
    reps: state === State.New ? 0 : 3,
    lapses: 0,
    state,
    lastReview: state === State.New ? null : utc("2026-11-20T10:00:00Z"),
  };
}
const item = (itemId: string, state: State, due: Date, retrievability = 0.9): QueueState => ({ itemId, state: mem(state, due), retrievability });
const minutes = (n: number) => new Date(NOW.getTime() + n * MIN);

function input(over: Partial<QueueInput>): QueueInput {
  return { now: NOW, dayEnd: DAY_END, states: [], newItemIds: [], newDoneToday: 0, reviewsDoneToday: 0, newPerDay: 20, reviewCap: 200, ...over };
}
const ids = (q: ReturnType<typeof buildQueue>) => q.entries.map((e) => e.itemId);

describe("buildQueue", () => {
  it("orders: learning due now (soonest first), reviews by lowest retrievability, new in order, then learning ahead", () => {
    const q = buildQueue(
      input({
        states: [
          item("rev-safe", State.Review, minutes(-60), 0.95),
          item("learn-late", State.Learning, minutes(-1)),
          item("rev-risky", State.Review, minutes(300), 0.6),
          item("ahead", State.Learning, minutes(15)),
          item("relearn-early", State.Relearning, minutes(-30)),
          item("rev-mid", State.Review, minutes(-600), 0.8),
          item("learn-now", State.Learning, NOW),
        ],
        newItemIds: ["new-b", "new-a", "new-c"],
      }),
    );
    expect(q.entries).toEqual([
      { itemId: "relearn-early", kind: "learning" },
      { itemId: "learn-late", kind: "learning" },
      { itemId: "learn-now", kind: "learning" },
      { itemId: "rev-risky", kind: "review" },
      { itemId: "rev-mid", kind: "review" },
      { itemId: "rev-safe", kind: "review" },
      { itemId: "new-b", kind: "new" },
      { itemId: "new-a", kind: "new" },
      { itemId: "new-c", kind: "new" },
      { itemId: "ahead", kind: "learning" },
    ]);
    expect(q.counts).toEqual({ learning: 4, review: 3, new: 3 });
    expect(q.nextDue).toBeNull();
  });

  it("breaks retrievability ties by due date, then id", () => {
    const q = buildQueue(
      input({
        states: [item("b", State.Review, minutes(-5), 0.7), item("a", State.Review, minutes(-5), 0.7), item("c", State.Review, minutes(-50), 0.7)],
      }),
    );
    expect(ids(q)).toEqual(["c", "a", "b"]);
  });

  it("includes reviews due by the end of the day, not after", () => {
    const q = buildQueue(
      input({
        states: [
          item("at-day-end", State.Review, DAY_END),
          item("tonight", State.Review, utc("2026-11-29T02:00:00Z")),
          item("tomorrow", State.Review, new Date(DAY_END.getTime() + 1)),
          item("next-week", State.Review, utc("2026-12-05T09:00:00Z")),
        ],
      }),
    );
    expect(ids(q).sort()).toEqual(["at-day-end", "tonight"]);
    expect(q.nextDue).toEqual(new Date(DAY_END.getTime() + 1));
  });

  it("leaves out learning items due beyond the 20-minute learn-ahead window and reports them as next due", () => {
    const q = buildQueue(
      input({ states: [item("in-20", State.Learning, minutes(20)), item("in-21", State.Learning, minutes(21)), item("relearn-in-60", State.Relearning, minutes(60))] }),
    );
    expect(q.entries).toEqual([{ itemId: "in-20", kind: "learning" }]);
    expect(q.nextDue).toEqual(minutes(21));
  });

  it("learn-ahead items come last, soonest first, even after new items", () => {
    const q = buildQueue(input({ states: [item("l10", State.Learning, minutes(10)), item("l5", State.Relearning, minutes(5))], newItemIds: ["n1"] }));
    expect(ids(q)).toEqual(["n1", "l5", "l10"]);
  });

  it("honours a custom learn-ahead window", () => {
    const q = buildQueue(input({ states: [item("l10", State.Learning, minutes(10))], learnAheadMs: 5 * MIN }));
    expect(ids(q)).toEqual([]);
    expect(q.nextDue).toEqual(minutes(10));
  });

  it("takes new items up to the daily limit minus those already introduced today", () => {
    const newItemIds = ["n1", "n2", "n3", "n4", "n5"];
    expect(ids(buildQueue(input({ newItemIds, newPerDay: 3 })))).toEqual(["n1", "n2", "n3"]);
    expect(ids(buildQueue(input({ newItemIds, newPerDay: 3, newDoneToday: 2 })))).toEqual(["n1"]);
    expect(ids(buildQueue(input({ newItemIds, newPerDay: 3, newDoneToday: 3 })))).toEqual([]);
    expect(ids(buildQueue(input({ newItemIds, newPerDay: 3, newDoneToday: 10 })))).toEqual([]);
    expect(buildQueue(input({ newItemIds, newPerDay: 3, newDoneToday: 1 })).counts.new).toBe(2);
  });

  it("caps reviews at the daily cap minus reviews done today, keeping the most at risk; the rest set nextDue", () => {
    const states = [
      item("r90", State.Review, minutes(-10), 0.9),
      item("r50", State.Review, minutes(-20), 0.5),
      item("r70", State.Review, minutes(-30), 0.7),
      item("r80", State.Review, minutes(-40), 0.8),
    ];
    const q = buildQueue(input({ states, reviewCap: 5, reviewsDoneToday: 3 }));
    expect(ids(q)).toEqual(["r50", "r70"]);
    expect(q.counts.review).toBe(2);
    expect(q.nextDue).toEqual(minutes(-40));
    expect(ids(buildQueue(input({ states, reviewCap: 5, reviewsDoneToday: 7 })))).toEqual([]);
  });

  it("learning items are not limited by the review cap", () => {
    const q = buildQueue(input({ states: [item("l", State.Learning, minutes(-1)), item("r", State.Review, minutes(-1))], reviewCap: 1, reviewsDoneToday: 1 }));
    expect(ids(q)).toEqual(["l"]);
  });

  it("ignores scheduled items still in the New state (they come through newItemIds)", () => {
    const q = buildQueue(input({ states: [item("fresh", State.New, minutes(-100))] }));
    expect(q.entries).toEqual([]);
    expect(q.nextDue).toBeNull();
  });

  it("an empty day reports the soonest future due time", () => {
    const q = buildQueue(input({ states: [item("later", State.Review, utc("2026-12-10T00:00:00Z")), item("sooner", State.Review, utc("2026-12-01T00:00:00Z"))] }));
    expect(q.entries).toEqual([]);
    expect(q.counts).toEqual({ learning: 0, review: 0, new: 0 });
    expect(q.nextDue).toEqual(utc("2026-12-01T00:00:00Z"));
  });

  it("does not reorder or change its input", () => {
    const states = [item("b", State.Review, minutes(-1), 0.9), item("a", State.Review, minutes(-1), 0.1)];
    const newItemIds = ["x", "y"];
    buildQueue(input({ states, newItemIds, newPerDay: 1 }));
    expect(states.map((s) => s.itemId)).toEqual(["b", "a"]);
    expect(newItemIds).toEqual(["x", "y"]);
  });
});
