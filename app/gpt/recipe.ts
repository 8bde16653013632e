/**
 * The recipe of the shipped tiny GPT: its size, its training settings and its seed. The training
 * script, the CI test and the weights file all take their numbers from here, so a change here
 * is a change of the model (retrain with `npm run train:tiny-gpt`). ADR 028 says why these sizes.
 */
import type { CharVocab } from "./characters";
import { buildVocab, encode } from "./characters";
import type { GptConfig } from "./model";
import type { TrainingConfig } from "./train";
import { validationWindows } from "./train";

export const CORPUS_FILE = "app/gpt/corpus/coriolanus-act-1.txt";
export const SEED = 17;
/** The last tenth of the text is held out for the validation loss. */
export const VALIDATION_FRACTION = 0.1;
export const VALIDATION_WINDOWS = 64;

export function modelConfig(vocabSize: number): GptConfig {
  return { vocabSize, contextLength: 32, dModel: 32, nHeads: 4, nLayers: 2, mlpWidth: 128 };
}

export const TRAINING: TrainingConfig = {
  steps: 1500,
  batchSize: 16,
  learningRate: 3e-3,
  warmupSteps: 50,
  finalLearningRateFraction: 0.1,
  weightDecay: 0.01,
  beta1: 0.9,
  beta2: 0.99,
  clipNorm: 1,
  evalEvery: 100,
};

export interface PreparedData {
  vocab: CharVocab;
  config: GptConfig;
  train: number[];
  validation: number[][];
}

/** Characters to tokens, the split, and the fixed validation windows. */
export function prepareData(text: string): PreparedData {
  const vocab = buildVocab(text);
  const config = modelConfig(vocab.chars.length);
  const { tokens } = encode(text, vocab);
  const split = Math.floor(tokens.length * (1 - VALIDATION_FRACTION));
  return { vocab, config, train: tokens.slice(0, split), validation: validationWindows(tokens.slice(split), config, VALIDATION_WINDOWS) };
}
