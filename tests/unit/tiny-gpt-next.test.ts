import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateFast, nextLogits } from "~/domain/tiny-gpt-next";
import { encode } from "~/gpt/characters";
import { seededRandom } from "~/gpt/random";
import { generate, lastLogits } from "~/gpt/sampling";
import { loadTinyGpt } from "~/gpt/shipped";
import type { WeightsFile } from "~/gpt/weights";

const model = loadTinyGpt(JSON.parse(readFileSync("app/gpt/tiny-gpt.weights.json", "utf8")) as WeightsFile);
const text = encode(readFileSync("app/gpt/corpus/coriolanus-act-1.txt", "utf8"), model.vocab).tokens;

describe("the next character's logits, last row only", () => {
  it("are bit for bit the full forward pass's last row, for every length from 1 to past the context", () => {
    let checked = 0;
    for (let start = 0; start + 40 <= text.length && checked < 200; start += 1500) {
      for (const length of [1, 2, 5, 17, 31, 32, 33, 40]) {
        const tokens = text.slice(start, start + length);
        expect(Array.from(nextLogits(tokens, model.config, model.params))).toEqual(Array.from(lastLogits(tokens, model.config, model.params)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it("generate the same characters as the reference generation from the same seed", () => {
    const prompt = encode("First Citizen:\n", model.vocab).tokens;
    const options = (seed: number) => ({ temperature: 0.8, topK: 10, random: seededRandom(seed) });
    expect(generateFast(prompt, 120, model.config, model.params, options(3))).toEqual(generate(prompt, 120, model.config, model.params, options(3)));
  });

  it("refuses an empty input, as the forward pass does", () => {
    expect(() => nextLogits([], model.config, model.params)).toThrow(RangeError);
  });
});
