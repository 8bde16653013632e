/**
 * Issue 15's workload tools in a real browser: the item browser's filters and
 * "review now", a leech marked on the review card and suspended from it.
 */
import { expect, expectAccessible, hydrated, signUp, test } from "./fixtures";

const CARD = "att-bottleneck";

test("a card reviewed now from /items lapses, is marked a leech on its review card, and is suspended from it", async ({ page, baseURL }) => {
  await signUp(page);
  // A leech after one lapse, so one forgotten review makes one.
  await page.goto("/account");
  await page.getByLabel("Leech after (lapses)").fill("1");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();

  // Learnt: two Good ratings take it through its learning steps into Review, due in days.
  for (const version of ["0", "1"]) {
    const res = await page.request.post("/api/review", { form: { intent: "rate", itemId: CARD, rating: "3", version, clientId: `e2e-learn-${version}-${Date.now()}` }, headers: { Origin: baseURL! } });
    expect(res.status()).toBe(200);
  }

  // The browser finds it by text and by condition, and not under a filter it fails.
  await page.goto("/items");
  await expectAccessible(page);
  await page.getByLabel("Search").fill("bottleneck s>0");
  await page.getByLabel("State").selectOption("review");
  await page.getByRole("button", { name: "Filter" }).click();
  const row = page.locator(`tr[data-item="${CARD}"]`);
  await expect(row).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await page.getByLabel("Search").fill("bottleneck r<0.5");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.locator("tbody tr")).toHaveCount(0);
  await page.getByLabel("Search").fill("r<<1");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("alert")).toContainText('"r<<1"');

  // Review now: the card comes up ahead of schedule; Again makes its first lapse.
  await page.goto(`/items?q=${CARD}`);
  await row.getByRole("link", { name: /Review now/ }).click();
  await expect(page).toHaveURL(new RegExp(`/review\\?item=${CARD}`));
  await hydrated(page);
  await page.getByRole("button", { name: /Show answer/ }).click();
  await page.getByRole("button", { name: /Again/ }).click();

  // Back in today's reviews it is a relearning step, marked as a leech with a link to its lesson section.
  await page.goto("/review");
  await hydrated(page);
  const note = page.getByRole("note");
  await expect(note).toContainText("Leech: forgotten once.");
  await expect(note.getByRole("link", { name: "Reread its lesson section" })).toHaveAttribute("href", "/lessons/attention#the-problem-attention-solved");
  await expectAccessible(page);
  await note.getByRole("button", { name: "Suspend this item" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Suspended" })).toBeVisible();
  await expect(page.locator(`input[name="itemId"][value="${CARD}"]`)).toHaveCount(0);

  // Listed as a suspended leech; unsuspend from the browser.
  await page.goto("/items?q=is%3Aleech");
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await expect(row).toContainText("relearning, suspended");
  await row.getByRole("button", { name: /Unsuspend/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Unsuspended." })).toBeVisible();
  await expect(row).toContainText("relearning");
  await expect(row).not.toContainText("suspended");
});
