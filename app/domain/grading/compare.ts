/**
 * Numeric-aware comparison of a learner's output with the expected one.
 * Shape first, then each number within `atol + rtol * |expected|`. The test is
 * written as `!(diff <= tol)` so NaN always fails. Infinities (masked scores)
 * and, in exact mode, every number compare exactly.
 * Messages name the place and the values, e.g.
 *   expected out[1][1] to be 0.25 ± 3.5e-6, got NaN (check for exp overflow)
 */

import { isUnsendable } from "~/exercise-worker/protocol";

export interface Tolerance {
  atol: number;
  rtol: number;
  exact?: boolean;
  /** What to add when a result overflows, for exercises where there is a fix to suggest (softmax: "subtract the max before exp"). */
  overflowHint?: string;
}

export const DEFAULT_TOLERANCE: Tolerance = { atol: 1e-6, rtol: 1e-5 };

export type Comparison = { ok: true } | { ok: false; message: string; path: string };

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return x.toExponential(3).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(6)));
}

/** `x` with `digits` significant digits, in the style of formatNumber. */
function withDigits(x: number, digits: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return formatNumber(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(digits)));
}

/** Two numbers printed with just enough digits (6 at least) to tell them apart. */
export function formatPair(a: number, b: number): [string, string] {
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) return [formatNumber(a), formatNumber(b)];
  for (let digits = 6; digits <= 17; digits++) {
    const sa = withDigits(a, digits);
    const sb = withDigits(b, digits);
    if (sa !== sb || digits === 17) return [sa, sb];
  }
  return [formatNumber(a), formatNumber(b)];
}

const SHOWN_STRING_CHARS = 200;

export function formatValue(v: unknown, depth = 0): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") {
    return v.length <= SHOWN_STRING_CHARS ? JSON.stringify(v) : `${JSON.stringify(v.slice(0, SHOWN_STRING_CHARS))}… (${v.length.toLocaleString("en")} characters)`;
  }
  if (isUnsendable(v)) return `(${v.$unsendable})`;
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (Array.isArray(v)) {
    if (depth > 2) return "[…]";
    const shown = v.slice(0, 8).map((x) => formatValue(x, depth + 1));
    return `[${shown.join(", ")}${v.length > 8 ? `, … (${v.length} items)` : ""}]`;
  }
  if (typeof v === "object") {
    if (depth > 2) return "{…}";
    const entries = Object.entries(v as Record<string, unknown>);
    const shown = entries.slice(0, 8).map(([k, x]) => `${JSON.stringify(k)}: ${formatValue(x, depth + 1)}`);
    return `{${shown.join(", ")}${entries.length > 8 ? ", …" : ""}}`;
  }
  return String(v);
}

