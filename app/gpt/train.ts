/**
 * Training the tiny GPT: random windows of the text, the mean cross-entropy of each next
 * character, gradients by the backward pass, and AdamW (Loshchilov & Hutter, 2019) with a
 * linear warm-up and cosine decay of the learning rate, as the Model training lesson describes.
 * Pure and deterministic: the Random decides the initial weights and the windows, nothing else
 * varies between runs.
 */
import type { GptConfig, GptParams } from "./model";
import { backward, crossEntropy, forward, initParams, namedTensors, sequenceLoss, zeroParams } from "./model";
import type { Random } from "./random";

export interface TrainingConfig {
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  /** The learning rate at the end of the cosine, as a fraction of the peak. */
  finalLearningRateFraction: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  /** Gradients whose global L2 norm exceeds this are scaled down to it. */
  clipNorm: number;
  /** Evaluate the validation loss every this many steps (and at the end). */
  evalEvery: number;
}

export interface LogLine {
  step: number;
  trainLoss: number;
  validationLoss?: number;
  learningRate: number;
}

/** Warm-up from 0 to the peak over warmupSteps, then a cosine down to the final fraction. */
export function learningRateAt(step: number, t: TrainingConfig): number {
  if (step < t.warmupSteps) return (t.learningRate * (step + 1)) / t.warmupSteps;
  const progress = (step - t.warmupSteps) / Math.max(1, t.steps - t.warmupSteps);
  const floor = t.learningRate * t.finalLearningRateFraction;
  return floor + 0.5 * (t.learningRate - floor) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}

/**
 * The validation windows: consecutive, non-overlapping windows of contextLength + 1 tokens,
 * at most `limit` of them, so the validation loss is always measured on the same characters.
 */
export function validationWindows(tokens: readonly number[], c: GptConfig, limit: number): number[][] {
  const out: number[][] = [];
  for (let start = 0; start + c.contextLength + 1 <= tokens.length && out.length < limit; start += c.contextLength) {
    out.push(tokens.slice(start, start + c.contextLength + 1));
  }
  return out;
}

export function meanLoss(windows: readonly number[][], c: GptConfig, p: GptParams): number {
  let total = 0;
  for (const w of windows) total += sequenceLoss(w, c, p);
  return total / windows.length;
}

/** One batch's mean loss and gradient (averaged over the batch's sequences). */
export function batchGradient(batch: readonly number[][], c: GptConfig, p: GptParams): { loss: number; grads: GptParams } {
  const grads = zeroParams(c);
  let loss = 0;
  for (const sequence of batch) {
    const result = forward(sequence.slice(0, -1), c, p);
    const ce = crossEntropy(result.logits, sequence.slice(1), c.vocabSize);
    loss += ce.loss / batch.length;
    for (let i = 0; i < ce.dLogits.length; i++) ce.dLogits[i]! /= batch.length;
    backward(ce.dLogits, result, c, p, grads);
  }
  return { loss, grads };
}

export interface TrainResult {
  params: GptParams;
  log: LogLine[];
}

export function train(
  c: GptConfig,
  t: TrainingConfig,
  data: { train: readonly number[]; validation: readonly number[][] },
  random: Random,
  onLog: (line: LogLine) => void = () => {},
): TrainResult {
  const params = initParams(c, random);
  const tensors = namedTensors(params);
  const m = tensors.map((x) => new Float64Array(x.tensor.length));
  const v = tensors.map((x) => new Float64Array(x.tensor.length));
  const log: LogLine[] = [];
  const windowLength = c.contextLength + 1;
  for (let step = 0; step < t.steps; step++) {
    const batch: number[][] = [];
    for (let b = 0; b < t.batchSize; b++) {
      const start = random.int(data.train.length - windowLength + 1);
      batch.push(data.train.slice(start, start + windowLength));
    }
    const { loss, grads } = batchGradient(batch, c, params);
    const gradTensors = namedTensors(grads);

    let norm = 0;
    for (const g of gradTensors) for (const x of g.tensor) norm += x * x;
    norm = Math.sqrt(norm);
    const clip = norm > t.clipNorm ? t.clipNorm / norm : 1;

    const lr = learningRateAt(step, t);
    const bias1 = 1 - t.beta1 ** (step + 1);
    const bias2 = 1 - t.beta2 ** (step + 1);
    tensors.forEach(({ tensor, decay }, k) => {
      const g = gradTensors[k]!.tensor;
      const mk = m[k]!;
      const vk = v[k]!;
      for (let i = 0; i < tensor.length; i++) {
        const gi = g[i]! * clip;
        mk[i] = t.beta1 * mk[i]! + (1 - t.beta1) * gi;
        vk[i] = t.beta2 * vk[i]! + (1 - t.beta2) * gi * gi;
        const update = mk[i]! / bias1 / (Math.sqrt(vk[i]! / bias2) + 1e-8);
        // Decoupled weight decay: shrink the weight directly, not through the gradient.
        tensor[i] = tensor[i]! - lr * (update + (decay ? t.weightDecay * tensor[i]! : 0));
      }
    });

    const line: LogLine = { step: step + 1, trainLoss: loss, learningRate: lr };
    if ((step + 1) % t.evalEvery === 0 || step + 1 === t.steps) line.validationLoss = meanLoss(data.validation, c, params);
    log.push(line);
    onLog(line);
  }
  return { params, log };
}
