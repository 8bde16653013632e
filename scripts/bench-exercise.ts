/**
 * Exercise runner benchmark, in Chromium, against a running production build:
 *
 *   npm run build && node scripts/build-worker.mjs && npm run serve   (or npm start)
 *   npx tsx scripts/bench-exercise.ts [http://localhost:3000]
 *
 * Prints (no assertions):
 *  - grading a typical exercise (its reference solution) with a warm worker:
 *    p50/p95 over 30 runs, from the click on "Run tests" to the results on
 *    screen. Every run still starts a fresh worker; "warm" means its script is
 *    in the HTTP cache;
 *  - how long `while (true) {}` runs before the page stops it;
 *  - a 20 MB return value and a 20 MB error message: time to the results, and
 *    the longest the page's main thread was blocked meanwhile (a 10 ms timer
 *    in the page records the largest gap between its ticks);
 *  - the gzip size of the JavaScript of the review, lesson and exercise routes:
 *    from the Remix manifest of the build (what each route needs to start), and
 *    measured in the browser (what a first visit actually transfers, lazy
 *    chunks included).
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium, "" for Playwright's own),
 * BENCH_EXERCISE (default att-ex-softmax), BENCH_RUNS (default 30).
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { chromium, type Browser, type Page } from "@playwright/test";
import { loadCourse } from "../app/content/load.server";
import { RUN_TIME_LIMIT_MS as RUN_LIMIT_MS } from "../app/exercises/run-in-worker";

const baseURL = (process.argv[2] ?? process.env.BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");
const exerciseId = process.env.BENCH_EXERCISE ?? "att-ex-softmax";
const runs = Number(process.env.BENCH_RUNS ?? 30);
const root = path.resolve(import.meta.dirname, "..");
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function percentile(sorted: number[], p: number) {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
const ms = (x: number) => `${x.toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function signUp(page: Page) {
  const username = `bench_${Date.now().toString(36)}`;
  await page.goto(`${baseURL}/signup`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await page.getByLabel("Repeat the password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("link", { name: `Account: ${username}` }).waitFor();
}

async function setCode(page: Page, code: string) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

/**
 * Clicks "Run tests" and resolves with the milliseconds until the results (or
 * the "stopped" message) are on screen. The in-page code is a string: tsx would
 * otherwise wrap its named functions in a helper the page does not have.
 */
function timeRun(page: Page, until: "summary" | "stopped"): Promise<number> {
  return timeRunBlocked(page, until).then((r) => r.ms);
}

/** Like timeRun, and also the largest gap between ticks of a 10 ms timer in the page (main thread blocked). */
function timeRunBlocked(page: Page, until: "summary" | "stopped"): Promise<{ ms: number; blockedMs: number }> {
  return page.evaluate(`new Promise((resolve) => {
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 10);
    const status = document.querySelector(".results-summary");
    const button = [...document.querySelectorAll("button")].find((b) => /Run tests/.test(b.textContent || ""));
    const done = ${JSON.stringify(until)} === "stopped"
      ? () => document.querySelector(".result-stopped") !== null
      : () => /tests passed/.test(status.textContent || "");
    let started = false; // a previous run's results do not count
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (/Running the tests/.test(status.textContent || "")) started = true;
      else if (started && done()) {
        observer.disconnect();
        const ms = performance.now() - t0;
        clearInterval(ticker);
        resolve({ ms, blockedMs: Math.max(worstGap, performance.now() - last) });
      }
    });
    observer.observe(document.querySelector(".exercise-results"), { childList: true, characterData: true, subtree: true });
    button.click();
  })`) as Promise<{ ms: number; blockedMs: number }>;
}

async function grading(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page);
  const found = loadCourse(path.join(root, "content")).course.topics.flatMap((t) => t.exercises).find((e) => e.id === exerciseId);
  if (!found) throw new Error(`no exercise ${exerciseId}`);
  await page.goto(`${baseURL}/exercises/${exerciseId}`);
  await page.waitForFunction(() => (window as unknown as { __hydrated?: boolean }).__hydrated === true);
  await page.locator(".code-editor[data-editor=codemirror] .cm-content").waitFor();
  await setCode(page, found.solution);

  const cold = await timeRun(page, "summary");
  const summary = await page.locator(".results-summary").innerText();
  const times: number[] = [];
  const inPage: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.getByText(/^Saved|^Not saved/).first().waitFor(); // let the previous save finish
    times.push(await timeRun(page, "summary"));
    inPage.push(Number(await page.locator(".exercise-results").getAttribute("data-total-ms")));
  }
  times.sort((a, b) => a - b);
  inPage.sort((a, b) => a - b);

  await setCode(page, `function ${found.function}() {\n  while (true) {}\n}`);
  const stop = await timeRun(page, "stopped");
  await setCode(page, `while (true) {}\nfunction ${found.function}() {}`);
  const stopTopLevel = await timeRun(page, "stopped");
  await setCode(page, `function ${found.function}() {\n  return "x".repeat(20 * 1024 * 1024);\n}`);
  const huge = await timeRunBlocked(page, "summary");
  const hugeSummary = await page.locator(".results-summary").innerText();
  await setCode(page, `function ${found.function}() {\n  throw new Error("y".repeat(20 * 1024 * 1024));\n}`);
  const hugeError = await timeRunBlocked(page, "summary");
  // Still responsive: one more normal run.
  await setCode(page, found.solution);
  const after = await timeRun(page, "summary");
  await context.close();

  console.log(`Grading ${exerciseId} (${summary.replace(/\s+/g, " ")}), reference solution, a fresh worker per run`);
  console.log(`  first run (worker script not cached): ${ms(cold)}`);
  console.log(`  warm, ${runs} runs: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} (min ${ms(times[0]!)}, max ${ms(times[times.length - 1]!)})`);
  console.log(`  of which runner + judge (worker start, compile, calls, verdict): p50 ${ms(percentile(inPage, 50))}, p95 ${ms(percentile(inPage, 95))}`);
  console.log(`Stopping while (true) {}: ${ms(stop)} from the click to the message (limit 2 s per test)`);
  console.log(`  at the top level of the code: ${ms(stopTopLevel)}`);
  console.log(`A 20 MB string returned by every call (${hugeSummary.replace(/\s+/g, " ")}): ${ms(huge.ms)} to the results (run limit ${RUN_LIMIT_MS / 1000} s); page main thread blocked at most ${ms(huge.blockedMs)}`);
  console.log(`An error with a 20 MB message from every call: ${ms(hugeError.ms)} to the results; page main thread blocked at most ${ms(hugeError.blockedMs)}`);
  console.log(`Next normal run afterwards: ${ms(after)}`);
}

