/**
 * Reads content/ into memory and reports every problem as file:line: message.
 * Used by `npm run content:check`, by start-up (which refuses to serve a broken
 * course) and by the content sync.
 */
import fs from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isSeq, type Document, type YAMLError } from "yaml";
import type { ZodError, ZodTypeAny } from "zod";
import {
  CardsFile,
  ExerciseFile,
  LessonFrontMatter,
  QUESTION_KINDS,
  ResourcesFile,
  questionSchemaFor,
  type Card,
  type ExerciseFile as ExerciseData,
  type Question,
  type Resource,
} from "./schema";
import { readLessonSource, type Heading, type LessonSource } from "./lesson-source";

export const KNOWN_WIDGETS = ["attention-heatmap", "tokenizer", "tiny-gpt"] as const;

export interface Problem {
  file: string; // relative to the content root's parent, e.g. content/02-attention/cards.yaml
  line: number;
  message: string;
}

export type Located<T> = T & { file: string; line: number };

export interface ExerciseContent extends Omit<ExerciseData, "python"> {
  file: string;
  line: number;
  dir: string;
  starter: string;
  solution: string;
  /** The Python variant (starter.py, solution.py beside the JavaScript files), sharing the tests. */
  python?: PythonVariant;
}

export interface PythonVariant {
  function: string;
  starter: string;
  solution: string;
}

export interface TopicContent {
  slug: string;
  title: string;
  summary: string;
  minutes: number | null;
  position: number; // 1-based, from the folder prefix
  dir: string; // absolute
  lessonFile: string; // display path
  source: LessonSource;
  resources: Located<Resource>[];
  cards: Located<Card>[];
  questions: Located<Question>[];
  exercises: ExerciseContent[];
}

export interface PageContent {
  slug: string;
  title: string;
  summary: string;
  dir: string;
  file: string;
  source: LessonSource;
}

export interface Course {
  root: string;
  topics: TopicContent[];
  overview: PageContent | null;
}

export interface LoadResult {
  course: Course;
  problems: Problem[];
}

const TOPIC_DIR = /^(\d{2})-([a-z0-9-]+)$/;

export function loadCourse(root: string): LoadResult {
  const problems: Problem[] = [];
  const display = (abs: string) => path.relative(path.dirname(root), abs).split(path.sep).join("/");
  const report = (abs: string, line: number, message: string) => problems.push({ file: display(abs), line, message });

  const topics: TopicContent[] = [];
  if (!fs.existsSync(root)) {
    report(root, 1, "content folder not found");
    return { course: { root, topics, overview: null }, problems };
  }
  const entries = fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === "overview-diagrams") continue;
    const dir = path.join(root, entry.name);
    const match = TOPIC_DIR.exec(entry.name);
    if (!match) {
      report(dir, 1, `folder name must look like "01-transformers" (two digits, a dash, a lowercase name)`);
      continue;
    }
    const topic = loadTopic(dir, Number(match[1]), report);
    if (topic) topics.push(topic);
  }

  const overviewFile = path.join(root, "overview.md");
  let overview: PageContent | null = null;
  if (fs.existsSync(overviewFile)) {
    const source = readLessonSource(fs.readFileSync(overviewFile, "utf8"));
    const fm = parseFrontMatter(source, overviewFile, report);
    if (fm) overview = { ...fm, dir: root, file: display(overviewFile), source };
  }

  const course: Course = { root, topics, overview };
  crossCheck(course, report);
  return { course, problems };
}

type Report = (abs: string, line: number, message: string) => void;

function parseFrontMatter(source: LessonSource, file: string, report: Report) {
  if (source.frontMatter === null) {
    report(file, 1, "front matter (between --- lines) with title, slug and summary is required");
    return null;
  }
  const { doc, lines } = parseYaml(source.frontMatter);
  const offset = source.frontMatterLine - 1;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) report(file, offset + errorLine(e, lines), `YAML: ${firstLine(e.message)}`);
    return null;
  }
  return validate(LessonFrontMatter, doc, lines, file, report, offset);
}

function loadTopic(dir: string, position: number, report: Report): TopicContent | null {
  const lessonPath = path.join(dir, "lesson.md");
  if (!fs.existsSync(lessonPath)) {
    report(lessonPath, 1, "lesson.md is missing");
    return null;
  }
  const source = readLessonSource(fs.readFileSync(lessonPath, "utf8"));
  const fm = parseFrontMatter(source, lessonPath, report);
  if (!fm) return null;

  const resources = loadList(path.join(dir, "resources.yaml"), ResourcesFile, report, true) as Located<Resource>[];
  const cards = loadList(path.join(dir, "cards.yaml"), CardsFile, report, false) as Located<Card>[];
  const questions = loadQuestions(path.join(dir, "quiz.yaml"), report);
  const exercises = loadExercises(path.join(dir, "exercises"), report);
  return {
    ...fm,
    minutes: fm.minutes ?? null,
    position,
    dir,
    lessonFile: lessonPath,
    source,
    resources,
    cards,
    questions,
    exercises,
  };
}

