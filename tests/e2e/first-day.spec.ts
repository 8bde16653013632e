/** A learner's first day: what the quiz hands to the review (ADR 017). */
import { expect, hydrated, signUp, test } from "./fixtures";
import { answer, questionsOf } from "./quiz-helpers";

test("after a whole lesson quiz, /review shows each missed question once and none answered right", async ({ page }) => {
  const questions = questionsOf("books");
  const wrongOnes = new Set([1, 4]);
  await signUp(page);
  await page.goto("/lessons/books/quiz");
  await hydrated(page);
  await page.getByRole("button", { name: "Start the quiz" }).click();
  for (const [i, q] of questions.entries()) {
    await expect(page.getByText(`Question ${i + 1} of ${questions.length}`).first()).toBeVisible();
    await hydrated(page);
    await answer(page, q, !wrongOnes.has(i));
    await page.getByRole("link", { name: i === questions.length - 1 ? "See your result" : "Next question" }).click();
  }
  await expect(page.getByRole("heading", { name: `Your score: ${questions.length - wrongOnes.size} of ${questions.length}` })).toBeVisible();

  const missed = [...wrongOnes].map((i) => questions[i]!.id).sort();
  await page.goto("/review");
  await hydrated(page);
  const shown: string[] = [];
  const summary = page.getByRole("heading", { name: "All done for now" });
  for (let n = 0; n < missed.length + 2 && !(await summary.isVisible()); n++) {
    const itemId = await page.locator('input[name="itemId"]').first().getAttribute("value");
    expect(itemId, `a question that should not be due: ${itemId}`).not.toBeNull();
    shown.push(itemId!);
    const q = questions.find((x) => x.id === itemId);
    expect(q, `${itemId} is one of the quiz's questions`).toBeDefined();
    await answer(page, q!, true); // right this time: it graduates
    await expect(page.locator(".feedback-verdict")).toHaveText("Correct.");
    await page.getByRole("link", { name: /^Continue/ }).or(page.getByRole("button", { name: /^Continue/ })).click();
    await expect(summary.or(page.getByRole("button", { name: "Check answer" }))).toBeVisible();
  }
  await expect(summary).toBeVisible();
  expect(shown.sort()).toEqual(missed);
  // And after a reload (from the server, not the page's own list), nothing more is due today.
  await page.reload();
  await expect(page.getByRole("heading", { name: "All done for now" })).toBeVisible();
});
