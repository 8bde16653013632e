/**
 * Issue 16 in a real browser: learner code only computes. Overriding built-ins
 * cannot make a pass on any exercise, nothing leaves the runner worker (not
 * even import() of a same-origin script), a huge return value or error is
 * reported within the run's limit, bug-class tests fail their buggy solution,
 * and the workspace brings the results into view after every run.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { parse } from "yaml";
import { expect, expectAccessible, hydrated, signUp, test, runTests } from "./fixtures";

async function openExercise(page: Page, id: string) {
  await page.goto(`/exercises/${id}`);
  await hydrated(page);
  await expect(page.locator(".code-editor[data-editor=codemirror] .cm-content")).toBeVisible();
}

async function setCode(page: Page, code: string) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  await expect(page.locator("textarea#exercise-code")).toHaveValue(code);
}

const summary = (page: Page) => page.getByRole("status").filter({ hasText: "tests passed" });
const softmaxSolution = fs.readFileSync(path.join("content", "02-attention/exercises/softmax/solution.ts"), "utf8");

/** Every exercise of the course, with the function it asks for. */
const exercises = fs
  .readdirSync("content")
  .filter((d) => fs.existsSync(path.join("content", d, "exercises")))
  .flatMap((d) =>
    fs.readdirSync(path.join("content", d, "exercises")).map((e) => {
      const spec = parse(fs.readFileSync(path.join("content", d, "exercises", e, "exercise.yaml"), "utf8")) as { id: string; function: string };
      return { id: spec.id, fn: spec.function };
    }),
  );

// Everything a learner could override to fool a grader living in its realm.
const OVERRIDES = `
Math.abs = () => 0; Math.max = () => 0; Math.min = () => 0;
Number.isNaN = () => false; Number.isFinite = () => true; Number.isInteger = () => true;
Object.keys = () => []; Object.entries = () => []; Object.is = () => true; Object.getPrototypeOf = () => null;
JSON.stringify = () => '"same"'; JSON.parse = () => ({});
Array.isArray = () => true; ArrayBuffer.isView = () => false;
Array.prototype.every = () => true; Array.prototype.some = () => false;
Array.prototype.map = function () { return this; }; Array.prototype.filter = function () { return []; };
String.prototype.slice = function () { return ""; }; String.prototype.includes = () => true;
Function.prototype.call = function () { return true; }; Function.prototype.apply = function () { return true; };
Function.prototype.bind = function () { return () => true; };
Reflect.apply = () => 0;
self.structuredClone = (v) => v;
try { DedicatedWorkerGlobalScope.prototype.postMessage.call(self, { type: "call", id: "t0", ok: true, value: 1 }); } catch {}
try { self.postMessage({ type: "done" }); } catch {}
`;

test("overriding built-ins cannot produce a pass on any exercise", { tag: "@browser" }, async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page);
  expect(exercises.length).toBeGreaterThanOrEqual(14);
  // The issue's own example first: Math.abs made every difference look like 0.
  await openExercise(page, "att-ex-softmax");
  await setCode(page, "Math.abs = () => 0;\nfunction softmax(logits) { return logits.map(() => 0); }");
  await runTests(page);
  await expect(summary(page)).toHaveText(/^\d of 10 tests passed\.$/);
  for (const ex of exercises) {
    await openExercise(page, ex.id);
    await setCode(page, `${OVERRIDES.trim()}\nfunction ${ex.fn}() { return 0; }`);
    await runTests(page);
    const text = (await summary(page).textContent({ timeout: 15_000 })) ?? "";
    const m = /^(\d+) of (\d+) tests passed/.exec(text);
    expect(m, `${ex.id}: ${text}`).not.toBeNull();
    expect(Number(m![1]), `${ex.id}: ${text}`).toBeLessThan(Number(m![2]));
    expect(text).not.toContain("Well done");
  }
});

test("no request leaves the worker: fetch, import(), importScripts and nested workers from the prototypes", { tag: "@browser" }, async ({ page, context }) => {
  await signUp(page);
  await openExercise(page, "att-ex-softmax");
  // Chromium reports a request the policy refused as a "request" that failed with "csp": it never
  // reached the network. What must never happen is a response, or a failure for another reason.
  const requested: string[] = [];
  const answered: string[] = [];
  const failedOtherwise: string[] = [];
  context.on("request", (r) => requested.push(new URL(r.url()).pathname));
  context.on("response", (r) => answered.push(new URL(r.url()).pathname));
  context.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "csp") failedOtherwise.push(`${new URL(r.url()).pathname}: ${r.failure()?.errorText}`);
  });
  await setCode(
    page,
    [
      "function softmax(logits) {",
      "  const tries = [",
      "    () => (0, eval)('imp' + 'ort(\"/x-import.js\")'),",
      "    () => (0, eval)('imp' + 'ortScripts(\"/x-importscripts-eval.js\")'),",
      "    () => WorkerGlobalScope.prototype.importScripts.call(self, '/x-importscripts.js'),",
      "    () => WorkerGlobalScope.prototype.fetch.call(self, '/x-fetch'),",
      "    () => new (Object.getPrototypeOf(self).constructor.prototype.Worker || function () {})('/x-worker.js'),",
      "    () => { const x = new (Function('return XMLHttpRequest')())(); x.open('GET', '/x-xhr'); x.send(); },",
      "  ];",
      "  for (const t of tries) { try { const p = t(); if (p && p.catch) p.catch(() => {}); } catch {} }",
      "  console.log('postMessage:', typeof Object.getPrototypeOf(self).postMessage, typeof DedicatedWorkerGlobalScope.prototype.postMessage);",
      "  return logits;",
      "}",
    ].join("\n"),
  );
  await runTests(page);
  await expect(page.getByText(/^Saved/)).toBeVisible();
  // Run once more so any late request of the first run would have been seen.
  await runTests(page);
  await expect(summary(page)).toBeVisible();
  // The learner's code has no way to post a message of its own.
  await expect(page.locator(".console-output")).toContainText("postMessage: undefined undefined");
  expect(answered).toContain("/exercise-worker.js"); // the worker's own loading is seen here…
  expect(requested).toContain("/x-import.js"); // …the learner's import() was tried…
  expect(answered.filter((p) => p.startsWith("/x-"))).toEqual([]); // …and nothing the learner asked for was answered
  expect(failedOtherwise.filter((p) => p.startsWith("/x-"))).toEqual([]); // (refused by the policy, not by chance)
});

