/**
 * The small, fully deterministic attention computation behind the lesson's heatmap widget.
 *
 * Every word gets a 4-dimensional embedding derived from a hash of its lowercase form (so the
 * same word always gets the same vector), plus a small position-dependent term (so a repeated
 * word differs by where it stands). Fixed projection matrices turn embeddings into queries,
 * keys and values; the rest is textbook scaled dot-product attention.
 */
import { fnv1a, mulberry32 } from "./random";

export { fnv1a };

export const D_MODEL = 4;
export const D_K = 4;
export const MAX_TOKENS = 8;

export type Matrix = number[][];

/** Projection matrices (rows = input dimension, columns = output dimension): x · W. */
export const W_Q: Matrix = [
  [1.2, -0.4, 0.3, 0.8],
  [0.5, 1.1, -0.7, 0.2],
  [-0.6, 0.4, 1.3, -0.5],
  [0.3, -0.9, 0.6, 1.0],
];
export const W_K: Matrix = [
  [1.0, 0.3, -0.5, 0.6],
  [-0.4, 1.2, 0.2, -0.3],
  [0.7, -0.2, 1.1, 0.4],
  [0.2, 0.8, -0.6, 1.3],
];
export const W_V: Matrix = [
  [0.9, 0.1, -0.3, 0.4],
  [0.2, 0.8, 0.5, -0.2],
  [-0.4, 0.3, 1.0, 0.1],
  [0.5, -0.6, 0.2, 0.7],
];

export interface SplitSentence {
  tokens: string[];
  truncated: boolean;
  /** How many words the text had before truncation. */
  total: number;
}

/** Splits on whitespace and keeps at most `max` words. */
export function splitSentence(text: string, max = MAX_TOKENS): SplitSentence {
  const words = text.split(/\s+/u).filter((w) => w.length > 0);
  return { tokens: words.slice(0, max), truncated: words.length > max, total: words.length };
}

/** The form of a word that decides its vector: lowercase, without surrounding punctuation. */
export function normaliseWord(word: string): string {
  const stripped = word.toLowerCase().replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, "");
  return stripped.length > 0 ? stripped : word.toLowerCase();
}

/** The word's own vector: components in [-1.5, 1.5], rounded to 2 decimals, same word → same vector. */
export function wordVector(word: string): number[] {
  const next = mulberry32(fnv1a(normaliseWord(word)));
  return Array.from({ length: D_MODEL }, () => Math.round((next() * 3 - 1.5) * 100) / 100);
}

/** A small sinusoidal position term, as in the original Transformer but scaled down. */
export function positionVector(position: number): number[] {
  return Array.from({ length: D_MODEL }, (_, k) => {
    const angle = position / Math.pow(100, (2 * Math.floor(k / 2)) / D_MODEL);
    return 0.3 * (k % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
  });
}

export function embed(tokens: string[]): Matrix {
  return tokens.map((word, i) => {
    const w = wordVector(word);
    const p = positionVector(i);
    return w.map((x, k) => x + p[k]!);
  });
}

export function matmul(a: Matrix, b: Matrix): Matrix {
  const inner = b.length;
  const cols = b[0]?.length ?? 0;
  return a.map((row) => {
    if (row.length !== inner) throw new Error(`matmul: ${row.length} columns against ${inner} rows`);
    return Array.from({ length: cols }, (_, j) => row.reduce((sum, x, k) => sum + x * b[k]![j]!, 0));
  });
}

export function transpose(a: Matrix): Matrix {
  const cols = a[0]?.length ?? 0;
  return Array.from({ length: cols }, (_, j) => a.map((row) => row[j]!));
}

/**
 * Numerically stable softmax: subtract the row maximum before exponentiating.
 * Entries of -Infinity get weight exactly 0. A row with no finite entry gives all zeros
 * (a causal mask never produces one: every token may attend to itself).
 */
export function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  if (!Number.isFinite(max)) return row.map(() => 0);
  const exps = row.map((x) => (x === -Infinity ? 0 : Math.exp(x - max)));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export interface AttentionOptions {
  /** Divide the scores by √d_k (default true). */
  scale?: boolean;
  /** Set scores above the diagonal to −∞ before softmax (default false). */
  causal?: boolean;
}

export interface AttentionResult {
  embeddings: Matrix;
  queries: Matrix;
  keys: Matrix;
  values: Matrix;
  /** Scores after optional scaling and masking (masked entries are −∞). */
  scores: Matrix;
  weights: Matrix;
  masked: boolean[][];
  outputs: Matrix;
}

export function attention(tokens: string[], options: AttentionOptions = {}): AttentionResult {
  const scale = options.scale ?? true;
  const causal = options.causal ?? false;
  const embeddings = embed(tokens);
  const queries = matmul(embeddings, W_Q);
  const keys = matmul(embeddings, W_K);
  const values = matmul(embeddings, W_V);
  const raw = matmul(queries, transpose(keys));
  const factor = scale ? 1 / Math.sqrt(D_K) : 1;
  const masked = raw.map((row, i) => row.map((_, j) => causal && j > i));
  const scores = raw.map((row, i) => row.map((s, j) => (masked[i]![j] ? -Infinity : s * factor)));
  const weights = scores.map(softmax);
  const outputs = tokens.length > 0 ? matmul(weights, values) : [];
  return { embeddings, queries, keys, values, scores, weights, masked, outputs };
}
