/**
 * Turning the model's scores into a next character: temperature, top-k, softmax, and a draw.
 * The same steps as the lesson's sampling exercise (ties broken by the lower index, the draw
 * walks the kept tokens from the most likely), so the widget and the exercise agree.
 */
import type { GptConfig, GptParams } from "./model";
import { forward } from "./model";
import type { Random } from "./random";

export interface NextToken {
  token: number;
  probability: number;
}

/**
 * The distribution sampling draws from: logits / temperature, only the k most likely kept
 * (k ≥ vocabulary size keeps all), softmax over those. Sorted from most to least likely.
 */
export function nextTokenDistribution(logits: ArrayLike<number>, temperature: number, topK: number): NextToken[] {
  if (!(temperature > 0)) throw new RangeError("temperature must be greater than 0");
  const scaled = Array.from(logits, (z) => z / temperature);
  const order = scaled.map((_, i) => i).sort((a, b) => scaled[b]! - scaled[a]! || a - b);
  const kept = order.slice(0, Math.max(1, Math.min(Math.floor(topK), order.length)));
  const max = scaled[kept[0]!]!;
  const weights = kept.map((i) => Math.exp(scaled[i]! - max));
  const total = weights.reduce((s, w) => s + w, 0);
  return kept.map((token, j) => ({ token, probability: weights[j]! / total }));
}

/** Inverse-CDF draw: the first kept token whose running total exceeds u ∈ [0, 1). */
export function drawToken(distribution: NextToken[], u: number): number {
  let cumulative = 0;
  for (const t of distribution) {
    cumulative += t.probability;
    if (cumulative > u) return t.token;
  }
  return distribution[distribution.length - 1]!.token;
}

/** The last contextLength tokens: the model sees at most that many. */
export function contextWindow(tokens: readonly number[], c: GptConfig): number[] {
  return tokens.slice(Math.max(0, tokens.length - c.contextLength));
}

/** The logits for the token after `tokens` (only the last position's row). */
export function lastLogits(tokens: readonly number[], c: GptConfig, p: GptParams): Float64Array {
  const input = contextWindow(tokens, c);
  const { logits } = forward(input, c, p);
  return logits.slice((input.length - 1) * c.vocabSize, input.length * c.vocabSize);
}

/** Generate `count` tokens after the prompt, one at a time. */
export function generate(prompt: readonly number[], count: number, c: GptConfig, p: GptParams, options: { temperature: number; topK: number; random: Random }): number[] {
  const tokens = [...prompt];
  for (let i = 0; i < count; i++) {
    const dist = nextTokenDistribution(lastLogits(tokens, c, p), options.temperature, options.topK);
    tokens.push(drawToken(dist, options.random.next()));
  }
  return tokens.slice(prompt.length);
}
