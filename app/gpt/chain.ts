/**
 * "Build your GPT": the learner's eight stage functions assembled into the tiny GPT's forward
 * pass, and every stage's output compared with the reference forward pass (model.ts) on the
 * same fixed input. See docs/decisions/031-build-your-gpt-chain.md.
 *
 * Pure: no I/O. The assembled program (`chainProgram`) is plain source text that runs in the
 * exercise runner worker (or a node:vm context in tests) like any exercise code; what it returns
 * is plain data, and the comparison (`compareTraces`) runs here, where learner code never ran.
 */
import type { GptConfig, GptParams } from "./model";
import { causalSelfAttention, embed, layerNorm, linear, LAYER_NORM_EPS, mlp, softmax } from "./model";
import { drawToken, nextTokenDistribution } from "./sampling";
import type { CharVocab } from "./characters";
import { encode } from "./characters";
import { nameChar } from "./shipped";

export interface ChainStage {
  stage: number;
  /** The exercise the learner writes this stage in (its id is the review item). */
  exerciseId: string;
  functionName: string;
  /** In the learner's terms: "Your layer norm (stage 2) gives …". */
  name: string;
}

export const STAGES: readonly ChainStage[] = [
  { stage: 1, exerciseId: "train-ex-gpt-embed", functionName: "embed", name: "embeddings" },
  { stage: 2, exerciseId: "tr-ex-layer-norm", functionName: "layerNorm", name: "layer norm" },
  { stage: 3, exerciseId: "tr-ex-multi-head-causal-attention", functionName: "multiHeadCausalSelfAttention", name: "causal multi-head attention" },
  { stage: 4, exerciseId: "train-ex-gpt-mlp", functionName: "mlp", name: "MLP" },
  { stage: 5, exerciseId: "train-ex-gpt-residual", functionName: "residual", name: "residual connection" },
  { stage: 6, exerciseId: "train-ex-gpt-output", functionName: "outputProjection", name: "output projection" },
  { stage: 7, exerciseId: "att-ex-softmax", functionName: "softmax", name: "softmax" },
  { stage: 8, exerciseId: "train-ex-sample-top-k", functionName: "sampleTopK", name: "sampling" },
];

/** The fixed input every run checks: the first line of the play (in the training text). */
export const CHAIN_PROMPT = "First Citizen:\nBefore we proceed";

/** The temperature, top-k and u the sampling stage is checked with, on the last position's scores. */
export const SAMPLING_CHECKS: readonly { temperature: number; topK: number; u: number }[] = [
  { temperature: 1, topK: 1000, u: 0.05 },
  { temperature: 1, topK: 1000, u: 0.62 },
  { temperature: 0.7, topK: 5, u: 0.9 },
  { temperature: 1.6, topK: 12, u: 0.47 },
  { temperature: 0.4, topK: 1, u: 0.99 },
  { temperature: 1.2, topK: 3, u: 0.999 },
];

/** Within this of the reference (absolute, or relative for entries above 1) a stage matches. */
export const TOLERANCE = 1e-5;

export const CHAIN_FUNCTION = "__buildYourGpt";
export const GENERATE_FUNCTION = "__buildYourGptGenerate";

// ---------------------------------------------------------------------------------------------
// The weights as the exercises take them: nested arrays
// ---------------------------------------------------------------------------------------------

export interface ChainWeights {
  nHeads: number;
  eps: number;
  contextLength: number;
  tokenEmbedding: number[][];
  positionEmbedding: number[][];
  layers: {
    ln1Gain: number[];
    ln1Bias: number[];
    wq: number[][];
    wk: number[][];
    wv: number[][];
    wo: number[][];
    ln2Gain: number[];
    ln2Bias: number[];
    wFc: number[][];
    bFc: number[];
    wProj: number[][];
    bProj: number[];
  }[];
  lnFGain: number[];
  lnFBias: number[];
  wOut: number[][];
}

function rows(flat: Float64Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r * cols < flat.length; r++) out.push(Array.from(flat.subarray(r * cols, (r + 1) * cols)));
  return out;
}

