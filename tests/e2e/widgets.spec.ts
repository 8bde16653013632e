import type { Page } from "@playwright/test";
import { Tiktoken } from "js-tiktoken/lite";
import gpt2 from "js-tiktoken/ranks/gpt2";
import cl100k from "js-tiktoken/ranks/cl100k_base";
import { expect, expectAccessible, hydrated, test } from "./fixtures";

const encoders = { gpt2: new Tiktoken(gpt2), cl100k: new Tiktoken(cl100k) };

/** The weights and mask flags of the heatmap, read from the cells' data attributes. */
async function readGrid(page: Page) {
  const grid = page.getByTestId("attn-grid");
  const n = Number(await grid.getAttribute("data-size"));
  return grid.evaluate((el, size) => {
    const weights: number[][] = [];
    const masked: boolean[][] = [];
    for (let i = 0; i < size; i++) {
      weights.push([]);
      masked.push([]);
      for (let j = 0; j < size; j++) {
        const cell = el.querySelector(`[data-testid="cell-${i}-${j}"]`)!;
        weights[i]!.push(Number(cell.getAttribute("data-weight")));
        masked[i]!.push(cell.getAttribute("data-masked") === "true");
      }
    }
    return { weights, masked };
  }, n);
}

test.describe("attention heatmap", { tag: "@content" }, () => {
  test("the causal mask empties the upper triangle and the scaling changes the weights", async ({ page }) => {
    await page.goto("/lessons/attention");
    await hydrated(page);
    const widget = page.getByRole("region", { name: "Interactive attention heatmap" });
    await expect(widget.getByTestId("attn-grid")).toBeVisible();

    await widget.getByLabel("Sentence (up to 8 words)").fill("the cat sat on the mat");
    await expect(widget.getByTestId("attn-grid")).toHaveAttribute("data-size", "6");

    const causal = widget.getByRole("checkbox", { name: "Causal mask" });
    await expect(causal).not.toBeChecked();
    const open = await readGrid(page);
    expect(open.weights.some((row, i) => row.some((w, j) => j > i && w > 0))).toBe(true);
    expect(open.masked.flat().some(Boolean)).toBe(false);

    await causal.check();
    const masked = await readGrid(page);
    masked.weights.forEach((row, i) => {
      row.forEach((w, j) => {
        if (j > i) {
          expect(w, `weight ${i},${j}`).toBe(0);
          expect(masked.masked[i]![j], `cell ${i},${j} is marked masked`).toBe(true);
        } else expect(masked.masked[i]![j]).toBe(false);
      });
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1), `row ${i} sums to 1`).toBeLessThan(1e-6);
    });
    await expect(widget.getByTestId("cell-0-1")).toHaveClass(/attn-masked/);

    const scale = widget.getByRole("checkbox", { name: "Scale by √d_k" });
    await expect(scale).toBeChecked();
    await scale.uncheck();
    const unscaled = await readGrid(page);
    expect(unscaled.weights.some((row, i) => row.some((w, j) => Math.abs(w - masked.weights[i]![j]!) > 1e-6))).toBe(true);
    for (const row of unscaled.weights) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
  });

  test("values show on focus, arrow keys move, the table has the same numbers, long input is truncated", async ({ page }) => {
    await page.goto("/lessons/attention");
    await hydrated(page);
    const widget = page.getByRole("region", { name: "Interactive attention heatmap" });
    await widget.getByRole("button", { name: "Time flies like an arrow" }).click();

    await widget.getByTestId("cell-0-0").focus();
    await page.keyboard.press("ArrowRight");
    await expect(widget.getByTestId("cell-0-1")).toBeFocused();
    const weight = Number(await widget.getByTestId("cell-0-1").getAttribute("data-weight"));
    await expect(widget.getByTestId("attn-readout")).toHaveText(`‘Time’ attends to ‘flies’: ${weight.toFixed(2)}`);

    await widget.getByText("The weights as a table").click();
    const table = widget.getByTestId("attn-table");
    await expect(table.locator("tbody tr").nth(0).locator("td").nth(1)).toHaveText(weight.toFixed(2));
    await expect(table.locator("thead th")).toHaveCount(5);

    await widget.getByLabel("Sentence (up to 8 words)").fill("one two three four five six seven eight nine ten");
    await expect(widget.getByTestId("attn-truncated")).toContainText("first 8 of your 10 words");
    await expect(widget.getByTestId("attn-grid")).toHaveAttribute("data-size", "8");
  });

  test("the heatmap scrolls inside the widget at 320 px", async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto("/lessons/attention");
    await hydrated(page);
    await page.getByLabel("Sentence (up to 8 words)").fill("one two three four five six seven eight");
    await expect(page.getByTestId("attn-grid")).toHaveAttribute("data-size", "8");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe("tokenizer playground", { tag: "@content" }, () => {
  async function open(page: Page) {
    await page.goto("/lessons/tokenization");
    await hydrated(page);
    const widget = page.getByRole("region", { name: "Tokenizer playground" });
    // The vocabulary downloads on first use, not with the page.
    await widget.getByRole("button", { name: "Show the tokens" }).click();
    await expect(widget.getByTestId("tok-result")).toBeVisible({ timeout: 20_000 });
    return widget;
  }

  test("token counts match js-tiktoken in both vocabularies", async ({ page }) => {
    const widget = await open(page);
    const text = "The quick brown fox jumps over 1234567 lazy dogs. def f(x):\n    return x ** 2";
    await widget.getByLabel("Text to tokenise").fill(text);

    await expect(widget.getByTestId("tok-result")).toHaveAttribute("data-vocab", "gpt2");
    await expect(widget.getByTestId("tok-count")).toHaveText(String(encoders.gpt2.encode(text).length));
    await expect(widget.getByTestId("tok-live")).toHaveText(`${encoders.gpt2.encode(text).length} tokens with GPT-2 (r50k/gpt2)`);
    await expect(widget.getByTestId("tok-chars")).toHaveText(String([...text].length));

    await widget.getByRole("radio", { name: "cl100k_base (GPT-3.5/GPT-4)" }).check();
    await expect(widget.getByTestId("tok-result")).toHaveAttribute("data-vocab", "cl100k_base", { timeout: 20_000 });
    const ids = encoders.cl100k.encode(text);
    await expect(widget.getByTestId("tok-count")).toHaveText(String(ids.length));
    expect(encoders.cl100k.encode(text).length).not.toBe(encoders.gpt2.encode(text).length);

    const chipIds = await widget.getByTestId("tok-chip").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-id"))));
    expect(chipIds).toEqual(ids);
    await widget.getByRole("radio", { name: "Token ids" }).check();
    await expect(widget.getByTestId("tok-ids")).toHaveText(`[${ids.join(", ")}]`);
  });

  test("an emoji split across GPT-2 tokens shows no replacement character", async ({ page }) => {
    const widget = await open(page);
    const text = "I 🦄 you, 🤗 and Кошка";
    await widget.getByLabel("Text to tokenise").fill(text);
    await expect(widget.getByTestId("tok-count")).toHaveText(String(encoders.gpt2.encode(text).length));
    // GPT-2 really does cut the unicorn into several tokens.
    expect(encoders.gpt2.encode("🦄").length).toBeGreaterThan(1);

    const chipTexts = await widget.getByTestId("tok-chip").allInnerTexts();
    expect(chipTexts.length).toBe(encoders.gpt2.encode(text).length);
    for (const t of chipTexts) expect(t).not.toContain("\uFFFD");
    const groups = await widget.getByTestId("tok-group").evaluateAll((els) => els.map((e) => e.getAttribute("data-text") ?? ""));
    expect(groups.join("")).toBe(text);
    expect(groups).toContain(" 🦄");
    const unicorn = widget.locator('[data-testid="tok-group"][data-text=" 🦄"]');
    await expect(unicorn).toHaveClass(/tok-joined/);
    await expect(unicorn.getByTestId("tok-chip")).toHaveCount(encoders.gpt2.encode(" 🦄").length);
    await expect(widget.getByTestId("tok-live")).toContainText("tokens");
    await expect(widget.getByText("\uFFFD")).toHaveCount(0);
  });

  test("chips wrap at 320 px", async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await open(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe("accessibility", { tag: "@content" }, () => {
  // axe over a long lesson full of KaTeX takes 20-30 s on its own.
  test.describe.configure({ timeout: 90_000 });

  test("the attention lesson passes axe with the heatmap loaded", async ({ page }) => {
    await page.goto("/lessons/attention");
    await hydrated(page);
    await expect(page.getByTestId("attn-grid")).toBeVisible();
    await page.getByTestId("cell-1-0").hover();
    await page.getByText("The weights as a table").click();
    await expectAccessible(page);
  });

  test("the tokenization lesson passes axe with the tokenizer loaded", async ({ page }) => {
    await page.goto("/lessons/tokenization");
    await hydrated(page);
    await page.getByRole("button", { name: "Show the tokens" }).click();
    await expect(page.getByTestId("tok-chips")).toBeVisible({ timeout: 20_000 });
    await expectAccessible(page);
  });
});
