import { createEmptyCard, default_w, fsrs, generatorParameters, type Card, type FSRSParameters, type Grade } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import {
  createScheduler,
  DEFAULT_SETTINGS,
  formatInterval,
  fromCard,
  newMemoryState,
  parseSteps,
  Rating,
  State,
  stateFromJson,
  stateToJson,
  toCard,
  type MemoryState,
  type SchedulerSettings,
} from "~/domain/scheduler";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = new Date("2026-11-28T09:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

const settings = (over: Partial<SchedulerSettings> = {}): SchedulerSettings => ({ ...DEFAULT_SETTINGS, enableFuzz: false, ...over });

function directEngine(over: Partial<FSRSParameters> = {}) {
  return fsrs(
    generatorParameters({
      request_retention: 0.9,
      maximum_interval: 36500,
      enable_fuzz: false,
      enable_short_term: true,
      learning_steps: ["1m", "10m"],
      relearning_steps: ["10m"],
      ...over,
    }),
  );
}

/** Reviews `ratings` each at its card's due time (plus `lateMs`), through both engines. */
function replay(ratings: Grade[], s: SchedulerSettings, direct: ReturnType<typeof fsrs>, lateMs = 0) {
  const scheduler = createScheduler(s);
  let ours = newMemoryState(T0);
  let theirs: Card = createEmptyCard(T0);
  let now = T0;
  const trail: { ours: MemoryState; theirs: Card; now: Date }[] = [];
  for (const r of ratings) {
    ours = scheduler.next(ours, now, r);
    theirs = direct.next(theirs, now, r).card;
    trail.push({ ours, theirs, now });
    now = new Date(ours.due.getTime() + lateMs);
  }
  return trail;
}

describe("next: the same card as ts-fsrs directly (fuzz off)", () => {
  const sequences: [string, Grade[]][] = [
    ["Good through the learning steps into review", [Rating.Good, Rating.Good, Rating.Good, Rating.Good]],
    ["Again, Hard, Good, Easy", [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy, Rating.Good]],
    ["a lapse and relearning", [Rating.Good, Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Good]],
    ["Easy straight away, then Hard", [Rating.Easy, Rating.Hard, Rating.Hard, Rating.Again, Rating.Again, Rating.Good]],
  ];
  it.each(sequences)("%s", (_name, ratings) => {
    for (const lateMs of [0, 3 * HOUR, 2 * DAY]) {
      for (const step of replay(ratings, settings(), directEngine(), lateMs)) {
        expect(toCard(step.ours)).toEqual(step.theirs);
        expect(fromCard(step.theirs)).toEqual(step.ours);
      }
    }
  });

  it("walks the learning steps 1m, 10m, then graduates to review", () => {
    const s = createScheduler(settings());
    const first = s.next(newMemoryState(T0), T0, Rating.Good);
    expect(first.state).toBe(State.Learning);
    expect(first.due).toEqual(at(10 * MIN));
    const again = s.next(newMemoryState(T0), T0, Rating.Again);
    expect(again.state).toBe(State.Learning);
    expect(again.due).toEqual(at(1 * MIN));
    const graduated = s.next(first, first.due, Rating.Good);
    expect(graduated.state).toBe(State.Review);
    expect(graduated.due.getTime() - first.due.getTime()).toBeGreaterThanOrEqual(DAY);
    expect(graduated.lastReview).toEqual(first.due);
    expect(graduated.reps).toBe(2);
  });

  it("a lapse goes to relearning for 10 minutes, then back to review", () => {
    const s = createScheduler(settings());
    let m = newMemoryState(T0);
    m = s.next(m, T0, Rating.Easy);
    expect(m.state).toBe(State.Review);
    const reviewedAt = m.due;
    m = s.next(m, reviewedAt, Rating.Again);
    expect(m.state).toBe(State.Relearning);
    expect(m.lapses).toBe(1);
    expect(m.due).toEqual(new Date(reviewedAt.getTime() + 10 * MIN));
    m = s.next(m, m.due, Rating.Good);
    expect(m.state).toBe(State.Review);
  });

  it("uses the learner's own learning steps", () => {
    const s = createScheduler(settings({ learningSteps: "5m 1h", relearningSteps: "30m" }));
    expect(s.next(newMemoryState(T0), T0, Rating.Again).due).toEqual(at(5 * MIN));
    expect(s.next(newMemoryState(T0), T0, Rating.Good).due).toEqual(at(HOUR));
    const direct = directEngine({ learning_steps: ["5m", "1h"], relearning_steps: ["30m"] });
    for (const step of replay([Rating.Good, Rating.Good, Rating.Again, Rating.Good], settings({ learningSteps: "5m 1h", relearningSteps: "30m" }), direct)) {
      expect(toCard(step.ours)).toEqual(step.theirs);
    }
  });

  it("does not change the state it is given", () => {
    const s = createScheduler(settings());
    const m = newMemoryState(T0);
    const copy = structuredClone(m);
    s.next(m, T0, Rating.Good);
    expect(m).toEqual(copy);
  });
});

describe("preview", () => {
  it("labels a new card's buttons: Again 1m, Hard 6m, Good 10m, Easy in days", () => {
    const p = createScheduler(settings()).preview(newMemoryState(T0), T0);
    expect(p[Rating.Again]).toEqual({ due: at(MIN), label: "1m" });
    expect(p[Rating.Hard]).toEqual({ due: at(6 * MIN), label: "6m" }); // (1m + 10m) / 2, rounded to whole minutes
    expect(p[Rating.Good]).toEqual({ due: at(10 * MIN), label: "10m" });
    expect(p[Rating.Easy].label).toMatch(/^\d+d$/);
    expect(p[Rating.Easy].due.getTime() - T0.getTime()).toBeGreaterThanOrEqual(DAY);
  });

  it("matches next() for every rating, for a card in review", () => {
    const s = createScheduler(settings());
    let m = s.next(newMemoryState(T0), T0, Rating.Good);
    m = s.next(m, m.due, Rating.Good);
    const now = new Date(m.due.getTime() + 2 * HOUR);
    const p = s.preview(m, now);
    for (const g of [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy] as const) {
      const due = s.next(m, now, g).due;
      expect(p[g].due).toEqual(due);
      expect(p[g].label).toBe(formatInterval(due.getTime() - now.getTime()));
    }
    expect(p[Rating.Again].label).toBe("10m");
    expect(p[Rating.Hard].due.getTime()).toBeLessThanOrEqual(p[Rating.Good].due.getTime());
    expect(p[Rating.Good].due.getTime()).toBeLessThan(p[Rating.Easy].due.getTime());
  });

  it("matches next() in learning and relearning too (fuzzed long intervals included)", () => {
    const s = createScheduler(settings());
    const learning = s.next(newMemoryState(T0), T0, Rating.Again);
    let review = s.next(newMemoryState(T0), T0, Rating.Easy);
    for (let i = 0; i < 4; i++) review = s.next(review, review.due, Rating.Good);
    const relearning = s.next(review, review.due, Rating.Again);
    expect([learning.state, relearning.state]).toEqual([State.Learning, State.Relearning]);
    for (const m of [learning, relearning, review]) {
      const now = new Date(m.due.getTime() + 3 * DAY);
      const p = s.preview(m, now);
      for (const g of [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy] as const) expect(p[g].due).toEqual(s.next(m, now, g).due);
    }
  });
});

describe("fuzz keyed by the learner's item (as Anki seeds it by card and reviews)", () => {
  const reviewCard = (s: ReturnType<typeof createScheduler>, key: string) => {
    let m = s.next(newMemoryState(T0), T0, Rating.Easy, key);
    m = s.next(m, m.due, Rating.Good, key);
    return m;
  };

  it("the interval a button shows is the one its rating gives, and it stays put on a reload a minute later", () => {
    const s = createScheduler(settings({ enableFuzz: true }));
    const m = reviewCard(s, "u1:card-a");
    const now = new Date(m.due.getTime() + HOUR);
    const later = new Date(now.getTime() + MIN);
    const p = s.preview(m, now, "u1:card-a");
    const again = s.preview(m, later, "u1:card-a");
    for (const g of [Rating.Hard, Rating.Good, Rating.Easy] as const) {
      expect(p[g].due).toEqual(s.next(m, now, g, "u1:card-a").due);
      expect(again[g].label).toBe(p[g].label);
    }
  });

  it("still spreads cards learnt together: different items get different intervals", () => {
    const s = createScheduler(settings({ enableFuzz: true }));
    const intervals = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const m = reviewCard(s, `u1:card-${i}`);
      const next = s.next(m, m.due, Rating.Good, `u1:card-${i}`);
      intervals.add(Math.round((next.due.getTime() - m.due.getTime()) / DAY));
    }
    expect(intervals.size).toBeGreaterThanOrEqual(3);
  });

  it("the same fuzz draw at two desired retentions keeps their ratio (the settings page's promise)", () => {
    const key = "u1:card-b";
    for (let i = 0; i < 20; i++) {
      const k = `${key}-${i}`;
      const at90 = createScheduler(settings({ enableFuzz: true, desiredRetention: 0.9 })).preview(newMemoryState(T0), T0, k)[Rating.Easy].due.getTime() - T0.getTime();
      const at85 = createScheduler(settings({ enableFuzz: true, desiredRetention: 0.85 })).preview(newMemoryState(T0), T0, k)[Rating.Easy].due.getTime() - T0.getTime();
      expect(at85 / at90).toBeGreaterThan(1.5);
    }
  });
});

