/**
 * The course, loaded once per process from content/ (CONTENT_DIR overrides) and
 * rendered lazily, one page at a time, then kept in memory.
 */
import path from "node:path";
import { formatProblem, loadCourse, type Course, type TopicContent } from "./load.server";
import { createRenderer, type RenderedPage } from "./render.server";
import type { Resource } from "./schema";

export function contentRoot(env: NodeJS.ProcessEnv = process.env) {
  return path.resolve(env.CONTENT_DIR ?? path.join(process.cwd(), "content"));
}

export class ContentError extends Error {
  constructor(public readonly problems: string[]) {
    super(`content has ${problems.length} problem(s):\n${problems.join("\n")}\nRun npm run content:check for details.`);
  }
}

interface LoadedCourse {
  course: Course;
  resources: Map<string, { resource: Resource; slug: string }>;
  pages: Map<string, RenderedPage>;
}

const g = globalThis as typeof globalThis & { __course?: LoadedCourse };

/** Loads and validates the course; throws ContentError listing every problem. */
export function getCourse(): LoadedCourse {
  if (g.__course) return g.__course;
  const { course, problems } = loadCourse(contentRoot());
  if (problems.length > 0) throw new ContentError(problems.map(formatProblem));
  const resources = new Map<string, { resource: Resource; slug: string }>();
  for (const t of course.topics) for (const r of t.resources) resources.set(r.id, { resource: r, slug: t.slug });
  g.__course = { course, resources, pages: new Map() };
  return g.__course;
}

/** For tests and the dev server: forget the cached course. */
export function resetCourse() {
  g.__course = undefined;
}

export function getTopic(slug: string): TopicContent | undefined {
  return getCourse().course.topics.find((t) => t.slug === slug);
}

export function renderTopic(topic: TopicContent): RenderedPage {
  const loaded = getCourse();
  const cached = loaded.pages.get(topic.slug);
  if (cached) return cached;
  const page = createRenderer({ slug: topic.slug, resources: loaded.resources, diagramBase: `/diagrams/${topic.slug}/` }).render(topic.source.body);
  loaded.pages.set(topic.slug, page);
  return page;
}

export function renderOverview(): RenderedPage | null {
  const loaded = getCourse();
  const overview = loaded.course.overview;
  if (!overview) return null;
  const cached = loaded.pages.get("/overview");
  if (cached) return cached;
  const page = createRenderer({ slug: null, resources: loaded.resources, diagramBase: "/diagrams/overview/" }).render(overview.source.body);
  loaded.pages.set("/overview", page);
  return page;
}

let inlineRenderer: { course: Course; inline: (md: string) => string; rendered: Map<string, string> } | null = null;
/**
 * Inline Markdown (cards, questions) to HTML, with math. The texts are the
 * course's own, so each is rendered once per loaded course and kept.
 */
export function renderInline(md: string): string {
  const loaded = getCourse();
  if (inlineRenderer?.course !== loaded.course) {
    inlineRenderer = {
      course: loaded.course,
      inline: createRenderer({ slug: null, resources: loaded.resources, diagramBase: "" }).inline,
      rendered: new Map(),
    };
  }
  let html = inlineRenderer.rendered.get(md);
  if (html === undefined) {
    html = inlineRenderer.inline(md);
    inlineRenderer.rendered.set(md, html);
  }
  return html;
}

export type ContentItem =
  | { kind: "card"; id: string; topic: TopicContent; card: TopicContent["cards"][number] }
  | { kind: "quiz"; id: string; topic: TopicContent; question: TopicContent["questions"][number] }
  | { kind: "exercise"; id: string; topic: TopicContent; exercise: TopicContent["exercises"][number] };

const itemIndex = new WeakMap<Course, Map<string, ContentItem>>();

/** Any card, question or exercise by its stable id. */
export function getContentItem(id: string): ContentItem | undefined {
  const { course } = getCourse();
  let index = itemIndex.get(course);
  if (!index) {
    index = new Map();
    for (const topic of course.topics) {
      for (const card of topic.cards) index.set(card.id, { kind: "card", id: card.id, topic, card });
      for (const question of topic.questions) index.set(question.id, { kind: "quiz", id: question.id, topic, question });
      for (const exercise of topic.exercises) index.set(exercise.id, { kind: "exercise", id: exercise.id, topic, exercise });
    }
    itemIndex.set(course, index);
  }
  return index.get(id);
}
