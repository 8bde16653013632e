import type { Page } from "@playwright/test";
import { expect, expectAccessible, hydrated, signUp, studyLesson, test } from "./fixtures";

/** The signed-in learner's outbox key (app/review/outbox.ts: one outbox per learner on a device). */
async function outboxKey(page: Page) {
  const { user } = (await (await page.request.get("/account/export")).json()) as { user: { id: string } };
  return `attention-span:outbox:v2:${user.id}`;
}

async function newCardsPerDay(page: Page, n: number) {
  await page.goto("/account");
  await page.getByLabel("New cards per day").fill(String(n));
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
}

test("a full keyboard-only review session, from the first card to the summary", async ({ page }) => {
  await signUp(page);
  await page.goto("/account");
  await page.getByLabel("New cards per day").fill("5");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();

  await studyLesson(page, "attention"); // choosing to study a lesson lets its cards in
  await page.goto("/review");
  await hydrated(page);
  await expect(page.locator(".review-counts")).toHaveText("5 new · 0 learning · 0 due · 0 done this session");
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

test("undo brings the last card back", async ({ page }) => {
  await signUp(page);
  await studyLesson(page, "transformers");
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

test("undo while the rating is still on its way to the server takes it back for good", async ({ page }) => {
  await signUp(page);
  await studyLesson(page, "transformers");
  await page.goto("/review");
  await hydrated(page);
  const statuses: number[] = [];
  page.on("response", (r) => {
    if (r.url().endsWith("/api/review") && r.request().method() === "POST") statuses.push(r.status());
  });
  // Hold each save for a moment, as a slow network would.
  await page.route("**/api/review", async (route) => {
    if (route.request().method() === "POST") await new Promise((r) => setTimeout(r, 700));
    await route.continue();
  });
  const front = page.locator(".card-front");
  const first = await front.innerText();
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  await expect(front).not.toHaveText(first);
  await page.keyboard.press("u"); // the Good rating is being sent right now
  await expect(front).toHaveText(first);
  await expect(page.getByText("Last review undone.")).toBeVisible();
  // Rated again, the card is accepted: the undo really took the first rating back.
  await page.keyboard.press("Space");
  await page.keyboard.press("1");
  await expect(front).not.toHaveText(first);
  await expect(page.getByText(/unsaved/i)).toHaveCount(0);
  await expect.poll(() => statuses.length).toBe(3); // the rating, the undo, the new rating
  expect(statuses).toEqual([200, 200, 200]);
  await expect(page.getByText(/Already reviewed/)).toHaveCount(0);
});

test("a card rated Again comes back in the same session", async ({ page }) => {
  await signUp(page);
  await newCardsPerDay(page, 1);
  await studyLesson(page, "tokenization");
  await page.goto("/review");
  await hydrated(page);
  const front = await page.locator(".card-front").innerText();
  await page.keyboard.press("Space");
  await expect(page.getByRole("button", { name: /Again/ }).locator(".rating-interval")).toHaveText("1m");
  await page.keyboard.press("1");
  // Learning steps are minutes long: the card is back as soon as the local queue asks the server again.
  await expect(page.locator(".card-front")).toHaveText(front);
  await expect(page.locator(".review-topic")).toContainText("learning");
});

test("a review made while the server is unreachable is saved once it comes back", async ({ page, context }) => {
  await signUp(page);
  await newCardsPerDay(page, 2);
  await studyLesson(page, "training");
  const key = await outboxKey(page);
  await page.goto("/review");
  await hydrated(page);
  await context.setOffline(true);
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  await expect(page.getByText("1 unsaved review")).toBeVisible();
  await expect(page.getByText(/Can't reach the server/)).toBeVisible();
  // Still offline: the rating is kept on this device across a reload.
  const kept = await page.evaluate((k) => localStorage.getItem(k), key);
  expect(JSON.parse(kept ?? "[]")).toHaveLength(1);
  await context.setOffline(false);
  await expect(page.getByText("unsaved")).toHaveCount(0, { timeout: 15_000 });
  const exported = await (await page.request.get("/account/export")).json();
  expect(exported.reviewLogs.filter((l: { kind: string }) => l.kind === "review")).toHaveLength(1);
});

test("on a shared device, a rating one learner left unsent is never saved as another learner's, and is saved when its learner is back", async ({ page, context }) => {
  const reviewsOf = async (p: Page) => ((await (await p.request.get("/account/export")).json()).reviewLogs as { kind: string; clientId: string }[]).filter((l) => l.kind === "review");
  const a = await signUp(page);
  await studyLesson(page, "training");
  await page.goto("/review");
  await hydrated(page);
  await context.setOffline(true);
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  await expect(page.getByText("1 unsaved review")).toBeVisible();
  // A leaves with the rating unsent (the tab closed while offline); B signs in on the same browser.
  await page.close();
  await context.setOffline(false);
  await context.clearCookies();
  const shared = await context.newPage();
  await signUp(shared);
  await studyLesson(shared, "training");
  await hydrated(shared);
  await shared.keyboard.press("Space");
  await shared.keyboard.press("3");
  await expect(shared.getByText("unsaved")).toHaveCount(0, { timeout: 15_000 });
  // B's outbox sent B's one rating only (an outbox is sent in order: A's would have gone first).
  expect(await reviewsOf(shared)).toHaveLength(1);
  // A logs in again on this device: A's rating is saved, as A's.
  await context.clearCookies();
  await shared.goto("/login");
  await shared.getByLabel("Username").fill(a.username);
  await shared.getByLabel("Password").fill(a.password);
  await shared.getByRole("button", { name: "Log in" }).click();
  await expect(shared.getByRole("link", { name: `Account: ${a.username}`, includeHidden: true })).toBeAttached();
  await shared.goto("/review");
  await hydrated(shared);
  await expect.poll(async () => (await reviewsOf(shared)).length, { timeout: 15_000 }).toBe(1);
  await expect(shared.getByText("unsaved")).toHaveCount(0);
});

test("a rating the server refuses leaves the outbox with a message, and a skewed clock blocks nothing", async ({ page }) => {
  await signUp(page);
  await studyLesson(page, "training");
  await page.goto("/review");
  await hydrated(page);
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  await expect(page.getByText("unsaved")).toHaveCount(0, { timeout: 15_000 });
  const first = (await (await page.request.get("/account/export")).json()).reviewLogs[0].itemId as string;
  // Two ratings waiting from another session on this device: one the server refuses for good (an
  // unknown card), one from a clock three days behind, before the card's last review (a 500 once).
  const key = await outboxKey(page);
  await page.evaluate(
    ({ itemId, key }) => {
      const entries = [
        { clientId: "e2e-unknown-item-01", itemId: "no-such-item", rating: 3, version: 0, durationMs: 1000, reviewedAt: Date.now() },
        { clientId: "e2e-clock-behind-01", itemId, rating: 3, version: 1, durationMs: 1000, reviewedAt: Date.now() - 3 * 24 * 60 * 60 * 1000 },
      ];
      localStorage.setItem(key, JSON.stringify(entries));
    },
    { itemId: first, key },
  );
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  await expect(page.getByText("No such item.")).toBeVisible();
  await expect(page.getByText("unsaved")).toHaveCount(0, { timeout: 15_000 });
  const logs = (await (await page.request.get("/account/export")).json()).reviewLogs as { clientId: string; kind: string }[];
  expect(logs.filter((l) => l.kind === "review")).toHaveLength(3);
  expect(logs.map((l) => l.clientId)).toContain("e2e-clock-behind-01");
});

test("a rating whose request was cut off by leaving the page is sent from the next page, which then counts it", async ({ page }) => {
  await signUp(page);
  await studyLesson(page, "transformers");
  await page.goto("/review");
  await hydrated(page);
  // The rating's request never arrives (the learner followed a link at once and the navigation cut it off).
  const cutOff = (route: import("@playwright/test").Route) => (route.request().method() === "POST" ? route.abort() : route.continue());
  await page.route("**/api/review", cutOff);
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  await expect(page.getByText("1 unsaved review")).toBeVisible();
  // The dashboard, not the review page, is where the learner goes next; the first try there is cut off too.
  await page.goto("/");
  await hydrated(page);
  const steps = page.getByRole("region", { name: "Start here" });
  await expect(steps.getByRole("link", { name: /Learn its first/ })).toBeVisible();
  await page.unroute("**/api/review", cutOff);
  // Its retry reaches the server, and the dashboard reads its figures again: the lesson's cards have begun.
  await expect(steps.getByRole("link", { name: "Go on with its flashcards" })).toBeVisible({ timeout: 15_000 });
  const exported = await (await page.request.get("/account/export")).json();
  expect(exported.reviewLogs.filter((l: { kind: string }) => l.kind === "review")).toHaveLength(1);
});