function parseYaml(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { doc, lines };
}

/** With prettyErrors off, yaml sets only `pos` (offsets), not `linePos`: convert it ourselves. */
function errorLine(e: YAMLError, lines: LineCounter): number {
  return e.linePos?.[0]?.line ?? (typeof e.pos?.[0] === "number" ? lines.linePos(e.pos[0]).line : 1);
}

function firstLine(message: string) {
  return message.split("\n")[0]!;
}

/** The line of the YAML node at `path`, walking up to the nearest node that exists. */
function lineOf(doc: Document, lines: LineCounter, p: (string | number)[]): number {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    const pair = n > 0 ? findKeyNode(doc, p.slice(0, n)) : undefined;
    const offset = pair ?? node?.range?.[0];
    if (typeof offset === "number") return lines.linePos(offset).line;
  }
  return 1;
}

/** For a missing-or-wrong key, point at the key itself when it exists. */
function findKeyNode(doc: Document, p: (string | number)[]): number | undefined {
  const parent = doc.getIn(p.slice(0, -1), true) as { items?: { key?: { value?: unknown; range?: number[] } }[] } | undefined;
  const last = p[p.length - 1];
  if (!parent?.items || typeof last !== "string") return undefined;
  const pair = parent.items.find((it) => it.key?.value === last);
  return pair?.key?.range?.[0];
}

function zodProblems(error: ZodError, doc: Document, lines: LineCounter, file: string, report: Report, offset: number) {
  for (const issue of error.issues) {
    const line = offset + lineOf(doc, lines, issue.path);
    const field = issue.path.filter((x) => typeof x === "string").join(".");
    let message = issue.message;
    if (issue.code === "invalid_type" && issue.received === "undefined") message = `${field || "value"} is required`;
    else if (issue.code === "unrecognized_keys") message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
    else if (field && !message.toLowerCase().includes(field.split(".").pop()!.toLowerCase())) message = `${field}: ${message}`;
    report(file, line, message);
  }
}

function validate<S extends ZodTypeAny>(schema: S, doc: Document, lines: LineCounter, file: string, report: Report, offset = 0) {
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    zodProblems(result.error, doc, lines, file, report, offset);
    return null;
  }
  return result.data as import("zod").infer<S>;
}

function readYaml(file: string, report: Report) {
  const { doc, lines } = parseYaml(fs.readFileSync(file, "utf8"));
  if (doc.errors.length > 0) {
    for (const e of doc.errors) report(file, errorLine(e, lines), `YAML: ${firstLine(e.message)}`);
    return null;
  }
  return { doc, lines };
}

/** A YAML list where each entry is validated on its own, so one bad entry does not hide the rest. */
function loadList(file: string, schema: ZodTypeAny, report: Report, required: boolean): unknown[] {
  if (!fs.existsSync(file)) {
    if (required) report(file, 1, `${path.basename(file)} is missing`);
    return [];
  }
  const parsed = readYaml(file, report);
  if (!parsed) return [];
  const { doc, lines } = parsed;
  if (!isSeq(doc.contents)) {
    if (doc.contents !== null) report(file, 1, "the file must be a YAML list (entries starting with -)");
    return [];
  }
  const element = (schema as unknown as { element: ZodTypeAny }).element;
  const out: unknown[] = [];
  doc.contents.items.forEach((_, index) => {
    const value = (doc.toJS() as unknown[])[index];
    const result = element.safeParse(value);
    const line = lineOf(doc, lines, [index]);
    if (!result.success) {
      const prefixed = { ...result.error, issues: result.error.issues.map((i) => ({ ...i, path: [index, ...i.path] })) } as ZodError;
      zodProblems(prefixed, doc, lines, file, report, 0);
      return;
    }
    out.push({ ...(result.data as object), file, line });
  });
  return out;
}

