/**
 * The Python part of `npm run bench:exercise` (called from bench-exercise.ts
 * with the same browser and server). Prints, no assertions:
 *  - the first Python run after a page load, with Pyodide already in the
 *    browser's HTTP cache (a learner coming back): from the click on "Run
 *    tests" right after hydration to the results, and from navigation start;
 *  - warm grading: with the next run's interpreter already loaded (the page
 *    starts one after every run), p50/p95 from the click to the results;
 *  - how long `while True: pass` runs before the page stops it;
 *  - what a first Python visit downloads: the runner's own scripts and
 *    Pyodide's files, gzip-compressed as the server sends them (Chromium does
 *    not report body sizes for a worker's requests, so they are computed from
 *    the files the server served).
 * Budgets (issue 16): warm under 300 ms, first run with a cached runtime under 4 s.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { Browser, Page } from "@playwright/test";
import { loadCourse } from "../app/content/load.server";

const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function setCode(page: Page, code: string) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

/** Milliseconds from the click on "Run tests" to the summary (or the "stopped" message). */
function timeRun(page: Page, until: "summary" | "stopped"): Promise<{ click: number; sinceNavigation: number }> {
  return page.evaluate(`new Promise((resolve) => {
    const status = document.querySelector(".results-summary");
    const button = [...document.querySelectorAll("button")].find((b) => /Run tests/.test(b.textContent || ""));
    const done = ${JSON.stringify(until)} === "stopped"
      ? () => document.querySelector(".result-stopped") !== null
      : () => /tests passed/.test(status.textContent || "");
    let started = false;
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (/Running the tests/.test(status.textContent || "")) started = true;
      else if (started && done()) {
        observer.disconnect();
        resolve({ click: performance.now() - t0, sinceNavigation: performance.now() });
      }
    });
    observer.observe(document.querySelector(".exercise-results"), { childList: true, characterData: true, subtree: true });
    button.click();
  })`) as Promise<{ click: number; sinceNavigation: number }>;
}

async function openPython(page: Page, url: string) {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __hydrated?: boolean }).__hydrated === true);
  await page.locator(".code-editor[data-editor=codemirror] .cm-content").waitFor();
  const python = page.getByRole("radio", { name: "Python" });
  if (!(await python.isChecked())) await python.check();
}

const spareReady = (page: Page) => page.locator("body[data-python-runner=ready]").waitFor({ timeout: 180_000 });

export async function pythonBench(browser: Browser, baseURL: string, signUp: (page: Page) => Promise<void>, runs: number) {
  const root = path.resolve(import.meta.dirname, "..");
  const exercises = loadCourse(path.join(root, "content")).course.topics.flatMap((t) => t.exercises).filter((e) => e.python);
  const ex = exercises.find((e) => e.id === (process.env.BENCH_PYTHON_EXERCISE ?? "tok-ex-bpe-encode")) ?? exercises[0];
  if (!ex?.python) {
    console.log("Python: no exercise with a Python variant");
    return;
  }
  const url = `${baseURL}/exercises/${ex.id}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page);

  // First visit: downloads Pyodide (into the HTTP cache) and runs once.
  const fetched = new Set<string>();
  page.on("requestfinished", (req) => {
    const p = new URL(req.url()).pathname;
    if (p.startsWith("/pyodide/") || p.startsWith("/python-")) fetched.add(p);
  });
  await openPython(page, url);
  await setCode(page, ex.python.solution);
  const coldStart = Date.now();
  const first = await timeRun(page, "summary");
  const firstWall = Date.now() - coldStart;
  const summary = (await page.locator(".results-summary").innerText()).replace(/\s+/g, " ");

  // A page load with the runtime cached: click as soon as the page is ready.
  await page.getByText(/^Saved|^Not saved/).first().waitFor();
  await openPython(page, url);
  await setCode(page, ex.python.solution);
  const cached = await timeRun(page, "summary");

  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.getByText(/^Saved|^Not saved/).first().waitFor();
    await spareReady(page);
    times.push((await timeRun(page, "summary")).click);
  }
  times.sort((a, b) => a - b);

  await page.getByText(/^Saved|^Not saved/).first().waitFor();
  await spareReady(page);
  await setCode(page, `def ${ex.python.function}(*args):\n    while True:\n        pass\n`);
  const stop = (await timeRun(page, "stopped")).click;
  await context.close();

  // Baseline in the same run, on the same machine: Pyodide's start-up in Node, files already on disk.
  const { loadPyodide } = await import("pyodide");
  const nodeStart = performance.now();
  await loadPyodide({ indexURL: path.join(root, "node_modules", "pyodide") + path.sep, stdout: () => {}, stderr: () => {} });
  const nodeMs = performance.now() - nodeStart;

  const gz = (file: string) => (fs.existsSync(file) ? zlib.gzipSync(fs.readFileSync(file)).length : 0);
  const pyodideDir = path.join(root, "node_modules", "pyodide");
  const pyodideFiles = [...fetched].filter((p) => p.startsWith("/pyodide/")).map((p) => path.basename(p));
  const pyodideBytes = pyodideFiles.reduce((n, f) => n + gz(path.join(pyodideDir, f)), 0);
  const runnerBytes = [...fetched].filter((p) => p.startsWith("/python-")).reduce((n, p) => n + gz(path.join(root, "build", "client", p)), 0);
  console.log(`Python: grading ${ex.id} (${summary}), reference solution.py`);
  console.log(`  first visit, nothing cached: ${ms(first.click)} from the click (${ms(firstWall)} wall), Pyodide downloaded and compiled`);
  console.log(`  first run after a page load, runtime cached by the browser: ${ms(cached.click)} from the click right after hydration, ${ms(cached.sinceNavigation)} from navigation start (budget 4 s)`);
  console.log(`  warm (interpreter loaded ahead), ${runs} runs: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} (min ${ms(times[0]!)}, max ${ms(times[times.length - 1]!)}) (budget 300 ms)`);
  console.log(`  baseline, same run: loadPyodide in Node from disk takes ${ms(nodeMs)}`);
  console.log(`  stopping while True: pass: ${ms(stop)} from the click to the message (limit 2 s per test)`);
  console.log(
    `  downloaded on the first Python visit (gzip): Pyodide ${mb(pyodideBytes)} in ${pyodideFiles.length} files (${pyodideFiles.join(", ")}), ` +
      `the runner worker ${kb(runnerBytes)}`,
  );
}
