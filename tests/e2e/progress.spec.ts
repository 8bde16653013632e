import type { Page } from "@playwright/test";
import { expect, expectAccessible, hydrated, signUp, studyLesson, test } from "./fixtures";
import { answer, course, questionsOf } from "./quiz-helpers";

const TOPICS = course.topics.map((t) => t.slug);

/** The level shown for a topic on the dashboard or on /progress. */
function level(page: Page, slug: string) {
  return page.locator(`[data-topic="${slug}"] .level-name`);
}

/** What is left on the review page (new + learning + due): what the dashboard must call due today. */
async function toGoOnReviewPage(page: Page): Promise<number> {
  await page.goto("/review");
  const status = page.locator(".review-status");
  if ((await status.count()) === 0) return 0; // "All done for now"
  const text = await status.innerText();
  const count = (label: string) => Number(new RegExp(`(\\d+) ${label}`).exec(text)?.[1] ?? "0");
  return count("new") + count("learning") + count("due");
}

test("mastery moves up after a lesson, its quiz and reviews; the dashboard shows what is due", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page);
  await page.goto("/account");
  await page.getByLabel("New cards per day").fill("8");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();

  // A new learner: every topic Not started, nothing due, no streak.
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Today" })).toBeVisible();
  for (const slug of TOPICS) await expect(level(page, slug)).toHaveText("Not started");
  await expect(page.getByTestId("due-count")).toHaveText("Nothing is due right now.");
  await expect(page.getByTestId("streak")).toHaveText("0 days in a row");
  // No button to an empty review: the way on is the first lesson (issue 14).
  await expect(page.getByRole("link", { name: "Start the review" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Start here" })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/progress");
  for (const slug of TOPICS) await expect(level(page, slug)).toHaveText("Not started");
  await expectAccessible(page);

  // Study the Books lesson: choosing to study it lets its flashcards in (8 a day).
  await studyLesson(page, "books");
  await page.goto("/");
  await expect(page.getByTestId("due-count")).toHaveText("8 items due today");
  await expect(page.locator(".dashboard")).toContainText("8 new");

  // Take its quiz, every answer right.
  const questions = questionsOf("books");
  await page.goto("/lessons/books/quiz");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  for (const [i, q] of questions.entries()) {
    await expect(page.getByText(`Question ${i + 1} of ${questions.length}`).first()).toBeVisible();
    await hydrated(page);
    await answer(page, q, true);
    await expect(page.locator(".feedback-verdict")).toHaveText("Correct.");
    await page.getByRole("link", { name: i === questions.length - 1 ? "See your result" : "Next question" }).click();
  }
  await expect(page.getByRole("heading", { name: `Your score: ${questions.length} of ${questions.length}` })).toBeVisible();

  // Review the 8 new flashcards from the keyboard: Space shows the answer, 4 rates Easy.
  await page.goto("/review");
  await hydrated(page);
  for (let i = 0; i < 8; i++) {
    await expect(page.getByRole("button", { name: /Show answer/ })).toBeVisible();
    await page.keyboard.press("Space");
    await expect(page.getByRole("button", { name: /Easy/ })).toBeVisible();
    await page.keyboard.press("4");
  }
  // The cards are done; the quiz questions just answered come back later as learning items.
  await expect(page.getByRole("button", { name: /Show answer/ })).toHaveCount(0);
  await expect(page.getByText("unsaved")).toHaveCount(0);

  // Every quiz question + 8 cards seen, all just reviewed: more than half of the lesson's items seen, remembered at 100% -> Familiar.
  const books = course.topics.find((t) => t.slug === "books")!;
  const seen = books.questions.length + 8;
  const due = await toGoOnReviewPage(page);
  await page.goto("/");
  await expect(level(page, "books")).toHaveText("Familiar");
  for (const slug of TOPICS.filter((s) => s !== "books")) await expect(level(page, slug)).toHaveText("Not started");
  await expect(page.getByTestId("due-count")).toHaveText(due === 0 ? "Nothing is due right now." : `${due} item${due === 1 ? "" : "s"} due today`);
  await expect(page.getByTestId("streak")).toHaveText("1 day in a row");
  // The overall figure, in words: coverage times memory (ADR 017-b).
  const total = books.questions.length + books.cards.length;
  const coverage = `${Math.floor((100 * seen) / total)}%`;
  const overall = `Overall ${coverage}: coverage ${coverage} (${seen} of ${total} items seen) times memory 100% (recall of what you have seen).`;
  await expect(page.locator('[data-topic="books"] .overall-figure')).toHaveText(`${overall} What this means.`);
  await expect(page.locator('[data-topic="attention"] .overall-figure')).toContainText("Overall 0%: nothing seen yet");
  await expectAccessible(page);

  await page.goto("/progress");
  await expect(level(page, "books")).toHaveText("Familiar");
  await expect(page.locator('[data-topic="books"] .overall-figure')).toHaveText(overall);
  await expect(page.locator('[data-topic="books"]')).toContainText("Weakest concept:");
  await expect(page.locator('[data-topic="books"] .mastery-text')).toContainText(`seen ${seen} of ${books.questions.length + books.cards.length} · recall of what you have seen 100%`);
  // At risk: only items below the desired retention (90%) now or within 3 days (issue 14), here the quiz
  // questions answered right (a first stability of about 2 days), not the flashcards rated Easy (8 days).
  const risky = await page.locator(".risky-list > li").allInnerTexts();
  expect(risky.length).toBeGreaterThan(0);
  expect(risky.length).toBeLessThanOrEqual(8);
  for (const text of risky) {
    expect(text).toContain("Quiz question");
    expect(Number(/in 3 days (\d+)%/.exec(text)?.[1])).toBeLessThan(90);
  }

  await page.goto("/progress/books");
  await expect(page.getByRole("heading", { level: 1, name: "Books" })).toBeVisible();
  await expect(page.locator(".level-name")).toHaveText("Familiar");
  await expect(page.locator(".facts")).toContainText("100%"); // the latest lesson quiz
  await expect(page.locator(".overall-figure")).toHaveText(overall);
  await expectAccessible(page);

  await page.goto("/progress/attention");
  await expect(page.locator(".level-name")).toHaveText("Not started");
  await expectAccessible(page);

  await page.goto("/progress/stats");
  await expect(page.getByTestId("streak")).toHaveText("1 day in a row");
  await expect(page.locator("svg.heatmap")).toHaveAttribute("role", "img");
  await expect(page.locator("figure.chart")).toHaveCount(4);
  await expectAccessible(page);
  // Drawn in the browser too (a client-side navigation), from the counts the page's data carries: the same squares.
  const today = page.locator("svg.heatmap rect.heat").last().locator("title");
  const served = await today.textContent();
  expect(served).toMatch(/^\w{3} \d{1,2} \w{3} \d{4}: \d+ reviews?$/);
  await page.getByRole("link", { name: "Progress", exact: true }).first().click();
  await page.getByRole("link", { name: /^Statistics/ }).click();
  await expect(page.getByTestId("streak")).toHaveText("1 day in a row");
  await expect(page.locator("svg.heatmap rect.heat")).toHaveCount(365);
  await expect(today).toHaveText(served!);
});

test("unknown topics are a 404; the help page explains the levels; nothing overflows at 320 px", async ({ page }) => {
  await signUp(page);
  const res = await page.goto("/progress/no-such-topic");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");

  await page.goto("/help/mastery");
  await expect(page.getByRole("heading", { level: 1, name: "How is mastery computed?" })).toBeVisible();
  for (const l of ["Not started", "Learning", "Familiar", "Proficient", "Mastered"]) await expect(page.locator("dt", { hasText: l })).toHaveCount(1);
  await expectAccessible(page);

  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ["/", "/progress", "/progress/attention", "/progress/stats", "/help/mastery"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the progress pages and their charts are plain HTML", async ({ page }) => {
    await signUp(page);
    await page.goto("/progress/stats");
    await expect(page.locator("svg.heatmap rect.heat")).toHaveCount(365);
    await page.locator("details.chart-table summary").first().click();
    await expect(page.locator("details.chart-table table").first()).toBeVisible();
    await page.goto("/progress");
    await expect(level(page, "attention")).toHaveText("Not started");
  });
});

test("the progress pages need an account", async ({ page }) => {
  await page.goto("/progress/stats");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fprogress%2Fstats/);
});