export function chainWeights(c: GptConfig, p: GptParams): ChainWeights {
  const d = c.dModel;
  return {
    nHeads: c.nHeads,
    eps: LAYER_NORM_EPS,
    contextLength: c.contextLength,
    tokenEmbedding: rows(p.tokenEmbedding, d),
    positionEmbedding: rows(p.positionEmbedding, d),
    layers: p.layers.map((l) => ({
      ln1Gain: Array.from(l.ln1Gain),
      ln1Bias: Array.from(l.ln1Bias),
      wq: rows(l.wq, d),
      wk: rows(l.wk, d),
      wv: rows(l.wv, d),
      wo: rows(l.wo, d),
      ln2Gain: Array.from(l.ln2Gain),
      ln2Bias: Array.from(l.ln2Bias),
      wFc: rows(l.wFc, c.mlpWidth),
      bFc: Array.from(l.bFc),
      wProj: rows(l.wProj, d),
      bProj: Array.from(l.bProj),
    })),
    lnFGain: Array.from(p.lnFGain),
    lnFBias: Array.from(p.lnFBias),
    wOut: rows(p.wOut, c.vocabSize),
  };
}

export function promptTokens(vocab: CharVocab): number[] {
  return encode(CHAIN_PROMPT, vocab).tokens;
}

// ---------------------------------------------------------------------------------------------
// The assembled program
// ---------------------------------------------------------------------------------------------

/**
 * Our own implementation of each stage, for the stages the learner chose to run as the reference
 * ("see where you are going"). Plain JavaScript in the exercises' signatures; a unit test checks
 * the chain built from these matches model.ts, like the chain built from the exercises' solutions.
 */
export const REFERENCE_STAGES: Record<number, string> = {
  1: `function embed(tokens, te, pe) { return tokens.map((t, i) => te[t].map((v, j) => v + pe[i][j])); }`,
  2: `function layerNorm(x, g, b, eps) {
  const d = x.length; let m = 0; for (const v of x) m += v; m /= d;
  let s = 0; for (const v of x) s += (v - m) * (v - m); s /= d;
  const r = 1 / Math.sqrt(s + eps); return x.map((v, j) => g[j] * (v - m) * r + b[j]);
}`,
  3: `function multiHeadCausalSelfAttention(x, wq, wk, wv, wo, nHeads) {
  const mm = (a, w) => a.map((row) => w[0].map((_, o) => { let s = 0; for (let k = 0; k < row.length; k++) s += row[k] * w[k][o]; return s; }));
  const n = x.length, d = wq.length, hd = d / nHeads, q = mm(x, wq), k = mm(x, wk), v = mm(x, wv);
  const cat = x.map(() => new Array(d).fill(0));
  for (let h = 0; h < nHeads; h++) for (let i = 0; i < n; i++) {
    const sc = []; for (let j = 0; j <= i; j++) { let t = 0; for (let c = h * hd; c < (h + 1) * hd; c++) t += q[i][c] * k[j][c]; sc.push(t / Math.sqrt(hd)); }
    const mx = Math.max(...sc), e = sc.map((s) => Math.exp(s - mx)), tot = e.reduce((a, b) => a + b, 0);
    for (let j = 0; j <= i; j++) for (let c = h * hd; c < (h + 1) * hd; c++) cat[i][c] += (e[j] / tot) * v[j][c];
  }
  return mm(cat, wo);
}`,
  4: `function mlp(x, wFc, bFc, wProj, bProj) {
  const lin = (a, w, b) => a.map((row) => b.map((bias, o) => { let s = bias; for (let k = 0; k < row.length; k++) s += row[k] * w[k][o]; return s; }));
  const gelu = (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
  return lin(lin(x, wFc, bFc).map((r) => r.map(gelu)), wProj, bProj);
}`,
  5: `function residual(s, u) { return s.map((r, i) => r.map((v, j) => v + u[i][j])); }`,
  6: `function outputProjection(x, w) { return x.map((row) => w[0].map((_, v) => { let s = 0; for (let k = 0; k < row.length; k++) s += row[k] * w[k][v]; return s; })); }`,
  7: `function softmax(z) { let m = -Infinity; for (const v of z) if (v > m) m = v; const e = z.map((v) => Math.exp(v - m)); let t = 0; for (const v of e) t += v; return e.map((v) => v / t); }`,
  8: `function sampleTopK(z, temperature, k, u) {
  const s = z.map((v) => v / temperature), order = s.map((_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
  const kept = order.slice(0, Math.max(1, Math.min(k, order.length))), m = s[kept[0]];
  const w = kept.map((i) => Math.exp(s[i] - m)), t = w.reduce((a, b) => a + b, 0);
  let c = 0; for (let j = 0; j < kept.length; j++) { c += w[j] / t; if (c > u) return kept[j]; }
  return kept[kept.length - 1];
}`,
};

