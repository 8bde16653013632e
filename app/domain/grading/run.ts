/**
 * The grading core, shared by the browser worker and by CI's content check:
 * compile the learner's code (TypeScript types stripped by sucrase, line numbers
 * kept), call their function on each test's arguments, compare with the
 * expected output, run property checks. No I/O; time limits are the caller's
 * (the browser terminates the worker, see docs/decisions/005-exercise-sandbox.md).
 */
import { transform } from "sucrase";
import { close, compareValues, formatValue, type Tolerance } from "./compare";

export interface TestCase {
  name: string;
  args: unknown[];
  expected: unknown;
}

export interface PropertyCheck {
  name: string;
  args: unknown[];
  check: string;
}

export interface GradingSpec {
  functionName: string;
  tolerance: Tolerance;
  tests: TestCase[];
  hidden: TestCase[];
  properties: PropertyCheck[];
}

export interface TestResult {
  name: string;
  kind: "test" | "hidden" | "property";
  passed: boolean;
  message?: string;
  /** Shown for visible tests only. */
  args?: string;
  expected?: string;
  actual?: string;
  ms: number;
}

export interface GradeReport {
  ok: boolean; // compiled and ran (tests may still fail)
  error?: string; // compile error or missing function, with the learner's line
  results: TestResult[];
  passed: number;
  total: number;
}

/** Deep copy of JSON-like data, keeping NaN/±Infinity, so a test cannot alter its own inputs. */
export function cloneData<T>(v: T): T {
  return structuredClone(v);
}

export class CompileError extends Error {
  constructor(message: string, public readonly line: number | null) {
    super(message);
  }
}

/**
 * `export function f` is a habit worth forgiving: the keyword is blanked out
 * (same length, so columns and lines stay put). Imports are refused with the
 * learner's line: exercise code is one self-contained file.
 */
function prepareSource(code: string): string {
  const lines = code.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*import[\s{*"'(]/.test(line) || /(^|[^.\w$])import\s*\(/.test(line.replace(/\/\/.*$/, ""))) {
      throw new CompileError(`Line ${i + 1}: imports are not available in exercises; write everything in this one file.`, i + 1);
    }
    const m = /^(\s*)export(\s+default)?(\s+)(?=(async\s+)?function\b|const\b|let\b|var\b|class\b)/.exec(line);
    if (m) lines[i] = " ".repeat(m[0].length) + line.slice(m[0].length);
  }
  return lines.join("\n");
}

/** Strip TypeScript types; sucrase keeps line numbers, and reports syntax errors as (line:col). */
export function transpile(code: string): string {
  const source = prepareSource(code);
  try {
    return transform(source, { transforms: ["typescript"], disableESTransforms: true, keepUnusedImports: false }).code;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /\((\d+):(\d+)\)/.exec(message);
    const line = m ? Number(m[1]) : null;
    const clean = message.replace(/\s*\(\d+:\d+\)\s*$/, "");
    throw new CompileError(line ? `Syntax error on line ${line}: ${clean}` : `Syntax error: ${clean}`, line);
  }
}

/**
 * The learner's code is compiled with a sourceURL, so its stack frames read
 * "learner-code.js:LINE:COL" and are told apart from property checks and from
 * the runner itself (V8, SpiderMonkey and JavaScriptCore all honour it).
 */
export const LEARNER_SOURCE_URL = "learner-code.js";
const PROBE_SOURCE_URL = "line-probe.js";

let probe: { offset: number; sourceUrls: boolean } | null = null;
/** How many lines `new Function` adds before the body, and whether sourceURL works: measured once in this engine. */
function functionLines(): { offset: number; sourceUrls: boolean } {
  if (probe) return probe;
  probe = { offset: 2, sourceUrls: false };
  try {
    new Function(`throw new Error("probe")\n//# sourceURL=${PROBE_SOURCE_URL}`)();
  } catch (e) {
    const stack = (e as Error).stack ?? "";
    const named = new RegExp(`${PROBE_SOURCE_URL.replace(".", "\\.")}:(\\d+):\\d+`).exec(stack);
    const line = named ? Number(named[1]) : lineFromStack(stack, 0, false);
    probe = { offset: line !== null ? line - 1 : 2, sourceUrls: named !== null };
  }
  return probe;
}

function lineFromStack(stack: string, offset: number, sourceUrls: boolean): number | null {
  if (sourceUrls) {
    const m = /learner-code\.js:(\d+):\d+/.exec(stack);
    return m ? Number(m[1]) - offset : null;
  }
  // V8: "at f (eval at compile (file), <anonymous>:5:9)"; Firefox: "Function:5:9"
  const m = /<anonymous>:(\d+):\d+/.exec(stack) ?? /Function:(\d+):\d+/.exec(stack) ?? /> Function:(\d+):/.exec(stack);
  return m ? Number(m[1]) - offset : null;
}

