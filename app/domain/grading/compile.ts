/**
 * Compiling the learner's code, for a runner (the browser worker, or a fresh
 * node:vm context in CI): TypeScript types stripped by sucrase (line numbers
 * kept), imports refused with the learner's line, errors described with the
 * learner's line. Nothing here compares or judges: see run.ts.
 */
import { transform } from "sucrase";

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
  if (!isError(error)) return null;
  const full = error.stack;
  if (typeof full !== "string") return null;
  // The frames come after the message, which may be megabytes long: read only the end.
  const stack = full.length > 20_000 ? full.slice(-20_000) : full;
  const { offset, sourceUrls } = functionLines();
  const line = lineFromStack(stack, offset, sourceUrls);
  return line !== null && line >= 1 ? line : null;
}

/** Longer error messages are cut here, before anything else reads them. */
const MESSAGE_CHARS = 1_500;

const errorTag = Function.prototype.call.bind(Object.prototype.toString) as (v: unknown) => string;

/** Works on errors from another realm (a node:vm context) too. */
function isError(e: unknown): e is Error {
  return typeof e === "object" && e !== null && errorTag(e) === "[object Error]";
}

export function describeError(error: unknown): string {
  try {
    if (isError(error)) {
      const line = learnerLine(error);
      if (error.name === "RangeError" && /call stack/i.test(String(error.message))) {
        return `Maximum call stack size exceeded${line ? ` (line ${line})` : ""}: check that your recursion has a base case`;
      }
      const message = String(error.message);
      const shown = message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS)}… (cut: ${message.length.toLocaleString("en")} characters in all)` : message;
      return `${String(error.name)}: ${shown}${line ? ` (line ${line})` : ""}`;
    }
    if (typeof error === "string") return `Thrown: ${JSON.stringify(error)}`;
    return `Thrown: ${typeof error === "object" && error !== null ? "an object" : String(error)}`;
  } catch {
    return "Your code threw something that cannot be shown.";
  }
}

/**
 * Turns a function body into a function, the way `new Function(body)` does
 * (the default). CI passes one that compiles in a fresh node:vm context, so
 * the code gets built-ins of its own.
 */
export type Evaluate = (body: string) => () => unknown;

const inThisRealm: Evaluate = (body) => new Function(body) as () => unknown;

export function compileFunction(code: string, functionName: string, evaluate: Evaluate = inThisRealm): (...args: unknown[]) => unknown {
  if (!/^[A-Za-z_$][\w$]*$/.test(functionName)) throw new CompileError(`Not a function name: ${functionName}`, null);
  const js = transpile(code);
  let factory: () => unknown;
  try {
    factory = evaluate(`${js}\n;return typeof ${functionName} === "function" ? ${functionName} : undefined;\n//# sourceURL=${LEARNER_SOURCE_URL}`);
  } catch (e) {
    throw new CompileError(`Syntax error: ${isError(e) ? String(e.message) : String(e)}`, null);
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

