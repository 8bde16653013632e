import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProblem, loadCourse, type Problem } from "~/content/load.server";
import { readLessonSource } from "~/content/lesson-source";
import { createRenderer, type RenderContext } from "~/content/render.server";
import type { Resource } from "~/content/schema";
import { slugify } from "~/content/slug";

const repo = path.resolve(__dirname, "../..");
const validFixture = path.join(repo, "tests/fixtures/content-valid");
const run = promisify(execFile);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "attention-span-content-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let copies = 0;
/** A fresh copy of the valid fixture as <tmp>/<n>/content, so problems read "content/…". */
function copyValid(): string {
  const root = path.join(tmp, String(++copies), "content");
  fs.cpSync(validFixture, root, { recursive: true });
  return root;
}

function edit(root: string, rel: string, change: (text: string) => string) {
  const file = path.join(root, rel);
  const before = fs.readFileSync(file, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`edit of ${rel} changed nothing`);
  fs.writeFileSync(file, after);
}

/** 1-based line of the first line of `rel` containing `needle` (the nth one when n > 1). */
function lineWith(root: string, rel: string, needle: string, n = 1): number {
  const lines = fs.readFileSync(path.join(root, rel), "utf8").split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && ++seen === n) return i + 1;
  }
  throw new Error(`"${needle}" not found in ${rel}`);
}

/** Copy the valid fixture, apply `change` to one file, load it. */
function broken(rel: string, change: (text: string) => string) {
  const root = copyValid();
  edit(root, rel, change);
  return { root, ...loadCourse(root) };
}

function problem(file: string, line: number, message: string | RegExp): Problem {
  return {
    file,
    line,
    message: typeof message === "string" ? (expect.stringContaining(message) as unknown as string) : (expect.stringMatching(message) as unknown as string),
  };
}