describe("rollback", () => {
  const s = createScheduler(settings());
  /** A card in review state, reviewed a few times. */
  function reviewCard() {
    let m = newMemoryState(T0);
    m = s.next(m, T0, Rating.Good);
    m = s.next(m, m.due, Rating.Good);
    m = s.next(m, new Date(m.due.getTime() + DAY), Rating.Hard);
    expect(m.state).toBe(State.Review);
    return m;
  }

  it.each([
    ["Good", Rating.Good],
    ["Again (a lapse)", Rating.Again],
    ["Hard", Rating.Hard],
    ["Easy", Rating.Easy],
  ] as const)("restores the exact previous state of a review card rated %s", (_name, rating) => {
    const before = reviewCard();
    // Reviewed late, so the review time is not the due date.
    const reviewedAt = new Date(before.due.getTime() + 3 * DAY + 5 * HOUR);
    const after = s.next(before, reviewedAt, rating);
    expect(after).not.toEqual(before);
    expect(s.rollback(after, before, rating, reviewedAt)).toEqual(before);
  });

  it("restores a learning card", () => {
    const before = s.next(newMemoryState(T0), T0, Rating.Good);
    const reviewedAt = at(12 * MIN);
    const after = s.next(before, reviewedAt, Rating.Good);
    expect(s.rollback(after, before, Rating.Good, reviewedAt)).toEqual(before);
  });

  it("survives the JSON round trip the review log uses", () => {
    const before = reviewCard();
    const reviewedAt = new Date(before.due.getTime() + HOUR);
    const after = s.next(before, reviewedAt, Rating.Good);
    const back = s.rollback(stateFromJson(JSON.parse(JSON.stringify(stateToJson(after)))), stateFromJson(JSON.parse(JSON.stringify(stateToJson(before)))), Rating.Good, reviewedAt);
    expect(back).toEqual(before);
  });
});

