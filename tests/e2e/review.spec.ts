import { expect, expectAccessible, hydrated, signUp, test } from "./fixtures";

test("a full keyboard-only review session, from the first card to the summary", async ({ page }) => {
  await signUp(page);
  await page.goto("/account");
  await page.getByLabel("New cards per day").fill("5");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();

  await page.goto("/lessons/attention"); // opening a lesson lets its cards in
  await page.goto("/review");
  await hydrated(page);
  await expect(page.getByText("0 done · 5 to go")).toBeVisible();
  await expectAccessible(page);
  for (let i = 0; i < 5; i++) {
    await expect(page.getByRole("button", { name: /Show answer/ })).toBeVisible();
    await page.keyboard.press("Space");
    const easy = page.getByRole("button", { name: /Easy/ });
    await expect(easy).toBeVisible();
    await expect(easy.locator(".rating-interval")).toHaveText(/\d+(d|mo|y)$/);
    if (i === 0) await expectAccessible(page);
    await page.keyboard.press("4");
  }
  await expect(page.getByRole("heading", { name: "All done for now" })).toBeVisible();
  await expect(page.getByText("unsaved")).toHaveCount(0);
  // Everything reached the server: a reload shows the same summary.
  await page.reload();
  await expect(page.getByRole("heading", { name: "All done for now" })).toBeVisible();
  await expect(page.locator(".stats")).toContainText("5");
});

test("undo brings the last card back, and Again keeps a card in today's queue", async ({ page }) => {
  await signUp(page);
  await page.goto("/lessons/transformers");
  await page.goto("/review");
  await hydrated(page);
  const front = page.locator(".card-front");
  const first = await front.innerText();
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  await expect(front).not.toHaveText(first);
  await page.keyboard.press("u");
  await expect(front).toHaveText(first);
  await expect(page.getByText("Last review undone.")).toBeVisible();
});
