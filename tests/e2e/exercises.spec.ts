import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, hydrated, signUp, test, runTests } from "./fixtures";

const SOFTMAX = "att-ex-softmax";
const exerciseFile = (dir: string, file: string) => fs.readFileSync(path.join("content", dir, file), "utf8");
const softmaxSolution = exerciseFile("02-attention/exercises/softmax", "solution.ts");
const softmaxStarter = exerciseFile("02-attention/exercises/softmax", "starter.ts");
const SOFTMAX_TOTAL = 10; // 3 visible + 5 hidden + 2 properties

/** Opens an exercise and waits until CodeMirror has replaced the textarea. */
async function openExercise(page: Page, id: string, query = "") {
  await page.goto(`/exercises/${id}${query}`);
  await hydrated(page);
  await expect(page.locator(".code-editor[data-editor=codemirror] .cm-content")).toBeVisible();
}

/** Replaces the editor's content the way a learner pasting code would. */
async function setCode(page: Page, code: string) {
  const content = page.locator(".cm-content");
  await content.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  // The hidden textarea mirrors the editor: check the text arrived intact.
  await expect(page.locator("textarea#exercise-code")).toHaveValue(code);
}

const summary = (page: Page) => page.getByRole("status").filter({ hasText: "tests passed" });

test("exercises need an account; the list groups them by lesson with the learner's status", async ({ page }) => {
  await page.goto("/exercises");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fexercises/);
  await signUp(page);
  await page.goto("/exercises");
  await expect(page.getByRole("heading", { level: 1, name: "Exercises" })).toBeVisible();
  await expect(page.locator("section#topic-attention")).toBeVisible();
  const row = page.locator(".exercise-row").filter({ has: page.getByRole("link", { name: "A numerically stable softmax" }) });
  await expect(row).toContainText("Not started");
  await expect(page.locator(".exercise-row")).toHaveCount(await page.locator(".exercise-link").count());
  expect(await page.locator(".exercise-link").count()).toBeGreaterThanOrEqual(14);
  await expectAccessible(page);

  // Lessons link to their section of the list.
  await page.goto("/lessons/attention");
  await page.getByRole("link", { name: /Code exercises/ }).click();
  await expect(page).toHaveURL(/\/exercises#topic-attention$/);

  await page.goto("/exercises/no-such-exercise");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a correct solution passes, is rated Good, restores as the draft, and review mode starts from the starter", async ({ page }) => {
  await signUp(page);
  await openExercise(page, SOFTMAX);
  await expect(page.getByRole("heading", { level: 1, name: "A numerically stable softmax" })).toBeVisible();
  await expect(page.locator(".exercise-prompt .katex").first()).toBeVisible(); // math renders
  await expect(page.locator(".test-case")).toHaveCount(3);
  await expect(page.locator(".test-case").first()).toContainText("[1, 2, 3]");
  await expectAccessible(page);

  await setCode(page, softmaxSolution);
  await runTests(page);
  await expect(summary(page)).toHaveText(`${SOFTMAX_TOTAL} of ${SOFTMAX_TOTAL} tests passed. Well done!`);
  await expect(page.locator(".result.pass")).toHaveCount(SOFTMAX_TOTAL);
  await expect(page.getByText(/rated Good/)).toBeVisible();
  await expectAccessible(page);

  await page.reload();
  await hydrated(page);
  await expect(page.getByText("Your latest code is restored.")).toBeVisible();
  await expect(page.locator("textarea#exercise-code")).toHaveValue(softmaxSolution);

  await openExercise(page, SOFTMAX, "?review=1");
  await expect(page.getByText(/write it again from the starter code/)).toBeVisible();
  await expect(page.locator("textarea#exercise-code")).toHaveValue(softmaxStarter);

  await page.goto("/exercises");
  await expect(page.locator(".exercise-row").filter({ hasText: "A numerically stable softmax" })).toContainText("Passed");
});