test("a 20 MB return value and a 20 MB error message are reported within the limit, and the page stays usable", { tag: "@browser" }, async ({ page }) => {
  await signUp(page);
  await openExercise(page, "att-ex-softmax");
  await setCode(page, "function softmax(logits) {\n  return 'x'.repeat(20 * 1024 * 1024);\n}");
  await runTests(page);
  await expect(summary(page)).toHaveText("0 of 10 tests passed.");
  await expect(page.locator(".result-stopped")).toHaveCount(0); // reported, not timed out
  await expect(page.locator(".result.fail .result-message").first()).toContainText("a string of 20,971,520 characters, too large to check");

  await setCode(page, "function softmax(logits) {\n  throw new Error('y'.repeat(20 * 1024 * 1024));\n}");
  await runTests(page);
  await expect(summary(page)).toHaveText("0 of 10 tests passed.");
  const message = (await page.locator(".result.fail .result-message").first().textContent()) ?? "";
  expect(message.length).toBeLessThan(2_200);
  expect(message).toMatch(/^Error: y{1500}… \(cut: 20,971,520 characters in all\) \(line 2\)$/);

  // Still responsive: a correct solution runs and passes.
  await setCode(page, softmaxSolution);
  await runTests(page);
  await expect(summary(page)).toHaveText("10 of 10 tests passed. Well done!");
});

test("a bug-class test fails its buggy solution: -log(softmax) for cross-entropy", { tag: "@browser" }, async ({ page }) => {
  await signUp(page);
  await openExercise(page, "train-ex-cross-entropy");
  await setCode(
    page,
    [
      "function crossEntropy(logits, targets) {",
      "  let total = 0;",
      "  logits.forEach((row, r) => {",
      "    const m = Math.max(...row);",
      "    const e = row.map((z) => Math.exp(z - m));",
      "    const sum = e.reduce((a, b) => a + b, 0);",
      "    total += -Math.log(e[targets[r]] / sum);",
      "  });",
      "  return total / logits.length;",
      "}",
    ].join("\n"),
  );
  await runTests(page);
  const failing = page.locator(".result.fail");
  await expect(failing).toHaveCount(1);
  await expect(failing).toContainText("a target with probability e^-1000 costs 1000, not Infinity");
  await expect(failing.locator(".result-args")).toHaveText("Called with [[1000, 0]], [1]");
  await expect(failing.locator(".result-message")).toContainText("got Infinity (an overflow:");
});

test("the workspace: prompt beside the editor, results brought into view and focused, failures first, status and schedule without a reload", async ({ page }) => {
  await signUp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openExercise(page, "att-ex-softmax");
  const brief = (await page.locator(".exercise-brief").boundingBox())!;
  const side = (await page.locator(".exercise-side").boundingBox())!;
  expect(side.x).toBeGreaterThanOrEqual(brief.x + brief.width);
  expect(brief.width + side.width).toBeGreaterThan(1440 * 0.8);
  await expect(page.getByTestId("exercise-status")).toHaveText("Not started");

  // A wrong solution: failures first, the hidden one says what it tried.
  await setCode(page, "function softmax(logits) {\n  const e = logits.map(Math.exp);\n  const s = e.reduce((a, b) => a + b, 0);\n  return e.map((x) => x / s);\n}");
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect(summary(page)).toContainText("of 10 tests passed.");
  const results = page.getByRole("heading", { name: "Results" });
  await expect(results).toBeFocused();
  await expect(results).toBeInViewport();
  await expect(page.locator(".result").first()).toHaveClass(/fail/);
  const hidden = page.locator(".result.fail").filter({ hasText: "large logits do not overflow" });
  await expect(hidden.locator(".result-args")).toHaveText("Called with [1000, 1001, 1002]");
  await expect(page.getByTestId("exercise-status")).toHaveText("Attempted");

  // A pass, then a second pass in the same tab: no "another tab" message.
  await setCode(page, softmaxSolution);
  await runTests(page);
  await expect(summary(page)).toHaveText("10 of 10 tests passed. Well done!");
  await expect(page.getByText(/rated Hard/)).toBeVisible();
  await expect(page.getByTestId("exercise-status")).toHaveText("Passed");
  await expect(page.locator(".badge.later")).toContainText("Next review");
  // Still in learning steps (due again within minutes), so this pass is rated too: against the
  // version the first pass moved the schedule to, not the page's original one.
  await runTests(page);
  await expect(page.locator(".save-note")).toHaveText(/^Saved\. First pass this round: rated Good\./);
  await expect(page.getByText(/another tab/)).toHaveCount(0);
  await expectAccessible(page);

  // At 360 px: nothing wider than the screen, and the results still come into view.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await runTests(page);
  await expect(results).toBeFocused();
  await expect(results).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
