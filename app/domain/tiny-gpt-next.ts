/**
 * The next character's scores from the shipped tiny GPT, computing only what they need.
 *
 * Generating text needs the logits of the last position only. The full forward pass
 * (app/gpt/model.ts, the reference) computes all n rows of every layer and n rows of logits.
 * Under the causal mask the last row depends on every row of the layers below the last one,
 * but in the last layer it needs only the keys and values of the other rows: its own query,
 * attention row, MLP, final layer norm and output projection are one row each. At context 32
 * that skips about 44% of the multiply-adds.
 *
 * The result is bit for bit the reference's last row: every step is the reference's own
 * function on one row (each of linear, layerNorm and mlp treats rows independently, in the
 * same order), and the one attention row below repeats the reference's loop exactly. A unit
 * test compares the two on many windows of the training text.
 */
import type { GptConfig, GptParams } from "~/gpt/model";
import { causalSelfAttention, embed, layerNorm, linear, mlp, softmax } from "~/gpt/model";
import type { Random } from "~/gpt/random";
import { contextWindow, drawToken, nextTokenDistribution } from "~/gpt/sampling";

/** The logits for the token after `tokens` (the last contextLength of them), as lastLogits. */
export function nextLogits(allTokens: readonly number[], c: GptConfig, p: GptParams): Float64Array {
  const tokens = contextWindow(allTokens, c);
  const n = tokens.length;
  if (n === 0) throw new RangeError("nextLogits needs at least one token");
  const d = c.dModel;
  let x = embed(tokens, c, p);
  const layers = p.layers;
  // Every layer but the last, on all rows: the last layer's keys and values need them.
  for (let b = 0; b < layers.length - 1; b++) {
    const l = layers[b]!;
    const ln1 = layerNorm(x, n, d, l.ln1Gain, l.ln1Bias);
    const attention = causalSelfAttention(ln1.y, n, d, c.nHeads, l);
    const afterAttention = x.map((v, i) => v + attention.y[i]!);
    const ln2 = layerNorm(afterAttention, n, d, l.ln2Gain, l.ln2Bias);
    const m = mlp(ln2.y, n, c, l);
    x = afterAttention.map((v, i) => v + m.y[i]!);
  }
  // The last layer: keys and values of all rows, everything else for the last row only.
  const l = layers[layers.length - 1]!;
  const ln1 = layerNorm(x, n, d, l.ln1Gain, l.ln1Bias).y;
  const last = ln1.subarray((n - 1) * d, n * d);
  const q = linear(last, 1, d, l.wq, d);
  const k = linear(ln1, n, d, l.wk, d);
  const v = linear(ln1, n, d, l.wv, d);
  const headDim = d / c.nHeads;
  const scale = 1 / Math.sqrt(headDim);
  const concat = new Float64Array(d);
  for (let h = 0; h < c.nHeads; h++) {
    const start = h * headDim;
    const scores = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let col = start; col < start + headDim; col++) dot += q[col]! * k[j * d + col]!;
      scores[j] = dot * scale;
    }
    const weights = softmax(scores);
    for (let j = 0; j < n; j++) for (let col = start; col < start + headDim; col++) concat[col]! += weights[j]! * v[j * d + col]!;
  }
  const attended = linear(concat, 1, d, l.wo, d);
  const xLast = x.subarray((n - 1) * d, n * d);
  const afterAttention = xLast.map((value, i) => value + attended[i]!);
  const ln2 = layerNorm(afterAttention, 1, d, l.ln2Gain, l.ln2Bias);
  const m = mlp(ln2.y, 1, c, l);
  const out = afterAttention.map((value, i) => value + m.y[i]!);
  const lnF = layerNorm(out, 1, d, p.lnFGain, p.lnFBias);
  return linear(lnF.y, 1, d, p.wOut, c.vocabSize);
}

/** `generate` of app/gpt/sampling.ts with nextLogits: the same characters from the same draws. */
export function generateFast(prompt: readonly number[], count: number, c: GptConfig, p: GptParams, options: { temperature: number; topK: number; random: Random }): number[] {
  const tokens = [...prompt];
  for (let i = 0; i < count; i++) {
    const dist = nextTokenDistribution(nextLogits(tokens, c, p), options.temperature, options.topK);
    tokens.push(drawToken(dist, options.random.next()));
  }
  return tokens.slice(prompt.length);
}
