/**
 * Trains the tiny GPT that ships with the app and writes its weights file.
 *
 *   npm run train:tiny-gpt            train (about 1500 steps), print the losses, write the weights
 *   npm run train:tiny-gpt -- --check train the same way and fail unless the result equals the
 *                                     shipped file byte for byte (the weights are reproducible)
 *   TINY_GPT_STEPS=20 npm run train:tiny-gpt -- --out /tmp/w.json   a short run elsewhere
 *
 * Deterministic: the seed in app/gpt/recipe.ts decides the initial weights and every batch.
 * Prints the train loss (mean of the last steps) and the validation loss on the held-out tenth
 * of the text, and the time taken.
 */
import fs from "node:fs";
import path from "node:path";
import { countParams } from "../app/gpt/model";
import { seededRandom } from "../app/gpt/random";
import { CORPUS_FILE, SEED, TRAINING, VALIDATION_FRACTION, VALIDATION_WINDOWS, prepareData } from "../app/gpt/recipe";
import { meanLoss, train } from "../app/gpt/train";
import { encodeParams, toFloat32, type WeightsFile } from "../app/gpt/weights";

export const WEIGHTS_FILE = "app/gpt/tiny-gpt.weights.json";

const args = process.argv.slice(2);
const check = args.includes("--check");
const outIndex = args.indexOf("--out");
const out = outIndex >= 0 ? args[outIndex + 1]! : WEIGHTS_FILE;
const steps = process.env.TINY_GPT_STEPS ? Number(process.env.TINY_GPT_STEPS) : TRAINING.steps;
const training = { ...TRAINING, steps };

const root = path.resolve(import.meta.dirname, "..");
const text = fs.readFileSync(path.join(root, CORPUS_FILE), "utf8");
const data = prepareData(text);
console.log(
  `corpus ${CORPUS_FILE}: ${text.length} characters, vocabulary ${data.vocab.chars.length}, ` +
    `${data.train.length} train tokens, ${data.validation.length} validation windows of ${data.config.contextLength + 1}`,
);
console.log(`model ${JSON.stringify(data.config)}; seed ${SEED}; ${steps} steps of ${training.batchSize} windows`);

const started = performance.now();
const { params, log } = train(data.config, training, data, seededRandom(SEED), (line) => {
  if (line.validationLoss !== undefined) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`step ${String(line.step).padStart(5)}  train ${line.trainLoss.toFixed(4)}  validation ${line.validationLoss.toFixed(4)}  lr ${line.learningRate.toExponential(2)}  ${seconds} s`);
  }
});
const seconds = (performance.now() - started) / 1000;

toFloat32(params);
const last = log.slice(-50);
const trainLoss = last.reduce((s, l) => s + l.trainLoss, 0) / last.length;
const validationLoss = meanLoss(data.validation, data.config, params);
const file: WeightsFile = {
  format: "attention-span-tiny-gpt/1",
  config: data.config,
  training: { ...training, seed: SEED, corpus: CORPUS_FILE, validationFraction: VALIDATION_FRACTION, validationWindows: VALIDATION_WINDOWS },
  vocab: data.vocab.chars,
  figures: { trainLoss, validationLoss, parameters: countParams(params) },
  weights: encodeParams(params),
};
const json = JSON.stringify(file) + "\n";
console.log(
  `done in ${seconds.toFixed(1)} s: ${countParams(params)} parameters (${(json.length / 1024).toFixed(0)} KiB file), ` +
    `train loss ${trainLoss.toFixed(4)} (mean of the last ${last.length} steps), validation loss ${validationLoss.toFixed(4)} (float32 weights)`,
);

if (check) {
  const shipped = fs.readFileSync(path.join(root, WEIGHTS_FILE), "utf8");
  if (shipped !== json) {
    console.error(`--check: the trained weights differ from ${WEIGHTS_FILE}`);
    process.exit(1);
  }
  console.log(`--check: identical to ${WEIGHTS_FILE}`);
} else {
  fs.writeFileSync(path.resolve(root, out), json);
  console.log(`wrote ${out}`);
}
