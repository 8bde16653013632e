/**
 * A tiny GPT: a character-level, decoder-only transformer, forward and backward pass.
 *
 * Written to be read. Every step of the forward pass is a small function, and its gradient is
 * the function just below it, so the two can be compared side by side. The shapes follow
 * GPT-2 (Radford et al., 2019) as nanoGPT writes it: pre-layer-norm blocks, learned position
 * embeddings, GELU in the MLP, a final layer norm before the output projection. Two choices
 * differ from GPT-2 to match the course's own exercises: the attention projections have no
 * bias (as in the multi-head causal attention exercise), and the output projection is its own
 * matrix rather than the token embedding reused.
 *
 * Matrices are flat Float64Arrays in row-major order: a `rows × cols` matrix M holds
 * M[r][c] at index r * cols + c. Vectors multiply matrices from the left (x · W), so a weight
 * matrix is `inputs × outputs`.
 *
 * Pure: no I/O, no randomness except through the Random passed to initialisation.
 */
import type { Random } from "./random";

export interface GptConfig {
  /** Number of distinct characters. */
  vocabSize: number;
  /** The longest input the model sees (positions 0 … contextLength − 1). */
  contextLength: number;
  /** Width of the residual stream. */
  dModel: number;
  nHeads: number;
  nLayers: number;
  /** Width of the MLP's hidden layer (4 · dModel in GPT-2). */
  mlpWidth: number;
}

export interface LayerParams {
  ln1Gain: Float64Array; // dModel
  ln1Bias: Float64Array; // dModel
  wq: Float64Array; // dModel × dModel
  wk: Float64Array; // dModel × dModel
  wv: Float64Array; // dModel × dModel
  wo: Float64Array; // dModel × dModel
  ln2Gain: Float64Array; // dModel
  ln2Bias: Float64Array; // dModel
  wFc: Float64Array; // dModel × mlpWidth
  bFc: Float64Array; // mlpWidth
  wProj: Float64Array; // mlpWidth × dModel
  bProj: Float64Array; // dModel
}

export interface GptParams {
  tokenEmbedding: Float64Array; // vocabSize × dModel
  positionEmbedding: Float64Array; // contextLength × dModel
  layers: LayerParams[];
  lnFGain: Float64Array; // dModel
  lnFBias: Float64Array; // dModel
  wOut: Float64Array; // dModel × vocabSize
}

export const LAYER_NORM_EPS = 1e-5;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/**
 * Every parameter tensor with a stable name, in a fixed order (the order of the weights file).
 * `decay` says whether AdamW's weight decay applies: matrices yes, gains and biases no.
 */
export function namedTensors(params: GptParams): { name: string; tensor: Float64Array; decay: boolean }[] {
  const out = [
    { name: "tokenEmbedding", tensor: params.tokenEmbedding, decay: true },
    { name: "positionEmbedding", tensor: params.positionEmbedding, decay: true },
  ];
  params.layers.forEach((l, i) => {
    out.push(
      { name: `layers.${i}.ln1Gain`, tensor: l.ln1Gain, decay: false },
      { name: `layers.${i}.ln1Bias`, tensor: l.ln1Bias, decay: false },
      { name: `layers.${i}.wq`, tensor: l.wq, decay: true },
      { name: `layers.${i}.wk`, tensor: l.wk, decay: true },
      { name: `layers.${i}.wv`, tensor: l.wv, decay: true },
      { name: `layers.${i}.wo`, tensor: l.wo, decay: true },
      { name: `layers.${i}.ln2Gain`, tensor: l.ln2Gain, decay: false },
      { name: `layers.${i}.ln2Bias`, tensor: l.ln2Bias, decay: false },
      { name: `layers.${i}.wFc`, tensor: l.wFc, decay: true },
      { name: `layers.${i}.bFc`, tensor: l.bFc, decay: false },
      { name: `layers.${i}.wProj`, tensor: l.wProj, decay: true },
      { name: `layers.${i}.bProj`, tensor: l.bProj, decay: false },
    );
  });
  out.push(
    { name: "lnFGain", tensor: params.lnFGain, decay: false },
    { name: "lnFBias", tensor: params.lnFBias, decay: false },
    { name: "wOut", tensor: params.wOut, decay: true },
  );
  return out;
}