describe("retrievability", () => {
  const s = createScheduler(settings());
  it("is 0 for a new card", () => {
    expect(s.retrievability(newMemoryState(T0), at(30 * DAY))).toBe(0);
  });

  it("matches ts-fsrs get_retrievability and decays with time", () => {
    let m = s.next(newMemoryState(T0), T0, Rating.Good);
    m = s.next(m, m.due, Rating.Good);
    const direct = directEngine();
    const values = [0, 1, 3, 10, 60].map((d) => {
      const when = new Date(m.lastReview!.getTime() + d * DAY);
      const r = s.retrievability(m, when);
      expect(r).toBe(direct.get_retrievability(toCard(m), when, false));
      return r;
    });
    expect(values[0]).toBeCloseTo(1, 6);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThan(values[i - 1]!);
    expect(values[4]!).toBeGreaterThan(0);
  });

  it("is exactly ts-fsrs get_retrievability over many states, times of day and learners' weights", () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (const weights of [null, default_w.map((w, i) => (i === 20 ? 0.35 : w * (0.9 + 0.2 * rand())))]) {
      const learner = createScheduler({ ...settings(), weights: weights ? [...weights] : null });
      for (let i = 0; i < 500; i++) {
        let m = learner.next(newMemoryState(T0), T0, (1 + Math.floor(rand() * 4)) as Grade);
        for (let k = Math.floor(rand() * 5); k > 0; k--) m = learner.next(m, new Date(m.due.getTime() + rand() * 5 * DAY), (1 + Math.floor(rand() * 4)) as Grade);
        const when = new Date(m.lastReview!.getTime() + (rand() - 0.05) * 400 * DAY); // some before the last review
        expect(learner.retrievability(m, when)).toBe(learner.engine.get_retrievability(toCard(m), when, false));
      }
    }
  });

  it("is about the desired retention when the card falls due", () => {
    let m = s.next(newMemoryState(T0), T0, Rating.Good);
    m = s.next(m, m.due, Rating.Good);
    m = s.next(m, m.due, Rating.Good);
    expect(s.retrievability(m, m.due)).toBeCloseTo(0.9, 1);
  });
});

