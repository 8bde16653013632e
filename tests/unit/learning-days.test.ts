/**
 * learningDays checks the zone's offset once a week and reuses it in between
 * (ADR 014: a year of windows was 5 to 20 ms of a cold page). It must give
 * exactly the windows of converting every day on its own, in every zone the
 * runtime knows, around DST changes and year ends, for several day-start hours.
 */
import { describe, expect, it } from "vitest";
import { dayWindow, instantOf, type DayWindow } from "~/domain/day";
import { learningDays } from "~/domain/stats";

/** The reference: each day's start converted on its own. */
function reference(now: Date, timeZone: string, dayStartHour: number, from: number, to: number): DayWindow[] {
  const today = dayWindow(now, timeZone, dayStartHour);
  const [y, m, d] = today.key.split("-").map(Number) as [number, number, number];
  const starts: { start: Date; key: string }[] = [];
  for (let i = from; i <= to + 1; i++) {
    const date = new Date(Date.UTC(y, m - 1, d + i));
    const yy = date.getUTCFullYear();
    const mm = date.getUTCMonth() + 1;
    const dd = date.getUTCDate();
    starts.push({
      start: i === 0 ? today.start : i === 1 ? today.end : instantOf(yy, mm, dd, dayStartHour, timeZone),
      key: `${yy}-${String(mm).padStart(2, "0")}-${String(dd).padStart(2, "0")}`,
    });
  }
  return starts.slice(0, -1).map((s, i) => ({ start: s.start, end: starts[i + 1]!.start, key: s.key }));
}

const plain = (ws: DayWindow[]) => ws.map((w) => `${w.key} ${w.start.toISOString()} ${w.end.toISOString()}`);

describe("learningDays", () => {
  it("equals the day-by-day conversion in every zone", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    expect(zones.length).toBeGreaterThan(300);
    const nows = [Date.UTC(2026, 11, 1, 21), Date.UTC(2026, 2, 29, 1, 30), Date.UTC(2027, 9, 31, 23, 59), Date.UTC(2026, 0, 1, 0, 30)];
    zones.forEach((tz, i) => {
      const hour = [0, 2, 3, 4, 23][i % 5]!;
      const now = new Date(nows[i % nows.length]!);
      expect(plain(learningDays(now, tz, hour, -120, 29)), `${tz} ${hour}h ${now.toISOString()}`).toEqual(plain(reference(now, tz, hour, -120, 29)));
    });
  });

  it("keeps short and one-sided ranges exact", () => {
    for (const [from, to] of [
      [0, 0],
      [-1, -1],
      [-3, 2],
      [5, 40],
      [-400, -380],
    ] as const) {
      for (const tz of ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]) {
        const now = new Date(Date.UTC(2026, 9, 25, 0, 30));
        expect(plain(learningDays(now, tz, 2, from, to)), `${tz} ${from}..${to}`).toEqual(plain(reference(now, tz, 2, from, to)));
      }
    }
  });
});