/** Parameters of the right shapes, all zero (gradients start like this). */
export function zeroParams(c: GptConfig): GptParams {
  const z = (n: number) => new Float64Array(n);
  return {
    tokenEmbedding: z(c.vocabSize * c.dModel),
    positionEmbedding: z(c.contextLength * c.dModel),
    layers: Array.from({ length: c.nLayers }, () => ({
      ln1Gain: z(c.dModel),
      ln1Bias: z(c.dModel),
      wq: z(c.dModel * c.dModel),
      wk: z(c.dModel * c.dModel),
      wv: z(c.dModel * c.dModel),
      wo: z(c.dModel * c.dModel),
      ln2Gain: z(c.dModel),
      ln2Bias: z(c.dModel),
      wFc: z(c.dModel * c.mlpWidth),
      bFc: z(c.mlpWidth),
      wProj: z(c.mlpWidth * c.dModel),
      bProj: z(c.dModel),
    })),
    lnFGain: z(c.dModel),
    lnFBias: z(c.dModel),
    wOut: z(c.dModel * c.vocabSize),
  };
}

/**
 * GPT-2's initialisation: weights from N(0, 0.02²), layer-norm gains 1 and biases 0, and the
 * two projections that write into the residual stream (wo, wProj) scaled down by
 * 1/√(2 · nLayers) so the stream's variance does not grow with depth.
 */
export function initParams(c: GptConfig, random: Random): GptParams {
  const p = zeroParams(c);
  const fill = (t: Float64Array, std: number) => {
    for (let i = 0; i < t.length; i++) t[i] = random.normal() * std;
  };
  const residualStd = 0.02 / Math.sqrt(2 * c.nLayers);
  fill(p.tokenEmbedding, 0.02);
  fill(p.positionEmbedding, 0.02);
  for (const l of p.layers) {
    l.ln1Gain.fill(1);
    l.ln2Gain.fill(1);
    fill(l.wq, 0.02);
    fill(l.wk, 0.02);
    fill(l.wv, 0.02);
    fill(l.wo, residualStd);
    fill(l.wFc, 0.02);
    fill(l.wProj, residualStd);
  }
  p.lnFGain.fill(1);
  fill(p.wOut, 0.02);
  return p;
}

export function countParams(params: GptParams): number {
  return namedTensors(params).reduce((n, t) => n + t.tensor.length, 0);
}

// ---------------------------------------------------------------------------------------------
// The building blocks, each followed by its gradient
// ---------------------------------------------------------------------------------------------

/** out = x · w (+ bias): x is n × inDim, w is inDim × outDim, out is n × outDim. */
export function linear(x: Float64Array, n: number, inDim: number, w: Float64Array, outDim: number, bias?: Float64Array): Float64Array {
  const out = new Float64Array(n * outDim);
  for (let i = 0; i < n; i++) {
    const row = i * outDim;
    if (bias) for (let o = 0; o < outDim; o++) out[row + o] = bias[o]!;
    for (let k = 0; k < inDim; k++) {
      const xv = x[i * inDim + k]!;
      if (xv === 0) continue;
      const wRow = k * outDim;
      for (let o = 0; o < outDim; o++) out[row + o]! += xv * w[wRow + o]!;
    }
  }
  return out;
}

/**
 * Gradient of linear: given dOut (n × outDim), add dW = xᵀ · dOut into dw and Σ_rows dOut into
 * dBias, and return dx = dOut · wᵀ.
 */
export function linearBackward(
  dOut: Float64Array,
  x: Float64Array,
  n: number,
  inDim: number,
  w: Float64Array,
  outDim: number,
  dw: Float64Array,
  dBias?: Float64Array,
): Float64Array {
  const dx = new Float64Array(n * inDim);
  for (let i = 0; i < n; i++) {
    const row = i * outDim;
    if (dBias) for (let o = 0; o < outDim; o++) dBias[o]! += dOut[row + o]!;
    for (let k = 0; k < inDim; k++) {
      const xv = x[i * inDim + k]!;
      const wRow = k * outDim;
      let sum = 0;
      for (let o = 0; o < outDim; o++) {
        const g = dOut[row + o]!;
        sum += g * w[wRow + o]!;
        dw[wRow + o]! += xv * g;
      }
      dx[i * inDim + k] = sum;
    }
  }
  return dx;
}

export interface LayerNormCache {
  /** The normalised input (x − mean) / √(var + eps), before gain and bias. */
  xHat: Float64Array;
  /** 1 / √(var + eps), one per row. */
  rstd: Float64Array;
}

