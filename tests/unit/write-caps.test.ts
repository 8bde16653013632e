/** The write caps' rules: parsing, fixed windows, refusals not counted, learners and kinds apart. */
import { afterEach, describe, expect, it } from "vitest";
import { parseCaps } from "~/domain/write-caps";
import { checkWrite, resetWriteCaps } from "~/limits/write-caps.server";

afterEach(() => {
  delete process.env.WRITE_CAP_EXERCISE;
  resetWriteCaps();
});

describe("parseCaps", () => {
  it("reads count/seconds pairs and refuses anything else", () => {
    expect(parseCaps("600/60, 10000/86400")).toEqual([
      { max: 600, windowMs: 60_000 },
      { max: 10_000, windowMs: 86_400_000 },
    ]);
    for (const bad of [undefined, "", "0/60", "10/0", "10", "10/60,", "0x10/60", "-1/60", "1.5/60", "10/60;5/1"]) expect(parseCaps(bad), String(bad)).toBeNull();
  });
});

describe("checkWrite", () => {
  it("allows up to the cap per window, refuses without counting, and opens again when the window ends", () => {
    process.env.WRITE_CAP_EXERCISE = "3/10,5/100";
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(checkWrite("a", "exercise", t0 + i).allowed).toBe(true);
    const refused = checkWrite("a", "exercise", t0 + 1_000);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 9 });
    expect(checkWrite("a", "exercise", t0 + 9_999).allowed).toBe(false);
    // Another learner, another kind: their own counters.
    expect(checkWrite("b", "exercise", t0 + 1_000).allowed).toBe(true);
    expect(checkWrite("a", "review", t0 + 1_000).allowed).toBe(true);
    // The 10-second window ends; the 100-second one has room for two more (refusals did not count).
    expect(checkWrite("a", "exercise", t0 + 10_000).allowed).toBe(true);
    expect(checkWrite("a", "exercise", t0 + 10_001).allowed).toBe(true);
    const daily = checkWrite("a", "exercise", t0 + 10_002);
    expect(daily).toMatchObject({ allowed: false, retryAfterSeconds: 90 });
    if (!daily.allowed) expect(daily.message).toMatch(/Too many exercise runs .* try again in 90 seconds/);
  });

  it("has defaults a learner working by hand never reaches", () => {
    const t0 = 5_000_000;
    // A review every second for ten minutes, an outbox of 500 at once, a test run every 10 s for two hours.
    for (let i = 0; i < 600; i++) expect(checkWrite("keen", "review", t0 + i * 1000).allowed).toBe(true);
    for (let i = 0; i < 500; i++) expect(checkWrite("offline", "review", t0).allowed).toBe(true);
    for (let i = 0; i < 720; i++) expect(checkWrite("coder", "exercise", t0 + i * 10_000).allowed, `run ${i}`).toBe(true);
  });
});
