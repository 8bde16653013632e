/**
 * The shipped weights file: the configuration, the vocabulary, the figures the training run
 * recorded, and every parameter tensor as little-endian float32, base64, in namedTensors order.
 * Float32 halves the file; the forward pass still computes in float64 on the rounded weights,
 * and the recorded validation loss is measured on those rounded weights.
 */
import type { GptConfig, GptParams } from "./model";
import { namedTensors, zeroParams } from "./model";
import type { TrainingConfig } from "./train";

export interface WeightsFile {
  format: "attention-span-tiny-gpt/1";
  config: GptConfig;
  training: TrainingConfig & { seed: number; corpus: string; validationFraction: number; validationWindows: number };
  vocab: string[];
  /** Figures of the run that made this file (losses on the float32 weights). */
  figures: { trainLoss: number; validationLoss: number; parameters: number };
  /** float32 little-endian, base64. */
  weights: string;
}

export function toFloat32(params: GptParams): GptParams {
  for (const { tensor } of namedTensors(params)) for (let i = 0; i < tensor.length; i++) tensor[i] = Math.fround(tensor[i]!);
  return params;
}

export function encodeParams(params: GptParams): string {
  const tensors = namedTensors(params);
  const total = tensors.reduce((n, t) => n + t.tensor.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const { tensor } of tensors) {
    for (const x of tensor) {
      view.setFloat32(offset, x, true);
      offset += 4;
    }
  }
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function decodeParams(base64: string, c: GptConfig): GptParams {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const params = zeroParams(c);
  const tensors = namedTensors(params);
  const expected = tensors.reduce((n, t) => n + t.tensor.length, 0) * 4;
  if (bytes.length !== expected) throw new Error(`weights hold ${bytes.length} bytes, the configuration needs ${expected}`);
  let offset = 0;
  for (const { tensor } of tensors) {
    for (let i = 0; i < tensor.length; i++) {
      tensor[i] = view.getFloat32(offset, true);
      offset += 4;
    }
  }
  return params;
}