describe("the real course in content/", () => {
  const { course, problems } = loadCourse(path.join(repo, "content"));

  it("loads with zero problems", () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it("has the five lessons in course order", () => {
    expect(course.topics.map((t) => t.slug)).toEqual(["transformers", "attention", "tokenization", "training", "books"]);
    expect(course.topics.map((t) => t.position)).toEqual([1, 2, 3, 4, 5]);
  });

  it("has 28 resources, each with a unique id", () => {
    // The seed's 26, and two papers on reading real attention heads (Clark et al. 2019, Olsson et al. 2022).
    const ids = course.topics.flatMap((t) => t.resources.map((r) => r.id));
    expect(ids).toHaveLength(28);
    expect(new Set(ids).size).toBe(28);
  });

  it("has an overview page", () => {
    expect(course.overview?.file).toBe("content/overview.md");
  });
});

describe("the valid fixture course", () => {
  const { course, problems } = loadCourse(validFixture);

  it("loads clean", () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it("reads lessons, resources, cards and questions with their files and lines", () => {
    expect(course.topics.map((t) => [t.slug, t.title, t.position, t.minutes])).toEqual([
      ["alpha", "Alpha", 1, 5],
      ["beta", "Beta", 2, null],
    ]);
    const alpha = course.topics[0]!;
    expect(alpha.resources.map((r) => [r.id, r.kind, r.line])).toEqual([
      ["alpha-guide", "article", 1],
      ["alpha-book", "book", 10],
    ]);
    expect(alpha.cards.map((c) => [c.id, c.line, c.tags, c.section])).toEqual([
      ["alpha-card-one", 1, ["arithmetic"], "first-steps"],
      ["alpha-card-two", 8, [], "second-part"],
    ]);
    expect(alpha.cards[0]!.file).toBe(path.join(validFixture, "01-alpha/cards.yaml"));
    expect(alpha.questions.map((q) => [q.id, q.kind, q.difficulty])).toEqual([
      ["alpha-q-single", "single", "easy"],
      ["alpha-q-multiple", "multiple", "medium"],
      ["alpha-q-numeric", "numeric", "medium"],
      ["alpha-q-text", "text", "medium"],
      ["alpha-q-order", "order", "hard"],
    ]);
    const numeric = alpha.questions[2]!;
    expect(numeric.kind === "numeric" && numeric.answer).toBe(1050624);
    const single = alpha.questions[0]!;
    expect(single.kind === "single" && single.choices.map((c) => c.correct)).toEqual([true, false]);
    expect(course.topics[1]!.questions).toEqual([]);
    expect(course.overview?.title).toBe("Fixture course");
  });
});

describe("formatProblem", () => {
  it("prints file:line: message", () => {
    expect(formatProblem({ file: "content/02-attention/cards.yaml", line: 12, message: "back is required" })).toBe(
      "content/02-attention/cards.yaml:12: back is required",
    );
  });
});

describe("each kind of mistake is reported at the right file and line", () => {
  const ALPHA_CARDS = "01-alpha/cards.yaml";
  const ALPHA_QUIZ = "01-alpha/quiz.yaml";
  const ALPHA_LESSON = "01-alpha/lesson.md";
  const ALPHA_RES = "01-alpha/resources.yaml";

  it("a missing folder", () => {
    const { problems } = loadCourse(path.join(tmp, "does-not-exist", "content"));
    expect(problems).toEqual([problem("content", 1, "content folder not found")]);
  });

  it("a card without back: the line of that card entry", () => {
    const { root, problems } = broken(ALPHA_CARDS, (t) => t.replace("  back: The second part.\n", ""));
    expect(problems).toEqual([problem("content/01-alpha/cards.yaml", lineWith(root, ALPHA_CARDS, "- id: alpha-card-two"), "back is required")]);
  });

  it("a duplicate id across two files: the line of the second", () => {
    const { root, problems } = broken("02-beta/cards.yaml", (t) => t.replace("- id: beta-card-one", "- id: alpha-card-two"));
    expect(problems).toEqual([
      problem("content/02-beta/cards.yaml", lineWith(root, "02-beta/cards.yaml", "- id: alpha-card-two"), /duplicate id "alpha-card-two" \(card\); first used at content\/01-alpha\/cards\.yaml:8/),
    ]);
  });

  it("a broken internal link: its line in lesson.md", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("Some text", "x").replace("Read on to", "See [x](#nope). Read on to"));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "(#nope)"), 'no heading with anchor "#nope"')]);
  });

  it("a cross-lesson link to a lesson that does not exist", () => {
    const { root, problems } = broken("02-beta/lesson.md", (t) => t.replace("/lessons/alpha#first-steps", "/lessons/nope#x"));
    expect(problems).toEqual([problem("content/02-beta/lesson.md", lineWith(root, "02-beta/lesson.md", "/lessons/nope#x"), 'no lesson "nope"')]);
  });

  it("a cross-lesson link to an anchor the other lesson does not have", () => {
    const { root, problems } = broken("02-beta/lesson.md", (t) => t.replace("/lessons/alpha#first-steps", "/lessons/alpha#third-part"));
    expect(problems).toEqual([
      problem("content/02-beta/lesson.md", lineWith(root, "02-beta/lesson.md", "/lessons/alpha#third-part"), 'lesson "alpha" has no heading with anchor "#third-part"'),
    ]);
  });

  it("a link to an unknown page, and a relative link", () => {
    const { root, problems } = broken("02-beta/lesson.md", (t) => t.replace("/lessons/alpha#first-steps", "/nowhere").replace("[the guide](res:alpha-guide)", "[the guide](guide.html)"));
    expect(problems).toEqual([
      problem("content/02-beta/lesson.md", lineWith(root, "02-beta/lesson.md", "guide.html"), 'link "guide.html" must be absolute'),
      problem("content/02-beta/lesson.md", lineWith(root, "02-beta/lesson.md", "/nowhere"), 'no page "/nowhere"'),
    ]);
  });

  it("an unknown resource kind: the line of kind", () => {
    const { root, problems } = broken(ALPHA_RES, (t) => t.replace("kind: article", "kind: podcast"));
    expect(problems[0]).toEqual(problem("content/01-alpha/resources.yaml", lineWith(root, ALPHA_RES, "kind: podcast"), "kind must be one of article, video, repository, tool, book"));
    // The invalid resource is left out, so what uses it is reported too.
    expect(problems.slice(1).every((p) => p.message.includes('"alpha-guide"'))).toBe(true);
  });

  it("a book without its publisher", () => {
    const { root, problems } = broken(ALPHA_RES, (t) => t.replace("  publisher: Example Press\n", ""));
    expect(problems[0]).toEqual(problem("content/01-alpha/resources.yaml", lineWith(root, ALPHA_RES, "- id: alpha-book"), "a book needs publisher"));
    expect(problems.filter((p) => p.file === "content/01-alpha/resources.yaml")).toHaveLength(1);
  });

  it("an unknown resource placed with ::resource[ghost]", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("::widget[attention-heatmap]", "::resource[ghost]\n\n::widget[attention-heatmap]"));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "::resource[ghost]"), 'unknown resource "ghost"')]);
  });

  it("a resource placed twice", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("::widget[attention-heatmap]", "::resource[alpha-guide]\n\n::widget[attention-heatmap]"));
    expect(problems).toEqual([
      problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "::resource[alpha-guide]", 2), `resource "alpha-guide" is placed twice (first on line ${lineWith(root, ALPHA_LESSON, "::resource[alpha-guide]")})`),
    ]);
  });

  it("a resource never placed: line 1 of its lesson", () => {
    const { problems } = broken(ALPHA_LESSON, (t) => t.replace("::resource[alpha-book]\n", ""));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", 1, 'resource "alpha-book" is never placed')]);
  });

  it("a section that is not a heading anchor: the line of the item", () => {
    const { root, problems } = broken(ALPHA_QUIZ, (t) => t.replace("section: first-steps\n  source: alpha-guide", "section: first-step\n  source: alpha-guide"));
    expect(problems).toEqual([
      problem("content/01-alpha/quiz.yaml", lineWith(root, ALPHA_QUIZ, "- id: alpha-q-multiple"), `section "first-step" is not a heading anchor of alpha's lesson.md`),
    ]);
  });

  it("a source that is not a resource id", () => {
    const { root, problems } = broken(ALPHA_CARDS, (t) => t.replace("source: alpha-book", "source: ghost-book"));
    expect(problems).toEqual([problem("content/01-alpha/cards.yaml", lineWith(root, ALPHA_CARDS, "- id: alpha-card-two"), 'source "ghost-book" is not a resource id')]);
  });

  it("a single-choice question with two correct choices: the line of choices", () => {
    const { root, problems } = broken(ALPHA_QUIZ, (t) => t.replace("    - text: Three\n", "    - text: Three\n      correct: true\n"));
    expect(problems).toEqual([problem("content/01-alpha/quiz.yaml", lineWith(root, ALPHA_QUIZ, "choices:"), "exactly one correct choice")]);
  });

  it("a choice may say why it is wrong (why), and a why on a correct choice is refused at its line", () => {
    const ok = broken(ALPHA_QUIZ, (t) => t.replace("    - text: Three\n", "    - text: Three\n      why: Three leaves a remainder of one when divided by two.\n"));
    expect(ok.problems).toEqual([]);
    const single = ok.course.topics[0]!.questions.find((q) => q.id === "alpha-q-single")!;
    expect(single.kind === "single" && single.choices[1]!.why).toBe("Three leaves a remainder of one when divided by two.");

    const { root, problems } = broken(ALPHA_QUIZ, (t) => t.replace("      correct: true\n", "      correct: true\n      why: It is even.\n"));
    expect(problems).toEqual([problem("content/01-alpha/quiz.yaml", lineWith(root, ALPHA_QUIZ, "why: It is even."), "why explains a wrong choice")]);
  });

  it("an empty why: the line of why", () => {
    const { root, problems } = broken(ALPHA_QUIZ, (t) => t.replace("    - text: Three\n", '    - text: Three\n      why: ""\n'));
    expect(problems).toEqual([problem("content/01-alpha/quiz.yaml", lineWith(root, ALPHA_QUIZ, 'why: ""'), "why must not be empty")]);
  });

  it("a multiple-select question with no correct choice", () => {
    const { root, problems } = broken(ALPHA_QUIZ, (t) => t.replace("[{text: Two, correct: true}, {text: Four}, {text: Five, correct: true}]", "[{text: Two}, {text: Four}, {text: Five}]"));
    expect(problems).toEqual([problem("content/01-alpha/quiz.yaml", lineWith(root, ALPHA_QUIZ, "choices: [{text: Two}"), "at least one correct choice")]);
  });

  it("an ordering question with two steps: the line of steps", () => {
    const { root, problems } = broken(ALPHA_QUIZ, (t) => t.replace("steps: [Read the lesson, Answer the quiz, Review the cards]", "steps: [Read the lesson, Answer the quiz]"));
    expect(problems).toEqual([problem("content/01-alpha/quiz.yaml", lineWith(root, ALPHA_QUIZ, "steps: ["), "at least 3 steps")]);
  });

  it("an unknown question kind: the line of kind", () => {
    const { root, problems } = broken(ALPHA_QUIZ, (t) => t.replace("kind: text", "kind: essay"));
    expect(problems).toEqual([problem("content/01-alpha/quiz.yaml", lineWith(root, ALPHA_QUIZ, "kind: essay"), 'unknown question kind "essay"')]);
  });

  it("a numeric answer that is not a number: the line of answer", () => {
    const { root, problems } = broken(ALPHA_QUIZ, (t) => t.replace("answer: 1050624", "answer: about a million"));
    expect(problems).toEqual([problem("content/01-alpha/quiz.yaml", lineWith(root, ALPHA_QUIZ, "answer: about a million"), "answer must be a number")]);
  });

  it("a YAML syntax error: its line", () => {
    const { root, problems } = broken(ALPHA_CARDS, (t) => t.replace("  back: Four.", "  back: Four: five."));
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0]).toEqual(problem("content/01-alpha/cards.yaml", lineWith(root, ALPHA_CARDS, "back: Four: five."), /^YAML: Nested mappings/));
    expect(problems.every((p) => p.file === "content/01-alpha/cards.yaml")).toBe(true);
  });

  it("a YAML syntax error in front matter: its line in lesson.md", () => {
    const { root, problems } = broken("02-beta/lesson.md", (t) => t.replace("summary: The second tiny lesson.", "summary: The second: tiny lesson."));
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0]).toEqual(problem("content/02-beta/lesson.md", lineWith(root, "02-beta/lesson.md", "summary: The second:"), /^YAML: Nested mappings/));
  });

  it("a duplicate key in YAML", () => {
    const { root, problems } = broken(ALPHA_CARDS, (t) => t.replace("  back: Four.\n", "  back: Four.\n  back: 4.\n"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toEqual(problem("content/01-alpha/cards.yaml", lineWith(root, ALPHA_CARDS, "back: 4."), /^YAML: .*unique/i));
  });

  it("an unknown widget: its line", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("::widget[attention-heatmap]", "::widget[loss-curve]"));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "::widget[loss-curve]"), 'unknown widget "loss-curve" (known: attention-heatmap, tokenizer, tiny-gpt)')]);
  });

  it("an image without alt text: its line", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("![A box with an arrow pointing right to a second box]", "![ ]"));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "![ ]"), "image needs alt text")]);
  });

  it("an image whose SVG is missing: its line", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("diagrams/flow.svg", "diagrams/missing.svg"));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "diagrams/missing.svg"), 'image "diagrams/missing.svg" not found')]);
  });

  it("an image that is not a local SVG", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("diagrams/flow.svg", "https://example.com/flow.png"));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "flow.png"), "must be a local SVG under diagrams/")]);
  });

  it("an image outside the lesson folder", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("diagrams/flow.svg", "../02-beta/x.svg"));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "x.svg"), "not found")]);
  });

  it("an unknown field on a card (strict): the line of that card", () => {
    const { root, problems } = broken(ALPHA_CARDS, (t) => t.replace("  back: Four.\n", "  back: Four.\n  colour: red\n"));
    expect(problems).toEqual([problem("content/01-alpha/cards.yaml", lineWith(root, ALPHA_CARDS, "- id: alpha-card-one"), "unknown field colour")]);
  });

  it("an unknown field in front matter", () => {
    const { problems } = broken("02-beta/lesson.md", (t) => t.replace("slug: beta\n", "slug: beta\nauthor: me\n"));
    expect(formatProblem(problems[0]!)).toMatch(/^content\/02-beta\/lesson\.md:\d+: unknown field author$/);
    // The lesson is left out, so links to it break too.
    expect(problems.slice(1).map((p) => p.message)).toEqual(['broken link: no lesson "beta"', 'broken link: no lesson "beta"']);
  });

  it("front matter missing its title: the line inside the front matter", () => {
    const { root, problems } = broken("02-beta/lesson.md", (t) => t.replace("title: Beta\n", ""));
    expect(problems[0]).toEqual(problem("content/02-beta/lesson.md", lineWith(root, "02-beta/lesson.md", "slug: beta"), "title is required"));
  });

  it("a lesson without front matter", () => {
    const { problems } = broken("02-beta/lesson.md", (t) => t.replace(/^---\n[\s\S]*?\n---\n/, ""));
    expect(problems[0]).toEqual(problem("content/02-beta/lesson.md", 1, "front matter (between --- lines)"));
  });

  it("an id that is not lowercase kebab-case: the line of id", () => {
    const { root, problems } = broken(ALPHA_CARDS, (t) => t.replace("id: alpha-card-one", "id: Alpha_Card"));
    expect(problems).toEqual([problem("content/01-alpha/cards.yaml", lineWith(root, ALPHA_CARDS, "id: Alpha_Card"), "id must be lowercase letters, digits and single dashes")]);
  });

  it("a citation of a resource that does not exist: its line", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("(res:alpha-guide)", "(res:ghost)"));
    expect(problems).toEqual([problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "(res:ghost)"), 'broken citation: no resource "ghost"')]);
  });

  it("two headings with the same anchor", () => {
    const { root, problems } = broken(ALPHA_LESSON, (t) => t.replace("## Second part", "## First steps!"));
    // The anchor is taken twice, and items/links pointing at #second-part now break too.
    expect(problems).toContainEqual(problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "## First steps!"), 'two headings have the anchor "#first-steps"'));
    expect(problems).toContainEqual(problem("content/01-alpha/lesson.md", lineWith(root, ALPHA_LESSON, "(#second-part)"), 'no heading with anchor "#second-part"'));
  });

  it("a topic folder with a bad name, and a topic without lesson.md", () => {
    const root = copyValid();
    fs.mkdirSync(path.join(root, "Extra"));
    fs.mkdirSync(path.join(root, "03-empty"));
    const { problems, course } = loadCourse(root);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(problem("content/Extra", 1, "folder name must look like"));
    expect(problems).toContainEqual(problem("content/03-empty/lesson.md", 1, "lesson.md is missing"));
    expect(course.topics.map((t) => t.slug)).toEqual(["alpha", "beta"]);
  });

  it("reports every problem, not just the first", () => {
    const root = copyValid();
    edit(root, ALPHA_CARDS, (t) => t.replace("  back: The second part.\n", ""));
    edit(root, ALPHA_RES, (t) => t.replace("kind: article", "kind: podcast"));
    edit(root, "02-beta/lesson.md", (t) => t.replace("(res:alpha-guide)", "(res:ghost)"));
    const { problems } = loadCourse(root);
    expect(problems.map(formatProblem)).toEqual(
      expect.arrayContaining([
        `content/01-alpha/cards.yaml:${lineWith(root, ALPHA_CARDS, "- id: alpha-card-two")}: back is required`,
        `content/01-alpha/resources.yaml:${lineWith(root, ALPHA_RES, "kind: podcast")}: kind must be one of article, video, repository, tool, book`,
        `content/02-beta/lesson.md:${lineWith(root, "02-beta/lesson.md", "(res:ghost)")}: broken citation: no resource "ghost"`,
      ]),
    );
  });
});

