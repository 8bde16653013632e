/** The write caps' text form (their counting, in the database: tests/integration/write-caps.test.ts). */
import { describe, expect, it } from "vitest";
import { parseCaps } from "~/domain/write-caps";

describe("parseCaps", () => {
  it("reads count/seconds pairs and refuses anything else", () => {
    expect(parseCaps("600/60, 10000/86400")).toEqual([
      { max: 600, windowMs: 60_000 },
      { max: 10_000, windowMs: 86_400_000 },
    ]);
    for (const bad of [undefined, "", "0/60", "10/0", "10", "10/60,", "0x10/60", "-1/60", "1.5/60", "10/60;5/1"]) expect(parseCaps(bad), String(bad)).toBeNull();
  });
});
