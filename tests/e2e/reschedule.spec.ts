/**
 * Rescheduling (ADR 030), as a learner sees it: a card in review due in 20 days; the
 * learner lowers the desired retention and ticks "Reschedule my cards now" (off by
 * default); the settings page says what moved and the item browser shows a later date.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { expect, expectAccessible, hydrated, signUp, test } from "./fixtures";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const port = process.env.E2E_PORT ?? "3100";
const DAY = 86_400_000;
const CARD = "att-bottleneck";
const iso = (t: number) => new Date(t).toISOString().replace("Z", "+00:00");

/** One card in review behind the server's back: reviewed 10 days ago with stability 30, due in 20 days. */
async function seedReviewCard(username: string) {
  const last = Date.now() - 10 * DAY;
  const values = [CARD, iso(last + 30 * DAY), iso(last)];
  const sql = `INSERT INTO "ItemState" ("userId", "itemId", "due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview", "version") VALUES (?, ?, ?, 30, 5, 12, 30, 0, 4, 0, 2, ?, 1)`;
  if (process.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { id } = (await client.query(`SELECT id FROM "User" WHERE "usernameKey" = $1`, [username.toLowerCase()])).rows[0] as { id: string };
      let n = 0;
      await client.query(sql.replace(/\?/g, () => `$${++n}`), [id, ...values]);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(path.join(root, "tests", ".tmp", `e2e-sqlite-${port}`, "attention-span.db"));
  try {
    db.pragma("busy_timeout = 5000");
    const { id } = db.prepare(`SELECT id FROM User WHERE usernameKey = ?`).get(username.toLowerCase()) as { id: string };
    db.prepare(sql).run(id, ...values);
  } finally {
    db.close();
  }
}

test("lowering the retention with 'Reschedule my cards now' ticked moves a card's due date later", async ({ page }) => {
  const { username } = await signUp(page);
  await seedReviewCard(username);
  const dueCell = page.locator(`tr[data-item="${CARD}"] td`).nth(2);
  await page.goto("/items?q=s%3E21");
  await expect(dueCell).toHaveText("in 20 d");

  await page.goto("/account");
  await hydrated(page);
  const box = page.getByRole("checkbox", { name: "Reschedule my cards now" }).first();
  await expect(box).not.toBeChecked();
  await expect(page.locator("#settings-reschedule-hint")).toContainText("recomputed from their stability and last review with the new model");
  await page.getByLabel("Desired retention").fill("0.8");
  await box.check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved. Rescheduled: 1 card of your 1 card in review moved to the dates your model gives now.")).toBeVisible();
  await expectAccessible(page);

  await page.goto("/items?q=s%3E21");
  const later = Number((await dueCell.textContent())!.match(/^in (\d+) d$/)![1]);
  expect(later).toBeGreaterThan(20);
});
