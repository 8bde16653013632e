import { expect, expectAccessible, hydrated, signUp, test } from "./fixtures";
import { answer, questionsOf } from "./quiz-helpers";

test("a lesson quiz: feedback after each answer, a score, and missed questions come back in review", async ({ page }) => {
  const questions = questionsOf("books");
  await signUp(page);
  await page.goto("/lessons/books/quiz");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Start the quiz" }).click();
  const wrongOnes = new Set([0, 2]);
  for (const [i, q] of questions.entries()) {
    await expect(page.getByText(`Question ${i + 1} of ${questions.length}`).first()).toBeVisible();
    if (i === 0) await expectAccessible(page);
    await hydrated(page);
    await answer(page, q, !wrongOnes.has(i));
    const verdict = page.locator(".feedback-verdict");
    await expect(verdict).toHaveText(wrongOnes.has(i) ? "Not quite." : "Correct.");
    await expect(page.locator(".feedback")).toContainText("Answer:");
    await expect(page.getByRole("link", { name: "Read the lesson section" })).toHaveAttribute("href", new RegExp(`/lessons/books#${q.section}$`));
    if (i === 0) await expectAccessible(page);
    await page.getByRole("link", { name: i === questions.length - 1 ? "See your result" : "Next question" }).click();
  }
  const right = questions.length - wrongOnes.size;
  await expect(page.getByRole("heading", { name: `Your score: ${right} of ${questions.length}` })).toBeVisible();
  await expect(page.locator(".missed > li")).toHaveCount(wrongOnes.size);
  await expectAccessible(page);

  // The lesson list shows the score.
  await page.goto("/lessons");
  await expect(page.locator(".lesson-card", { hasText: "Books" })).toContainText(`latest ${Math.round((100 * right) / questions.length)}%`);

  // Missed questions (rated Again) are back in the review queue as questions to answer, after the
  // lesson's new flashcards: starting its quiz chose to study the lesson (ADR 021).
  await page.goto("/review");
  await hydrated(page);
  const missedIds = [...wrongOnes].map((i) => questions[i]!.id).sort();
  const view = await page.evaluate(async () => {
    const reply = (await (await fetch("/api/review", { headers: { Accept: "application/json" } })).json()) as {
      view: { entries: { itemId: string; kind: string }[]; counts: { new: number; learning: number; review: number } };
    };
    return reply.view;
  });
  expect(view.entries.filter((e) => e.kind === "quiz").map((e) => e.itemId).sort()).toEqual(missedIds);
  // All twelve of its flashcards, within the default 20 new a day (quiz answers do not count against it).
  expect(view.counts).toEqual({ new: 12, learning: missedIds.length, review: 0 });
  await expect(page.getByRole("button", { name: /Show answer/ })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the quiz works as plain forms, every question kind", async ({ page }) => {
    const questions = questionsOf("books").slice(0, 5); // single, multiple, text, order (one select per place), numeric
    await signUp(page);
    await page.goto("/lessons/books/quiz");
    await page.getByRole("button", { name: "Start the quiz" }).click();
    for (const [i, q] of questions.entries()) {
      await expect(page.locator(".key-hint")).toHaveCount(0); // keys need JavaScript: no hints for them
      await answer(page, q, i !== 1 && i !== 3);
      await expect(page.locator(".feedback-verdict")).toHaveText(i === 1 || i === 3 ? "Not quite." : "Correct.");
      if (i === 1 || i === 3) await expect(page.locator(".feedback")).toContainText("You answered:");
      await page.getByRole("link", { name: "Next question" }).click();
    }
    await expect(page.getByText("Question 6 of")).toBeVisible();
  });

  test("reviewing cards works as plain forms", async ({ page }) => {
    await signUp(page);
    // Without JavaScript "Study these flashcards" is a plain form too.
    await page.goto("/lessons/attention");
    await page.getByRole("button", { name: /^Study these \d+ flashcards$/ }).click();
    await expect(page).toHaveURL(/\/review$/);
    const front = await page.locator(".card-front").innerText();
    await page.getByRole("button", { name: /Show answer/ }).click();
    await expect(page.locator(".card-back")).toBeVisible();
    await page.getByRole("button", { name: /Good/ }).click();
    await expect(page.getByText("1 done")).toBeVisible();
    expect(await page.locator(".card-front").innerText()).not.toBe(front);
    await page.getByRole("button", { name: /Undo last review/ }).click();
    await expect(page.getByText("Last review undone.")).toBeVisible();
    await expect(page.locator(".card-front")).toHaveText(front);
  });
});
