/**
 * The learner's day: it starts at their day-start hour (default 04:00) in their
 * time zone, so a review at 01:00 counts for the evening before. DST-safe: the
 * boundary is found as a wall-clock time in the zone, then converted to an
 * instant with the zone's offset at that instant.
 */

interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of the zone from UTC at `instant`, in milliseconds (positive east of Greenwich). */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows the given local time. */
export function instantOf(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour);
  let instant = guess - offsetAt(new Date(guess), timeZone);
  // Re-check once: the offset may differ on the other side of a DST change.
  const second = guess - offsetAt(new Date(instant), timeZone);
  if (second !== instant) instant = second;
  return new Date(instant);
}

export interface DayWindow {
  start: Date;
  end: Date;
  /** The local calendar date this learning day is named after, "2026-11-28". */
  key: string;
}

export function dayWindow(now: Date, timeZone: string, dayStartHour: number): DayWindow {
  const w = wallClock(now, timeZone);
  // Which calendar date does this learning day belong to?
  const base = new Date(Date.UTC(w.year, w.month - 1, w.day));
  if (w.hour < dayStartHour) base.setUTCDate(base.getUTCDate() - 1);
  const y = base.getUTCFullYear();
  const m = base.getUTCMonth() + 1;
  const d = base.getUTCDate();
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return {
    start: instantOf(y, m, d, dayStartHour, timeZone),
    end: instantOf(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), dayStartHour, timeZone),
    key: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
  };
}

/** The learning-day key ("2026-11-28") of an instant. */
export function dayKey(instant: Date, timeZone: string, dayStartHour: number): string {
  return dayWindow(instant, timeZone, dayStartHour).key;
}
