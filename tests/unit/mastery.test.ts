import { describe, expect, it } from "vitest";
import { overallInWords } from "~/components/progress/format";
import { default_w, forgetting_curve, fsrs, generatorParameters, State as FsrsState } from "ts-fsrs";
import {
  DAY_MS,
  expectedRecallIn,
  forecast,
  fsrsForgettingCurve,
  itemsAtRisk,
  recallAt,
  topicMastery,
  weakestTag,
  type ForgettingCurve,
  type MasteryItem,
  type RecallState,
  type TopicInput,
} from "~/domain/mastery";
import { createScheduler, DEFAULT_SETTINGS, newMemoryState, State } from "~/domain/scheduler";

const NOW = new Date("2026-03-10T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY_MS);

/** A test curve: an item reviewed t whole days ago is recalled with probability 1 - t/100, whatever its stability. */
const linear: ForgettingCurve = (t) => Math.max(0, 1 - t / 100);
/** The real FSRS-6 curve with the default weights. */
const fsrsCurve: ForgettingCurve = createScheduler(DEFAULT_SETTINGS).engine.forgetting_curve;

function reviewed(elapsedDays: number, stability = 30): RecallState {
  return { state: State.Review, stability, lastReview: daysAgo(elapsedDays), due: new Date(NOW.getTime() + DAY_MS) };
}

let n = 0;
function item(state: RecallState | null, kind: MasteryItem["kind"] = "card", tags: string[] = ["t"]): MasteryItem {
  return { id: `i${++n}`, kind, tags, state };
}

function topic(items: MasteryItem[], extra: Partial<TopicInput> = {}): TopicInput {
  return { topicId: "attention", items, quizLatest: null, passedExercises: new Set(), ...extra };
}

/** A topic where every item is seen at recall 1 - t/100 (linear curve), with a quiz question and an exercise. */
function fullTopic({ elapsed = 0, stability = 10, quiz = 80 as number | null, passed = true } = {}) {
  const exercise = item(reviewed(elapsed, stability), "exercise");
  const items = [item(reviewed(elapsed, stability)), item(reviewed(elapsed, stability), "quiz"), exercise, item(reviewed(elapsed, stability))];
  return topic(items, { quizLatest: quiz, passedExercises: new Set(passed ? [exercise.id] : []) });
}

describe("recall of one item", () => {
  it("is 0 for an item never reviewed, and ts-fsrs's own retrievability otherwise", () => {
    expect(recallAt(null, NOW, fsrsCurve)).toBe(0);
    expect(recallAt({ ...newMemoryState(NOW) }, NOW, fsrsCurve)).toBe(0);
    const engine = fsrs(generatorParameters({ enable_fuzz: false }));
    for (const [elapsed, s] of [
      [0, 2],
      [3.4, 2],
      [10, 25],
      [200, 25],
    ] as const) {
      const state = reviewed(elapsed, s);
      const card = {
        due: state.due,
        stability: s,
        difficulty: 5,
        elapsed_days: 0,
        scheduled_days: 0,
        learning_steps: 0,
        reps: 3,
        lapses: 0,
        state: FsrsState.Review,
        last_review: state.lastReview!,
      };
      expect(recallAt(state, NOW, fsrsCurve)).toBeCloseTo(engine.get_retrievability(card, NOW, false), 8);
    }
  });
});

describe("levels", () => {
  it("Not started when nothing is seen", () => {
    const m = topicMastery(topic([item(null), item(null)]), NOW, linear);
    expect(m.level).toBe("Not started");
    expect(m.expectedRecall).toBe(0);
    expect(m.missing).toHaveLength(1);
  });

  it("Learning as soon as one item is seen, or the quiz finished, or an exercise passed", () => {
    expect(topicMastery(topic([item(reviewed(0)), item(null), item(null), item(null)]), NOW, linear).level).toBe("Learning");
    expect(topicMastery(topic([item(null)], { quizLatest: 20 }), NOW, linear).level).toBe("Learning");
    const ex = item(null, "exercise");
    expect(topicMastery(topic([ex], { passedExercises: new Set([ex.id]) }), NOW, linear).level).toBe("Learning");
  });

  it("explains the overall figure as coverage times memory, with both numbers", () => {
    // 3 of 4 seen at 0.8 each: the overall 60% is coverage 75% times memory 80%.
    const m = topicMastery(topic([item(reviewed(20)), item(reviewed(20)), item(reviewed(20)), item(null)]), NOW, linear);
    expect(overallInWords(m)).toBe("Overall 60%: coverage 75% (3 of 4 items seen) times memory 80% (recall of what you have seen).");
    // Nothing seen: no memory to speak of, and the sentence says so rather than "memory 0%".
    const none = topicMastery(topic([item(null), item(null)]), NOW, linear);
    expect(overallInWords(none)).toBe("Overall 0%: nothing seen yet (0 of 2 items), so nothing to remember yet.");
    // All seen: the overall figure is memory itself.
    const all = topicMastery(topic([item(reviewed(20)), item(reviewed(20))]), NOW, linear);
    expect(overallInWords(all)).toBe("Overall 80%: coverage 100% (2 of 2 items seen) times memory 80% (recall of what you have seen).");
  });

  it("Familiar from memory (recall of what was seen) 60% with at least half the items seen", () => {
    // 3 of 4 seen at 0.8 each: memory 0.8, coverage 3/4, overall (coverage x memory) 0.6.
    const at = (elapsed: number) =>
      topicMastery(topic([item(reviewed(elapsed)), item(reviewed(elapsed)), item(reviewed(elapsed)), item(null)]), NOW, linear);
    expect(at(20).memory).toBeCloseTo(0.8, 10);
    expect(at(20).expectedRecall).toBeCloseTo(0.6, 10);
    expect(at(20).level).toBe("Familiar");
    expect(at(40).memory).toBeCloseTo(0.6, 10);
    expect(at(40).level).toBe("Familiar");
    expect(at(41).level).toBe("Learning");
    // Half seen is enough when what was seen is remembered: unseen items lower coverage, not memory.
    const half = topic([...Array.from({ length: 5 }, () => item(reviewed(0))), ...Array.from({ length: 5 }, () => item(null))]);
    expect(topicMastery(half, NOW, linear)).toMatchObject({ level: "Familiar", seen: 5, items: 10, memory: 1 });
    const fewer = topic([...Array.from({ length: 4 }, () => item(reviewed(0))), ...Array.from({ length: 6 }, () => item(null))]);
    expect(topicMastery(fewer, NOW, linear).level).toBe("Learning");
  });

  it("keeps coverage and memory apart (issue 14: 'expected recall 51 %' right after the reviews)", () => {
    // Just reviewed: all that was seen is remembered, though most of the topic is unseen.
    const m = topicMastery(topic([...Array.from({ length: 10 }, () => item(reviewed(0))), ...Array.from({ length: 10 }, () => item(null))]), NOW, linear);
    expect(m.memory).toBe(1);
    expect(m.seen / m.items).toBe(0.5);
    expect(m.expectedRecall).toBeCloseTo(0.5, 10);
    expect(m.forecast!.below.status).not.toBe("below"); // what was seen is not "already below 80%"
    expect(topicMastery(topic([item(null)]), NOW, linear).memory).toBeNull();
  });

  it("Proficient needs every item seen, recall 80%, the latest quiz at 80% and every exercise passed", () => {
    expect(topicMastery(fullTopic({ elapsed: 20 }), NOW, linear).level).toBe("Proficient"); // recall exactly 0.8
    expect(topicMastery(fullTopic({ elapsed: 21 }), NOW, linear).level).toBe("Familiar"); // 0.79
    expect(topicMastery(fullTopic({ quiz: 79 }), NOW, linear).level).toBe("Familiar");
    expect(topicMastery(fullTopic({ quiz: null }), NOW, linear).level).toBe("Familiar");
    expect(topicMastery(fullTopic({ passed: false }), NOW, linear).level).toBe("Familiar");
    const oneUnseen = fullTopic();
    expect(topicMastery({ ...oneUnseen, items: [...oneUnseen.items, item(null)] }, NOW, linear).level).toBe("Familiar");
    const m = topicMastery(fullTopic({ quiz: 79 }), NOW, linear);
    expect(m.missing.join(" ")).toContain("lesson quiz");
  });

  it("a topic without quiz questions or exercises does not need them", () => {
    const m = topicMastery(topic([item(reviewed(0, 10)), item(reviewed(0, 10))]), NOW, linear);
    expect(m.quiz.required).toBe(false);
    expect(m.level).toBe("Proficient");
  });

  it("Mastered when Proficient and every item has a stability of 21 days or more", () => {
    expect(topicMastery(fullTopic({ stability: 21 }), NOW, linear).level).toBe("Mastered");
    const almost = fullTopic({ stability: 21 });
    almost.items = [...almost.items.slice(1), item(reviewed(0, 20.9))];
    const m = topicMastery(almost, NOW, linear);
    expect(m.level).toBe("Proficient");
    expect(m.stable).toBe(3);
    expect(m.missing[0]).toContain("1 more item is stable");
  });

  it("ignores retired items", () => {
    const t = fullTopic({ stability: 30 });
    t.items = [...t.items, { ...item(null), retired: true }];
    const m = topicMastery(t, NOW, linear);
    expect(m.items).toBe(4);
    expect(m.level).toBe("Mastered");
  });

  it("levels fall again as memories fade", () => {
    const t = fullTopic({ stability: 30 });
    expect(topicMastery(t, NOW, fsrsCurve).level).toBe("Mastered");
    expect(topicMastery(t, new Date(NOW.getTime() + 400 * DAY_MS), fsrsCurve).levelIndex).toBeLessThan(3);
  });
});

describe("forecast", () => {
  const states: (RecallState | null)[] = [reviewed(0, 3), reviewed(2, 12.5), reviewed(5, 40), reviewed(1, 150), null];
  const items = states.map((s) => item(s));

  /** The expected recall computed straight from ts-fsrs's forgetting curve with the default FSRS-6 weights. */
  function direct(days: number) {
    const at = NOW.getTime() + days * DAY_MS;
    let sum = 0;
    for (const s of states) if (s) sum += forgetting_curve(default_w, Math.floor((at - s.lastReview!.getTime()) / DAY_MS), s.stability);
    return sum / states.length;
  }

  it("gives expected recall in 7 and 30 days from the FSRS forgetting curve", () => {
    const f = forecast(items, NOW, fsrsCurve);
    expect(f.in7Days).toBeCloseTo(direct(7), 10);
    expect(f.in30Days).toBeCloseTo(direct(30), 10);
    expect(expectedRecallIn(items, NOW, 0, fsrsCurve)).toBeCloseTo(direct(0), 10);
    expect(f.in30Days).toBeLessThan(f.in7Days);
  });

  it("finds the first day below 80%, the same as a day-by-day search", () => {
    const seen = items.slice(0, 4); // no unseen item, so recall starts above 80%
    const directSeen = (days: number) => {
      const at = NOW.getTime() + days * DAY_MS;
      return (
        seen.reduce(
          (sum, it) => sum + forgetting_curve(default_w, Math.floor((at - it.state!.lastReview!.getTime()) / DAY_MS), it.state!.stability),
          0,
        ) / seen.length
      );
    };
    expect(directSeen(0)).toBeGreaterThanOrEqual(0.8);
    let day = 0;
    while (directSeen(day) >= 0.8) day++;
    const f = forecast(seen, NOW, fsrsCurve);
    expect(f.below).toEqual({ status: "on", days: day, date: new Date(NOW.getTime() + day * DAY_MS) });
  });

  it.each([
    ["within a week", 1, [0, 7]],
    ["between a week and a month", 5, [7, 30]],
    ["between a month and a year", 30, [30, 365]],
  ] as const)("finds the day %s like a day-by-day search", (_, stability, [from, to]) => {
    const several = [reviewed(0, stability), reviewed(1, stability * 1.5), reviewed(0, stability * 3)].map((st) => item(st));
    const curve = fsrsForgettingCurve(default_w);
    let day = 0;
    while (expectedRecallIn(several, NOW, day, curve) >= 0.8) day++;
    expect(day).toBeGreaterThan(from);
    expect(day).toBeLessThanOrEqual(to);
    const f = forecast(several, NOW, curve);
    expect(f.below).toMatchObject({ status: "on", days: day });
  });

  it("uses the same forgetting curve as ts-fsrs", () => {
    const fast = fsrsForgettingCurve(default_w);
    for (const [t, s] of [
      [0, 1],
      [1, 0.5],
      [7, 3.2],
      [30, 12.5],
      [365, 200],
    ] as const)
      expect(fast(t, s)).toBeCloseTo(forgetting_curve(default_w, t, s), 8);
  });

  it("says so when recall is already below 80%, or stays above it for a year", () => {
    expect(forecast(items, NOW, fsrsCurve).below).toEqual({ status: "below" }); // one unseen item of five
    expect(forecast([item(reviewed(0, 36500))], NOW, fsrsCurve).below).toEqual({ status: "beyond" });
    expect(forecast([], NOW, fsrsCurve).below).toEqual({ status: "below" });
  });
});

describe("concept tags and items at risk", () => {
  it("ranks tags weakest first and names the weakest seen one", () => {
    const m = topicMastery(
      topic([
        item(reviewed(0), "card", ["softmax"]),
        item(reviewed(50), "card", ["softmax", "scaling"]),
        item(reviewed(10), "card", ["qkv"]),
        item(null, "card", ["causal-mask"]),
      ]),
      NOW,
      linear,
    );
    expect(m.tags.map((t) => [t.tag, t.expectedRecall])).toEqual([
      ["causal-mask", 0],
      ["scaling", 0.5],
      ["softmax", 0.75],
      ["qkv", 0.9],
    ]);
    expect(weakestTag(m)?.tag).toBe("scaling");
  });

  it("lists seen items by lowest recall now", () => {
    const a = item(reviewed(30));
    const b = item(reviewed(5));
    const c = item(reviewed(60));
    const risky = itemsAtRisk([a, b, item(null), c, { ...item(reviewed(90)), retired: true }], NOW, linear, 2, { threshold: 0.9 });
    expect(risky.map((r) => r.id)).toEqual([c.id, a.id]);
    expect(risky[0]!.recall).toBeCloseTo(0.4, 10);
  });

  it("lists only items below the desired retention now or within three days (issue 14: ten items 'at recall now 100 %')", () => {
    const fresh = Array.from({ length: 10 }, () => item(reviewed(0)));
    expect(itemsAtRisk(fresh, NOW, linear, 10, { threshold: 0.9 })).toEqual([]);
    const soon = item(reviewed(8)); // 0.92 now, 0.89 in three days
    const later = item(reviewed(6)); // 0.94 now, 0.91 in three days
    const risky = itemsAtRisk([...fresh, soon, later], NOW, linear, 10, { threshold: 0.9 });
    expect(risky.map((r) => r.id)).toEqual([soon.id]);
    expect(risky[0]!.recallSoon).toBeCloseTo(0.89, 10);
    // A learner aiming at 0.95 sees more at risk.
    expect(itemsAtRisk([...fresh, soon, later], NOW, linear, 10, { threshold: 0.95 }).map((r) => r.id)).toEqual([soon.id, later.id]);
  });
});

describe("what is missing for the next level names something to do today, or when", () => {
  const dayEnd = new Date(NOW.getTime() + 6 * 60 * 60 * 1000);
  const dueAt = (st: RecallState, due: Date): RecallState => ({ ...st, due });
  const formatDay = (d: Date) => d.toISOString().slice(0, 10);

  it("memory too low with reviews due today: answer them today", () => {
    const items = [item(dueAt(reviewed(50), daysAgo(1))), item(dueAt(reviewed(50), NOW)), item(null)];
    const m = topicMastery(topic(items), NOW, linear, { dayEnd, formatDay });
    expect(m.level).toBe("Learning");
    expect(m.dueToday).toBe(2);
    expect(m.missing).toContain("Recall of what you have seen is 50%; the next level needs 60%. Answer the 2 items of this lesson due today.");
  });

  it("memory too low with nothing due today: says the day of the next review", () => {
    const next = new Date("2026-03-14T09:00:00Z");
    const m = topicMastery(topic([item(dueAt(reviewed(50), next)), item(dueAt(reviewed(50), next))]), NOW, linear, { dayEnd, formatDay });
    expect(m.missing.join(" ")).toContain("Nothing of this lesson is due today: its next review comes on 2026-03-14.");
  });

  it("too little seen: says how to see more, by kind", () => {
    const m = topicMastery(topic([item(reviewed(0)), item(null), item(null), item(null, "quiz"), item(null, "exercise")]), NOW, linear, { dayEnd });
    expect(m.missing[0]).toBe(
      "See 2 more items (half of 5): learn 2 new flashcards in the review (new ones join it each day, up to your daily limit); or answer 1 question in the lesson quiz; or do 1 exercise.",
    );
  });

  it("Proficient to Mastered: says when the next review comes", () => {
    const next = new Date("2026-03-20T09:00:00Z");
    const t = fullTopic({ stability: 10 });
    const m = topicMastery({ ...t, items: t.items.map((i) => ({ ...i, state: dueAt(i.state!, next) })) }, NOW, linear, { dayEnd, formatDay });
    expect(m.level).toBe("Proficient");
    expect(m.missing[0]).toContain("the next one comes on 2026-03-20");
  });
});