interface RemixManifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[] }>;
}

function gzipSize(file: string) {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

function manifestSizes() {
  const assets = path.join(root, "build", "client", "assets");
  const manifestFile = fs.readdirSync(assets).find((f) => /^manifest-.*\.js$/.test(f));
  if (!manifestFile) {
    console.log("JS per route: no build/client/assets/manifest-*.js (build first)");
    return;
  }
  const text = fs.readFileSync(path.join(assets, manifestFile), "utf8");
  const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as RemixManifest;
  const file = (url: string) => path.join(root, "build", "client", url.replace(/^\//, ""));
  const base = [`/assets/${manifestFile}`, manifest.entry.module, ...manifest.entry.imports, manifest.routes.root!.module, ...(manifest.routes.root!.imports ?? [])];
  const lazy = (pattern: RegExp) => fs.readdirSync(assets).filter((f) => pattern.test(f)).map((f) => `/assets/${f}`);
  const rows: [string, string, string[]][] = [
    ["review", "routes/review", []],
    ["lesson", "routes/lessons.$slug", lazy(/^(attention-heatmap|tokenizer|gpt2|cl100k_base)-.*\.js$/)],
    ["exercise", "routes/exercises.$id", [...lazy(/^codemirror-.*\.js$/), "/exercise-worker.js", "/exercise-judge.js"]],
  ];
  console.log("JS per route, gzip -9 (from the build's Remix manifest):");
  for (const [name, id, later] of rows) {
    const route = manifest.routes[id];
    if (!route) continue;
    const initial = [...new Set([...base, route.module, ...(route.imports ?? [])])];
    const initialBytes = initial.reduce((n, f) => n + gzipSize(file(f)), 0);
    const laterBytes = later.reduce((n, f) => n + (fs.existsSync(file(f)) ? gzipSize(file(f)) : 0), 0);
    const laterText = later.length ? `; loaded later on demand: ${kb(laterBytes)} (${later.map((f) => path.basename(f).replace(/-[\w-]{8}\.js$/, "")).join(", ")})` : "";
    console.log(`  ${name.padEnd(8)} to start: ${kb(initialBytes)} in ${initial.length} files${laterText}`);
  }
}

async function transferred(browser: Browser) {
  console.log("JS transferred on a first visit (measured in Chromium, compressed bytes, after the page settles):");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page);
  const targets: [string, string][] = [
    ["review", "/review"],
    ["lesson", "/lessons/attention"],
    ["exercise", `/exercises/${exerciseId}`],
  ];
  for (const [name, url] of targets) {
    // A fresh context per page, with the same session cookie: nothing cached.
    const fresh = await browser.newContext({ storageState: await context.storageState() });
    const p = await fresh.newPage();
    const scripts: Promise<number>[] = [];
    p.on("requestfinished", (req) => {
      if (req.resourceType() === "script" || /\.js($|\?)/.test(req.url())) scripts.push(req.sizes().then((s) => s.responseBodySize));
    });
    await p.goto(`${baseURL}${url}`, { waitUntil: "networkidle" });
    if (name === "exercise") {
      await p.locator(".code-editor[data-editor=codemirror]").waitFor();
      await p.getByRole("button", { name: "Run tests" }).click(); // loads the worker
      await p.getByText(/tests passed/).first().waitFor();
      await p.waitForLoadState("networkidle");
    }
    const sizes = await Promise.all(scripts);
    console.log(`  ${name.padEnd(8)} ${kb(sizes.reduce((a, b) => a + b, 0))} in ${sizes.length} scripts${name === "exercise" ? " (incl. CodeMirror and the worker, after one run)" : ""}`);
    await fresh.close();
  }
  await context.close();
}

const browser = await chromium.launch({ executablePath: executablePath || undefined, args: ["--no-sandbox", "--disable-gpu"] });
try {
  console.log(`Benchmark against ${baseURL}, ${await browser.version()}\n`);
  await grading(browser);
  console.log("");
  manifestSizes();
  console.log("");
  await transferred(browser);
  console.log("");
  await (await import("./bench-exercise-python")).pythonBench(browser, baseURL, signUp, Number(process.env.BENCH_PYTHON_RUNS ?? 10)); // Python track
} finally {
  await browser.close();
}
