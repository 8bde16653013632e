import { describe, expect, it } from "vitest";
import { SESSION_GAP_MS, sessionCount } from "~/domain/review-session";

const now = new Date("2026-03-01T12:00:00Z");
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe("the review session going on now", () => {
  it("counts the run of ratings with no pause of 30 minutes, ending within 30 minutes of now", () => {
    expect(sessionCount([ago(1), ago(3), ago(10), ago(35)], now)).toBe(4); // gaps 2, 7, 25 min
    expect(sessionCount([ago(1), ago(3), ago(40)], now)).toBe(2); // a 37-minute pause ends the earlier session
  });

  it("is zero when the last rating is 30 minutes old or more", () => {
    expect(sessionCount([ago(30), ago(31)], now)).toBe(0);
    expect(sessionCount([], now)).toBe(0);
  });

  it("does not depend on the order of the times", () => {
    expect(sessionCount([ago(35), ago(1), ago(10), ago(3)], now)).toBe(4);
  });

  it("a pause of exactly the gap ends the session", () => {
    expect(sessionCount([ago(1), new Date(ago(1).getTime() - SESSION_GAP_MS)], now)).toBe(1);
  });
});
