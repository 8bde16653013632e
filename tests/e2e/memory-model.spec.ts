/**
 * The settings page's memory model (ADR 026): a learner with enough reviews
 * presses "Optimise now", the page says the fit is queued, the background fit
 * runs, and the page then shows the fitted model; "Help me choose" shows the
 * simulator's chart and table; "Back to the defaults" undoes the fit.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { expect, expectAccessible, signUp, test } from "./fixtures";
import { syntheticLog } from "../../app/optimizer/synthetic";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const port = process.env.E2E_PORT ?? "3100";
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** Writes a reviewed history for the learner behind the server's back: 120 items, 6 reviews each, all before today. */
async function seedHistory(username: string): Promise<number> {
  const log = syntheticLog({ items: 120, reviewsPerItem: 6, seed: 5, start: new Date(Date.now() - 300 * 86_400_000), newPerDay: 10 }).filter((e) => e.reviewedAt.getTime() < Date.now() - 86_400_000);
  const rows = log.map((e, i) => [e.itemId, `e2e-fit-${i}`, e.rating, e.prevState, iso(e.reviewedAt)] as const);
  if (process.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { id } = (await client.query(`SELECT id FROM "User" WHERE "usernameKey" = $1`, [username.toLowerCase()])).rows[0] as { id: string };
      for (const r of rows) {
        await client.query(
          `INSERT INTO "ReviewLog" ("userId", "itemId", "clientId", kind, source, rating, "prevState", "reviewedAt", "durationMs", "stateBefore", "stateAfter") VALUES ($1, $2, $3, 'review', 'review', $4, $5, $6, 0, '{}', '{}')`,
          [id, ...r],
        );
      }
    } finally {
      await client.end();
    }
    return rows.length;
  }
  const db = new Database(path.join(root, "tests", ".tmp", `e2e-sqlite-${port}`, "attention-span.db"));
  try {
    db.pragma("busy_timeout = 5000");
    const { id } = db.prepare(`SELECT id FROM User WHERE usernameKey = ?`).get(username.toLowerCase()) as { id: string };
    const ins = db.prepare(`INSERT INTO ReviewLog (userId, itemId, clientId, kind, source, rating, prevState, reviewedAt, durationMs, stateBefore, stateAfter) VALUES (?, ?, ?, 'review', 'review', ?, ?, ?, 0, '{}', '{}')`);
    db.transaction(() => rows.forEach((r) => ins.run(id, ...r)))();
  } finally {
    db.close();
  }
  return rows.length;
}

test("settings show the fitted memory model and the workload simulator's chart", async ({ page }) => {
  test.setTimeout(180_000); // a background fit, the simulator and an axe pass: slow on a loaded CI machine
  const { username } = await signUp(page);
  const reviews = await seedHistory(username);
  await page.goto("/account");
  const summary = page.getByTestId("model-summary");
  await expect(summary).toContainText("FSRS's default weights");
  await page.getByRole("button", { name: "Optimise now" }).click();
  await expect(page.getByTestId("fit-status")).toContainText("A fit is queued");

  // The fit runs in the background (a timer in the server, every few seconds); the page shows it once done.
  await expect(async () => {
    await page.goto("/account");
    await expect(summary).toContainText(`Fitted on ${reviews} reviews on`, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(summary).toHaveText(/log loss 0\.\d{4} → 0\.\d{4}/);
  await expect(page.getByTestId("fit-status")).toContainText("Done: the fitted model predicts your reviews better");

  await page.getByRole("link", { name: "Help me choose a retention" }).click();
  const chart = page.getByRole("img", { name: "Workload and memory by desired retention, over the next year" });
  await expect(chart).toBeVisible();
  await expect(page.getByTestId("suggestion")).toHaveText(/Suggested desired retention: 0\.\d\d/);
  const table = page.getByTestId("simulator-table");
  await expect(table.getByRole("row")).toHaveCount(1 + 16);
  await expect(table.getByRole("rowheader", { name: "0.70" })).toBeVisible();
  await expect(table.getByRole("rowheader", { name: "0.99" })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Back to the defaults" }).click();
  await expect(summary).toContainText("FSRS's default weights");
  await expect(page.getByTestId("fit-status")).toHaveText("Back to FSRS's default weights.");
  await page.reload();
  await expect(page.getByTestId("fit-status")).toHaveText("");
});