function loadQuestions(file: string, report: Report): Located<Question>[] {
  if (!fs.existsSync(file)) return [];
  const parsed = readYaml(file, report);
  if (!parsed) return [];
  const { doc, lines } = parsed;
  if (!isSeq(doc.contents)) {
    if (doc.contents !== null) report(file, 1, "the file must be a YAML list (entries starting with -)");
    return [];
  }
  const data = doc.toJS() as unknown[];
  const out: Located<Question>[] = [];
  data.forEach((value, index) => {
    const line = lineOf(doc, lines, [index]);
    const kind = (value as { kind?: unknown } | null)?.kind;
    const schema = questionSchemaFor(kind);
    if (!schema) {
      const at = lineOf(doc, lines, [index, "kind"]);
      report(file, at, kind === undefined ? "kind is required" : `unknown question kind "${String(kind)}" (use ${QUESTION_KINDS.join(", ")})`);
      return;
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      const prefixed = { ...result.error, issues: result.error.issues.map((i) => ({ ...i, path: [index, ...i.path] })) } as ZodError;
      zodProblems(prefixed, doc, lines, file, report, 0);
      return;
    }
    out.push({ ...(result.data as Question), file, line });
  });
  return out;
}

function loadExercises(dir: string, report: Report): ExerciseContent[] {
  if (!fs.existsSync(dir)) return [];
  const out: ExerciseContent[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const exDir = path.join(dir, entry.name);
    const file = path.join(exDir, "exercise.yaml");
    if (!fs.existsSync(file)) {
      report(file, 1, "exercise.yaml is missing");
      continue;
    }
    const parsed = readYaml(file, report);
    if (!parsed) continue;
    const data = validate(ExerciseFile, parsed.doc, parsed.lines, file, report);
    const code: Record<"starter" | "solution", string> = { starter: "", solution: "" };
    for (const which of ["starter", "solution"] as const) {
      const codeFile = path.join(exDir, `${which}.ts`);
      if (!fs.existsSync(codeFile)) {
        report(codeFile, 1, `${which}.ts is missing`);
        continue;
      }
      code[which] = fs.readFileSync(codeFile, "utf8");
      if (data && !definesFunction(code[which], data.function)) {
        report(codeFile, 1, `${which}.ts must define the function ${data.function}`);
      }
    }
    const python = loadPythonVariant(exDir, data?.python?.function ?? null, report);
    if (data) out.push({ ...data, file, line: 1, dir: exDir, starter: code.starter, solution: code.solution, python });
  }
  return out;
}

/** starter.py and solution.py, required together with `python:` in exercise.yaml (and only then). */
function loadPythonVariant(exDir: string, functionName: string | null, report: Report): PythonVariant | undefined {
  const files = { starter: path.join(exDir, "starter.py"), solution: path.join(exDir, "solution.py") };
  if (functionName === null) {
    for (const f of Object.values(files)) if (fs.existsSync(f)) report(f, 1, "a Python file needs `python: { function: name }` in exercise.yaml");
    return undefined;
  }
  const code = { starter: "", solution: "" };
  let complete = true;
  for (const which of ["starter", "solution"] as const) {
    if (!fs.existsSync(files[which])) {
      report(files[which], 1, `${which}.py is missing (exercise.yaml has a python variant)`);
      complete = false;
      continue;
    }
    code[which] = fs.readFileSync(files[which], "utf8");
    if (!new RegExp(`^def\\s+${functionName}\\s*\\(`, "m").test(code[which])) report(files[which], 1, `${which}.py must define the function ${functionName}`);
  }
  return complete ? { function: functionName, ...code } : undefined;
}

export function definesFunction(code: string, name: string): boolean {
  const escaped = name.replace(/\$/g, "\\$");
  return new RegExp(`(function\\s+${escaped}\\s*[(<]|(const|let|var)\\s+${escaped}\\s*[=:])`).test(code);
}

/** Checks that span files: unique ids, anchors, placements, links, images. */
function crossCheck(course: Course, report: Report) {
  const seen = new Map<string, string>();
  const claim = (id: string, file: string, line: number, what: string) => {
    const before = seen.get(id);
    if (before) report(file, line, `duplicate id "${id}" (${what}); first used at ${before}`);
    else seen.set(id, `${path.relative(path.dirname(course.root), file).split(path.sep).join("/")}:${line}`);
  };
  const slugs = new Map<string, TopicContent>();
  const resourceTopic = new Map<string, TopicContent>();
  for (const topic of course.topics) {
    if (slugs.has(topic.slug)) report(topic.lessonFile, 3, `duplicate lesson slug "${topic.slug}"`);
    slugs.set(topic.slug, topic);
    for (const r of topic.resources) {
      claim(r.id, r.file, r.line, "resource");
      resourceTopic.set(r.id, topic);
    }
  }
  for (const topic of course.topics) {
    const anchors = anchorSet(topic.source.headings, topic.lessonFile, report);
    const items: { id: string; file: string; line: number; section: string; source?: string; what: string }[] = [
      ...topic.cards.map((c) => ({ ...c, what: "card" })),
      ...topic.questions.map((q) => ({ ...q, what: "quiz question" })),
      ...topic.exercises.map((e) => ({ ...e, source: undefined, what: "exercise" })),
    ];
    for (const item of items) {
      claim(item.id, item.file, item.line, item.what);
      if (!anchors.has(item.section)) report(item.file, item.line, `section "${item.section}" is not a heading anchor of ${topic.slug}'s lesson.md`);
      if (item.source && !resourceTopic.has(item.source)) report(item.file, item.line, `source "${item.source}" is not a resource id`);
    }
    checkLessonBody(topic.source, topic.lessonFile, topic.dir, topic, course, slugs, resourceTopic, report);
  }
  if (course.overview) {
    checkLessonBody(course.overview.source, path.join(course.root, "overview.md"), course.root, null, course, slugs, resourceTopic, report);
  }
}

