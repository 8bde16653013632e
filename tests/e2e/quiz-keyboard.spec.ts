/**
 * Issue 14: one keyboard flow for every item kind, feedback that shows the
 * learner's own answer, typo tolerance and "I was right".
 */
import type { Locator, Page } from "@playwright/test";
import type { Question } from "../../app/content/schema";
import { expect, expectAccessible, hydrated, signUp, test } from "./fixtures";
import { answer, placesOf, questionsOf, wrongOrder } from "./quiz-helpers";

/** Moves the focus along the reorderable list with ↑/↓ and puts each step at its place with its number key. */
async function orderByKeys(page: Page, form: Locator, q: Extract<Question, { kind: "order" }>, order: number[]) {
  await form.locator(".order-item").first().focus(); // the list is one tab stop away; start on its first step
  for (const [pos, step] of order.entries()) {
    const places = await placesOf(page, form, ".order-text", q.steps);
    const focused = await form.locator(".order-item").evaluateAll((els) => els.indexOf(document.activeElement as HTMLElement));
    const target = places[step]!;
    for (let i = focused; i < target; i++) await page.keyboard.press("ArrowDown");
    for (let i = focused; i > target; i--) await page.keyboard.press("ArrowUp");
    await page.keyboard.press(String(pos + 1));
  }
}

/** Answers with keys only: number keys for choices, typing for text and numbers, the list for an ordering; then Enter. */
async function answerByKeys(page: Page, q: Question, how: { right: boolean; text?: string }) {
  const form = page.locator("form", { has: page.locator(`input[name="questionId"][value="${q.id}"], input[name="itemId"][value="${q.id}"]`) });
  await expect(form).toBeVisible();
  switch (q.kind) {
    case "single":
    case "multiple": {
      const places = await placesOf(page, form, ".choice-text", q.choices.map((c) => c.text));
      const correct = q.choices.flatMap((c, i) => (c.correct ? [i] : []));
      const wrong = q.choices.flatMap((c, i) => (c.correct ? [] : [i]));
      // Wrong on a multiple-answer question: one right pick and one wrong one, so the feedback marks both kinds.
      const picks = how.right ? correct : q.kind === "multiple" ? [correct[0]!, wrong[0]!] : [wrong[0]!];
      for (const i of picks) await page.keyboard.press(String(places[i]! + 1));
      for (const i of picks) await expect(form.locator("input.choice-input").nth(places[i]!)).toBeChecked();
      break;
    }
    case "numeric":
    case "text": {
      await expect(form.getByLabel(/Your answer/)).toBeFocused();
      const value = how.text ?? (q.kind === "numeric" ? String(how.right ? q.answer : q.answer + 1000 + q.tolerance * 10) : how.right ? q.answers[0]! : "definitely not this");
      await page.keyboard.type(value);
      break;
    }
    case "order":
      await orderByKeys(page, form, q, how.right ? q.steps.map((_, i) => i) : wrongOrder(q.steps.length));
      break;
  }
  await page.keyboard.press("Enter");
}

