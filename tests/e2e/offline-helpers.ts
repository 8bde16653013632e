/**
 * What the offline specs share: the e2e server's review log, settings, and
 * waiting on the service worker and its caches.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import type { BrowserContext, Page } from "@playwright/test";
import { expect } from "./fixtures";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const port = process.env.E2E_PORT ?? "3100";
export const SW_FILE = path.join(root, "build", "client", "sw.js");

/** The learner's review log rows, read from the e2e server's database. */
export async function reviewLogs(username: string): Promise<{ itemId: string; clientId: string }[]> {
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

export async function newCardsPerDay(page: Page, n: number) {
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
export async function controlled(page: Page) {
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
export async function kept(page: Page, url: string) {
  await expect.poll(() => page.evaluate(async (u) => (await caches.match(new URL(u, location.href).href)) !== undefined, url)).toBe(true);
}

/**
 * The build id of the worker controlling the page; "no answer" when none comes
 * within 2 s (a message sent while the controller is being replaced can be
 * dropped: a poll then asks again instead of waiting forever).
 */
export function controllerBuild(page: Page): Promise<string> {
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

export async function coldPage(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