/**
 * How the stages are wired: GPT-2's pre-norm blocks. This runs where the learner's code runs
 * (it only calls their functions and collects what they return); it decides nothing.
 * `trace` entries are in forward-pass order, so the first that differs names the stage to fix.
 */
const DRIVER = String.raw`
function __forward(S, w, tokens, trace) {
  const rec = (stage, where, fn) => {
    let value;
    try { value = fn(); } catch (e) { if (!trace) throw e; trace.push({ stage, where, error: String(e && e.message ? e.name + ": " + e.message : e) }); throw __STOP; }
    if (trace) trace.push({ stage, where, value });
    return value;
  };
  const norm = (x, g, b) => x.map((row) => S[2](row, g, b, w.eps));
  let x = rec(1, "embeddings", () => S[1](tokens, w.tokenEmbedding, w.positionEmbedding));
  w.layers.forEach((l, b) => {
    const ln1 = rec(2, "block " + (b + 1) + ", before attention", () => norm(x, l.ln1Gain, l.ln1Bias));
    const att = rec(3, "block " + (b + 1), () => S[3](ln1, l.wq, l.wk, l.wv, l.wo, w.nHeads));
    const h = rec(5, "block " + (b + 1) + ", after attention", () => S[5](x, att));
    const ln2 = rec(2, "block " + (b + 1) + ", before the MLP", () => norm(h, l.ln2Gain, l.ln2Bias));
    const m = rec(4, "block " + (b + 1), () => S[4](ln2, l.wFc, l.bFc, l.wProj, l.bProj));
    x = rec(5, "block " + (b + 1) + ", after the MLP", () => S[5](h, m));
  });
  const lnF = rec(2, "after the last block", () => norm(x, w.lnFGain, w.lnFBias));
  const logits = rec(6, "output", () => S[6](lnF, w.wOut));
  return { logits, rec };
}
const __STOP = { stop: true };
function ${CHAIN_FUNCTION}(w, tokens, checks) {
  const trace = [];
  for (const [stage, name] of __NAMES) {
    if (typeof __S[stage] !== "function") { trace.push({ stage, where: "loading", error: "the code does not define a function called " + name }); return trace; }
  }
  try {
    const { logits, rec } = __forward(__S, w, tokens, trace);
    rec(7, "probabilities", () => logits.map((row) => __S[7](row)));
    const last = logits[logits.length - 1];
    rec(8, "sampling", () => checks.map((c) => __S[8](last, c.temperature, c.topK, c.u)));
  } catch (e) {
    if (e !== __STOP) trace.push({ stage: 0, where: "chain", error: String(e) });
  }
  return trace;
}
function ${GENERATE_FUNCTION}(w, prompt, count, temperature, topK, us, show) {
  const tokens = prompt.slice();
  const steps = [];
  for (let i = 0; i < count; i++) {
    const context = tokens.slice(Math.max(0, tokens.length - w.contextLength));
    const { logits } = __forward(__S, w, context, null);
    const last = logits[logits.length - 1];
    const scaled = last.map((z) => z / temperature);
    const kept = scaled.map((_, j) => j).sort((a, b) => scaled[b] - scaled[a] || a - b).slice(0, Math.max(1, Math.min(topK, scaled.length)));
    const probs = __S[7](kept.map((j) => scaled[j]));
    const token = __S[8](last, temperature, topK, us[i]);
    steps.push({ token, top: kept.slice(0, show).map((j, r) => [j, probs[r]]) });
    tokens.push(token);
  }
  return steps;
}
`;

/** Where each stage's code starts in the program, to name the stage of a syntax error. */
export interface ChainProgram {
  code: string;
  /** stage → [first line, last line] of its code in `code` (1-based). */
  lines: Record<number, [number, number]>;
}

/** One program: each stage's code in its own scope (helpers may share names), then the wiring. */
export function chainProgram(stageCode: Record<number, string>): ChainProgram {
  const parts: string[] = [];
  const lines: Record<number, [number, number]> = {};
  let line = 1;
  const push = (text: string) => {
    parts.push(text);
    line += text.split("\n").length;
  };
  push("const __S = {};");
  for (const s of STAGES) {
    const code = stageCode[s.stage] ?? REFERENCE_STAGES[s.stage]!;
    push(`__S[${s.stage}] = (function () {`);
    const first = line;
    push(code);
    lines[s.stage] = [first, line - 1];
    push(`return typeof ${s.functionName} === "function" ? ${s.functionName} : undefined;\n})();`);
  }
  push(`const __NAMES = ${JSON.stringify(STAGES.map((s) => [s.stage, s.functionName]))};`);
  push(DRIVER);
  return { code: parts.join("\n"), lines };
}

