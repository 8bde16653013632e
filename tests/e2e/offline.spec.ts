/**
 * The installable offline app (docs/decisions/024-offline-app.md), with the
 * production build's service worker: a cold start without a connection, a
 * review session offline that reaches the server exactly once, and nothing
 * personal left after log out. A new build taking over is
 * offline-new-build.spec.ts, which runs alone (it rewrites the build's sw.js).
 */
import { expect, hydrated, signUp, test, studyLesson } from "./fixtures";
import { coldPage, controlled, kept, newCardsPerDay, reviewLogs } from "./offline-helpers";

test.use({ serviceWorkers: "allow" });
// Each test is a dozen page loads with a cold start in the middle: more than the default minute on a busy CI machine.
test.describe.configure({ timeout: 120_000 });

test("offline from a cold start: a lesson loads, a review session completes, and its ratings reach the server once", async ({ page, context }) => {
  const { username } = await signUp(page);
  await newCardsPerDay(page, 3);
  await controlled(page);
  await studyLesson(page, "attention"); // ADR 021: studying a lesson lets its cards in
  await page.goto("/lessons/attention");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await kept(page, "/lessons/attention");
  await page.goto("/review");
  await hydrated(page);
  await expect(page.locator(".review-counts")).toHaveText("3 new · 0 learning · 0 due · 0 done this session");
  await page.waitForFunction(() => document.documentElement.dataset.offlineReview === "saved");
  await kept(page, "/review");
  const lessonTitle = await page.goto("/lessons/attention").then(() => page.getByRole("heading", { level: 1 }).innerText());

  await context.setOffline(true);
  await page.close();

  // Cold: a new page, no connection. A page never visited says so; visited ones are there.
  const never = await coldPage(context, "/lessons/tokenization");
  await expect(never.getByRole("heading", { name: "You are offline" })).toBeVisible();
  await never.close();

  const lesson = await coldPage(context, "/lessons/attention");
  await expect(lesson.getByRole("heading", { level: 1 })).toHaveText(lessonTitle);
  await lesson.close();

  const review = await coldPage(context, "/review");
  await hydrated(review);
  await expect(review.locator(".review-counts")).toContainText("3 new · 0 learning · 0 due · 0 done this session");
  for (let i = 0; i < 3; i++) {
    await expect(review.getByRole("button", { name: /Show answer/ })).toBeVisible();
    await review.keyboard.press("Space");
    // Easy: a new card leaves today's queue (Good would bring it back in minutes, as learning).
    await expect(review.getByRole("button", { name: /Easy/ })).toBeVisible();
    await review.keyboard.press("4");
  }
  await expect(review.getByRole("heading", { name: "All done for now" })).toBeVisible();
  await expect(review.getByText("3 unsaved reviews")).toBeVisible();
  await review.close();
  expect(await reviewLogs(username)).toHaveLength(0);

  // Opened again offline, the session does not hand back the cards rated here.
  const again = await coldPage(context, "/review");
  await hydrated(again);
  await expect(again.getByText("3 unsaved reviews")).toBeVisible();
  await expect(again.getByRole("button", { name: /Show answer/ })).toHaveCount(0);

  // Back online: the outbox sends them, each stored once.
  await context.setOffline(false);
  await expect(again.getByText(/unsaved/)).toHaveCount(0, { timeout: 15_000 });
  const rows = await reviewLogs(username);
  expect(rows).toHaveLength(3);
  expect(new Set(rows.map((r) => r.itemId)).size).toBe(3);
  expect(new Set(rows.map((r) => r.clientId)).size).toBe(3);
  await again.reload();
  await expect(again.getByRole("heading", { name: "All done for now" })).toBeVisible();
  expect(await reviewLogs(username)).toHaveLength(3);
});

test("after log out, nothing personal is left on the device: the review page and the kept queue are gone, lessons stay", async ({ page, context }) => {
  await signUp(page);
  await controlled(page);
  await studyLesson(page, "attention");
  await page.goto("/review");
  await hydrated(page);
  await kept(page, "/review");
  await page.goto("/lessons/attention");
  await kept(page, "/lessons/attention");
  // The day's queue is kept on the device while signed in.
  const queueKept = () =>
    page.evaluate(
      (name) =>
        new Promise<number>((resolve) => {
          const req = indexedDB.open(name);
          req.onsuccess = () => {
            const db = req.result;
            const stores = [...db.objectStoreNames];
            if (!stores.length) return resolve(0);
            const tx = db.transaction(stores, "readonly");
            let n = 0;
            for (const st of stores) tx.objectStore(st).count().onsuccess = (e) => (n += (e.target as IDBRequest<number>).result);
            tx.oncomplete = () => (db.close(), resolve(n));
          };
          req.onerror = () => resolve(0);
        }),
      "attention-span-offline",
    );
  await expect.poll(queueKept).toBeGreaterThan(0);

  await page.goto("/account");
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(page.getByRole("link", { name: "Log in", includeHidden: true }).first()).toBeAttached();
  await expect.poll(() => page.evaluate(async () => (await caches.match(new URL("/review", location.href).href)) !== undefined)).toBe(false);
  await expect.poll(queueKept).toBe(0);

  // Offline on the same browser: no one's review page, while the lesson (not personal) is still there.
  await context.setOffline(true);
  const review = await coldPage(context, "/review");
  await expect(review.getByRole("heading", { name: "You are offline" })).toBeVisible();
  await expect(review.getByRole("button", { name: /Show answer/ })).toHaveCount(0);
  await review.close();
  const lesson = await coldPage(context, "/lessons/attention");
  await expect(lesson.getByRole("heading", { level: 1 })).toBeVisible();
  await context.setOffline(false);
});