function anchorSet(headings: Heading[], file: string, report: Report) {
  const anchors = new Set<string>();
  for (const h of headings) {
    if (anchors.has(h.anchor)) report(file, h.line, `two headings have the anchor "#${h.anchor}"; reword one`);
    anchors.add(h.anchor);
  }
  return anchors;
}

function checkLessonBody(
  source: LessonSource,
  file: string,
  dir: string,
  topic: TopicContent | null,
  course: Course,
  slugs: Map<string, TopicContent>,
  resourceTopic: Map<string, TopicContent>,
  report: Report,
) {
  const anchors = new Set(source.headings.map((h) => h.anchor));
  const placed = new Map<string, number>();
  for (const { line, value } of source.resources) {
    if (!topic) {
      report(file, line, "resources can only be placed in a lesson");
      continue;
    }
    if (!topic.resources.some((r) => r.id === value)) report(file, line, `unknown resource "${value}" (not in resources.yaml)`);
    else if (placed.has(value)) report(file, line, `resource "${value}" is placed twice (first on line ${placed.get(value)})`);
    placed.set(value, line);
  }
  if (topic) {
    for (const r of topic.resources) {
      if (!placed.has(r.id)) report(file, 1, `resource "${r.id}" is never placed: add ::resource[${r.id}] where it helps the learner`);
    }
  }
  for (const { line, value } of source.widgets) {
    if (!(KNOWN_WIDGETS as readonly string[]).includes(value)) report(file, line, `unknown widget "${value}" (known: ${KNOWN_WIDGETS.join(", ")})`);
  }
  for (const { line, value } of source.images) {
    if (!value.alt) report(file, line, "image needs alt text describing it");
    if (/^[a-z]+:/i.test(value.src) || value.src.startsWith("/")) {
      report(file, line, `image "${value.src}" must be a local SVG under diagrams/`);
      continue;
    }
    if (!value.src.endsWith(".svg")) report(file, line, `image "${value.src}" must be an SVG`);
    const abs = path.resolve(dir, value.src);
    if (!abs.startsWith(dir + path.sep) || !fs.existsSync(abs)) report(file, line, `image "${value.src}" not found`);
  }
  for (const { line, value } of source.links) {
    const problem = checkLink(value, anchors, slugs, resourceTopic, course);
    if (problem) report(file, line, problem);
  }
}

function checkLink(href: string, anchors: Set<string>, slugs: Map<string, TopicContent>, resourceTopic: Map<string, TopicContent>, course: Course): string | null {
  if (href.startsWith("res:")) {
    const id = href.slice(4);
    return resourceTopic.has(id) ? null : `broken citation: no resource "${id}"`;
  }
  if (href.startsWith("#")) {
    return anchors.has(href.slice(1)) ? null : `broken link: no heading with anchor "${href}" in this file`;
  }
  const lesson = /^\/lessons\/([a-z0-9-]+)(?:\/quiz)?(?:#(.+))?$/.exec(href);
  if (lesson) {
    const target = slugs.get(lesson[1]!);
    if (!target) return `broken link: no lesson "${lesson[1]}"`;
    if (lesson[2] && !target.source.headings.some((h) => h.anchor === lesson[2])) {
      return `broken link: lesson "${lesson[1]}" has no heading with anchor "#${lesson[2]}"`;
    }
    return null;
  }
  if (href === "/overview") return course.overview ? null : "broken link: there is no overview.md";
  if (href.startsWith("/")) {
    const known = ["/lessons", "/review", "/progress", "/exercises", "/overview", "/help/mastery", "/build-your-gpt"];
    return known.some((k) => href === k || href.startsWith(`${k}/`) || href.startsWith(`${k}#`)) ? null : `broken link: no page "${href}"`;
  }
  if (/^https?:\/\//.test(href) || href.startsWith("mailto:")) return null;
  return `link "${href}" must be absolute (https://…), a lesson (/lessons/slug#anchor), an anchor (#…) or a citation (res:id)`;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}
