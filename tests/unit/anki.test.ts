import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { ankiCard, collectionStart, dayNumber, revlogRows, toAnkiCsv } from "~/domain/anki";
import { unzip, zip } from "~/data-transfer/zip.server";

const now = new Date("2026-12-01T12:00:00Z");
const crt = collectionStart(new Date("2026-11-01T10:00:00Z"), 4);
const state = (over: Partial<Parameters<typeof ankiCard>[0] & object>) => ({
  due: new Date("2026-12-05T12:00:00Z"),
  stability: 4.2,
  difficulty: 5.5,
  scheduledDays: 4,
  reps: 3,
  lapses: 1,
  state: 2,
  lastReview: new Date("2026-12-01T12:00:00Z"),
  ...over,
});

describe("schema-11 cards", () => {
  it("starts the collection at the learner's day start", () => {
    expect(new Date(crt * 1000).toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(dayNumber(new Date("2026-11-02T03:59:00Z"), crt)).toBe(0);
    expect(dayNumber(new Date("2026-11-02T04:00:00Z"), crt)).toBe(1);
  });

  it("writes a new card by its course position", () => {
    expect(ankiCard(undefined, 7, crt, 0.9, now)).toMatchObject({ type: 0, queue: 0, due: 7, ivl: 0, reps: 0 });
  });

  it("writes a review card due by day number, with its FSRS memory in data", () => {
    const c = ankiCard(state({}), 1, crt, 0.85, now);
    expect(c).toMatchObject({ type: 2, queue: 2, ivl: 4, reps: 3, lapses: 1, factor: 2500 });
    expect(c.due).toBe(dayNumber(new Date("2026-12-05T12:00:00Z"), crt));
    expect(JSON.parse(c.data)).toEqual({ s: 4.2, d: 5.5, dr: 0.85 });
  });

  it("writes a learning card due today by the second, on a later day by the day", () => {
    const soon = ankiCard(state({ state: 1, scheduledDays: 0, due: new Date("2026-12-01T12:10:00Z") }), 1, crt, 0.9, now);
    expect(soon).toMatchObject({ type: 1, queue: 1, due: Date.parse("2026-12-01T12:10:00Z") / 1000 });
    const later = ankiCard(state({ state: 3, scheduledDays: 1, due: new Date("2026-12-03T12:00:00Z") }), 1, crt, 0.9, now);
    expect(later).toMatchObject({ type: 3, queue: 3, due: dayNumber(new Date("2026-12-03T12:00:00Z"), crt) });
  });
});

describe("revlog rows", () => {
  it("types each answer by the state before it, keeps ids unique and caps the time", () => {
    const t = new Date("2026-12-01T12:00:00Z");
    const rows = revlogRows(
      [
        { reviewedAt: t, rating: 1, prevState: 0, durationMs: 120_000, before: null, after: { due: new Date(t.getTime() + 60_000), scheduledDays: 0, state: 1 } },
        { reviewedAt: t, rating: 3, prevState: 1, durationMs: 2_000, before: { due: new Date(t.getTime() + 60_000), scheduledDays: 0, state: 1 }, after: { due: new Date(t.getTime() + 3 * 86_400_000), scheduledDays: 3, state: 2 } },
        { reviewedAt: new Date(t.getTime() + 3 * 86_400_000), rating: 4, prevState: 2, durationMs: 1_000, before: { due: t, scheduledDays: 3, state: 2 }, after: { due: t, scheduledDays: 11, state: 2 } },
      ],
      new Set(),
    );
    expect(rows.map((r) => r.id)).toEqual([t.getTime(), t.getTime() + 1, t.getTime() + 3 * 86_400_000]);
    expect(rows.map((r) => r.type)).toEqual([0, 0, 1]);
    expect(rows.map((r) => r.ivl)).toEqual([-60, 3, 11]);
    expect(rows.map((r) => r.lastIvl)).toEqual([0, -60, 3]);
    expect(rows.map((r) => r.time)).toEqual([60_000, 2_000, 1_000]);
    expect(rows.map((r) => r.ease)).toEqual([1, 3, 4]);
  });
});

describe("Anki CSV", () => {
  it("quotes fields with commas, quotes and newlines", () => {
    const csv = toAnkiCsv([{ guid: "g1", front: 'a "b", c', back: "x\ny", deck: "D::E", tags: ["t1", "t2"] }]);
    const lines = csv.split("\n");
    expect(lines[0]).toBe("#separator:Comma");
    expect(csv).toContain('g1,"a ""b"", c","x\ny",D::E,t1 t2\n');
  });
});

describe("zip", () => {
  it("round-trips, and is read by a stock inflater", () => {
    const files = [
      { name: "collection.anki2", data: Buffer.from("x".repeat(10_000)) },
      { name: "media", data: Buffer.from("{}") },
    ];
    const buf = zip(files, now);
    expect(unzip(buf).map((f) => [f.name, f.data.toString()])).toEqual(files.map((f) => [f.name, f.data.toString()]));
    // The first entry's deflate stream, read straight from the local header.
    const nameLen = buf.readUInt16LE(26);
    const size = buf.readUInt32LE(18);
    expect(zlib.inflateRawSync(buf.subarray(30 + nameLen, 30 + nameLen + size)).toString()).toBe("x".repeat(10_000));
  });

  it("refuses a truncated file", () => {
    const buf = zip([{ name: "a", data: Buffer.from("hello") }], now);
    expect(() => unzip(buf.subarray(0, buf.length - 5))).toThrow();
    expect(() => unzip(buf.subarray(0, 20))).toThrow();
  });
});
