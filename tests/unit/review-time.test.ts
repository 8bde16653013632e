import { describe, expect, it } from "vitest";
import { clampReviewTime } from "~/domain/review-time";

const now = new Date("2026-03-10T12:00:00Z");
const dayStart = new Date("2026-03-10T04:00:00Z");

describe("clampReviewTime", () => {
  it("keeps a plausible client time", () => {
    expect(clampReviewTime(Date.parse("2026-03-10T11:59:00Z"), { now, dayStart, lastReview: null })).toEqual(new Date("2026-03-10T11:59:00Z"));
  });
  it("uses now without a client time, and for a time in the future", () => {
    expect(clampReviewTime(undefined, { now, dayStart, lastReview: null })).toEqual(now);
    expect(clampReviewTime(Date.parse("2027-01-01T00:00:00Z"), { now, dayStart, lastReview: null })).toEqual(now);
  });
  it("moves a backdated time to the start of the learning day it arrives on", () => {
    expect(clampReviewTime(Date.parse("2026-03-08T12:00:00Z"), { now, dayStart, lastReview: null })).toEqual(dayStart);
  });
  it("never goes before the item's last review, even when that is after now", () => {
    const last = new Date("2026-03-10T10:00:00Z");
    expect(clampReviewTime(Date.parse("2026-03-10T09:00:00Z"), { now, dayStart, lastReview: last })).toEqual(last);
    const ahead = new Date("2026-03-10T12:05:00Z");
    expect(clampReviewTime(undefined, { now, dayStart, lastReview: ahead })).toEqual(ahead);
  });
});