test("a keyboard-only lesson quiz through all five question kinds, with 'You answered', marked picks and a typo forgiven", async ({ page }) => {
  const questions = questionsOf("books").slice(0, 5);
  expect(questions.map((q) => q.kind)).toEqual(["single", "multiple", "text", "order", "numeric"]);
  await signUp(page);
  await page.goto("/lessons/books/quiz");
  await hydrated(page);
  await page.getByRole("button", { name: "Start the quiz" }).focus();
  await page.keyboard.press("Enter");

  for (const [i, q] of questions.entries()) {
    await expect(page.getByText(`Question ${i + 1} of`).first()).toBeVisible();
    await hydrated(page);
    await expect(page.locator(".key-hint").first()).toBeVisible(); // keys work, so their hints show
    if (q.kind === "order") await expectAccessible(page);
    const wrong = q.kind === "multiple";
    const typo = q.kind === "text" ? "WordPeice" : undefined; // "WordPiece" with two letters swapped
    await answerByKeys(page, q, { right: !wrong, text: typo });
    const feedback = page.locator(".feedback");
    if (wrong) {
      await expect(feedback.locator(".feedback-verdict")).toHaveText("Not quite.");
      await expect(feedback).toContainText("You answered:");
      await expect(feedback.locator(".feedback-choices .pick-right")).toHaveCount(1);
      await expect(feedback.locator(".feedback-choices .pick-wrong")).toHaveCount(1);
      const missed = q.kind === "multiple" ? q.choices.filter((c) => c.correct).length - 1 : 0;
      await expect(feedback.locator(".feedback-choices .pick-missed")).toHaveCount(missed);
      await expect(feedback.locator(".pick-wrong")).toContainText("your pick, wrong");
      await expectAccessible(page);
    } else if (typo) {
      await expect(feedback.locator(".feedback-verdict")).toHaveText("Correct, allowing for a typo.");
      await expect(feedback.locator(".your-answer")).toHaveText("WordPeice");
    } else {
      await expect(feedback.locator(".feedback-verdict")).toHaveText("Correct.");
    }
    // The way on takes the focus (the answer's form is gone), so Enter and Tab go on from it.
    await expect(page.getByRole("link", { name: /Next question/ })).toBeFocused();
    await page.keyboard.press("Enter"); // continues
    await expect(page.locator(".feedback-verdict")).toHaveCount(0);
  }
  await expect(page.getByText("Question 6 of")).toBeVisible();
});