/** Layer norm of each row of x (n × d): y = gain ⊙ (x − mean) / √(var + eps) + bias. */
export function layerNorm(x: Float64Array, n: number, d: number, gain: Float64Array, bias: Float64Array): { y: Float64Array; cache: LayerNormCache } {
  const y = new Float64Array(n * d);
  const xHat = new Float64Array(n * d);
  const rstd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[i * d + j]!;
    mean /= d;
    let variance = 0;
    for (let j = 0; j < d; j++) variance += (x[i * d + j]! - mean) ** 2;
    variance /= d; // biased variance, as PyTorch's LayerNorm
    const r = 1 / Math.sqrt(variance + LAYER_NORM_EPS);
    rstd[i] = r;
    for (let j = 0; j < d; j++) {
      const h = (x[i * d + j]! - mean) * r;
      xHat[i * d + j] = h;
      y[i * d + j] = gain[j]! * h + bias[j]!;
    }
  }
  return { y, cache: { xHat, rstd } };
}

/**
 * Gradient of layer norm. With g = dy ⊙ gain, the input gradient of one row is
 * dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)): normalising removes the mean and the scale, so
 * their directions are projected out of the gradient.
 */
export function layerNormBackward(dy: Float64Array, n: number, d: number, gain: Float64Array, cache: LayerNormCache, dGain: Float64Array, dBias: Float64Array): Float64Array {
  const dx = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let meanG = 0;
    let meanGx = 0;
    for (let j = 0; j < d; j++) {
      const g = dy[i * d + j]! * gain[j]!;
      meanG += g;
      meanGx += g * cache.xHat[i * d + j]!;
      dGain[j]! += dy[i * d + j]! * cache.xHat[i * d + j]!;
      dBias[j]! += dy[i * d + j]!;
    }
    meanG /= d;
    meanGx /= d;
    for (let j = 0; j < d; j++) {
      const g = dy[i * d + j]! * gain[j]!;
      dx[i * d + j] = cache.rstd[i]! * (g - meanG - cache.xHat[i * d + j]! * meanGx);
    }
  }
  return dx;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU, in the tanh form GPT-2 uses: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³))). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
}

/** d gelu / dx, by the product and chain rules on the formula above. */
export function geluDerivative(x: number): number {
  const t = Math.tanh(GELU_C * (x + 0.044715 * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
}

/** Softmax of a vector, subtracting the maximum first so exp never overflows. */
export function softmax(scores: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]!);
  const out = new Float64Array(scores.length);
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp(scores[i]! - max);
    total += out[i]!;
  }
  for (let i = 0; i < scores.length; i++) out[i]! /= total;
  return out;
}

export interface AttentionCache {
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  /** weights[h][i * n + j]: how much token i attends to token j in head h (0 for j > i). */
  weights: Float64Array[];
  /** The heads' outputs side by side, before wo. */
  concat: Float64Array;
}

/**
 * Causal multi-head self-attention on x (n × d, already layer-normed). Head h uses columns
 * h·headDim … (h+1)·headDim − 1 of Q, K and V; token i scores token j ≤ i with
 * Q_i · K_j / √headDim, the scores go through a softmax, and the head's output is the weighted
 * sum of the V rows. The heads' outputs are concatenated and multiplied by wo.
 */
export function causalSelfAttention(x: Float64Array, n: number, d: number, nHeads: number, l: LayerParams): { y: Float64Array; cache: AttentionCache } {
  const headDim = d / nHeads;
  const scale = 1 / Math.sqrt(headDim);
  const q = linear(x, n, d, l.wq, d);
  const k = linear(x, n, d, l.wk, d);
  const v = linear(x, n, d, l.wv, d);
  const concat = new Float64Array(n * d);
  const weights: Float64Array[] = [];
  for (let h = 0; h < nHeads; h++) {
    const start = h * headDim;
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const scores = new Float64Array(i + 1); // only j ≤ i: the causal mask
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let c = start; c < start + headDim; c++) dot += q[i * d + c]! * k[j * d + c]!;
        scores[j] = dot * scale;
      }
      const p = softmax(scores);
      for (let j = 0; j <= i; j++) {
        w[i * n + j] = p[j]!;
        for (let c = start; c < start + headDim; c++) concat[i * d + c]! += p[j]! * v[j * d + c]!;
      }
    }
    weights.push(w);
  }
  const y = linear(concat, n, d, l.wo, d);
  return { y, cache: { q, k, v, weights, concat } };
}

/**
 * Gradient of causal self-attention. For one head, with P the weights and S the scaled scores:
 * dV_j = Σ_i P_ij dOut_i, dP_ij = dOut_i · V_j, the softmax gives dS_ij = P_ij (dP_ij − Σ_j' P_ij' dP_ij'),
 * and the scaled dot product gives dQ_i = Σ_j dS_ij K_j / √headDim and dK_j = Σ_i dS_ij Q_i / √headDim.
 */
