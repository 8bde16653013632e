/**
 * The shipped model, ready to run: the weights file decoded once. Pure (the file is passed in),
 * so the browser imports the JSON and tests read it from disk.
 */
import type { CharVocab } from "./characters";
import { vocabFromChars } from "./characters";
import type { GptConfig, GptParams } from "./model";
import { decodeParams, type WeightsFile } from "./weights";

export interface TinyGpt {
  config: GptConfig;
  params: GptParams;
  vocab: CharVocab;
  figures: WeightsFile["figures"];
}

export function loadTinyGpt(file: WeightsFile): TinyGpt {
  if (file.format !== "attention-span-tiny-gpt/1") throw new Error(`unknown weights format ${String(file.format)}`);
  return { config: file.config, params: decodeParams(file.weights, file.config), vocab: vocabFromChars(file.vocab), figures: file.figures };
}

/** How a character is shown in a chart: visible stand-ins for space and new line. */
export function showChar(ch: string): string {
  if (ch === " ") return "␣";
  if (ch === "\n") return "↵";
  return ch;
}

/** How a character is read out: words for the invisible ones. */
export function nameChar(ch: string): string {
  if (ch === " ") return "space";
  if (ch === "\n") return "new line";
  return `‘${ch}’`;
}