describe("formatInterval", () => {
  it.each([
    [0, "<1m"],
    [59_999, "<1m"],
    [MIN, "1m"],
    [10 * MIN, "10m"],
    [59 * MIN, "59m"],
    [HOUR, "1h"],
    [90 * MIN, "2h"],
    [23 * HOUR, "23h"],
    [DAY, "1d"],
    [29 * DAY, "29d"],
    [30 * DAY, "1mo"],
    [45 * DAY, "1.5mo"],
    [364 * DAY, "12mo"],
    [365 * DAY, "1y"],
    [548 * DAY, "1.5y"],
    [3650 * DAY, "10y"],
  ])("%d ms -> %s", (ms, label) => {
    expect(formatInterval(ms)).toBe(label);
  });
});

describe("settings", () => {
  /** A card well into review, then the interval a Good gives. */
  function goodInterval(s: SchedulerSettings) {
    const sch = createScheduler(s);
    let m = sch.next(newMemoryState(T0), T0, Rating.Good);
    m = sch.next(m, m.due, Rating.Good);
    m = sch.next(m, m.due, Rating.Good);
    const next = sch.next(m, m.due, Rating.Good);
    return next.due.getTime() - m.due.getTime();
  }

  it("a higher desired retention gives a shorter interval", () => {
    const high = goodInterval(settings({ desiredRetention: 0.95 }));
    const low = goodInterval(settings({ desiredRetention: 0.8 }));
    expect(high).toBeLessThan(low);
    for (const [retention, interval] of [
      [0.95, high],
      [0.8, low],
    ] as const) {
      const [last] = replay([Rating.Good, Rating.Good, Rating.Good, Rating.Good], settings({ desiredRetention: retention }), directEngine({ request_retention: retention })).slice(-1);
      const [prev] = replay([Rating.Good, Rating.Good, Rating.Good], settings({ desiredRetention: retention }), directEngine({ request_retention: retention })).slice(-1);
      expect(last!.theirs.due.getTime() - prev!.theirs.due.getTime()).toBe(interval);
    }
  });

  it("maximumInterval is passed to ts-fsrs and shortens long intervals", () => {
    const capped = goodInterval(settings({ maximumInterval: 3 }));
    const [last] = replay([Rating.Good, Rating.Good, Rating.Good, Rating.Good], settings({ maximumInterval: 3 }), directEngine({ maximum_interval: 3 })).slice(-1);
    const [prev] = replay([Rating.Good, Rating.Good, Rating.Good], settings({ maximumInterval: 3 }), directEngine({ maximum_interval: 3 })).slice(-1);
    expect(capped).toBe(last!.theirs.due.getTime() - prev!.theirs.due.getTime());
    expect(capped).toBeLessThan(goodInterval(settings()));
    // Hard is capped exactly (ts-fsrs then keeps Good at least a day longer than Hard).
    const sch = createScheduler(settings({ maximumInterval: 3 }));
    let m = sch.next(newMemoryState(T0), T0, Rating.Good);
    m = sch.next(m, m.due, Rating.Good);
    m = sch.next(m, m.due, Rating.Good);
    expect(sch.next(m, m.due, Rating.Hard).scheduledDays).toBeLessThanOrEqual(3);
  });

  it("uses custom weights (21 numbers)", () => {
    const weights = [...default_w];
    expect(weights).toHaveLength(21);
    weights[0] = 0.5; // initial stability after Again
    weights[1] = 1.0; // after Hard
    weights[2] = 2.0; // after Good
    weights[3] = 30; // after Easy: a much longer first interval
    const custom = settings({ weights });
    const direct = directEngine({ w: weights });
    for (const step of replay([Rating.Easy, Rating.Good, Rating.Again, Rating.Good], custom, direct)) {
      expect(toCard(step.ours)).toEqual(step.theirs);
    }
    const withCustom = createScheduler(custom).next(newMemoryState(T0), T0, Rating.Easy);
    const withDefault = createScheduler(settings()).next(newMemoryState(T0), T0, Rating.Easy);
    expect(withCustom.stability).toBeCloseTo(30, 6);
    expect(withCustom.due.getTime()).toBeGreaterThan(withDefault.due.getTime());
  });

  it("ignores a weights list that is not 21 numbers long", () => {
    const a = createScheduler(settings({ weights: [1, 2, 3] })).next(newMemoryState(T0), T0, Rating.Easy);
    const b = createScheduler(settings()).next(newMemoryState(T0), T0, Rating.Easy);
    expect(a).toEqual(b);
  });
});

