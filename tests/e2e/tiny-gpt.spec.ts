import { readFileSync } from "node:fs";
import { realHeads } from "../../app/domain/attention-heads";
import { encode } from "../../app/gpt/characters";
import { lastLogits, nextTokenDistribution } from "../../app/gpt/sampling";
import { loadTinyGpt } from "../../app/gpt/shipped";
import type { WeightsFile } from "../../app/gpt/weights";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, hydrated, test } from "./fixtures";

const model = loadTinyGpt(JSON.parse(readFileSync("app/gpt/tiny-gpt.weights.json", "utf8")) as WeightsFile);

test.describe("tiny GPT widget", { tag: "@content" }, () => {
  async function open(page: Page) {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto("/lessons/training");
    await hydrated(page);
    const widget = page.getByRole("region", { name: "Tiny GPT in your browser" });
    const prompt = widget.getByLabel("Prompt");
    await expect(prompt).toBeEnabled();
    return { widget, prompt };
  }

  test("shows the shipped model's next-character probabilities and samples from them", async ({ page }) => {
    const { widget, prompt } = await open(page);

    // The probabilities are the model's: the same numbers as the forward pass run here in Node.
    await prompt.fill("MENENIUS:\nWhat ");
    await widget.getByLabel("Top-k (1 to 58)").fill("5");
    const expected = nextTokenDistribution(lastLogits(encode("MENENIUS:\nWhat ", model.vocab).tokens, model.config, model.params), 1, 5);
    const rows = widget.getByTestId("tgpt-probs").locator("tbody tr");
    await expect(rows).toHaveCount(5);
    for (let i = 0; i < 5; i++) {
      await expect(rows.nth(i)).toHaveAttribute("data-char", model.vocab.chars[expected[i]!.token]!);
      await expect(rows.nth(i).getByTestId("tgpt-p")).toHaveText(expected[i]!.probability.toFixed(3));
    }

    // Top-k 1 is greedy: one character with all the probability.
    await widget.getByLabel("Top-k (1 to 58)").fill("1");
    await expect(rows).toHaveCount(1);
    await expect(rows.first().getByTestId("tgpt-p")).toHaveText("1.000");
    await widget.getByRole("button", { name: "Sample the next character" }).click();
    await expect(prompt).toHaveValue("MENENIUS:\nWhat " + model.vocab.chars[expected[0]!.token]!);
    await expect(widget.getByTestId("tgpt-announcement")).toContainText("probability 1.00");

    await widget.getByLabel("Top-k (1 to 58)").fill("10");
    const before = await prompt.inputValue();
    await widget.getByRole("button", { name: "Sample 40 characters" }).click();
    await expect.poll(async () => (await prompt.inputValue()).length).toBe(before.length + 40);
  });

  test("shows each head's causal attention, fits 360 px and passes axe", async ({ page }) => {
    const { widget, prompt } = await open(page);
    await prompt.fill("First Citizen:\nBefore we proceed");

    // Attention: a causal grid per head, rows never above 1, heads differ.
    const grid = widget.getByTestId("tgpt-attn");
    await expect(grid).toHaveAttribute("data-size", "12");
    const read = () =>
      grid.evaluate((table) =>
        [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.getAttribute("data-weight") ?? "")),
      );
    const head1 = await read();
    head1.forEach((row, i) => {
      row.forEach((w, j) => expect(w === "", `cell ${i},${j} masked iff later`).toBe(j > i));
      const sum = row.filter((w) => w !== "").reduce((s, w) => s + Number(w), 0);
      expect(sum).toBeLessThanOrEqual(1 + 1e-9);
    });
    await widget.getByLabel("Head", { exact: true }).selectOption("2");
    await expect.poll(async () => JSON.stringify(await read())).not.toBe(JSON.stringify(head1));

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The widget only: the rest of the lesson has its own checks, and scanning the whole page's
    // math takes long on a busy machine.
    const results = await new AxeBuilder({ page }).include('section[aria-label="Tiny GPT in your browser"]').analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);
  });

  test("the attention lesson shows the tiny GPT's real heads on demand, fits 360 px and passes axe", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const weightRequests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("tiny-gpt.weights")) weightRequests.push(r.url());
    });
    await page.goto("/lessons/attention");
    await hydrated(page);
    const widget = page.getByRole("region", { name: "Interactive attention heatmap" });
    await expect(widget.getByTestId("attn-grid")).toBeVisible();
    expect(weightRequests, "the weights are not part of the lesson's first load").toEqual([]);

    await widget.getByRole("radio", { name: "The real heads of a tiny GPT" }).check();
    const prompt = widget.getByLabel("Prompt (up to 16 characters)");
    await prompt.fill("MENENIUS:\nWhat");
    await widget.getByLabel("Layer", { exact: true }).selectOption("1");
    await widget.getByLabel("Head", { exact: true }).selectOption("2");
    const grid = widget.getByTestId("attn-grid");
    await expect(grid).toHaveAttribute("aria-label", /layer 2, head 3/);
    await expect(grid).toHaveAttribute("data-size", "14");
    expect(weightRequests.length).toBeGreaterThan(0);

    // Layer 2, head 3 as the page shows it, against the forward pass run here in Node.
    const expected = realHeads("MENENIUS:\nWhat", model).weights[1]![2]!;
    const shown = await grid.evaluate((el) =>
      [...el.querySelectorAll('[role="row"]')]
        .slice(1)
        .map((row) => [...row.querySelectorAll('[role="gridcell"]')].map((c) => [c.getAttribute("data-weight"), c.getAttribute("data-masked")])),
    );
    // Chromium's V8 and Node's can differ in the last bit of Math.exp, so: equal to 12 decimals.
    expect(shown).toHaveLength(expected.length);
    shown.forEach((row, i) =>
      row.forEach(([w, m], j) => {
        expect(Number(w), `cell ${i},${j}`).toBeCloseTo(expected[i]![j]!, 12);
        expect(m, `cell ${i},${j} masked iff later`).toBe(String(j > i));
      }),
    );
    await expect(widget.getByTestId("heads-mask-note")).toContainText("causal mask is always on");

    // Keyboard: arrow keys move between cells and the readout names both characters.
    await widget.getByTestId("cell-13-0").focus();
    await page.keyboard.press("ArrowRight");
    await expect(widget.getByTestId("cell-13-1")).toBeFocused();
    await expect(widget.getByTestId("attn-readout")).toHaveText(`‘t’ (14) attends to ‘E’ (2): ${expected[13]![1]!.toFixed(2)}`);
    await widget.getByText("The weights as a table").click();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const results = await new AxeBuilder({ page }).include('section[aria-label="Interactive attention heatmap"]').analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);
    // Dark theme: the widget keeps its contrast.
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await new AxeBuilder({ page }).include('section[aria-label="Interactive attention heatmap"]').withRules(["color-contrast"]).analyze();
    expect(dark.violations.map((v) => v.nodes.map((n) => n.target.join(" "))).flat()).toEqual([]);
  });
});