/** The stage whose code holds `line` of the program, for a compile error's "line N". */
export function stageOfLine(program: ChainProgram, line: number): number | null {
  for (const [stage, [a, b]] of Object.entries(program.lines)) if (line >= a && line <= b) return Number(stage);
  return null;
}

// ---------------------------------------------------------------------------------------------
// The reference trace, from model.ts
// ---------------------------------------------------------------------------------------------

export interface TraceEntry {
  stage: number;
  where: string;
  value?: unknown;
  error?: string;
}

function toRows(flat: Float64Array, cols: number): number[][] {
  return rows(flat, cols);
}

/** The same entries as the program's trace, computed by the training script's forward pass. */
export function referenceTrace(c: GptConfig, p: GptParams, tokens: readonly number[], checks = SAMPLING_CHECKS): TraceEntry[] {
  const n = tokens.length;
  const d = c.dModel;
  const trace: TraceEntry[] = [];
  let x = embed(tokens, c, p);
  trace.push({ stage: 1, where: "embeddings", value: toRows(x, d) });
  p.layers.forEach((l, b) => {
    const ln1 = layerNorm(x, n, d, l.ln1Gain, l.ln1Bias).y;
    trace.push({ stage: 2, where: `block ${b + 1}, before attention`, value: toRows(ln1, d) });
    const att = causalSelfAttention(ln1, n, d, c.nHeads, l).y;
    trace.push({ stage: 3, where: `block ${b + 1}`, value: toRows(att, d) });
    const h = x.map((v, i) => v + att[i]!);
    trace.push({ stage: 5, where: `block ${b + 1}, after attention`, value: toRows(h, d) });
    const ln2 = layerNorm(h, n, d, l.ln2Gain, l.ln2Bias).y;
    trace.push({ stage: 2, where: `block ${b + 1}, before the MLP`, value: toRows(ln2, d) });
    const m = mlp(ln2, n, c, l).y;
    trace.push({ stage: 4, where: `block ${b + 1}`, value: toRows(m, d) });
    x = h.map((v, i) => v + m[i]!);
    trace.push({ stage: 5, where: `block ${b + 1}, after the MLP`, value: toRows(x, d) });
  });
  const lnF = layerNorm(x, n, d, p.lnFGain, p.lnFBias).y;
  trace.push({ stage: 2, where: "after the last block", value: toRows(lnF, d) });
  const logits = linear(lnF, n, d, p.wOut, c.vocabSize);
  const logitRows = toRows(logits, c.vocabSize);
  trace.push({ stage: 6, where: "output", value: logitRows });
  trace.push({ stage: 7, where: "probabilities", value: logitRows.map((r) => Array.from(softmax(r))) });
  const last = logitRows[n - 1]!;
  trace.push({ stage: 8, where: "sampling", value: checks.map((k) => drawToken(nextTokenDistribution(last, k.temperature, k.topK), k.u)) });
  return trace;
}

// ---------------------------------------------------------------------------------------------
// Comparing, in the learner's terms
// ---------------------------------------------------------------------------------------------

export type StageVerdict = { stage: number; ok: true } | { stage: number; ok: false; message: string };

export interface ChainReport {
  /** One verdict per stage reached, in stage order; stages after the first failure are not judged. */
  stages: StageVerdict[];
  /** The first stage that differs, and why, in words; null when the whole chain matches. */
  firstDifference: { stage: number; message: string } | null;
}

function stageLabel(stage: number, usesReference: boolean): string {
  const s = STAGES[stage - 1]!;
  return `${usesReference ? "The reference" : "Your"} ${s.name} (stage ${stage})`;
}

function show(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (v === undefined) return "nothing";
  if (typeof v === "object" && v !== null && "$unsendable" in v) return String((v as { $unsendable: unknown }).$unsendable);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return JSON.stringify(v) ?? String(v);
}

function close(a: unknown, e: number): boolean {
  return typeof a === "number" && Math.abs(a - e) <= TOLERANCE * Math.max(1, Math.abs(e));
}