describe("parseSteps", () => {
  it("accepts minutes, hours and days separated by spaces", () => {
    expect(parseSteps("1m 10m")).toEqual(["1m", "10m"]);
    expect(parseSteps("  30m   1h 2d ")).toEqual(["30m", "1h", "2d"]);
    expect(parseSteps("1.5h")).toEqual(["1.5h"]);
    expect(parseSteps("")).toEqual([]);
  });

  it.each(["abc", "10", "10s", "m", "1m,10m", "-1m"])("rejects %j", (steps) => {
    expect(() => parseSteps(steps)).toThrow(/invalid step/);
  });

  it("createScheduler refuses bad steps", () => {
    expect(() => createScheduler(settings({ learningSteps: "abc" }))).toThrow('invalid step "abc"');
  });
});

describe("state serialisation", () => {
  it("round-trips through JSON, keeping a null lastReview", () => {
    const fresh = newMemoryState(T0);
    expect(fresh.lastReview).toBeNull();
    expect(stateFromJson(JSON.parse(JSON.stringify(stateToJson(fresh))))).toEqual(fresh);
    const reviewed = createScheduler(settings()).next(fresh, T0, Rating.Good);
    expect(stateToJson(reviewed).lastReview).toBe(T0.toISOString());
    expect(stateFromJson(JSON.parse(JSON.stringify(stateToJson(reviewed))))).toEqual(reviewed);
  });
});