export function causalSelfAttentionBackward(dy: Float64Array, x: Float64Array, n: number, d: number, nHeads: number, l: LayerParams, cache: AttentionCache, g: LayerParams): Float64Array {
  const headDim = d / nHeads;
  const scale = 1 / Math.sqrt(headDim);
  const dConcat = linearBackward(dy, cache.concat, n, d, l.wo, d, g.wo);
  const dq = new Float64Array(n * d);
  const dk = new Float64Array(n * d);
  const dv = new Float64Array(n * d);
  for (let h = 0; h < nHeads; h++) {
    const start = h * headDim;
    const w = cache.weights[h]!;
    for (let i = 0; i < n; i++) {
      const dp = new Float64Array(i + 1);
      let weighted = 0; // Σ_j P_ij dP_ij
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let c = start; c < start + headDim; c++) {
          dot += dConcat[i * d + c]! * cache.v[j * d + c]!;
          dv[j * d + c]! += w[i * n + j]! * dConcat[i * d + c]!;
        }
        dp[j] = dot;
        weighted += w[i * n + j]! * dot;
      }
      for (let j = 0; j <= i; j++) {
        const ds = w[i * n + j]! * (dp[j]! - weighted) * scale;
        for (let c = start; c < start + headDim; c++) {
          dq[i * d + c]! += ds * cache.k[j * d + c]!;
          dk[j * d + c]! += ds * cache.q[i * d + c]!;
        }
      }
    }
  }
  const dx = linearBackward(dq, x, n, d, l.wq, d, g.wq);
  const dxk = linearBackward(dk, x, n, d, l.wk, d, g.wk);
  const dxv = linearBackward(dv, x, n, d, l.wv, d, g.wv);
  for (let i = 0; i < dx.length; i++) dx[i]! += dxk[i]! + dxv[i]!;
  return dx;
}

export interface MlpCache {
  hidden: Float64Array; // before GELU
  activated: Float64Array; // after GELU
}

/** The MLP: gelu(x · wFc + bFc) · wProj + bProj. */
export function mlp(x: Float64Array, n: number, c: GptConfig, l: LayerParams): { y: Float64Array; cache: MlpCache } {
  const hidden = linear(x, n, c.dModel, l.wFc, c.mlpWidth, l.bFc);
  const activated = hidden.map(gelu);
  const y = linear(activated, n, c.mlpWidth, l.wProj, c.dModel, l.bProj);
  return { y, cache: { hidden, activated } };
}

export function mlpBackward(dy: Float64Array, x: Float64Array, n: number, c: GptConfig, l: LayerParams, cache: MlpCache, g: LayerParams): Float64Array {
  const dActivated = linearBackward(dy, cache.activated, n, c.mlpWidth, l.wProj, c.dModel, g.wProj, g.bProj);
  const dHidden = dActivated.map((v, i) => v * geluDerivative(cache.hidden[i]!));
  return linearBackward(dHidden, x, n, c.dModel, l.wFc, c.mlpWidth, g.wFc, g.bFc);
}

// ---------------------------------------------------------------------------------------------
// The whole model
// ---------------------------------------------------------------------------------------------

interface BlockCache {
  input: Float64Array;
  ln1: LayerNormCache;
  ln1Out: Float64Array;
  attention: AttentionCache;
  afterAttention: Float64Array;
  ln2: LayerNormCache;
  ln2Out: Float64Array;
  mlp: MlpCache;
}

export interface ForwardResult {
  /** n × vocabSize: the scores for the character after each position. */
  logits: Float64Array;
  /** attention[layer][head]: n × n weights, row i = what token i attends to. */
  attention: Float64Array[][];
  /** Everything the backward pass needs. */
  cache: { tokens: number[]; blocks: BlockCache[]; lnF: LayerNormCache; lnFOut: Float64Array };
}

/** Token embedding row of each token plus the position embedding row of its position. */
export function embed(tokens: readonly number[], c: GptConfig, p: GptParams): Float64Array {
  const d = c.dModel;
  const x = new Float64Array(tokens.length * d);
  tokens.forEach((t, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = p.tokenEmbedding[t * d + j]! + p.positionEmbedding[i * d + j]!;
  });
  return x;
}

/**
 * The forward pass on one sequence of at most contextLength tokens: embeddings, then each block
 * adds attention and MLP outputs to the residual stream (x + attn(ln1(x)), then + mlp(ln2(·))),
 * then a final layer norm and the output projection to one score per character.
 */
