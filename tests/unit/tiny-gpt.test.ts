import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decode, encode, vocabFromChars } from "~/gpt/characters";
import type { GptConfig } from "~/gpt/model";
import { backward, crossEntropy, forward, initParams, namedTensors, sequenceLoss, zeroParams } from "~/gpt/model";
import { seededRandom } from "~/gpt/random";
import { CORPUS_FILE, SEED, TRAINING, VALIDATION_FRACTION, VALIDATION_WINDOWS, prepareData } from "~/gpt/recipe";
import { generate } from "~/gpt/sampling";
import { meanLoss, train } from "~/gpt/train";
import { decodeParams, type WeightsFile } from "~/gpt/weights";

const TINY: GptConfig = { vocabSize: 7, contextLength: 6, dModel: 8, nHeads: 2, nLayers: 2, mlpWidth: 12 };

describe("tiny GPT backward pass", () => {
  it("matches finite differences on every tensor", () => {
    const random = seededRandom(7);
    const params = initParams(TINY, random);
    // Larger weights than the initialisation, so every path carries a visible gradient.
    for (const { tensor } of namedTensors(params)) for (let i = 0; i < tensor.length; i++) tensor[i]! += random.normal() * 0.3;
    const sequence = [1, 4, 2, 6, 0, 3, 5];
    const result = forward(sequence.slice(0, -1), TINY, params);
    const { dLogits } = crossEntropy(result.logits, sequence.slice(1), TINY.vocabSize);
    const grads = zeroParams(TINY);
    backward(dLogits, result, TINY, params, grads);

    const gradTensors = namedTensors(grads);
    const h = 1e-5;
    let checked = 0;
    namedTensors(params).forEach(({ name, tensor }, k) => {
      for (const i of [0, Math.floor(tensor.length / 2), tensor.length - 1]) {
        const saved = tensor[i]!;
        tensor[i] = saved + h;
        const up = sequenceLoss(sequence, TINY, params);
        tensor[i] = saved - h;
        const down = sequenceLoss(sequence, TINY, params);
        tensor[i] = saved;
        const numeric = (up - down) / (2 * h);
        const analytic = gradTensors[k]!.tensor[i]!;
        expect(Math.abs(numeric - analytic), `${name}[${i}]: numeric ${numeric}, backward ${analytic}`).toBeLessThan(1e-7 + 1e-5 * Math.abs(numeric));
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(50);
  });
});

const data = prepareData(readFileSync(CORPUS_FILE, "utf8"));

describe("tiny GPT training", () => {
  it("a few steps from the seed lower the loss, to the figure recorded for this seed", () => {
    const validation = data.validation.slice(0, 8);
    const before = meanLoss(validation, data.config, initParams(data.config, seededRandom(SEED)));
    const short = { ...TRAINING, steps: 10, batchSize: 4, warmupSteps: 1, evalEvery: 10 };
    const { log } = train(data.config, short, { train: data.train, validation }, seededRandom(SEED));
    const after = log.at(-1)!.validationLoss!;
    // Untrained, every one of the 58 characters is about equally likely: ln 58 ≈ 4.06.
    expect(before).toBeCloseTo(Math.log(data.config.vocabSize), 1);
    expect(after).toBeLessThan(before - 0.3);
    expect(log.at(-1)!.trainLoss).toBeLessThan(log[0]!.trainLoss - 0.3);
    // Recorded from `train` with this seed; deterministic, so only rounding may differ.
    expect(after).toBeCloseTo(3.701004815931088, 9);
    expect(log[0]!.trainLoss).toBeCloseTo(4.063682938936265, 9);
  });
});

describe("the shipped weights", () => {
  const file = JSON.parse(readFileSync("app/gpt/tiny-gpt.weights.json", "utf8")) as WeightsFile;
  const params = decodeParams(file.weights, file.config);

  it("were trained with today's recipe, corpus and vocabulary", () => {
    expect(file.config).toEqual(data.config);
    expect(file.vocab).toEqual(data.vocab.chars);
    expect(file.training).toEqual({ ...TRAINING, seed: SEED, corpus: CORPUS_FILE, validationFraction: VALIDATION_FRACTION, validationWindows: VALIDATION_WINDOWS });
  });

  it("give the validation loss the training run recorded, well below chance", () => {
    const loss = meanLoss(data.validation, file.config, params);
    expect(loss).toBeCloseTo(file.figures.validationLoss, 9);
    expect(loss).toBeLessThan(Math.log(file.config.vocabSize) - 1.5);
  });

  it("generate text from the model's own characters, the same for the same seed", () => {
    const vocab = vocabFromChars(file.vocab);
    const prompt = encode("MENENIUS:\n", vocab).tokens;
    const options = { temperature: 0.8, topK: 10 };
    const a = decode(generate(prompt, 40, file.config, params, { ...options, random: seededRandom(1) }), vocab);
    const b = decode(generate(prompt, 40, file.config, params, { ...options, random: seededRandom(1) }), vocab);
    expect(a).toHaveLength(40);
    expect(a).toBe(b);
  });
});
