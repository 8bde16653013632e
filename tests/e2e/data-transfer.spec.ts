import fs from "node:fs";
import Database from "better-sqlite3";
import { unzip } from "../../app/data-transfer/zip.server";
import { expect, expectAccessible, hydrated, signUp, studyLesson, test } from "./fixtures";

test("a reviewed card reaches Anki's package, and a backup imports back without changing anything", async ({ page }) => {
  await signUp(page);
  await studyLesson(page, "attention");
  await page.goto("/review");
  await hydrated(page);
  await page.getByRole("button", { name: /Show answer/ }).click();
  await page.getByRole("button", { name: /Good/ }).click();
  await expect(page.locator(".review-counts")).toContainText("1 done this session");
  await expect(page.getByText("unsaved")).toHaveCount(0);

  await page.goto("/account");
  await page.getByRole("link", { name: "Export to Anki, import a backup" }).click();
  await expect(page.getByRole("heading", { name: "Your data" })).toBeVisible();
  await expectAccessible(page);

  const [apkg] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Anki package (.apkg)" }).click()]);
  expect(apkg.suggestedFilename()).toBe("attention-span.apkg");
  const files = unzip(fs.readFileSync((await apkg.path())!));
  const col = new Database(files.find((f) => f.name === "collection.anki2")!.data, { readonly: true });
  try {
    expect((col.prepare("SELECT ver FROM col").get() as { ver: number }).ver).toBe(11);
    expect((col.prepare("SELECT count(*) AS n FROM notes").get() as { n: number }).n).toBeGreaterThan(10);
    const revlog = col.prepare("SELECT ease, cid FROM revlog").all() as { ease: number; cid: number }[];
    expect(revlog.map((r) => r.ease)).toEqual([3]);
    const card = col.prepare("SELECT type, reps FROM cards WHERE id = ?").get(revlog[0]!.cid) as { type: number; reps: number };
    expect(card.reps).toBe(1);
    expect(card.type).not.toBe(0);
  } finally {
    col.close();
  }

  const [backup] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Full backup (JSON)" }).click()]);
  await page.getByLabel(/Backup file/).setInputFiles((await backup.path())!);
  await page.getByRole("button", { name: "Import backup" }).click();
  await expect(page.getByRole("status")).toHaveText(/nothing changed/);
  await expectAccessible(page);

  // At 320 px nothing scrolls sideways, and the import can be reached from the keyboard.
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.getByLabel(/Backup file/).focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Import backup" })).toBeFocused();
});