export function forward(tokens: readonly number[], c: GptConfig, p: GptParams): ForwardResult {
  const n = tokens.length;
  if (n === 0 || n > c.contextLength) throw new RangeError(`forward takes 1 to ${c.contextLength} tokens, got ${n}`);
  const d = c.dModel;
  let x = embed(tokens, c, p);
  const blocks: BlockCache[] = [];
  for (const l of p.layers) {
    const input = x;
    const ln1 = layerNorm(input, n, d, l.ln1Gain, l.ln1Bias);
    const attention = causalSelfAttention(ln1.y, n, d, c.nHeads, l);
    const afterAttention = input.map((v, i) => v + attention.y[i]!); // residual
    const ln2 = layerNorm(afterAttention, n, d, l.ln2Gain, l.ln2Bias);
    const m = mlp(ln2.y, n, c, l);
    x = afterAttention.map((v, i) => v + m.y[i]!); // residual
    blocks.push({ input, ln1: ln1.cache, ln1Out: ln1.y, attention: attention.cache, afterAttention, ln2: ln2.cache, ln2Out: ln2.y, mlp: m.cache });
  }
  const lnF = layerNorm(x, n, d, p.lnFGain, p.lnFBias);
  const logits = linear(lnF.y, n, d, p.wOut, c.vocabSize);
  return {
    logits,
    attention: blocks.map((b) => b.attention.weights),
    cache: { tokens: [...tokens], blocks, lnF: lnF.cache, lnFOut: lnF.y },
  };
}

/**
 * Mean cross-entropy of the targets under the logits, and its gradient with respect to the
 * logits: for each position, (softmax(logits) − onehot(target)) / n. That p − y is the whole
 * reason the loss and the softmax are computed together.
 */
export function crossEntropy(logits: Float64Array, targets: readonly number[], vocabSize: number): { loss: number; dLogits: Float64Array } {
  const n = targets.length;
  const dLogits = new Float64Array(n * vocabSize);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const p = softmax(logits.subarray(i * vocabSize, (i + 1) * vocabSize));
    loss -= Math.log(p[targets[i]!]!);
    for (let v = 0; v < vocabSize; v++) dLogits[i * vocabSize + v] = (p[v]! - (v === targets[i] ? 1 : 0)) / n;
  }
  return { loss: loss / n, dLogits };
}

/** Backpropagate dLogits through the whole model, adding every parameter's gradient into grads. */
export function backward(dLogits: Float64Array, result: ForwardResult, c: GptConfig, p: GptParams, grads: GptParams): void {
  const { tokens, blocks, lnF, lnFOut } = result.cache;
  const n = tokens.length;
  const d = c.dModel;
  const dLnFOut = linearBackward(dLogits, lnFOut, n, d, p.wOut, c.vocabSize, grads.wOut);
  let dx = layerNormBackward(dLnFOut, n, d, p.lnFGain, lnF, grads.lnFGain, grads.lnFBias);
  for (let b = blocks.length - 1; b >= 0; b--) {
    const l = p.layers[b]!;
    const g = grads.layers[b]!;
    const cache = blocks[b]!;
    // x = afterAttention + mlp(ln2(afterAttention)): the gradient flows through both terms.
    const dLn2Out = mlpBackward(dx, cache.ln2Out, n, c, l, cache.mlp, g);
    const dAfterAttention = layerNormBackward(dLn2Out, n, d, l.ln2Gain, cache.ln2, g.ln2Gain, g.ln2Bias);
    for (let i = 0; i < dx.length; i++) dAfterAttention[i]! += dx[i]!;
    // afterAttention = input + attn(ln1(input)): again both terms.
    const dLn1Out = causalSelfAttentionBackward(dAfterAttention, cache.ln1Out, n, d, c.nHeads, l, cache.attention, g);
    dx = layerNormBackward(dLn1Out, n, d, l.ln1Gain, cache.ln1, g.ln1Gain, g.ln1Bias);
    for (let i = 0; i < dx.length; i++) dx[i]! += dAfterAttention[i]!;
  }
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    for (let j = 0; j < d; j++) {
      grads.tokenEmbedding[t * d + j]! += dx[i * d + j]!;
      grads.positionEmbedding[i * d + j]! += dx[i * d + j]!;
    }
  }
}

/** The loss of one sequence: predict tokens[1 …] from tokens[… n−1]. */
export function sequenceLoss(sequence: readonly number[], c: GptConfig, p: GptParams): number {
  const input = sequence.slice(0, -1);
  const targets = sequence.slice(1);
  return crossEntropy(forward(input, c, p).logits, targets, c.vocabSize).loss;
}
