/**
 * A new build of the offline app (docs/decisions/024-offline-app.md) taking
 * over without a broken page. It rewrites the build's sw.js while it runs, so
 * it runs alone, after every other spec (the "alone" project in
 * playwright.config.ts).
 */
import fs from "node:fs";
import { expect, hydrated, signUp, test, studyLesson } from "./fixtures";
import { coldPage, controlled, controllerBuild, kept, newCardsPerDay, SW_FILE } from "./offline-helpers";

test.use({ serviceWorkers: "allow" });
// A dozen page loads with a cold start in the middle: more than the default minute on a busy CI machine.
test.describe.configure({ timeout: 120_000 });

test("a new build takes over at a safe moment, never mid-review, and its pages work offline", async ({ page, context }) => {
  const original = fs.readFileSync(SW_FILE, "utf8");
  const oldBuild = /build-id: ([0-9a-f]+)/.exec(original)?.[1];
  expect(oldBuild, "sw.js names its build").toBeTruthy();
  const newBuild = `e2e${Date.now().toString(16)}`;
  try {
    await signUp(page);
    await newCardsPerDay(page, 2);
    await controlled(page);
    await studyLesson(page, "attention");
    await page.goto("/lessons/attention");
    await kept(page, "/lessons/attention");
    await page.goto("/review");
    await hydrated(page);
    expect(await controllerBuild(page)).toBe(oldBuild);

    // Mid-review (an answer showing), a new deployment appears.
    await page.keyboard.press("Space");
    await expect(page.getByRole("button", { name: /Good/ })).toBeVisible();
    fs.writeFileSync(SW_FILE, original.split(oldBuild!).join(newBuild));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.update()));
    await expect(page.getByText("A new version of Attention Span is ready.")).toBeVisible();
    // No reload under the learner: the answer is still there, and rating it works.
    await expect(page.getByRole("button", { name: /Good/ })).toBeVisible();
    await page.keyboard.press("3");
    await expect(page.getByText(/unsaved/)).toHaveCount(0);
    expect(await controllerBuild(page)).toBe(oldBuild);

    // Leaving the review page is the safe moment: the new build takes over with a reload.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lessons" }).click();
    // (A page reloading answers nothing: ask again.)
    await expect.poll(() => controllerBuild(page).catch(() => "reloading"), { timeout: 20_000 }).toBe(newBuild);
    await hydrated(page);
    await expect(page).toHaveURL(/\/lessons$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText("A new version of Attention Span is ready.")).toHaveCount(0);
    // One build's caches only: the old ones are gone, the visited lesson came along.
    const names = await page.evaluate(() => caches.keys());
    expect(names.filter((n) => n.includes(oldBuild!))).toEqual([]);
    expect(names).toContain(`as-shell-${newBuild}`);
    expect(names).toContain(`as-pages-${newBuild}`);

    await context.setOffline(true);
    const lesson = await coldPage(context, "/lessons/attention");
    await hydrated(lesson);
    await expect(lesson.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await controllerBuild(lesson)).toBe(newBuild);
    await context.setOffline(false);
  } finally {
    fs.writeFileSync(SW_FILE, original);
  }
});
