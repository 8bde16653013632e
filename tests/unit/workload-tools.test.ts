import { describe, expect, it } from "vitest";
import { isLeech, DEFAULT_LEECH_THRESHOLD } from "~/domain/leech";
import { claimedKeys, isBuried, pickNew, siblingKeys } from "~/domain/siblings";
import { balancedInterval, fuzzRange, LIGHT_DAY_FACTOR, parseLightDays } from "~/domain/load-balance";
import { buildQueue } from "~/domain/queue";
import { createScheduler, fuzzKey, newMemoryState, Rating, State, type Grade, type MemoryState } from "~/domain/scheduler";

const DAY = 86_400_000;

describe("leech threshold", () => {
  it("an item is a leech from the threshold's lapse on, not before", () => {
    expect(DEFAULT_LEECH_THRESHOLD).toBe(8);
    expect(isLeech(7)).toBe(false);
    expect(isLeech(8)).toBe(true);
    expect(isLeech(12)).toBe(true);
    expect(isLeech(3, 4)).toBe(false);
    expect(isLeech(4, 4)).toBe(true);
  });
  it("a threshold of 0 turns leech marking off", () => {
    expect(isLeech(50, 0)).toBe(false);
  });
});

describe("sibling rule", () => {
  // a1, a2 share section "attn" and concept "softmax"; a3 is in the same section on another concept; b1 elsewhere.
  const keys: Record<string, string[]> = {
    a1: siblingKeys("t", "attn", ["softmax"]),
    a2: siblingKeys("t", "attn", ["softmax", "scaling"]),
    a3: siblingKeys("t", "attn", ["masking"]),
    b1: siblingKeys("t", "other", ["softmax"]),
  };
  const keysOf = (id: string) => keys[id] ?? [];

  it("siblings share a section and a concept; a shared concept in another section is not enough", () => {
    const claimed = claimedKeys(["a1"], keysOf);
    expect(isBuried("a2", claimed, keysOf)).toBe(true);
    expect(isBuried("a3", claimed, keysOf)).toBe(false);
    expect(isBuried("b1", claimed, keysOf)).toBe(false);
    expect(isBuried("a1", claimed, keysOf)).toBe(false); // its own review buries nothing of itself
  });

  it("new siblings are not introduced the same day while other items can fill the room", () => {
    expect(pickNew(["a1", "a2", "a3", "b1"], 3, new Map(), keysOf)).toEqual(["a1", "a3", "b1"]);
  });

  it("when only siblings are left, the day's room is still filled", () => {
    expect(pickNew(["a1", "a2"], 2, new Map(), keysOf)).toEqual(["a1", "a2"]);
  });

  it("a new item whose sibling was reviewed today waits while others are available", () => {
    expect(pickNew(["a2", "a3"], 1, claimedKeys(["a1"], keysOf), keysOf)).toEqual(["a3"]);
  });

  it("the queue buries a due review item whose sibling was reviewed today, but not learning steps", () => {
    const now = new Date("2026-06-15T12:00:00Z");
    const st = (state: State, due: Date): MemoryState => ({ ...newMemoryState(now), state, due, stability: 5, lastReview: new Date(now.getTime() - 5 * DAY), reps: 3 });
    const input = {
      now,
      dayEnd: new Date("2026-06-16T04:00:00Z"),
      states: [
        { itemId: "a2", state: st(State.Review, new Date(now.getTime() - DAY)), retrievability: 0.8 },
        { itemId: "a3", state: st(State.Review, new Date(now.getTime() - DAY)), retrievability: 0.8 },
        { itemId: "a1", state: st(State.Relearning, new Date(now.getTime() - 1000)), retrievability: 0.5 },
      ],
      newItemIds: [],
      newDoneToday: 0,
      reviewsDoneToday: 0,
      newPerDay: 10,
      reviewCap: 100,
      siblingKeys: keysOf,
    };
    const none = buildQueue(input);
    expect(none.entries.map((e) => e.itemId).sort()).toEqual(["a1", "a2", "a3"]);
    const buried = buildQueue({ ...input, touchedToday: ["a1"] });
    expect(buried.entries.map((e) => e.itemId)).toEqual(["a1", "a3"]);
  });
});

