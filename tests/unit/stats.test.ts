import { describe, expect, it } from "vitest";
import { niceScale } from "~/domain/chart-scale";
import {
  dayCounts,
  dayIndexOf,
  heatmapOfCounts,
  dueForecast,
  heatmap,
  isoMs,
  learningDays,
  streak,
  totalsByDay,
  trueRetention,
  type RetentionLog,
  type ReviewEvent,
} from "~/domain/stats";
import { State } from "~/domain/scheduler";

const at = (iso: string) => new Date(iso);
const review = (iso: string, extra: Partial<ReviewEvent> = {}): ReviewEvent => ({
  reviewedAt: at(iso),
  durationMs: 10_000,
  kind: "review",
  ...extra,
});

/** The streak the way the server computes it: per-day totals over the learner's days, then the pure streak. */
function streakOf(events: ReviewEvent[], now: Date, timeZone: string, dayStartHour = 4) {
  const days = learningDays(now, timeZone, dayStartHour, -29, 0);
  return streak(totalsByDay(days, events).map((d) => d.reviews > 0));
}

describe("learning days", () => {
  it("are contiguous, named after their local date, and follow DST", () => {
    const days = learningDays(at("2026-03-09T15:00:00Z"), "America/New_York", 4, -2, 0);
    expect(days.map((d) => [d.key, d.start.toISOString(), d.end.toISOString()])).toEqual([
      ["2026-03-07", "2026-03-07T09:00:00.000Z", "2026-03-08T08:00:00.000Z"], // 23 hours: clocks spring forward
      ["2026-03-08", "2026-03-08T08:00:00.000Z", "2026-03-09T08:00:00.000Z"],
      ["2026-03-09", "2026-03-09T08:00:00.000Z", "2026-03-10T08:00:00.000Z"],
    ]);
    expect(dayIndexOf(days, at("2026-03-08T07:59:59.999Z"))).toBe(0);
    expect(dayIndexOf(days, at("2026-03-08T08:00:00.000Z"))).toBe(1);
    expect(dayIndexOf(days, at("2026-03-10T08:00:00.000Z"))).toBe(-1);
  });

  it("count a review at 02:00 local for the day before when the day starts at 04:00", () => {
    const now = at("2026-05-10T20:00:00Z");
    const days = learningDays(now, "America/New_York", 4, -2, 0);
    // 2026-05-10T06:00Z is 02:00 in New York (EDT): it belongs to the 9th.
    const totals = totalsByDay(days, [review("2026-05-10T06:00:00Z"), review("2026-05-10T08:30:00Z")]);
    expect(totals).toEqual([
      { key: "2026-05-08", reviews: 0, timeMs: 0 },
      { key: "2026-05-09", reviews: 1, timeMs: 10_000 },
      { key: "2026-05-10", reviews: 1, timeMs: 10_000 },
    ]);
    // With the day starting at midnight it is the 10th.
    expect(totalsByDay(learningDays(now, "America/New_York", 0, -1, 0), [review("2026-05-10T06:00:00Z")]).map((d) => d.reviews)).toEqual([0, 1]);
  });
});

describe("streak", () => {
  it("counts days in a row ending today, or yesterday when today has no review yet", () => {
    expect(streak([true, false, true, true, true])).toEqual({ days: 3, today: true, open: false });
    expect(streak([false, true, true, false])).toEqual({ days: 2, today: false, open: false });
    expect(streak([true, true, false, false])).toEqual({ days: 0, today: false, open: false });
    expect(streak([true, true, true])).toEqual({ days: 3, today: true, open: true });
    expect(streak([])).toEqual({ days: 0, today: false, open: false });
  });

  // The same four instants, seen from New York (UTC-4 in May) and Tokyo (UTC+9), days starting at 04:00.
  const events = [
    review("2026-05-08T14:00:00Z"), // NY: 8th 10:00 -> 8th.   Tokyo: 8th 23:00 -> 8th
    review("2026-05-10T06:00:00Z"), // NY: 10th 02:00 -> 9th.  Tokyo: 10th 15:00 -> 10th
    review("2026-05-10T23:00:00Z"), // NY: 10th 19:00 -> 10th. Tokyo: 11th 08:00 -> 11th
    review("2026-05-09T05:00:00Z", { undone: true }), // Tokyo: 9th 14:00, but undone
    review("2026-05-09T05:00:01Z", { kind: "undo", durationMs: 0 }), // the undo row itself
  ];

  it("depends on the learner's time zone and day start", () => {
    // New York, 21:00 on the 10th: the 8th, 9th and 10th all have a review.
    expect(streakOf(events, at("2026-05-11T01:00:00Z"), "America/New_York")).toEqual({ days: 3, today: true, open: false });
    // Tokyo, 10:00 on the 11th: the 9th has only an undone review, so the streak is the 10th and 11th.
    expect(streakOf(events, at("2026-05-11T01:00:00Z"), "Asia/Tokyo")).toEqual({ days: 2, today: true, open: false });
  });

  it("survives until the end of the next day, then breaks", () => {
    // New York, 08:00 on the 11th: nothing yet today, the streak still ends yesterday.
    expect(streakOf(events, at("2026-05-11T12:00:00Z"), "America/New_York")).toEqual({ days: 3, today: false, open: false });
    // 03:59 on the 12th is still the 11th's learning day.
    expect(streakOf(events, at("2026-05-12T07:59:00Z"), "America/New_York").days).toBe(3);
    // 04:00 on the 12th: the 11th had no review.
    expect(streakOf(events, at("2026-05-12T08:00:00Z"), "America/New_York").days).toBe(0);
  });
});