/** Compares one value with the reference's; a message for the first difference, or null. */
function compareEntry(entry: TraceEntry, expected: TraceEntry, vocab: CharVocab, label: string): string | null {
  const actual = entry.value;
  const e = expected.value;
  const where = entry.where;
  if (entry.stage === 8) {
    const want = e as number[];
    if (!Array.isArray(actual) || actual.length !== want.length) return `${label} did not return one token per draw (got ${show(actual)})`;
    for (let i = 0; i < want.length; i++) {
      if (actual[i] !== want[i]) {
        const k = SAMPLING_CHECKS[i]!;
        const got = typeof actual[i] === "number" && vocab.chars[actual[i] as number] !== undefined ? nameChar(vocab.chars[actual[i] as number]!) : show(actual[i]);
        return `${label} picks ${got} where the reference picks ${nameChar(vocab.chars[want[i]!]!)}, with temperature ${k.temperature}, top-k ${k.topK} and u = ${k.u}`;
      }
    }
    return null;
  }
  const want = e as number[][];
  const column = entry.stage === 6 || entry.stage === 7 ? "for the character" : "channel";
  if (!Array.isArray(actual)) return `${label} returns ${show(actual)} ${where === "embeddings" ? "" : `(${where}) `}where the reference returns ${want.length} rows, one per position`;
  if (actual.length !== want.length) return `${label} returns ${actual.length} rows (${where}) where the reference has ${want.length}, one per position`;
  for (let i = 0; i < want.length; i++) {
    const row = actual[i] as unknown;
    if (!Array.isArray(row) || row.length !== want[i]!.length) {
      return `${label} gives ${show(row)} at position ${i} (${where}) where the reference gives a row of ${want[i]!.length}`;
    }
    for (let j = 0; j < want[i]!.length; j++) {
      if (!close(row[j], want[i]![j]!)) {
        const at = column === "channel" ? `channel ${j}` : `for the character ${nameChar(vocab.chars[j] ?? "?")}`;
        return `${label} gives ${show(row[j])} at position ${i}, ${at} (${where}) where the reference gives ${show(want[i]![j])}`;
      }
    }
  }
  return null;
}

/**
 * The learner's trace against the reference's, in forward-pass order. The first entry that
 * differs (or threw, or is missing) names its stage; a stage is "ok" when every one of its
 * entries before that point matched.
 */
export function compareTraces(actual: unknown, expected: TraceEntry[], vocab: CharVocab, usesReference: (stage: number) => boolean): ChainReport {
  const list = Array.isArray(actual) ? (actual as unknown[]) : [];
  const failed = (at: number, stage: number, message: string): ChainReport => {
    // A stage matched if every one of its entries came before the difference.
    const stages: StageVerdict[] = STAGES.filter((s) => s.stage !== stage && expected.every((e, k) => e.stage !== s.stage || k < at)).map((s) => ({ stage: s.stage, ok: true as const }));
    stages.push({ stage, ok: false, message });
    stages.sort((a, b) => a.stage - b.stage);
    return { stages, firstDifference: { stage, message } };
  };
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i]!;
    const label = stageLabel(want.stage, usesReference(want.stage));
    const raw = list[i] as Partial<TraceEntry> | undefined;
    if (raw && typeof raw === "object" && typeof raw.error === "string") {
      const stage = typeof raw.stage === "number" && raw.stage >= 1 && raw.stage <= 8 ? raw.stage : want.stage;
      return failed(i, stage, `${stageLabel(stage, usesReference(stage))} threw an error (${raw.where ?? want.where}): ${raw.error}`);
    }
    if (!raw || typeof raw !== "object" || raw.stage !== want.stage) return failed(i, want.stage, `${label} did not run (${want.where})`);
    const message = compareEntry({ stage: want.stage, where: want.where, value: raw.value }, want, vocab, label);
    if (message) return failed(i, want.stage, message);
  }
  return { stages: STAGES.map((s) => ({ stage: s.stage, ok: true as const })), firstDifference: null };
}

/** One step of generation as the program returns it, checked before use. */
export interface GenerationStep {
  token: number;
  top: [number, number][];
}

export function readSteps(value: unknown, vocabSize: number): GenerationStep[] | null {
  if (!Array.isArray(value)) return null;
  const steps: GenerationStep[] = [];
  for (const s of value as unknown[]) {
    if (typeof s !== "object" || s === null) return null;
    const { token, top } = s as { token?: unknown; top?: unknown };
    if (typeof token !== "number" || !Number.isInteger(token) || token < 0 || token >= vocabSize || !Array.isArray(top)) return null;
    const pairs: [number, number][] = [];
    for (const t of top as unknown[]) {
      if (!Array.isArray(t) || typeof t[0] !== "number" || typeof t[1] !== "number" || t[0] < 0 || t[0] >= vocabSize) return null;
      pairs.push([t[0], t[1]]);
    }
    steps.push({ token, top: pairs });
  }
  return steps;
}
