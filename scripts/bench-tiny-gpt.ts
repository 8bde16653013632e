/**
 * Generation speed of the shipped tiny GPT (prints figures, asserts nothing):
 *  - in Node: characters per second of `generate` (one full forward pass per character over the
 *    last 32 characters, as the widget does), and one forward pass of 32 characters;
 *  - in Chromium, against a running production build: the widget's "Sample 40 characters"
 *    button, from the click until the 40 characters are in the prompt (model and React render).
 *
 *   npm run build && npm run serve        (another shell)
 *   npx tsx scripts/bench-tiny-gpt.ts [http://localhost:3000]
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium), BENCH_RUNS (default 10). Without a server it
 * prints the Node figures only.
 */
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { encode } from "../app/gpt/characters";
import { forward } from "../app/gpt/model";
import { seededRandom } from "../app/gpt/random";
import { generate } from "../app/gpt/sampling";
import { loadTinyGpt } from "../app/gpt/shipped";
import type { WeightsFile } from "../app/gpt/weights";

const baseURL = (process.argv[2] ?? process.env.BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");
const runs = Number(process.env.BENCH_RUNS ?? 10);
const model = loadTinyGpt(JSON.parse(fs.readFileSync("app/gpt/tiny-gpt.weights.json", "utf8")) as WeightsFile);
const prompt = encode("First Citizen:\nBefore we proceed any further, ", model.vocab).tokens;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Node: warm up, then time.
generate(prompt, 50, model.config, model.params, { temperature: 1, topK: 10, random: seededRandom(1) });
const nodeRates: number[] = [];
for (let r = 0; r < runs; r++) {
  const started = performance.now();
  generate(prompt, 200, model.config, model.params, { temperature: 1, topK: 10, random: seededRandom(r) });
  nodeRates.push(200 / ((performance.now() - started) / 1000));
}
const forwardMs: number[] = [];
const window32 = prompt.slice(-32);
for (let r = 0; r < 50; r++) {
  const started = performance.now();
  forward(window32, model.config, model.params);
  forwardMs.push(performance.now() - started);
}
console.log(`Node ${process.version}: generate ${median(nodeRates).toFixed(0)} characters/s (median of ${runs} runs of 200), one forward pass of 32 characters ${median(forwardMs).toFixed(2)} ms (median of 50)`);

let reachable = true;
try {
  await fetch(baseURL + "/lessons/training");
} catch {
  reachable = false;
}
if (!reachable) {
  console.log(`no server at ${baseURL}: Chromium figures skipped`);
} else {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  const page = await browser.newPage();
  await page.goto(baseURL + "/lessons/training");
  await page.waitForFunction(() => (window as unknown as { __hydrated?: boolean }).__hydrated === true);
  const widget = page.getByRole("region", { name: "Tiny GPT in your browser" });
  const box = widget.getByLabel("Prompt");
  await box.waitFor();
  const rates: number[] = [];
  for (let r = 0; r < runs + 1; r++) {
    await box.fill("First Citizen:\nBefore we proceed any further, ");
    const ms = await page.evaluate(async () => {
      const area = document.querySelector<HTMLTextAreaElement>('[data-testid="tgpt-prompt"]')!;
      const button = document.querySelector<HTMLButtonElement>('[data-testid="tgpt-forty"]')!;
      const before = area.value.length;
      const started = performance.now();
      button.click();
      while (area.value.length < before + 40) await new Promise((resolve) => setTimeout(resolve, 0));
      return performance.now() - started;
    });
    if (r > 0) rates.push(40 / (ms / 1000)); // the first run warms the page up
  }
  console.log(`Chromium ${browser.version()}: the widget samples ${median(rates).toFixed(0)} characters/s (median of ${runs} runs of 40, click to text on screen)`);
  await browser.close();
}
