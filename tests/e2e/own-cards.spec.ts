import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import { unzip } from "../../app/data-transfer/zip.server";
import { expect, expectAccessible, hydrated, signUp, test } from "./fixtures";

test("a card of the learner's own, added in a lesson section by keyboard, is reviewed in /review and reaches Anki's package", async ({ page }) => {
  test.slow(); // a whole lesson page, the review page and an export, on a shared machine
  await signUp(page);
  await page.goto("/lessons/attention");
  await hydrated(page);
  const first = page.locator(".own-cards").first();
  // The disclosure opens from the keyboard.
  await first.locator("summary").first().focus();
  await page.keyboard.press("Enter");
  await first.getByLabel("Front (the question)").fill("Own card: what does $\\sqrt{d_k}$ keep in range?");
  await first.getByLabel("Back (the answer)").fill("The **scale** of the dot products before the softmax.");
  // The form itself (the lesson page around it has its own axe test in lessons.spec.ts).
  const axe = await new AxeBuilder({ page }).include(".own-cards").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  await first.getByRole("button", { name: "Save card" }).click();
  await expect(first.getByText("Your cards here (1)")).toBeVisible();
  await first.getByText("Your cards here (1)").click();
  await expect(first.locator(".own-card-list .katex").first()).toBeVisible();

  // The learner's own card comes first among new cards.
  await page.goto("/review");
  await hydrated(page);
  await expect(page.getByText(/Own card: what does/)).toBeVisible();
  await page.getByRole("button", { name: /Show answer/ }).click();
  await expect(page.locator("strong", { hasText: "scale" })).toBeVisible();
  await page.getByRole("button", { name: /Good/ }).click();
  await expect(page.locator(".review-counts")).toContainText("1 done this session");
  await expect(page.getByText("unsaved")).toHaveCount(0);

  await page.goto("/account/data");
  await expect(page.getByRole("heading", { name: /Your own cards \(1\)/ })).toBeVisible();
  await expectAccessible(page);
  const [apkg] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Anki package (.apkg)" }).click()]);
  const files = unzip(fs.readFileSync((await apkg.path())!));
  const col = new Database(files.find((f) => f.name === "collection.anki2")!.data, { readonly: true });
  try {
    const note = col.prepare("SELECT id, tags, flds FROM notes WHERE guid LIKE 'attention-span:own:%'").get() as { id: number; tags: string; flds: string };
    expect(note.flds).toContain("\\(\\sqrt{d_k}\\)");
    expect(note.tags).toContain(" own ");
    expect(col.prepare("SELECT ease FROM revlog WHERE cid = ?").all(note.id)).toEqual([{ ease: 3 }]);
  } finally {
    col.close();
  }
});