describe("heatmap", () => {
  it("lays out weeks from Monday and shades by quartile of the active days", () => {
    // 2026-06-03 is a Wednesday.
    const days = Array.from({ length: 12 }, (_, i) => ({
      key: `2026-06-${String(3 + i).padStart(2, "0")}`,
      reviews: [0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 20][i]!,
    }));
    const h = heatmap(days);
    expect(h.cells[0]).toMatchObject({ key: "2026-06-03", week: 0, weekday: 2, level: 0 });
    expect(h.cells[5]).toMatchObject({ key: "2026-06-08", week: 1, weekday: 0 });
    expect(h.weeks).toBe(2);
    expect(h.thresholds).toEqual([3, 5, 7]); // nearest-rank quartiles of 1..8 and 20
    expect(h.cells.map((c) => c.level)).toEqual([0, 1, 1, 1, 2, 2, 3, 3, 4, 0, 0, 4]);
    expect(h).toMatchObject({ total: 56, activeDays: 9, max: 20 });
    expect(h.months).toEqual([{ label: "Jun", week: 0 }]);
  });
});

describe("due forecast", () => {
  it("counts items per learning day, overdue ones today, never new ones", () => {
    const now = at("2026-04-15T12:00:00Z");
    const days = learningDays(now, "UTC", 4, 0, 2);
    const items = [
      { due: at("2026-04-10T09:00:00Z"), state: State.Review }, // overdue -> today
      { due: at("2026-04-15T20:00:00Z"), state: State.Review }, // today
      { due: at("2026-04-16T03:30:00Z"), state: State.Learning }, // before 04:00: still today
      { due: at("2026-04-16T04:00:00Z"), state: State.Review }, // tomorrow
      { due: at("2026-04-17T10:00:00Z"), state: State.Relearning }, // in two days
      { due: at("2026-04-18T10:00:00Z"), state: State.Review }, // beyond the forecast
      { due: at("2026-04-15T13:00:00Z"), state: State.New }, // never reviewed
    ];
    expect(dueForecast(items, days)).toEqual([
      { key: "2026-04-15", count: 3 },
      { key: "2026-04-16", count: 1 },
      { key: "2026-04-17", count: 1 },
    ]);
  });
});

describe("true retention", () => {
  const log = (itemId: string, iso: string, rating: number, scheduledDaysBefore: number, extra: Partial<RetentionLog> = {}): RetentionLog => ({
    itemId,
    reviewedAt: at(iso),
    rating,
    prevState: State.Review,
    scheduledDaysBefore,
    kind: "review",
    ...extra,
  });
  const logs: RetentionLog[] = [
    log("g", "2026-03-02T10:00:00Z", 1, 40), // mature, Again: a fail
    log("a", "2026-03-01T11:00:00Z", 3, 0), // second review of a that day: ignored
    log("a", "2026-03-01T10:00:00Z", 1, 5), // young, Again: a fail
    log("a", "2026-03-02T03:00:00Z", 3, 0), // 03:00 is still the 1st's learning day: ignored
    log("a", "2026-03-02T05:00:00Z", 3, 1), // the 2nd: young, recalled
    log("b", "2026-03-01T12:00:00Z", 2, 21), // mature (21 days), Hard counts as recalled
    log("c", "2026-03-01T13:00:00Z", 4, 20), // young (20 days), recalled
    log("d", "2026-03-01T14:00:00Z", 1, 3, { prevState: State.Relearning }), // not a review-state item
    log("e", "2026-03-01T15:00:00Z", 1, 30, { undone: true }), // undone: never happened
    log("e", "2026-03-01T15:01:00Z", 3, 30), // mature, recalled
    log("f", "2026-03-01T16:00:00Z", 3, 0, { prevState: State.New }), // a new card
    log("h", "2026-02-20T12:00:00Z", 1, 10), // outside the period
  ];

  it("counts the first review-state review of each item per day, Again as a fail, split young/mature", () => {
    const days = learningDays(at("2026-03-03T12:00:00Z"), "UTC", 4, -2, 0);
    expect(trueRetention(logs, days)).toEqual({
      young: { passed: 2, total: 3, rate: 2 / 3 },
      mature: { passed: 2, total: 3, rate: 2 / 3 },
      all: { passed: 4, total: 6, rate: 4 / 6 },
    });
  });

  it("has no rate without reviews", () => {
    const days = learningDays(at("2026-03-03T12:00:00Z"), "UTC", 4, -2, 0);
    expect(trueRetention([], days).all).toEqual({ passed: 0, total: 0, rate: null });
  });
});

