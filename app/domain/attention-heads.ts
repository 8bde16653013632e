/**
 * The real attention weights of the shipped tiny GPT for a short prompt, shaped for the
 * attention lesson's heatmap: one square grid per layer and head, the causal mask explicit.
 *
 * Pure: the model is passed in (the widget loads its weights on demand, tests read them from
 * disk). The weights are the forward pass's own (app/gpt/model.ts), not recomputed here.
 */
import { encode } from "~/gpt/characters";
import { forward } from "~/gpt/model";
import { nameChar, showChar, type TinyGpt } from "~/gpt/shipped";

/** The longest prompt the heatmap shows: 16 characters fit a phone with the grid scrolling. */
export const MAX_CHARS = 16;

export interface HeadToken {
  /** What the grid's header shows (a stand-in for space and new line). */
  short: string;
  /** What is read out and written in the readout: the character and its position. */
  long: string;
}

export interface RealHeads {
  tokens: HeadToken[];
  /** The prompt's characters the model never saw (left out). */
  unknown: number;
  /** Characters beyond MAX_CHARS (left out, from the end). */
  truncated: number;
  /** weights[layer][head][i][j]: how much character i attends to character j (0 where j > i). */
  weights: number[][][][];
  /** masked[i][j]: j is later than i, so the causal mask hides it. */
  masked: boolean[][];
}

/** Runs the forward pass on the first MAX_CHARS known characters of the prompt. */
export function realHeads(prompt: string, model: TinyGpt, max = MAX_CHARS): RealHeads {
  const encoded = encode(prompt, model.vocab);
  const tokens = encoded.tokens.slice(0, Math.min(max, model.config.contextLength));
  const n = tokens.length;
  const shown = tokens.map((t, i) => {
    const ch = model.vocab.chars[t]!;
    return { short: showChar(ch), long: `${nameChar(ch)} (${i + 1})` };
  });
  const masked = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => j > i));
  if (n === 0)
    return {
      tokens: shown,
      unknown: encoded.unknown,
      truncated: 0,
      weights: [],
      masked,
    };
  const { attention } = forward(tokens, model.config, model.params);
  const weights = attention.map((layer) => layer.map((w) => Array.from({ length: n }, (_, i) => Array.from(w.subarray(i * n, (i + 1) * n)))));
  return {
    tokens: shown,
    unknown: encoded.unknown,
    truncated: encoded.tokens.length - n,
    weights,
    masked,
  };
}

/**
 * How far back a head looks, on average over the rows of windows of a text: the share of each
 * row's weight on the character itself and the two before it, and the mean distance (in
 * characters) of the attended-to character. The lesson's description of the heads rests on it.
 */
export function headReach(
  text: string,
  model: TinyGpt,
  options: { window: number; stride: number; fromRow: number },
): { layer: number; head: number; nearShare: number; meanDistance: number }[] {
  const { tokens } = encode(text, model.vocab);
  const n = options.window;
  const sums = model.params.layers.map(() =>
    Array.from({ length: model.config.nHeads }, () => ({
      near: 0,
      distance: 0,
    })),
  );
  let rows = 0;
  for (let start = 0; start + n <= tokens.length; start += options.stride) {
    const { attention } = forward(tokens.slice(start, start + n), model.config, model.params);
    attention.forEach((layer, l) =>
      layer.forEach((w, h) => {
        for (let i = options.fromRow; i < n; i++) {
          for (let j = 0; j <= i; j++) {
            const p = w[i * n + j]!;
            sums[l]![h]!.distance += p * (i - j);
            if (i - j <= 2) sums[l]![h]!.near += p;
          }
        }
      }),
    );
    rows += n - options.fromRow;
  }
  return sums.flatMap((layer, l) =>
    layer.map((s, h) => ({
      layer: l,
      head: h,
      nearShare: s.near / rows,
      meanDistance: s.distance / rows,
    })),
  );
}
