import { expect, expectAccessible, test } from "./fixtures";
import { readSeed } from "./seed";

const seed = readSeed();

test("the lessons list has the five seed sections in seed order", { tag: "@content" }, async ({ page }) => {
  await page.goto("/lessons");
  await expect(page).toHaveTitle(/Lessons \| Attention Span/);
  const titles = await page.locator(".lesson-card h2").allInnerTexts();
  expect(titles.map((t) => t.replace(/^Lesson \d+:\s*/, "").trim())).toEqual(seed.map((s) => s.title));
  expect(seed.map((s) => s.links.length).reduce((a, b) => a + b, 0)).toBe(26);
});

for (const [index, section] of seed.entries()) {
  test(`lesson ${index + 1} (${section.title}) presents every resource of its seed section`, { tag: "@content" }, async ({ page }) => {
    await page.goto("/lessons");
    await page.locator(".lesson-card h2 a").nth(index).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(section.title);
    for (const url of section.links) {
      const card = page.locator(".resource", { has: page.locator(`a[href="${url}"]`) });
      await expect(card, `resource card for ${url}`).toHaveCount(1);
      await expect(card.locator(".resource-kind")).toHaveText(/article|video|repository|tool|book/i);
      await expect(card.locator(".resource-when")).toContainText("When:");
    }
  });
}

test("books show authors, year, publisher, ISBN and chapters", { tag: "@content" }, async ({ page }) => {
  await page.goto("/lessons/books");
  const book = page.locator("#res-nlp-with-transformers");
  await expect(book).toContainText("Lewis Tunstall");
  await expect(book).toContainText("2022");
  await expect(book).toContainText("O'Reilly");
  await expect(book).toContainText("ISBN 9781098136796");
  await expect(book).toContainText("Chapter 3");
});

test("lessons render math on the server and highlight code", { tag: "@content" }, async ({ page }) => {
  await page.goto("/lessons/attention");
  await expect(page.locator(".katex").first()).toBeAttached();
  await page.goto("/lessons/transformers");
  expect(await page.locator("h2[id]").count()).toBeGreaterThan(3);
});

test("an unknown lesson is a real 404 page", { tag: "@content" }, async ({ page }) => {
  const response = await page.goto("/lessons/no-such-lesson");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page).toHaveTitle(/Page not found/);
  const other = await page.goto("/this/does/not/exist");
  expect(other?.status()).toBe(404);
});

test("the layout works at 320 px wide: nothing overflows sideways", { tag: "@content" }, async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ["/", "/lessons", "/lessons/attention", "/lessons/transformers", "/lessons/tokenization", "/lessons/training", "/lessons/books", "/overview", "/login", "/signup"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
  }
});

for (const path of ["/", "/lessons", "/lessons/transformers", "/lessons/attention", "/lessons/tokenization", "/lessons/training", "/lessons/books", "/overview", "/login", "/signup", "/nope"]) {
  test(`axe: ${path} has no serious or critical violations`, { tag: "@content" }, async ({ page }) => {
    await page.goto(path);
    await expectAccessible(page);
  });
}

test("healthz reports the database", async ({ request }) => {
  const res = await request.get("/healthz");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ ok: true, database: "up" });
});