describe("stored timestamps", () => {
  it("parse like Date.parse", () => {
    for (const iso of ["2026-11-28T10:58:28.136+00:00", "1999-12-31T23:59:59.999+00:00", "2026-03-08T07:00:00.000+00:00"])
      expect(isoMs(iso)).toBe(Date.parse(iso));
    expect(isoMs("2026-11-28T10:58:28Z")).toBe(Date.parse("2026-11-28T10:58:28Z"));
  });
});

describe("heatmap from compact counts (what /progress/stats sends)", () => {
  it("is heatmap() of the same year, across a DST change, a leap day and the turn of a year, from any weekday", () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const [now, zone, hour] of [
      ["2026-12-02T10:00:00Z", "Europe/Paris", 4],
      ["2028-03-01T03:00:00Z", "America/New_York", 0],
      ["2027-01-05T23:30:00Z", "Pacific/Auckland", 23],
    ] as const) {
      const days = learningDays(new Date(now), zone, hour, -364, 0).map((d) => ({ key: d.key, reviews: random() < 0.3 ? 0 : Math.floor(random() * 90) }));
      const compact = dayCounts(days);
      expect(compact.reviews).toHaveLength(365);
      expect(heatmapOfCounts(compact)).toEqual(heatmap(days));
    }
    expect(heatmapOfCounts(dayCounts([]))).toEqual(heatmap([]));
  });
});

describe("heatmap legend (issue 14: '1–92 reviews · 93–92 reviews')", () => {
  const legendOf = (counts: number[]) =>
    heatmap(counts.map((reviews, i) => ({ key: `2026-06-${String(1 + i).padStart(2, "0")}`, reviews }))).legend;

  it("one day of data: one shade for that day, no empty ranges", () => {
    expect(legendOf([0, 0, 92])).toEqual([
      { level: 0, from: 0, to: 0 },
      { level: 1, from: 1, to: 92 },
    ]);
  });

  it("one review in all: one shade, '1 review'", () => {
    expect(legendOf([1])).toEqual([
      { level: 0, from: 0, to: 0 },
      { level: 1, from: 1, to: 1 },
    ]);
  });

  it("no reviews at all: only 'no reviews'", () => {
    expect(legendOf([0, 0])).toEqual([{ level: 0, from: 0, to: 0 }]);
  });

  it("many days: four disjoint ranges covering 1 to the busiest day, and every cell's level is in the legend", () => {
    const counts = Array.from({ length: 28 }, (_, i) => (i * 137) % 3001);
    const h = heatmap(counts.map((reviews, i) => ({ key: `2026-02-${String(1 + i).padStart(2, "0")}`, reviews })));
    expect(h.legend.map((l) => l.level)).toEqual([0, 1, 2, 3, 4]);
    for (let i = 2; i < h.legend.length; i++) expect(h.legend[i]!.from).toBe(h.legend[i - 1]!.to + 1);
    expect(h.legend.at(-1)!.to).toBe(h.max);
    for (const c of h.cells) {
      const band = h.legend.find((l) => l.level === c.level)!;
      expect(c.reviews).toBeGreaterThanOrEqual(band.from);
      expect(c.reviews).toBeLessThanOrEqual(band.to);
    }
  });

  it("two values only: two shades", () => {
    expect(legendOf([5, 5, 5, 9]).map((l) => [l.from, l.to])).toEqual([
      [0, 0],
      [1, 5],
      [6, 9],
    ]);
  });
});

describe("bar chart scale", () => {
  it("rounds the top up to a nice value with round ticks", () => {
    expect(niceScale(92)).toEqual({ top: 100, ticks: [0, 50, 100] });
    expect(niceScale(12)).toEqual({ top: 15, ticks: [0, 5, 10, 15] });
    expect(niceScale(1)).toEqual({ top: 1, ticks: [0, 1] });
    expect(niceScale(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(niceScale(4000)).toEqual({ top: 4000, ticks: [0, 1000, 2000, 3000, 4000] });
    expect(niceScale(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(niceScale(0.4)).toEqual({ top: 0.4, ticks: [0, 0.1, 0.2, 0.3, 0.4] });
  });
});
