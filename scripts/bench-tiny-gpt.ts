/**
 * Generation speed of the shipped tiny GPT (prints figures, asserts nothing), in one line:
 *  - Chromium, the real widget: the Model training lesson's "Sample 40 characters" button on the
 *    production build, from the click until the 40 characters are in the prompt (the widget's own
 *    loop of forward pass, sampling and one React render). Characters per second.
 *  - Chromium, the model alone: app/gpt's forward pass, and characters per second of generation
 *    two ways: `generate` (a full forward pass per character, the reference) and the widget's
 *    way, `generateFast` (only the last row's scores, bit for bit the same; ADR 032). Bundled by
 *    esbuild into a blank page, the same TypeScript the widget's chunk is built from.
 *  - Node, the same model code: the baseline taken in the same run, in wall time and in CPU time
 *    (CPU time barely moves with the machine's load; wall time does). Comparing Chromium with the
 *    Node baseline of the same run is what survives a busy machine.
 *
 *   npm run build
 *   npm run bench:tiny-gpt                 (starts the production build on a scratch SQLite database)
 *   npm run bench:tiny-gpt -- http://host  (or uses a running server)
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium), BENCH_RUNS (default 10), BENCH_PORT (default 3390).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { chromium } from "@playwright/test";
import { build } from "esbuild";
import { generateFast } from "../app/domain/tiny-gpt-next";
import { encode } from "../app/gpt/characters";
import { forward } from "../app/gpt/model";
import { seededRandom } from "../app/gpt/random";
import { generate } from "../app/gpt/sampling";
import { loadTinyGpt } from "../app/gpt/shipped";
import type { WeightsFile } from "../app/gpt/weights";

const runs = Number(process.env.BENCH_RUNS ?? 10);
const PROMPT = "First Citizen:\nBefore we proceed any further, ";
const weights = fs.readFileSync("app/gpt/tiny-gpt.weights.json", "utf8");
const model = loadTinyGpt(JSON.parse(weights) as WeightsFile);
const prompt = encode(PROMPT, model.vocab).tokens;
const window32 = prompt.slice(-32);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadBefore = os.loadavg()[0]!;

// ---- Node baseline -------------------------------------------------------------------------
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
generate(prompt, 100, model.config, model.params, { temperature: 1, topK: 10, random: seededRandom(1) }); // warm up
const nodeRate: number[] = [];
const nodeCpuRate: number[] = [];
for (let r = 0; r < runs; r++) {
  const [wall, cpu] = [performance.now(), cpuMs()];
  generate(prompt, 200, model.config, model.params, { temperature: 1, topK: 10, random: seededRandom(r) });
  nodeRate.push(200 / ((performance.now() - wall) / 1000));
  nodeCpuRate.push(200 / ((cpuMs() - cpu) / 1000));
}
const nodeFastRate: number[] = [];
for (let r = 0; r < runs; r++) {
  const wall = performance.now();
  generateFast(prompt, 200, model.config, model.params, { temperature: 1, topK: 10, random: seededRandom(r) });
  nodeFastRate.push(200 / ((performance.now() - wall) / 1000));
}
const nodeForward: number[] = [];
for (let r = 0; r < 100; r++) {
  const started = performance.now();
  forward(window32, model.config, model.params);
  nodeForward.push(performance.now() - started);
}
const cpuStart = cpuMs();
for (let r = 0; r < 100; r++) forward(window32, model.config, model.params);
const nodeForwardCpu = (cpuMs() - cpuStart) / 100;

// ---- A server with the production build ----------------------------------------------------
let server: ChildProcess | null = null;
let baseURL = (process.argv[2] ?? "").replace(/\/$/, "");
if (!baseURL) {
  if (!fs.existsSync("build/server")) throw new Error("no production build: run `npm run build` first");
  const port = Number(process.env.BENCH_PORT ?? 3390);
  baseURL = `http://localhost:${port}`;
  server = spawn(process.execPath, ["scripts/e2e-server.mjs"], { env: { ...process.env, PORT: String(port), DATABASE_URL: "" }, stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(baseURL + "/lessons/training")).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server at ${baseURL} did not answer in 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// ---- Chromium ------------------------------------------------------------------------------
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
let line = "";
try {
  const page = await browser.newPage();
  await page.goto(baseURL + "/lessons/training");
  await page.waitForFunction(() => (window as unknown as { __hydrated?: boolean }).__hydrated === true);
  const box = page.getByRole("region", { name: "Tiny GPT in your browser" }).getByLabel("Prompt");
  await box.waitFor();

  // The widget: click to text on screen.
  const widgetRate: number[] = [];
  for (let r = 0; r < runs + 1; r++) {
    await box.fill(PROMPT);
    const ms = await page.evaluate(async () => {
      const area = document.querySelector<HTMLTextAreaElement>('[data-testid="tgpt-prompt"]')!;
      const button = document.querySelector<HTMLButtonElement>('[data-testid="tgpt-forty"]')!;
      const before = area.value.length;
      const started = performance.now();
      button.click();
      while (area.value.length < before + 40) await new Promise((resolve) => setTimeout(resolve, 0));
      return performance.now() - started;
    });
    if (r > 0) widgetRate.push(40 / (ms / 1000)); // the first run warms the page up
  }

  // The model alone, in the same page: the same app/gpt code, bundled for the browser.
  const bundle = await build({
    stdin: {
      contents: `import { forward } from "./app/gpt/model"; import { generate } from "./app/gpt/sampling"; import { generateFast } from "./app/domain/tiny-gpt-next"; import { seededRandom } from "./app/gpt/random"; import { loadTinyGpt } from "./app/gpt/shipped"; import { encode } from "./app/gpt/characters"; globalThis.__tinyGptBench = { forward, generate, generateFast, seededRandom, loadTinyGpt, encode };`,
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    write: false,
    target: "es2022",
  });
  // A blank page of the same browser: the app's CSP (rightly) refuses an injected script.
  const blank = await browser.newPage();
  await blank.addScriptTag({ content: bundle.outputFiles[0]!.text });
  const inPage = await blank.evaluate(
    ({ weightsJson, promptText, runs }) => {
      type Bench = {
        forward: typeof forward;
        generate: typeof generate;
        generateFast: typeof generateFast;
        seededRandom: typeof seededRandom;
        loadTinyGpt: typeof loadTinyGpt;
        encode: typeof encode;
      };
      const b = (globalThis as unknown as { __tinyGptBench: Bench }).__tinyGptBench;
      const m = b.loadTinyGpt(JSON.parse(weightsJson) as WeightsFile);
      const tokens = b.encode(promptText, m.vocab).tokens;
      const w = tokens.slice(-32);
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      b.generate(tokens, 100, m.config, m.params, { temperature: 1, topK: 10, random: b.seededRandom(1) });
      const rate: number[] = [];
      for (let r = 0; r < runs; r++) {
        const started = performance.now();
        b.generate(tokens, 200, m.config, m.params, { temperature: 1, topK: 10, random: b.seededRandom(r) });
        rate.push(200 / ((performance.now() - started) / 1000));
      }
      const fast: number[] = [];
      for (let r = 0; r < runs; r++) {
        const started = performance.now();
        b.generateFast(tokens, 200, m.config, m.params, { temperature: 1, topK: 10, random: b.seededRandom(r) });
        fast.push(200 / ((performance.now() - started) / 1000));
      }
      const fw: number[] = [];
      for (let r = 0; r < 100; r++) {
        const started = performance.now();
        b.forward(w, m.config, m.params);
        fw.push(performance.now() - started);
      }
      return { rate, fast, fw };
    },
    { weightsJson: weights, promptText: PROMPT, runs },
  );

  const load = ((loadBefore + os.loadavg()[0]!) / 2).toFixed(1);
  line =
    `bench:tiny-gpt chromium=${browser.version()} widget_chars_per_s=${median(widgetRate).toFixed(0)} ` +
    `chromium_generate_full_chars_per_s=${median(inPage.rate).toFixed(0)} chromium_generate_last_row_chars_per_s=${median(inPage.fast).toFixed(0)} chromium_forward32_ms=${median(inPage.fw).toFixed(2)} ` +
    `node_generate_full_chars_per_s=${median(nodeRate).toFixed(0)} node_generate_last_row_chars_per_s=${median(nodeFastRate).toFixed(0)} node_generate_full_chars_per_cpu_s=${median(nodeCpuRate).toFixed(0)} ` +
    `node_forward32_ms=${median(nodeForward).toFixed(2)} node_forward32_cpu_ms=${nodeForwardCpu.toFixed(2)} ` +
    `widget_vs_node_last_row=${(median(widgetRate) / median(nodeFastRate)).toFixed(2)} runs=${runs} load=${load}`;
} finally {
  await browser.close();
  server?.kill("SIGTERM");
}
console.log(line);
