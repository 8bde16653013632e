/**
 * Rescheduling after a change of retention or weights (domain/reschedule.ts, ADR 030):
 * only cards in review move, to their last review plus the new model's interval, within
 * its fuzz range; the same inputs give the same dates; an unchanged model moves nothing.
 */
import { describe, expect, it } from "vitest";
import { default_w } from "ts-fsrs";
import { rescheduleCards, type RescheduleCard, type RescheduleContext } from "~/domain/reschedule";
import { fuzzRange } from "~/domain/load-balance";
import { createScheduler, DEFAULT_SETTINGS, fuzzKey, newMemoryState, Rating, State, type MemoryState, type SchedulerSettings } from "~/domain/scheduler";

const DAY = 86_400_000;
const NOW = new Date("2026-12-02T12:00:00Z");
const TODAY = new Date("2026-12-02T04:00:00Z");
const USER = "learner-1";

/** A card taken through real ratings with the default model: learnt, then reviewed Good `goods` times, `daysAgo` before now. */
function reviewed(itemId: string, goods: number, settings: SchedulerSettings = DEFAULT_SETTINGS, daysAgo = 3): RescheduleCard {
  const scheduler = createScheduler(settings);
  const key = fuzzKey(USER, itemId);
  let t = new Date(NOW.getTime() - (goods * 40 + daysAgo) * DAY);
  let s: MemoryState = newMemoryState(t);
  s = scheduler.next(s, t, Rating.Good, key);
  s = scheduler.next(s, new Date(t.getTime() + 10 * 60_000), Rating.Good, key);
  for (let i = 0; i < goods; i++) {
    t = new Date(Math.min(s.due.getTime(), NOW.getTime() - daysAgo * DAY));
    s = scheduler.next(s, t, Rating.Good, key);
  }
  return { itemId, state: s, suspended: false };
}

const ctx = (settings: SchedulerSettings, lightDays: number[] = []): RescheduleContext => ({ userId: USER, settings, todayStart: TODAY, todayWeekday: 3, lightDays: new Set(lightDays) });
const apply = (cards: RescheduleCard[], moved: ReturnType<typeof rescheduleCards>) =>
  cards.map((c) => {
    const m = moved.find((x) => x.itemId === c.itemId);
    return m ? { ...c, state: { ...c.state, due: m.due, scheduledDays: m.scheduledDays } } : c;
  });

describe("rescheduling", () => {
  const cards = Array.from({ length: 40 }, (_, i) => reviewed(`card-${i}`, 2 + (i % 3)));

  it("an unchanged model moves a card nowhere: its date is the one its last review gave", () => {
    for (const card of cards.slice(0, 10)) expect(rescheduleCards([card], ctx(DEFAULT_SETTINGS))).toEqual([]);
  });

  it("a lower retention moves every card in review later, to its last review plus the new interval, within that interval's fuzz range", () => {
    const settings = { ...DEFAULT_SETTINGS, desiredRetention: 0.8 };
    const moved = rescheduleCards(cards, ctx(settings));
    expect(moved).toHaveLength(cards.length);
    const plain = createScheduler({ ...settings, enableFuzz: false }).engine;
    for (const m of moved) {
      const card = cards.find((c) => c.itemId === m.itemId)!;
      expect(m.due.getTime()).toBe(card.state.lastReview!.getTime() + m.scheduledDays * DAY);
      expect(m.due.getTime()).toBeGreaterThan(card.state.due.getTime());
      const range = fuzzRange(plain.next_interval(card.state.stability, 0), 0, settings.maximumInterval)!;
      expect(m.scheduledDays).toBeGreaterThanOrEqual(range.min);
      expect(m.scheduledDays).toBeLessThanOrEqual(range.max);
    }
  });

  it("is deterministic, and a second run moves nothing", () => {
    const settings = { ...DEFAULT_SETTINGS, desiredRetention: 0.85 };
    const first = rescheduleCards(cards, ctx(settings));
    expect(rescheduleCards(cards, ctx(settings))).toEqual(first);
    expect(rescheduleCards(apply(cards, first), ctx(settings))).toEqual([]);
  });

  it("new weights change the dates (FSRS-6's decay is in the weights)", () => {
    const w = [...default_w];
    w[20] = 0.5; // a different forgetting curve's shape
    expect(rescheduleCards(cards, ctx({ ...DEFAULT_SETTINGS, weights: w })).length).toBeGreaterThan(0);
  });

  it("leaves new, learning and relearning cards alone", () => {
    const scheduler = createScheduler(DEFAULT_SETTINGS);
    const fresh = newMemoryState(NOW);
    const learning = scheduler.next(fresh, NOW, Rating.Good, "k");
    const relearning = scheduler.next(cards[0]!.state, NOW, Rating.Again, "k");
    expect(learning.state).toBe(State.Learning);
    expect(relearning.state).toBe(State.Relearning);
    const others = [fresh, learning, relearning].map((state, i) => ({ itemId: `other-${i}`, state, suspended: false }));
    expect(rescheduleCards(others, ctx({ ...DEFAULT_SETTINGS, desiredRetention: 0.75 }))).toEqual([]);
  });

  it("spreads cards learnt together over the days of their range, and keeps light days lighter", () => {
    const twins = Array.from({ length: 60 }, (_, i) => ({ ...cards[0]!, itemId: `twin-${i}` }));
    const settings = { ...DEFAULT_SETTINGS, desiredRetention: 0.8 };
    const perDay = (light: number[]) => {
      const counts = new Map<number, number>();
      for (const m of rescheduleCards(twins, ctx(settings, light))) {
        const day = Math.floor((m.due.getTime() - TODAY.getTime()) / DAY);
        counts.set(day, (counts.get(day) ?? 0) + 1);
      }
      return counts;
    };
    const even = perDay([]);
    expect(even.size).toBeGreaterThan(2);
    expect(Math.max(...even.values()) - Math.min(...even.values())).toBeLessThanOrEqual(1);
    // Mark every weekday light but one: that one day takes more than an even share.
    const days = [...even.keys()].sort((a, b) => a - b);
    const heavyWeekday = (3 + days[0]!) % 7;
    const light = perDay([0, 1, 2, 3, 4, 5, 6].filter((d) => d !== heavyWeekday));
    expect(light.get(days[0]!)!).toBeGreaterThan(even.get(days[0]!)!);
  });

  it("a due date that has already passed stays in the past, as Anki leaves it (the card is due now)", () => {
    const card = reviewed("long-ago", 4, DEFAULT_SETTINGS, 150);
    const [m] = rescheduleCards([card], ctx({ ...DEFAULT_SETTINGS, desiredRetention: 0.97 }));
    expect(m!.due.getTime()).toBe(card.state.lastReview!.getTime() + m!.scheduledDays * DAY);
    expect(m!.due.getTime()).toBeLessThan(NOW.getTime());
  });

  it("a suspended card moves too, but takes no day's room", () => {
    const settings = { ...DEFAULT_SETTINGS, desiredRetention: 0.8 };
    const twins = Array.from({ length: 6 }, (_, i) => ({ ...cards[0]!, itemId: `s-${i}`, suspended: i < 5 }));
    const moved = rescheduleCards(twins, ctx(settings));
    expect(moved).toHaveLength(6);
    const alone = rescheduleCards([twins[5]!], ctx(settings));
    expect(moved.find((m) => m.itemId === "s-5")).toEqual(alone[0]);
  });
});
