import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, expectAccessible, hydrated, signUp, test, runTests } from "./fixtures";

// The Python track: the bpe-encode exercise has a Python variant (starter.py / solution.py).
const BPE = "tok-ex-bpe-encode";
const dir = "content/03-tokenization/exercises/bpe-encode";
const pySolution = fs.readFileSync(path.join(dir, "solution.py"), "utf8");
const pyStarter = fs.readFileSync(path.join(dir, "starter.py"), "utf8");
const TOTAL = 10; // 3 visible + 5 hidden + 2 properties

async function openPython(page: Page) {
  await page.goto(`/exercises/${BPE}`);
  await hydrated(page);
  await expect(page.locator(".code-editor[data-editor=codemirror] .cm-content")).toBeVisible();
  await page.getByRole("radio", { name: "Python" }).check();
  await expect(page.locator("textarea#exercise-code")).toHaveValue(pyStarter);
}

async function setCode(page: Page, code: string) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  await expect(page.locator("textarea#exercise-code")).toHaveValue(code);
}

const run = (page: Page) => runTests(page);
const summary = (page: Page) => page.getByRole("status").filter({ hasText: "tests passed" });

test("a Python exercise passes and fails, and the language choice is remembered", async ({ page }) => {
  test.setTimeout(240_000); // the first visit downloads and compiles Pyodide
  await signUp(page);
  await openPython(page);
  await run(page);
  await expect(summary(page)).toContainText(`of ${TOTAL} tests passed.`, { timeout: 120_000 });
  await expect(summary(page)).not.toContainText("Well done");
  await expect(page.locator(".result.fail").first()).toBeVisible();
  await expectAccessible(page); // the language picker, the Python editor, failed results

  await setCode(page, pySolution);
  await run(page);
  await expect(summary(page)).toHaveText(`${TOTAL} of ${TOTAL} tests passed. Well done!`, { timeout: 30_000 });
  await expect(page.locator(".result.pass")).toHaveCount(TOTAL);
  await expect(page.getByText(/^Saved\./)).toBeVisible();

  // Keyboard: the picker is one radio group; arrows switch the language.
  await page.getByRole("radio", { name: "Python" }).focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("radio", { name: "JavaScript" })).toBeChecked();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("radio", { name: "Python" })).toBeChecked();
  await expect(page.locator("textarea#exercise-code")).toHaveValue(pySolution); // the Python code came back

  // The draft is Python code and reopens as Python; a Python error names the learner's line.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("radio", { name: "Python" })).toBeChecked();
  await expect(page.locator("textarea#exercise-code")).toHaveValue(pySolution);
  await expect(page.locator(".code-editor[data-editor=codemirror] .cm-content")).toBeVisible();
  await setCode(page, "def bpe_encode(byte_values, merges):\n    return 1 / 0\n");
  await run(page);
  await expect(page.locator(".result.fail").first()).toContainText("ZeroDivisionError: division by zero (line 2)", { timeout: 30_000 });
  // Judged by the JavaScript judge: the task says to leave the input unchanged (readonlyArgs), and a Python list changed in place is caught.
  await setCode(page, pySolution.replace("    return ids\n", "    byte_values[:] = ids\n    return ids\n"));
  await run(page);
  await expect(page.locator(".result.fail").first()).toContainText("Your function changed its arguments", { timeout: 30_000 });

  // Back to JavaScript: its starter, and the choice carries to the next visit of a bilingual exercise.
  await page.getByRole("radio", { name: "JavaScript" }).check();
  await expect(page.locator("textarea#exercise-code")).toHaveValue(fs.readFileSync(path.join(dir, "starter.ts"), "utf8"));
});

// Runs only in the browser (nothing here depends on the database): once per CI run, not once per database.
test("an endless Python loop is stopped within its limit, and learner Python cannot reach the network", { tag: "@content" }, async ({ page }) => {
  test.setTimeout(240_000);
  const requested: string[] = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  await signUp(page);
  await openPython(page);

  await setCode(page, "def bpe_encode(byte_values, merges):\n    while True:\n        pass\n");
  await run(page);
  await expect(page.locator(".result-stopped")).toContainText("Stopped after 2 s", { timeout: 120_000 });
  await expect(summary(page)).toContainText(`0 of ${TOTAL} tests passed.`);

  // Every way out we know of, in one run (each run starts a fresh interpreter): each must raise.
  const ways = [
    `__import__("js").fetch("/py-probe-1")`,
    `__import__("pyodide.http", fromlist=["pyfetch"]).pyfetch("/py-probe-2")`,
    `__import__("pyodide_js").loadPackage("/py-probe-3")`,
    `__import__("sys").modules["js"].fetch("/py-probe-4")`,
    `__import__("pyodide.code", fromlist=["run_js"]).run_js("fetch('/py-probe-5')")`,
    `__import__("_pyodide._importhook", fromlist=["jsfinder"]).jsfinder.jsproxies["js"].fetch("/py-probe-7")`,
    `[o for o in __import__("gc").get_objects() if "JsProxy" in type(o).__name__ and hasattr(o, "fetch")][0].fetch("/py-probe-8")`,
    `__import__("pyodide.ffi", fromlist=["to_js"]).to_js([]).constructor.constructor("return fetch('/py-probe-6')")()`,
  ];
  const probe = [
    "def bpe_encode(byte_values, merges):",
    "    blocked = 0",
    ...ways.flatMap((w) => ["    try:", `        ${w}`, "    except BaseException as e:", "        blocked += 1", "        print(type(e).__name__)"]),
    `    print("blocked", blocked, "of", ${ways.length})`,
    "    return byte_values",
    "",
  ].join("\n");
  await setCode(page, probe);
  await run(page);
  await expect(page.locator(".console-output")).toContainText(`blocked ${ways.length} of ${ways.length}`, { timeout: 60_000 });
  expect(requested.filter((p) => p.startsWith("/pyodide/")).length).toBeGreaterThan(0); // the worker's own loading is seen…
  expect(requested.filter((p) => p.includes("py-probe"))).toEqual([]); // …and learner code never made a request

  const worker = await page.request.get("/python-worker.js");
  expect(worker.headers()["content-security-policy"]).toMatch(/^default-src 'none'; script-src \S+\/pyodide\/[0-9a-f]+\/ 'wasm-unsafe-eval'; connect-src \S+\/pyodide\/[0-9a-f]+\/$/);
});
