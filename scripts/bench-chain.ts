/**
 * "Build your GPT" benchmark (ADR 031), in Chromium against a running production build:
 *
 *   npm run build && npm start          (or PORT=3313 node scripts/e2e-server.mjs)
 *   npm run bench:chain -- [http://localhost:3000]
 *
 * Prints (no assertions), with the load average at the start and end:
 *  - checking the whole chain (the exercises' reference solutions submitted as the learner's
 *    code): median of 5, from the click on "Run the chain" to the verdict on screen, and the
 *    worker's own time (start, compile, forward pass, 6 draws) as the page measures it;
 *  - generating 40 characters with that code: median of 3, characters per second from the click
 *    to the text on screen;
 *  - baselines in the same run, in Node: the same assembled program in a node:vm context (the
 *    runner CI uses), and model.ts's own generate() (flat Float64Arrays).
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium, "" for Playwright's own).
 */
import os from "node:os";
import path from "node:path";
import { readFileSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { loadCourse } from "../app/content/load.server";
import { GENERATE_FUNCTION, STAGES, chainProgram, chainWeights, promptTokens } from "../app/gpt/chain";
import { seededRandom } from "../app/gpt/random";
import { generate } from "../app/gpt/sampling";
import { loadTinyGpt } from "../app/gpt/shipped";
import type { WeightsFile } from "../app/gpt/weights";
import { runCallsInNode } from "../app/exercise-worker/node-runner.server";

const baseURL = (process.argv[2] ?? process.env.BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const root = path.resolve(import.meta.dirname, "..");
const { course } = loadCourse(path.join(root, "content"));
const exercises = new Map(course.topics.flatMap((t) => t.exercises).map((e) => [e.id, e]));
const model = loadTinyGpt(JSON.parse(readFileSync(path.join(root, "app/gpt/tiny-gpt.weights.json"), "utf8")) as WeightsFile);
const COUNT = 40;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => os.loadavg()[0]!.toFixed(1);

function nodeBaselines() {
  const weights = chainWeights(model.config, model.params);
  const tokens = promptTokens(model.vocab);
  const random = seededRandom(1);
  const us = Array.from({ length: COUNT }, () => random.next());
  const program = chainProgram(Object.fromEntries(STAGES.map((s) => [s.stage, exercises.get(s.exerciseId)!.solution])));
  const times: number[] = [];
  const flat: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    runCallsInNode(program.code, GENERATE_FUNCTION, [{ id: "g", args: [weights, tokens, COUNT, 0.8, 10, us, 5] }]);
    times.push(performance.now() - t);
    let k = 0;
    t = performance.now();
    generate(tokens, COUNT, model.config, model.params, { temperature: 0.8, topK: 10, random: { next: () => us[k++]!, normal: () => 0, int: () => 0 } });
    flat.push(performance.now() - t);
  }
  return { chain: (COUNT / median(times)) * 1000, modelTs: (COUNT / median(flat)) * 1000 };
}

async function signUpAndSubmit(page: Page) {
  const username = `bench_${Date.now().toString(36)}`;
  await page.goto(`${baseURL}/signup`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await page.getByLabel("Repeat the password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("link", { name: `Account: ${username}`, includeHidden: true }).waitFor({ state: "attached" });
  for (const s of STAGES) {
    const ex = exercises.get(s.exerciseId)!;
    const total = String(ex.tests.length + ex.hidden.length + ex.properties.length);
    const res = await page.request.post(`${baseURL}/api/exercises/${s.exerciseId}`, {
      form: { intent: "attempt", clientId: `bench-${s.stage}-${Date.now().toString(36)}`, version: "0", passed: "true", testsPassed: total, testsTotal: total, code: ex.solution },
      headers: { Origin: baseURL },
    });
    if (res.status() !== 200) throw new Error(`submitting ${s.exerciseId}: ${res.status()} ${await res.text()}`);
  }
}

/**
 * Clicks the button and resolves with the milliseconds until a new element matching `selector`
 * is on screen (the old one is removed while the run is going). In-page code is a string: tsx
 * would otherwise wrap its functions in a helper the page does not have.
 */
function clickUntilNew(page: Page, button: string, selector: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const old = document.querySelector(${JSON.stringify(selector)});
    const button = [...document.querySelectorAll("button")].find((b) => b.textContent === ${JSON.stringify(button)});
    const t = performance.now();
    button.click();
    const tick = () => {
      const now = document.querySelector(${JSON.stringify(selector)});
      if (now && now !== old) resolve(performance.now() - t);
      else requestAnimationFrame(tick);
    };
    tick();
  })`) as Promise<number>;
}

async function main() {
  const loadBefore = load();
  const node = nodeBaselines();
  const browser = await chromium.launch(executablePath ? { executablePath } : {});
  const page = await browser.newPage();
  await signUpAndSubmit(page);
  await page.goto(`${baseURL}/build-your-gpt`);
  await page.waitForFunction(() => (window as unknown as { __hydrated?: boolean }).__hydrated === true);

  const checks: number[] = [];
  for (let i = 0; i < 5; i++) checks.push(await clickUntilNew(page, "Run the chain", ".byg-match"));
  const gens: number[] = [];
  for (let i = 0; i < 3; i++) gens.push(await clickUntilNew(page, `Generate ${COUNT} characters`, '[data-testid="generated-text"]'));
  await browser.close();
  console.log(`build-your-gpt: load average ${loadBefore} at the start, ${load()} at the end (${os.cpus().length} cores)`);
  console.log(`  check the chain (8 stages, ${promptTokens(model.vocab).length} characters), Chromium, click to verdict: median ${median(checks).toFixed(0)} ms (runs: ${checks.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`  generate ${COUNT} characters with the learner's chain, Chromium, click to text: ${((COUNT / median(gens)) * 1000).toFixed(1)} characters/s (median of ${gens.map((x) => x.toFixed(0)).join(", ")} ms)`);
  console.log(`  baselines in Node, same run: the same chain in node:vm ${node.chain.toFixed(1)} characters/s; model.ts generate() ${node.modelTs.toFixed(1)} characters/s`);
}

await main();