function describe(v: unknown): string {
  if (isUnsendable(v)) return v.$unsendable;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return "null";
  if (v === undefined) return "undefined (did the function return a value?)";
  if (typeof v === "number") return `the number ${formatNumber(v)}`;
  if (typeof v === "string") return `the string ${formatValue(v)}`;
  if (typeof v === "function") return "a function";
  if (typeof v === "object" && typeof (v as { then?: unknown }).then === "function") return "a Promise (the function must not be async)";
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${formatValue(v)}`;
}

export function shapeOf(v: unknown): number[] | null {
  if (!Array.isArray(v)) return [];
  const inner = v.length > 0 ? shapeOf(v[0]) : [];
  return inner === null ? null : [v.length, ...inner];
}

function hint(actual: number, expected: number, tol: Tolerance): string {
  if (Number.isNaN(actual)) return tol.overflowHint ? ` (NaN often comes from an overflow: ${tol.overflowHint})` : " (NaN comes from 0/0, Infinity/Infinity, Infinity − Infinity or a NaN input)";
  if (!Number.isFinite(actual) && Number.isFinite(expected)) return tol.overflowHint ? ` (an overflow: ${tol.overflowHint})` : "";
  if (Number.isFinite(actual) && expected === -Infinity) return " (this position should be masked)";
  return "";
}

export function compareNumbers(actual: number, expected: number, tol: Tolerance, place: string): Comparison {
  if (typeof actual !== "number") {
    return { ok: false, path: place, message: `expected ${place} to be a number, got ${describe(actual)}` };
  }
  if (tol.exact || !Number.isFinite(expected)) {
    if (Object.is(actual, expected) || actual === expected) return { ok: true };
    if (Number.isNaN(expected) && Number.isNaN(actual)) return { ok: true };
    const [a, e] = formatPair(actual, expected);
    return { ok: false, path: place, message: `expected ${place} to be ${e}, got ${a}${hint(actual, expected, tol)}` };
  }
  const allowed = tol.atol + tol.rtol * Math.abs(expected);
  const diff = Math.abs(actual - expected);
  if (!(diff <= allowed)) {
    return {
      ok: false,
      path: place,
      message: `expected ${place} to be ${formatPair(actual, expected)[1]} ± ${formatNumber(Number(allowed.toPrecision(2)))}, got ${formatPair(actual, expected)[0]}${hint(actual, expected, tol)}`,
    };
  }
  return { ok: true };
}

/** Compare any JSON-like value; `place` names the root (default "out"). */
export function compareValues(actual: unknown, expected: unknown, tol: Tolerance = DEFAULT_TOLERANCE, place = "out"): Comparison {
  if (typeof expected === "number") return compareNumbers(actual as number, expected, tol, place);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      const hintText = ArrayBuffer.isView(actual) ? " (return a plain array: Array.from(...))" : "";
      return { ok: false, path: place, message: `expected ${place} to be an array of length ${expected.length}, got ${describe(actual)}${hintText}` };
    }
    if (actual.length !== expected.length) {
      const es = shapeOf(expected);
      const as = shapeOf(actual);
      const shapes = es && as && es.length > 1 ? ` (expected shape [${es.join(", ")}], got [${as.join(", ")}])` : "";
      return { ok: false, path: place, message: `expected ${place} to have length ${expected.length}, got length ${actual.length}${shapes}` };
    }
    for (let i = 0; i < expected.length; i++) {
      const r = compareValues(actual[i], expected[i], tol, `${place}[${i}]`);
      if (!r.ok) return r;
    }
    return { ok: true };
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return { ok: false, path: place, message: `expected ${place} to be an object, got ${describe(actual)}` };
    }
    const ek = Object.keys(expected).sort();
    const ak = Object.keys(actual).sort();
    const missing = ek.filter((k) => !(k in (actual as object)));
    const extra = ak.filter((k) => !(k in (expected as object)));
    if (missing.length || extra.length) {
      const parts = [];
      if (missing.length) parts.push(`missing key${missing.length > 1 ? "s" : ""} ${missing.slice(0, 5).map((k) => JSON.stringify(k)).join(", ")}`);
      if (extra.length) parts.push(`unexpected key${extra.length > 1 ? "s" : ""} ${extra.slice(0, 5).map((k) => JSON.stringify(k)).join(", ")}`);
      return { ok: false, path: place, message: `${place}: ${parts.join("; ")}` };
    }
    for (const k of ek) {
      const r = compareValues((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], tol, `${place}[${JSON.stringify(k)}]`);
      if (!r.ok) return r;
    }
    return { ok: true };
  }
  if (actual === expected) return { ok: true };
  return { ok: false, path: place, message: `expected ${place} to be ${formatValue(expected)}, got ${formatValue(actual)}` };
}

/** For property checks: true when a and b match within tolerance. */
export function close(a: unknown, b: unknown, atol = DEFAULT_TOLERANCE.atol, rtol = DEFAULT_TOLERANCE.rtol): boolean {
  return compareValues(a, b, { atol, rtol }).ok;
}
