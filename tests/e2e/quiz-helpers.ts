import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { loadCourse } from "../../app/content/load.server";
import { createRenderer } from "../../app/content/render.server";
import type { Question } from "../../app/content/schema";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "content");
export const course = loadCourse(root).course;

export function questionsOf(slug: string): Question[] {
  const topic = course.topics.find((t) => t.slug === slug);
  if (!topic) throw new Error(`no topic ${slug}`);
  return topic.questions;
}

const inline = createRenderer({ slug: null, resources: new Map(), diagramBase: "" }).inline;

/**
 * Where each of the content's choices (or steps) is on the page. The page names
 * them by opaque tokens, so the test finds them by their rendered text, as a
 * learner does.
 */
export async function placesOf(page: Page, scope: ReturnType<Page["locator"]>, selector: string, texts: string[]): Promise<number[]> {
  const shown = await scope.locator(selector).evaluateAll((els) => els.map((e) => e.innerHTML));
  return texts.map((t) => {
    const i = shown.indexOf(inline(t));
    if (i < 0) throw new Error(`not on the page: ${t}`);
    return i;
  });
}

/** Picks the given choices (indices into the content's list) by clicking them. */
async function pick(page: Page, form: ReturnType<Page["locator"]>, q: Question & { choices: { text: string }[] }, indices: number[]) {
  const places = await placesOf(page, form, ".choice-text", q.choices.map((c) => c.text));
  for (const i of indices) await form.locator("input.choice-input").nth(places[i]!).check();
}

/** The order a wrong answer uses: the steps reversed. */
export function wrongOrder(n: number) {
  return Array.from({ length: n }, (_, i) => n - 1 - i);
}

/**
 * Puts the steps in the given order (content step indices, first to last): with
 * selects when the page has them (no JavaScript), else on the reorderable list
 * with the keyboard (focus a step, press the number of its place).
 */
export async function putInOrder(page: Page, form: ReturnType<Page["locator"]>, q: Question & { steps: string[] }, order: number[]) {
  if ((await form.locator("select").count()) > 0) {
    for (const [pos, step] of order.entries()) {
      await form.locator("select").nth(pos).selectOption({ label: plainLabel(q.steps[step]!) });
    }
    return;
  }
  for (const [pos, step] of order.entries()) {
    const places = await placesOf(page, form, ".order-text", q.steps);
    await form.locator(".order-item").nth(places[step]!).focus();
    await page.keyboard.press(String(pos + 1));
  }
}

function plainLabel(md: string): string {
  return md
    .replace(/\$([^$]+)\$/g, (_m, tex: string) => tex.replace(/\\(mathrm|text|operatorname)\{([^}]*)\}/g, "$2").replace(/[{}]/g, "").replace(/\\/g, ""))
    .replace(/[`*_]/g, "");
}

/** Answers the question on the page, right or wrong on purpose. */
export async function answer(page: Page, q: Question, right: boolean) {
  const form = page.locator("form", { has: page.locator(`input[name="questionId"][value="${q.id}"], input[name="itemId"][value="${q.id}"]`) });
  await form.waitFor();
  switch (q.kind) {
    case "single":
    case "multiple": {
      const correct = q.choices.flatMap((c, i) => (c.correct ? [i] : []));
      const wrong = q.choices.flatMap((c, i) => (c.correct ? [] : [i]));
      await pick(page, form, q, right ? correct : [wrong[0]!]);
      break;
    }
    case "numeric":
      await form.getByLabel(/Your answer/).fill(String(right ? q.answer : q.answer + 1000 + q.tolerance * 10));
      break;
    case "text":
      await form.getByLabel(/Your answer/).fill(right ? q.answers[0]! : "definitely not this");
      break;
    case "order":
      await putInOrder(page, form, q, right ? q.steps.map((_, i) => i) : wrongOrder(q.steps.length));
      break;
  }
  await form.getByRole("button", { name: "Check answer" }).click();
}
