/** The item browser's search language (app/domain/item-query.ts). */
import { describe, expect, it } from "vitest";
import { matchesFilter, parseItemQuery, type BrowsedItem, type ItemFilter } from "~/domain/item-query";

const item = (over: Partial<BrowsedItem> = {}): BrowsedItem => ({
  id: "attn-card-why-scale",
  topic: "attention",
  kind: "card",
  text: "why divide the scores by the square root of d_k",
  state: "review",
  retrievability: 0.85,
  stability: 30,
  dueInDays: 3,
  lapses: 1,
  suspended: false,
  leech: false,
  own: false,
  ...over,
});

const filter = (q: string): ItemFilter => {
  const r = parseItemQuery(q);
  if (!r.ok) throw new Error(r.error);
  return r.filter;
};

describe("parseItemQuery", () => {
  it("reads words, numeric conditions and is:/kind:/topic: conditions", () => {
    expect(filter("Softmax r<0.9 s>=21 due<=0 lapses>3 is:leech is:own is:review kind:quiz topic:attention")).toEqual({
      text: ["softmax"],
      numeric: [
        { field: "r", op: "<", value: 0.9 },
        { field: "s", op: ">=", value: 21 },
        { field: "due", op: "<=", value: 0 },
        { field: "lapses", op: ">", value: 3 },
      ],
      states: ["review"],
      kinds: ["quiz"],
      topics: ["attention"],
      leech: true,
      own: true,
    });
  });

  it("names the token it cannot read instead of matching nothing", () => {
    expect(parseItemQuery("r<2")).toEqual({ ok: false, error: '"r<2": r is 0 to 1' });
    expect(parseItemQuery("s>")).toEqual({ ok: false, error: '"s>": a number is missing' });
    expect(parseItemQuery("is:mine")).toMatchObject({ ok: false, error: expect.stringContaining("is:own") });
    expect(parseItemQuery("kind:video")).toMatchObject({ ok: false, error: expect.stringContaining("kind is card, quiz or exercise") });
    expect(parseItemQuery("color:red")).toMatchObject({ ok: false, error: expect.stringContaining("unknown condition") });
    expect(parseItemQuery("x".repeat(501))).toMatchObject({ ok: false });
  });
});

describe("matchesFilter", () => {
  it("needs every condition to hold", () => {
    expect(matchesFilter(filter("square r<0.9 s>21 due<7"), item())).toBe(true);
    expect(matchesFilter(filter("square r<0.8"), item())).toBe(false);
    expect(matchesFilter(filter("cube"), item())).toBe(false);
  });

  it("gives a never-reviewed item no memory to compare, and finds only own cards with is:own", () => {
    expect(matchesFilter(filter("r<0.5"), item({ state: "new", retrievability: 0, stability: 0, dueInDays: null }))).toBe(false);
    expect(matchesFilter(filter("is:own"), item())).toBe(false);
    expect(matchesFilter(filter("is:own"), item({ own: true }))).toBe(true);
    expect(matchesFilter(filter("is:suspended"), item({ suspended: true }))).toBe(true);
  });
});
