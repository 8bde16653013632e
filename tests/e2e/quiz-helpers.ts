import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { loadCourse } from "../../app/content/load.server";
import type { Question } from "../../app/content/schema";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "content");
export const course = loadCourse(root).course;

export function questionsOf(slug: string): Question[] {
  const topic = course.topics.find((t) => t.slug === slug);
  if (!topic) throw new Error(`no topic ${slug}`);
  return topic.questions;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Answers the question on the page, right or wrong on purpose. */
export async function answer(page: Page, q: Question, right: boolean) {
  const form = page.locator("form", { has: page.locator(`input[name="questionId"][value="${q.id}"], input[name="itemId"][value="${q.id}"]`) });
  switch (q.kind) {
    case "single":
    case "multiple": {
      const ids = q.choices.map((c, i) => c.id ?? LETTERS[i]!);
      const correct = ids.filter((_, i) => q.choices[i]!.correct);
      const wrong = ids.filter((_, i) => !q.choices[i]!.correct);
      const pick = right ? correct : [wrong[0]!];
      for (const id of pick) await form.locator(`input[value="${id}"]`).check();
      break;
    }
    case "numeric":
      await form.getByLabel(/Your answer/).fill(String(right ? q.answer : q.answer + 1000 + q.tolerance * 10));
      break;
    case "text":
      await form.getByLabel(/Your answer/).fill(right ? q.answers[0]! : "definitely not this");
      break;
    case "order": {
      const n = q.steps.length;
      for (let pos = 0; pos < n; pos++) {
        const step = right ? pos : n - 1 - pos;
        await form.locator("select").nth(pos).selectOption(String(step));
      }
      break;
    }
  }
  await form.getByRole("button", { name: "Check answer" }).click();
}