/** The learner's line for an error thrown from their code, when the engine tells. */
export function learnerLine(error: unknown): number | null {
  if (!(error instanceof Error) || !error.stack) return null;
  const { offset, sourceUrls } = functionLines();
  const line = lineFromStack(error.stack, offset, sourceUrls);
  return line !== null && line >= 1 ? line : null;
}

export function describeError(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    const line = learnerLine(error);
    return `Maximum call stack size exceeded${line ? ` (line ${line})` : ""}: check that your recursion has a base case`;
  }
  if (error instanceof Error) {
    const line = learnerLine(error);
    return `${error.name}: ${error.message}${line ? ` (line ${line})` : ""}`;
  }
  return `Thrown: ${formatValue(error)}`;
}

export function compileFunction(code: string, functionName: string): (...args: unknown[]) => unknown {
  const js = transpile(code);
  let factory: () => unknown;
  try {
    factory = new Function(
      `${js}\n;return typeof ${functionName} === "function" ? ${functionName} : undefined;\n//# sourceURL=${LEARNER_SOURCE_URL}`,
    ) as () => unknown;
  } catch (e) {
    throw new CompileError(`Syntax error: ${(e as Error).message}`, null);
  }
  let fn: unknown;
  try {
    fn = factory();
  } catch (e) {
    throw new CompileError(`Your code threw while loading: ${describeError(e)}`, learnerLine(e));
  }
  if (typeof fn !== "function") throw new CompileError(`Define a function named ${functionName}.`, null);
  return fn as (...args: unknown[]) => unknown;
}

type Clock = () => number;

/** Progress callbacks, for a runner that enforces a time limit per test (the browser worker). */
export interface GradeHooks {
  /** Before test number `index` (in run order: visible tests, hidden tests, properties). */
  onStart?: (index: number, name: string, kind: TestResult["kind"]) => void;
  /** After it, with its result. */
  onResult?: (result: TestResult, index: number) => void;
}

export function runTests(
  fn: (...args: unknown[]) => unknown,
  spec: GradingSpec,
  now: Clock = () => performance.now(),
  hooks: GradeHooks = {},
): TestResult[] {
  const results: TestResult[] = [];
  const push = (r: TestResult) => {
    results.push(r);
    hooks.onResult?.(r, results.length - 1);
  };
  const one = (t: TestCase, kind: "test" | "hidden") => {
    hooks.onStart?.(results.length, t.name, kind);
    const started = now();
    const shown = kind === "test";
    try {
      const actual = fn(...cloneData(t.args));
      const cmp = compareValues(actual, t.expected, spec.tolerance);
      push({
        name: t.name,
        kind,
        passed: cmp.ok,
        message: cmp.ok ? undefined : cmp.message,
        args: shown ? t.args.map((a) => formatValue(a)).join(", ") : undefined,
        expected: shown ? formatValue(t.expected) : undefined,
        actual: shown || !cmp.ok ? formatValue(actual) : undefined,
        ms: now() - started,
      });
    } catch (e) {
      push({
        name: t.name,
        kind,
        passed: false,
        message: describeError(e),
        args: shown ? t.args.map((a) => formatValue(a)).join(", ") : undefined,
        expected: shown ? formatValue(t.expected) : undefined,
        ms: now() - started,
      });
    }
  };
  spec.tests.forEach((t) => one(t, "test"));
  spec.hidden.forEach((t) => one(t, "hidden"));
  for (const p of spec.properties) {
    hooks.onStart?.(results.length, p.name, "property");
    const started = now();
    try {
      const args = cloneData(p.args);
      const result = fn(...cloneData(args));
      const check = new Function("solution", "args", "result", "close", p.check) as (...a: unknown[]) => unknown;
      const verdict = check(fn, args, result, close);
      const passed = verdict === true;
      push({
        name: p.name,
        kind: "property",
        passed,
        message: passed ? undefined : typeof verdict === "string" ? verdict : `property failed: ${p.name}`,
        ms: now() - started,
      });
    } catch (e) {
      push({ name: p.name, kind: "property", passed: false, message: describeError(e), ms: now() - started });
    }
  }
  return results;
}

export function grade(code: string, spec: GradingSpec, now?: Clock, hooks?: GradeHooks): GradeReport {
  const total = spec.tests.length + spec.hidden.length + spec.properties.length;
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = compileFunction(code, spec.functionName);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), results: [], passed: 0, total };
  }
  const results = runTests(fn, spec, now, hooks);
  return { ok: true, results, passed: results.filter((r) => r.passed).length, total };
}