describe("npm run content:check (scripts/content-check.ts)", () => {
  const tsx = path.join(repo, "node_modules/.bin/tsx");
  const check = (dir: string) => run(tsx, ["scripts/content-check.ts", dir], { cwd: repo, timeout: 60_000 });

  it("exits 0 on the valid fixture", async () => {
    const { stdout } = await check(validFixture);
    expect(stdout).toContain("content:check ok: 2 lessons, 3 resources, 3 cards, 5 quiz questions, 0 exercises.");
  }, 60_000);

  it("exits non-zero and prints file:line: message for a broken copy", async () => {
    const root = copyValid();
    edit(root, "01-alpha/cards.yaml", (t) => t.replace("  back: The second part.\n", ""));
    edit(root, "01-alpha/lesson.md", (t) => t.replace("::widget[attention-heatmap]", "::widget[loss-curve]"));
    const failure = await check(root).then(
      () => null,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(failure).not.toBeNull();
    expect(failure!.code).not.toBe(0);
    const lines = failure!.stderr.split("\n").filter((l) => l.trim());
    expect(lines).toContain(`content/01-alpha/cards.yaml:${lineWith(root, "01-alpha/cards.yaml", "- id: alpha-card-two")}: back is required`);
    expect(lines).toContain(`content/01-alpha/lesson.md:${lineWith(root, "01-alpha/lesson.md", "::widget[loss-curve]")}: unknown widget "loss-curve" (known: attention-heatmap, tokenizer, tiny-gpt)`);
    expect(lines).toContain("content:check found 2 problems.");
  }, 60_000);
});

describe("readLessonSource", () => {
  const text = [
    "---", // 1
    "title: T", // 2
    "slug: t", // 3
    "summary: S", // 4
    "---", // 5
    "", // 6
    "## Queries, keys and values", // 7
    "See [a](#queries-keys-and-values) and `[not](#a-link)`.", // 8
    "```md", // 9
    "## Not a heading", // 10
    "[not a link](#x)", // 11
    "```", // 12
    "$$", // 13
    "[not](#math)", // 14
    "$$", // 15
    "::resource[some-res]", // 16
    "  ::widget[tokenizer]  ", // 17
    '![Alt text](diagrams/a.svg "Caption") and [b](/lessons/x#y)', // 18
    "### Café au lait ###", // 19
  ].join("\r\n");
  const src = readLessonSource(text);

  it("splits front matter from the body with line numbers", () => {
    expect(src.frontMatter).toBe("title: T\nslug: t\nsummary: S");
    expect(src.frontMatterLine).toBe(2);
    expect(src.bodyLine).toBe(6);
  });

  it("finds headings outside code fences and math, with anchors", () => {
    expect(src.headings).toEqual([
      { line: 7, depth: 2, text: "Queries, keys and values", anchor: "queries-keys-and-values" },
      { line: 19, depth: 3, text: "Café au lait", anchor: "cafe-au-lait" },
    ]);
  });

  it("finds links, images and directives with their lines, skipping inline code", () => {
    expect(src.links).toEqual([
      { line: 8, value: "#queries-keys-and-values" },
      { line: 18, value: "/lessons/x#y" },
    ]);
    expect(src.images).toEqual([{ line: 18, value: { alt: "Alt text", src: "diagrams/a.svg" } }]);
    expect(src.resources).toEqual([{ line: 16, value: "some-res" }]);
    expect(src.widgets).toEqual([{ line: 17, value: "tokenizer" }]);
  });

  it("has no front matter when the file does not start with ---", () => {
    const plain = readLessonSource("# Title\n\nbody");
    expect(plain.frontMatter).toBeNull();
    expect(plain.bodyLine).toBe(1);
    expect(plain.headings).toEqual([{ line: 1, depth: 1, text: "Title", anchor: "title" }]);
  });
});

describe("slugify", () => {
  it.each([
    ["Queries, keys and values", "queries-keys-and-values"],
    ["Scaled dot-product attention", "scaled-dot-product-attention"],
    ["Why $\\sqrt{d_k}$?", "why-sqrtdk"],
    ["Crème brûlée", "creme-brulee"],
    ["  Many   spaces -- and dashes  ", "many-spaces-and-dashes"],
    ["What's BPE?", "whats-bpe"],
    ["!!!", ""],
  ])("%j -> %j", (text, anchor) => {
    expect(slugify(text)).toBe(anchor);
  });
});

describe("createRenderer", () => {
  const resource = (id: string, kind: Resource["kind"] = "article"): Resource => ({
    id,
    title: `Title of ${id}`,
    url: `https://example.com/${id}`,
    kind,
    authors: ["Ada Example"],
    summary: "What you get.",
    when: "When to read it.",
  });
  const ctx = (): RenderContext => ({
    slug: "alpha",
    resources: new Map([
      ["here", { resource: resource("here"), slug: "alpha" }],
      ["there", { resource: resource("there", "video"), slug: "beta" }],
    ]),
    diagramBase: "/diagrams/alpha/",
  });
  const html = (md: string) =>
    createRenderer(ctx())
      .render(md)
      .segments.map((s) => (s.type === "html" ? s.html : `[widget ${s.name}]`))
      .join("");

  it("gives headings ids and lists h2 headings in the table of contents", () => {
    const page = createRenderer(ctx()).render("## Queries, keys and values\n\ntext\n\n### A detail\n\n## Second *part*\n");
    const out = page.segments.map((s) => (s.type === "html" ? s.html : "")).join("");
    expect(out).toContain('<h2 id="queries-keys-and-values" tabindex="-1"><a class="heading-anchor" href="#queries-keys-and-values">Queries, keys and values</a></h2>');
    expect(out).toContain('<h3 id="a-detail"');
    expect(out).toContain('<h2 id="second-part"');
    expect(page.toc).toEqual([
      { anchor: "queries-keys-and-values", text: "Queries, keys and values" },
      { anchor: "second-part", text: "Second part" },
    ]);
  });

  it("starts a fresh table of contents on each render", () => {
    const r = createRenderer(ctx());
    r.render("## One\n");
    expect(r.render("## Two\n").toc).toEqual([{ anchor: "two", text: "Two" }]);
  });

  it("renders inline and display math with KaTeX", () => {
    const inline = html("The square $x^2$ grows.");
    expect(inline).toContain('<span class="katex">');
    expect(inline).toContain("<msup>");
    expect(inline).not.toContain("$x^2$");
    const display = html("$$\n\\frac{a}{b}\n$$\n");
    expect(display).toContain('<div class="math-display" tabindex="0" role="group" aria-label="Formula">');
    expect(display).toContain('class="katex-display"');
    expect(html("It costs $5 and $6.")).not.toContain("katex");
  });

  it("highlights a ts code fence on the server", () => {
    const out = html("```ts\nconst x: number = 1;\n```\n");
    expect(out).toContain('<pre class="code" tabindex="0" role="group" aria-label="Code"><code class="hljs language-ts">');
    expect(out).toContain('<span class="hljs-keyword">const</span>');
    expect(out).toMatch(/<span class="hljs-number">1<\/span>/);
  });

  it("escapes an unknown or missing fence language", () => {
    const out = html("```\n<b>&</b>\n```\n");
    expect(out).toContain('class="hljs language-plaintext"');
    expect(out).toContain("&lt;b&gt;&amp;&lt;/b&gt;");
  });

  it("turns ::widget[attention-heatmap] into a widget segment between html segments", () => {
    const page = createRenderer(ctx()).render("Before.\n\n::widget[attention-heatmap]\n\nAfter.\n");
    expect(page.segments).toEqual([
      { type: "html", html: expect.stringContaining("<p>Before.</p>") as unknown as string },
      { type: "widget", name: "attention-heatmap" },
      { type: "html", html: expect.stringContaining("<p>After.</p>") as unknown as string },
    ]);
  });

  it("links res:id to the card in this lesson or in another lesson", () => {
    expect(html("[here](res:here)")).toContain('<a href="#res-here" class="citation">here</a>');
    expect(html("[there](res:there)")).toContain('<a href="/lessons/beta#res-there" class="citation">there</a>');
    expect(html("[ghost](res:ghost)")).toContain('<a href="#" class="citation">ghost</a>');
  });

  it("places a resource card with the resource's anchor", () => {
    const out = html("::resource[here]\n");
    expect(out).toContain('<aside class="resource resource-article" id="res-here" aria-label="Article: Title of here">');
    expect(out).toContain('<a href="https://example.com/here" rel="noopener noreferrer">Title of here</a>');
    expect(html("::resource[ghost]\n")).not.toContain("<aside");
  });

  it("serves diagrams from the page's diagram base with their alt text", () => {
    expect(html('![A flow "diagram"](diagrams/flow.svg "The flow")')).toContain(
      '<figure class="diagram"><img src="/diagrams/alpha/flow.svg" alt="A flow &quot;diagram&quot;" loading="lazy"><figcaption>The flow</figcaption></figure>',
    );
  });

  it("marks external links noopener", () => {
    expect(html("[site](https://example.com)")).toContain('<a href="https://example.com" rel="noopener noreferrer">site</a>');
  });

  it("renders the real attention lesson with a widget and a KaTeX formula", () => {
    const { course } = loadCourse(path.join(repo, "content"));
    const resources = new Map(course.topics.flatMap((t) => t.resources.map((r) => [r.id, { resource: r as Resource, slug: t.slug }] as const)));
    const attention = course.topics.find((t) => t.slug === "attention")!;
    const page = createRenderer({ slug: "attention", resources, diagramBase: "/diagrams/attention/" }).render(attention.source.body);
    expect(page.segments.some((s) => s.type === "widget" && s.name === "attention-heatmap")).toBe(true);
    expect(page.toc.map((t) => t.anchor)).toContain("the-problem-attention-solved");
    const all = page.segments.map((s) => (s.type === "html" ? s.html : "")).join("");
    expect(all).toContain('class="katex"');
    for (const r of attention.resources) expect(all).toContain(`id="res-${r.id}"`);
  });
});