test("a wrong solution shows the failing case with the place and the values; Ctrl+Enter runs", async ({ page }) => {
  await signUp(page);
  await openExercise(page, SOFTMAX);
  await setCode(page, "function softmax(logits: number[]): number[] {\n  const exps = logits.map(Math.exp);\n  const sum = exps.reduce((a, b) => a + b, 0);\n  return exps.map((e) => e / sum);\n}");
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect(summary(page)).toContainText(`of ${SOFTMAX_TOTAL} tests passed.`);
  const overflow = page.locator(".result.fail").filter({ hasText: "large logits do not overflow" });
  await expect(overflow).toContainText("✗ Failed");
  await expect(overflow.locator(".result-message")).toHaveText(/^expected out\[0\] to be 0\.0900306 ± [\d.e-]+, got NaN \(NaN often comes from an overflow: subtract the largest score before exp\)$/);
  await expect(page.locator(".result.pass").filter({ hasText: "three increasing logits" })).toBeVisible();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
});

test("an endless loop is stopped within the limit and the page keeps working", async ({ page }) => {
  await signUp(page);
  await openExercise(page, SOFTMAX);
  await setCode(page, "function softmax(logits) {\n  while (true) {}\n}");
  const started = Date.now();
  await runTests(page);
  await expect(page.locator(".result-stopped")).toContainText("Stopped after 2 s", { timeout: 6_000 });
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(summary(page)).toHaveText(`0 of ${SOFTMAX_TOTAL} tests passed. The run was stopped.`);
  await expect(page.locator(".result.fail").first()).toContainText("did not finish");

  // A loop at the top level (while loading the code) is stopped too.
  await setCode(page, "while (true) {}\nfunction softmax(x) { return x }");
  await runTests(page);
  await expect(page.locator(".result-stopped")).toContainText("while loading", { timeout: 6_000 });

  // The page still responds: the Run button works again, and links work.
  await setCode(page, softmaxSolution);
  await runTests(page);
  await expect(summary(page)).toHaveText(`${SOFTMAX_TOTAL} of ${SOFTMAX_TOTAL} tests passed. Well done!`);
  await page.locator(".breadcrumbs").getByRole("link", { name: "Exercises" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Exercises" })).toBeVisible();
});

test("learner code cannot use the network: fetch fails with a clear message, and the worker has its own strict policy", async ({ page }) => {
  await signUp(page);
  await openExercise(page, SOFTMAX);
  const requested: string[] = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  await setCode(page, "function softmax(logits) {\n  fetch('/');\n  return logits;\n}");
  await runTests(page);
  await expect(summary(page)).toContainText(`0 of ${SOFTMAX_TOTAL} tests passed.`);
  await expect(page.locator(".result-message").first()).toHaveText(
    "Error: fetch is not available here: exercise code runs in a sandbox with no network access. (line 2)",
  );

  // Going around the friendly message (the real fetch, from the prototype) meets the policy: nothing leaves.
  await setCode(page, "function softmax(logits) {\n  WorkerGlobalScope.prototype.fetch.call(self, '/csp-probe');\n  return logits;\n}");
  await runTests(page);
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  expect(requested).toContain("/exercise-worker.js"); // the worker's own requests are seen here…
  expect(requested).not.toContain("/csp-probe"); // …and the learner's never happened

  const worker = await page.request.get("/exercise-worker.js");
  expect(worker.ok()).toBe(true);
  expect(worker.headers()["content-security-policy"]).toBe("default-src 'none'; script-src 'unsafe-eval'");
  const judge = await page.request.get("/exercise-judge.js");
  expect(judge.headers()["content-security-policy"]).toBe("default-src 'none'; script-src 'unsafe-eval'");
});

test("TypeScript with type annotations runs (the causal mask keeps its -Infinity)", async ({ page }) => {
  await signUp(page);
  await openExercise(page, "att-ex-causal-mask");
  const name = await page.locator(".exercise-code label").innerText();
  const fn = /implementation of (\w+)/.exec(name)![1]!;
  await setCode(
    page,
    [
      "type Row = number[];",
      `function ${fn}(n: number): Row[] {`,
      "  const out: Row[] = [];",
      "  for (let i = 0; i < n; i++) {",
      "    const row: Row = new Array<number>(n).fill(0);",
      "    for (let j = i + 1; j < n; j++) row[j] = -Infinity;",
      "    out.push(row);",
      "  }",
      "  return out as Row[];",
      "}",
    ].join("\n"),
  );
  await runTests(page);
  await expect(summary(page)).toHaveText(/^(\d+) of \1 tests passed\. Well done!$/);
});

test("a syntax error reports its line", async ({ page }) => {
  await signUp(page);
  await openExercise(page, SOFTMAX);
  await setCode(page, "function softmax(logits: number[]) {\n  const m = Math.max(...logits);\n  return logits.map((x) => x - );\n}");
  await runTests(page);
  await expect(page.locator(".result-error")).toContainText("Syntax error on line 3");
  await expect(summary(page)).toContainText(`0 of ${SOFTMAX_TOTAL} tests passed. Syntax error on line 3`);
  await expectAccessible(page);
});

test("reset asks first; the solution can be revealed after a failed run, with a confirmation", async ({ page }) => {
  await signUp(page);
  // A run enrols the lesson (ADR 021); with no new cards today, the review below starts with the exercise.
  await page.goto("/account");
  await page.getByLabel("New cards per day").fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await openExercise(page, SOFTMAX);
  await expect(page.getByRole("button", { name: "Show the solution" })).toHaveCount(0);

  await setCode(page, "function softmax(x) { return x; }");
  await page.getByRole("button", { name: "Reset" }).click();
  const resetDialog = page.getByRole("dialog", { name: "Reset the code?" });
  await expect(resetDialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(resetDialog).toBeHidden();
  await expect(page.locator("textarea#exercise-code")).toHaveValue("function softmax(x) { return x; }");

  await runTests(page);
  await expect(summary(page)).toContainText(`of ${SOFTMAX_TOTAL} tests passed.`);
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Show the solution" }).click();
  const revealDialog = page.getByRole("dialog", { name: "Show the reference solution?" });
  await expect(revealDialog).toBeVisible();
  await expect(revealDialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectAccessible(page);
  await revealDialog.getByRole("button", { name: "Show the solution" }).click();
  await expect(page.getByRole("heading", { name: "Reference solution" })).toBeFocused();
  await expect(page.locator("pre.solution")).toHaveText(softmaxSolution);
  await expect(page.getByRole("button", { name: "Show the solution" })).toHaveCount(0);

  // Passing now stores the run but does not rate it: the reveal was the rating (Again).
  await setCode(page, softmaxSolution);
  await runTests(page);
  await expect(summary(page)).toHaveText(`${SOFTMAX_TOTAL} of ${SOFTMAX_TOTAL} tests passed. Well done!`);
  await expect(page.getByText(/You saw the solution this round/)).toBeVisible();

  await page.getByRole("button", { name: "Reset" }).click();
  await page.getByRole("dialog", { name: "Reset the code?" }).getByRole("button", { name: "Reset to the starter" }).click();
  await expect(page.locator("textarea#exercise-code")).toHaveValue(softmaxStarter);

  // Rated Again: the daily review asks to implement it again, from the starter code.
  await page.goto("/review");
  await hydrated(page);
  await expect(page.getByText("Implement A numerically stable softmax again, from the starter code.")).toBeVisible();
  await page.getByRole("link", { name: "Open the exercise" }).click();
  await expect(page).toHaveURL(new RegExp(`/exercises/${SOFTMAX}\\?review=1$`));
  await expect(page.getByText(/write it again from the starter code/)).toBeVisible();
  await expect(page.locator("textarea#exercise-code")).toHaveValue(softmaxStarter);
});

test("the exercise page works at 320 px and the save endpoint rejects bad input with a message", async ({ page, baseURL }) => {
  await signUp(page);
  await page.setViewportSize({ width: 320, height: 640 });
  // The widest test data of the course: multi-head attention's matrices.
  await openExercise(page, "tr-ex-multi-head-causal-attention");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await runTests(page);
  await expect(summary(page)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

  const post = (form: Record<string, string>) => page.request.post(`/api/exercises/${SOFTMAX}`, { form, headers: { Origin: baseURL! } });
  const bad = await post({ intent: "attempt", clientId: "abc" });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatch(/clientId/);
  const lie = await post({ intent: "attempt", clientId: "client-12345", version: "0", passed: "true", testsPassed: "1", testsTotal: "10", code: "x" });
  expect(lie.status()).toBe(400);
  expect((await lie.json()).error).toMatch(/passed: a passing run passes every test/);
  const early = await post({ intent: "reveal", clientId: "client-67890", version: "0" });
  expect(early.status()).toBe(409);
  const unknown = await page.request.post("/api/exercises/nope", { form: { intent: "attempt" }, headers: { Origin: baseURL! } });
  expect(unknown.status()).toBe(404);
});
