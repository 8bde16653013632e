import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { safeRedirect } from "~/auth/session.server";
import { formNumber, strictNumber, text } from "~/utils/fields";

describe("strict numbers", () => {
  it("reads plain decimals only; blank is missing", () => {
    expect(strictNumber("16")).toBe(16);
    expect(strictNumber(" 0.9 ")).toBe(0.9);
    expect(strictNumber("-3")).toBe(-3);
    expect(strictNumber("")).toBeUndefined();
    expect(strictNumber("   ")).toBeUndefined();
    for (const s of ["0x10", "1e3", "Infinity", "NaN", "1_000", "３", "0b1", "1,5"]) expect(strictNumber(s)).toBe(s);
  });

  it("a required field refuses blank and hex; an optional one treats blank as absent", () => {
    const required = formNumber(z.number().int().min(0));
    expect(required.safeParse("").success).toBe(false);
    expect(required.safeParse("0x10").success).toBe(false);
    expect(required.safeParse("12").data).toBe(12);
    const optional = formNumber(z.number().int().optional());
    expect(optional.safeParse("").data).toBeUndefined();
    expect(formNumber(z.number().default(0)).safeParse("").data).toBe(0);
  });

  it("text refuses NUL characters", () => {
    expect(text().safeParse("a\u0000b").success).toBe(false);
    expect(text().safeParse("ab").success).toBe(true);
  });
});

describe("safeRedirect", () => {
  it("keeps same-origin paths, percent-encoded; anything else falls back", () => {
    expect(safeRedirect("/lessons/x?a=1#b")).toBe("/lessons/x?a=1#b");
    expect(safeRedirect("/caf\u00e9")).toBe("/caf%C3%A9");
    for (const bad of ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/\u0000x", "/a\u007fb", "", "evil", null, undefined]) {
      expect(safeRedirect(bad, "/home"), JSON.stringify(bad)).toBe("/home");
    }
  });
});

describe("runtime dependencies with advisories", () => {
  const installed = (name: string) => JSON.parse(fs.readFileSync(path.resolve("node_modules", name, "package.json"), "utf8")).version as string;
  const atLeast = (v: string, min: string) => {
    const a = v.split(".").map(Number);
    const b = min.split(".").map(Number);
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
    return true;
  };

  it("react-router, react-router-dom and @remix-run/router carry the 6.30 line's open-redirect fix (GHSA-jjmj-jmhj-qwj2)", () => {
    expect(atLeast(installed("react-router"), "6.30.6")).toBe(true);
    expect(atLeast(installed("react-router-dom"), "6.30.6")).toBe(true);
    expect(atLeast(installed("@remix-run/router"), "1.23.4")).toBe(true);
    expect(atLeast(installed("@remix-run/server-runtime"), "2.17.5")).toBe(true);
  });
});
