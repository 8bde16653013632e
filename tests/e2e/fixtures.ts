import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export { expect };

let counter = 0;
export function uniqueName(prefix = "learner") {
  counter++;
  return `${prefix}_${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
}

export const PASSWORD = "correct horse battery";

/** Signs up a fresh learner through the real form; the page is then signed in. */
export async function signUp(page: Page, username = uniqueName(), password = PASSWORD) {
  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  // Attached, not visible: at phone widths the header's links sit behind the Menu button.
  await expect(page.getByRole("link", { name: `Account: ${username}`, includeHidden: true })).toBeAttached();
  return { username, password };
}

/** Waits for React to hydrate, so a test never clicks a button that has no handler yet. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __hydrated?: boolean }).__hydrated === true);
}

/** No serious or critical accessibility violations on the current page. */
export async function expectAccessible(page: Page) {
  // KaTeX's visual HTML is aria-hidden (its MathML is what assistive technology reads) and is
  // thousands of nodes on a lesson page: skipping it keeps the scan fast without hiding anything.
  const results = await new AxeBuilder({ page }).exclude(".katex-html").analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
    "axe found serious or critical violations",
  ).toEqual([]);
}

export const test = base;

/**
 * Opens a lesson and chooses "Study these N flashcards" (ADR 021: opening a
 * lesson enrols nothing; this is what lets its new cards into the review).
 * Lands on /review.
 */
export async function studyLesson(page: Page, slug: string) {
  await page.goto(`/lessons/${slug}`);
  await page.getByRole("button", { name: /^Study these \d+ flashcards$/ }).click();
  await page.waitForURL("**/review");
}

/**
 * Clicks an exercise's "Run tests". The code editor renders its lines lazily and corrects its height
 * once it is scrolled into view, which can move the button after Playwright has aimed at it (a click
 * then lands beside it): bring it into view, wait until it stays put, then click.
 */
export async function runTests(page: Page) {
  const button = page.getByRole("button", { name: "Run tests" });
  await button.scrollIntoViewIfNeeded();
  // Until it stays put over two frames (at most about 20 frames).
  await button.evaluate(async (el) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    let top = el.getBoundingClientRect().top;
    for (let i = 0; i < 10; i++) {
      await frame();
      const now = el.getBoundingClientRect().top;
      if (now === top) return;
      top = now;
    }
  });
  await button.click();
}
