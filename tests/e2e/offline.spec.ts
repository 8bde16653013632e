/**
 * The installable offline app (docs/decisions/024-offline-app.md), with the
 * production build's service worker: a cold start without a connection, a
 * review session offline that reaches the server exactly once, and a new build
 * taking over without a broken page.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import type { BrowserContext, Page } from "@playwright/test";
import { expect, hydrated, signUp, test, studyLesson } from "./fixtures";

test.use({ serviceWorkers: "allow" });
// Each test is a dozen page loads with a cold start in the middle: more than the default minute on a busy CI machine.
test.describe.configure({ timeout: 120_000 });

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const port = process.env.E2E_PORT ?? "3100";
const SW_FILE = path.join(root, "build", "client", "sw.js");

/** The learner's review log rows, read from the e2e server's database. */
async function reviewLogs(username: string): Promise<{ itemId: string; clientId: string }[]> {
  const sql = `SELECT r."itemId", r."clientId" FROM "ReviewLog" r JOIN "User" u ON u.id = r."userId" WHERE u.username = $1 AND r.source = 'review'`;
  if (process.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(sql, [username])).rows;
    } finally {
      await client.end();
    }
  }
  const db = new Database(path.join(root, "tests", ".tmp", `e2e-sqlite-${port}`, "attention-span.db"), { readonly: true });
  try {
    return db.prepare(sql.replace("$1", "?")).all(username) as { itemId: string; clientId: string }[];
  } finally {
    db.close();
  }
}

async function newCardsPerDay(page: Page, n: number) {
  await page.goto("/account");
  await page.getByLabel("New cards per day").fill(String(n));
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
}

/**
 * The service worker controls this page (the first one takes over at once).
 * An install whose precache fetch failed leaves no worker until the next page
 * load registers it again, as a learner's next visit would: reload and wait again.
 */
async function controlled(page: Page) {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.reload();
    }
  }
}

/** The worker has stored this page for offline use. */
async function kept(page: Page, url: string) {
  await expect.poll(() => page.evaluate(async (u) => (await caches.match(new URL(u, location.href).href)) !== undefined, url)).toBe(true);
}

/**
 * The build id of the worker controlling the page; "no answer" when none comes
 * within 2 s (a message sent while the controller is being replaced can be
 * dropped: a poll then asks again instead of waiting forever).
 */
function controllerBuild(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        navigator.serviceWorker.addEventListener("message", (e) => {
          if (e.data?.type === "build") resolve(e.data.id);
        });
        setTimeout(() => resolve("no answer"), 2000);
        const controller = navigator.serviceWorker.controller;
        if (controller) controller.postMessage({ type: "build" });
        else resolve("no controller");
      }),
  );
}

async function coldPage(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

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