describe("load balancing", () => {
  it("picks the least loaded day of the range, the drawn day on ties", () => {
    const loads: Record<number, number> = { 8: 5, 9: 2, 10: 4, 11: 2, 12: 6 };
    const pick = (drawn: number) => balancedInterval({ range: { min: 8, max: 12 }, drawn, loadOn: (d) => loads[d] ?? 0, isLight: () => false });
    expect(pick(10)).toBe(9); // 9 and 11 tie at 2; both one day from 10: the first found
    expect(pick(12)).toBe(11); // nearer the drawn day
    const flat = balancedInterval({ range: { min: 8, max: 12 }, drawn: 10, loadOn: () => 3, isLight: () => false });
    expect(flat).toBe(10); // equal loads keep fuzz's own draw
  });

  it("a light weekday is picked only when the other days are much busier", () => {
    const light = (d: number) => d === 9;
    expect(balancedInterval({ range: { min: 8, max: 10 }, drawn: 9, loadOn: (d) => (d === 9 ? 0 : 2), isLight: light })).not.toBe(9);
    expect(balancedInterval({ range: { min: 8, max: 10 }, drawn: 9, loadOn: (d) => (d === 9 ? 0 : LIGHT_DAY_FACTOR + 1), isLight: light })).toBe(9);
  });

  it("never leaves the fuzz range, whatever the loads, and the range holds what fuzz itself draws", () => {
    const scheduler = createScheduler({ desiredRetention: 0.9, maximumInterval: 36500, learningSteps: "1m 10m", relearningSteps: "10m" });
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    let checked = 0;
    for (let item = 0; item < 200; item++) {
      let state = newMemoryState(new Date("2026-01-01T10:00:00Z"));
      let now = new Date("2026-01-01T10:00:00Z");
      for (let rep = 0; rep < 8; rep++) {
        const rating = (1 + Math.floor(rand() * 4)) as Grade;
        const range = scheduler.fuzzRange(state, now, rating);
        const after = scheduler.next(state, now, rating, fuzzKey("u", `i${item}`));
        if (range && after.state === State.Review) {
          // What ts-fsrs's own fuzz drew lies in the range (except where it keeps Hard < Good < Easy).
          if (rating === Rating.Hard) {
            expect(after.scheduledDays).toBeGreaterThanOrEqual(range.min);
            expect(after.scheduledDays).toBeLessThanOrEqual(range.max);
          }
          const chosen = balancedInterval({ range, drawn: after.scheduledDays, loadOn: () => Math.floor(rand() * 50), isLight: () => rand() < 0.3 });
          expect(chosen).toBeGreaterThanOrEqual(range.min);
          expect(chosen).toBeLessThanOrEqual(range.max);
          checked++;
        }
        state = after;
        now = new Date(after.due.getTime() + Math.floor(rand() * 3) * DAY);
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("fuzzRange matches ts-fsrs: nothing under 2.5 days, a wider range for longer intervals", () => {
    expect(fuzzRange(2, 0, 36500)).toBeNull();
    const short = fuzzRange(10, 10, 36500)!;
    const long = fuzzRange(100, 100, 36500)!;
    expect(short.min).toBeLessThanOrEqual(10);
    expect(short.max).toBeGreaterThanOrEqual(10);
    expect(long.max - long.min).toBeGreaterThan(short.max - short.min);
  });

  it("light days parse from a comma list and ignore anything else", () => {
    expect([...parseLightDays("0, 6")].sort()).toEqual([0, 6]);
    expect([...parseLightDays("7,x,,3")]).toEqual([3]);
    expect(parseLightDays("").size).toBe(0);
  });
});

describe("load balancing on the review path (balanceStep)", () => {
  it("moves a Good review off its busy drawn day to a quieter day of the same fuzz range, and keeps the memory state", async () => {
    const { balanceStep } = await import("~/review/load-balance.server");
    const scheduler = createScheduler({ desiredRetention: 0.9, maximumInterval: 36500, learningSteps: "1m 10m", relearningSteps: "10m" });
    const now = new Date("2026-06-15T12:00:00Z");
    const before: MemoryState = { ...newMemoryState(now), state: State.Review, stability: 40, difficulty: 5, reps: 5, lastReview: new Date(now.getTime() - 40 * DAY), due: now, scheduledDays: 40 };
    const after = scheduler.next(before, now, Rating.Good, fuzzKey("u", "x"));
    const range = scheduler.fuzzRange(before, now, Rating.Good)!;
    expect(range.max).toBeGreaterThan(range.min);
    const settings = { timeZone: "UTC", dayStartHour: 4, lightDays: "" };
    const step = balanceStep("u", "x", settings, scheduler, before, after, now, Rating.Good)!;
    expect(step.statement.sql).toContain('"suspended" = ?');
    // Fifty reviews already due on the drawn day, none elsewhere.
    const busy = Array.from({ length: 50 }, () => ({ due: after.due.toISOString() }));
    const moved = step.apply(busy);
    expect(moved.scheduledDays).not.toBe(after.scheduledDays);
    expect(moved.scheduledDays).toBeGreaterThanOrEqual(range.min);
    expect(moved.scheduledDays).toBeLessThanOrEqual(range.max);
    expect(moved.due.getTime() - after.due.getTime()).toBe((moved.scheduledDays - after.scheduledDays) * DAY);
    expect({ ...moved, due: 0, scheduledDays: 0 }).toEqual({ ...after, due: 0, scheduledDays: 0 });
    // No load anywhere: fuzz's own draw stands.
    expect(step.apply([])).toBe(after);
  });

  it("learning steps are never balanced", async () => {
    const { balanceStep } = await import("~/review/load-balance.server");
    const scheduler = createScheduler({ desiredRetention: 0.9, maximumInterval: 36500, learningSteps: "1m 10m", relearningSteps: "10m" });
    const now = new Date("2026-06-15T12:00:00Z");
    const fresh = newMemoryState(now);
    const after = scheduler.next(fresh, now, Rating.Good);
    expect(balanceStep("u", "x", { timeZone: "UTC", dayStartHour: 4, lightDays: "" }, scheduler, fresh, after, now, Rating.Good)).toBeNull();
  });
});

describe("settings: leech threshold and light days", () => {
  const base = { intent: "settings", desiredRetention: "0.9", newPerDay: "20", reviewCap: "200", dayStartHour: "4", timeZone: "UTC", maximumInterval: "36500", learningSteps: "1m 10m", relearningSteps: "10m" };
  it("ticked weekday boxes become lightDays; none ticked means none; an old form keeps the saved days", async () => {
    const { lightDaysFromForm, SettingsSchema } = await import("~/settings/schema");
    const parse = (f: Record<string, string>) => SettingsSchema.safeParse(lightDaysFromForm(f));
    const ticked = parse({ ...base, lightDaysSent: "1", "light-0": "on", "light-6": "on", leechThreshold: "5" });
    expect(ticked.success && ticked.data).toMatchObject({ lightDays: "0,6", leechThreshold: 5 });
    const none = parse({ ...base, lightDaysSent: "1" });
    expect(none.success && none.data.lightDays).toBe("");
    const old = parse(base);
    expect(old.success && old.data.lightDays).toBeUndefined();
  });
  it("refuses every day light, a threshold out of range, or a malformed list", async () => {
    const { lightDaysFromForm, SettingsSchema } = await import("~/settings/schema");
    const all = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [`light-${d}`, "on"]));
    expect(SettingsSchema.safeParse(lightDaysFromForm({ ...base, lightDaysSent: "1", ...all })).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...base, leechThreshold: "100" }).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...base, leechThreshold: "-1" }).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...base, lightDays: "7" }).success).toBe(false);
  });
});