test("a keyboard-only review through a flashcard and all five question kinds; 'I was right' re-rates a typed answer", async ({ page }) => {
  test.slow(); // a quiz to seed five kinds, then a whole session: over a minute on a loaded machine
  const questions = questionsOf("books").slice(0, 5);
  expect(questions.map((q) => q.kind)).toEqual(["single", "multiple", "text", "order", "numeric"]);
  await signUp(page);
  await page.goto("/account");
  await page.getByLabel("New cards per day").fill("1"); // one flashcard; the quiz's answers do not count against it
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  // Miss one question of each kind in the lesson quiz (starting it enrols the lesson's cards, ADR 021):
  // each comes back once later today, within the review's look-ahead (ADR 017).
  await page.goto("/lessons/books/quiz");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  for (const q of questions) {
    await hydrated(page);
    await answer(page, q, false);
    await expect(page.locator(".feedback-verdict")).toHaveText("Not quite.");
    await page.getByRole("link", { name: "Next question" }).click();
  }

  await page.goto("/review");
  await hydrated(page);
  await expect(page.locator(".review-counts")).toHaveText(/^1 new · 5 learning · 0 due · 0 done this session$/);
  const textQ = questions.find((q) => q.kind === "text")!;
  const seen: string[] = [];
  let overruled = false;
  let rechecks = 0;
  const summary = page.getByRole("heading", { name: "All done for now" });
  for (let step = 0; step < 10; step++) {
    // The next item, or the summary once the queue (refilled from the server when the page's list runs out) is empty.
    const card = page.locator(".review-card");
    const showAnswer = page.getByRole("button", { name: /Show answer/ });
    // A flashcard, a question, or the end: never a page between two items.
    await expect(showAnswer.or(card.getByRole("button", { name: "Check answer" })).or(summary)).toBeVisible();
    if (await summary.isVisible()) break;
    if (await showAnswer.isVisible()) {
      seen.push("card");
      await expect(page.locator(".keys-hint")).toContainText("show the answer");
      await page.keyboard.press("Space");
      await expect(page.locator(".keys-hint")).toContainText("rate");
      await page.keyboard.press("3");
      // Rated: the next item (even this card again) comes with its answer hidden; never read the old one.
      await expect(page.getByRole("button", { name: /^Good/ })).toHaveCount(0);
      continue;
    }
    if (!(await card.getByRole("button", { name: "Check answer" }).isVisible())) {
      // Caught between two states (the page's list ran out and is refilled from the server, or the
      // summary is on its way): look again rather than read a page that is changing.
      expect(++rechecks, "the review never settled on an item or the summary").toBeLessThan(50);
      await page.waitForTimeout(100);
      step--;
      continue;
    }
    const itemId = await card.locator('input[name="itemId"]').first().getAttribute("value");
    const q = questions.find((x) => x.id === itemId)!;
    expect(q, `${itemId} is one of the missed questions`).toBeDefined();
    seen.push(q.kind);
    if (q.kind === "order") {
      // The list is reached with Tab, as any control is.
      for (let i = 0; i < 4 && !(await card.locator(".order-item").first().evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
      await expect(card.locator(".order-item").first()).toBeFocused();
    }
    if (q.id === textQ.id) {
      await answerByKeys(page, q, { right: false, text: "the attention pattern" });
      const feedback = page.locator(".feedback");
      await expect(feedback.locator(".feedback-verdict")).toHaveText("Not quite.");
      await expect(feedback.locator(".your-answer")).toHaveText("the attention pattern");
      await expectAccessible(page);
      // Continue has the focus; "I was right" is one step back.
      await expect(page.getByRole("link", { name: /^Continue/ })).toBeFocused();
      await page.keyboard.press("Shift+Tab");
      await expect(page.getByRole("button", { name: "I was right" })).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(feedback.getByText("Marked right: rated again as a right answer.")).toBeVisible();
      await expect(page.getByRole("button", { name: "I was right" })).toHaveCount(0);
      overruled = true;
    } else {
      await answerByKeys(page, q, { right: true });
      await expect(page.locator(".feedback-verdict")).toHaveText(/^Correct/);
    }
    await page.keyboard.press("Enter"); // continues
    await expect(page.locator(".feedback-verdict")).toHaveCount(0);
  }
  await expect(summary).toBeVisible();
  // The flashcard twice (Good starts its learning steps, the second Good graduates it), each question once.
  expect([...seen].sort()).toEqual(["card", "card", "multiple", "numeric", "order", "single", "text"]);
  expect(overruled).toBe(true);
});

test("'I was right' in the lesson quiz counts a typed answer as right", async ({ page }) => {
  const [q1, q2, q3] = questionsOf("books");
  await signUp(page);
  await page.goto("/lessons/books/quiz");
  await page.getByRole("button", { name: "Start the quiz" }).click();
  for (const q of [q1!, q2!]) {
    await hydrated(page);
    await answer(page, q, true);
    await page.getByRole("link", { name: "Next question" }).click();
  }
  await hydrated(page);
  await answer(page, q3!, false);
  await expect(page.locator(".feedback-verdict")).toHaveText("Not quite.");
  await expect(page.locator(".your-answer")).toHaveText("definitely not this");
  await page.getByRole("button", { name: "I was right" }).click();
  await expect(page.getByText("Marked right: it counts as a right answer")).toBeVisible();
  await expect(page.getByRole("button", { name: "I was right" })).toHaveCount(0);
  await expect(page.locator(".feedback-verdict")).toHaveText("Correct.");
});

test.describe("on a touch screen", () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 } });

  test("key hints are hidden, and an ordering is reordered with its buttons", async ({ page }) => {
    const q = questionsOf("books")[3]!;
    if (q.kind !== "order") throw new Error("expected the fourth Books question to be an ordering");
    await signUp(page);
    await page.goto("/lessons/books/quiz");
    await hydrated(page);
    expect(await page.evaluate(() => matchMedia("(hover: none), (pointer: coarse)").matches)).toBe(true);
    await page.getByRole("button", { name: "Start the quiz" }).tap();
    for (const earlier of questionsOf("books").slice(0, 3)) {
      await hydrated(page);
      await expect(page.locator(".key-hint").first()).toBeHidden();
      await answer(page, earlier, true);
      await page.getByRole("link", { name: "Next question" }).tap();
    }
    await hydrated(page);
    await expect(page.locator(".order-item")).toHaveCount(q.steps.length);
    await expect(page.locator(".key-hint").first()).toBeHidden();
    // Bubble each step up to its place with the Move up buttons.
    const form = page.locator("form.review-card");
    for (const pos of q.steps.keys()) {
      let at = (await placesOf(page, form, ".order-text", q.steps))[pos]!;
      for (; at > pos; at--) await form.locator(".order-item").nth(at).getByRole("button", { name: /^Move up/ }).tap();
    }
    await form.getByRole("button", { name: "Check answer" }).tap();
    await expect(page.locator(".feedback-verdict")).toHaveText("Correct.");
    await expectAccessible(page);
  });
});
