/**
 * The shape of every content file, as zod schemas. Messages are written for a
 * content author reading `npm run content:check` output.
 */
import { z } from "zod";

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const Id = z
  .string({ required_error: "id is required" })
  .regex(ID_PATTERN, "id must be lowercase letters, digits and single dashes");
const Anchor = z.string({ required_error: "section is required (a heading anchor of lesson.md)" }).min(1);
const Text = (what: string) =>
  z.string({ required_error: `${what} is required`, invalid_type_error: `${what} must be text` }).trim().min(1, `${what} must not be empty`);
const Tags = z.array(z.string().regex(ID_PATTERN, "tags are lowercase-kebab words")).default([]);
export const Difficulty = z.enum(["easy", "medium", "hard"]).default("medium");

export const LessonFrontMatter = z
  .object({
    title: Text("title"),
    slug: Id,
    summary: Text("summary"),
    minutes: z.number().int().positive().optional(),
  })
  .strict();
export type LessonFrontMatter = z.infer<typeof LessonFrontMatter>;

export const RESOURCE_KINDS = ["article", "video", "repository", "tool", "book"] as const;
export const Resource = z
  .object({
    id: Id,
    title: Text("title"),
    url: z.string().url("url must be an absolute URL"),
    kind: z.enum(RESOURCE_KINDS, {
      errorMap: () => ({ message: `kind must be one of ${RESOURCE_KINDS.join(", ")}` }),
    }),
    authors: z.array(Text("author")).min(1, "authors must name at least one author"),
    summary: Text("summary"),
    when: Text("when"),
    year: z.number().int().min(1900).max(2100).optional(),
    publisher: z.string().optional(),
    isbn: z
      .string()
      .regex(/^(97[89])?\d{9}[\dX]$/, "isbn must be 10 or 13 digits without dashes")
      .optional(),
    chapters: z
      .array(z.object({ number: z.number().int().positive(), title: Text("chapter title"), note: Text("chapter note") }).strict())
      .optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === "book") {
      for (const field of ["year", "publisher", "isbn", "chapters"] as const) {
        if (r[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: `a book needs ${field}` });
      }
    }
  });
export type Resource = z.infer<typeof Resource>;
export const ResourcesFile = z.array(Resource);

export const Card = z
  .object({
    id: Id,
    front: Text("front"),
    back: Text("back"),
    tags: Tags,
    section: Anchor,
    source: Id.optional(),
  })
  .strict();
export type Card = z.infer<typeof Card>;
export const CardsFile = z.array(Card);

const QuestionBase = {
  id: Id,
  prompt: Text("prompt"),
  explanation: Text("explanation"),
  section: Anchor,
  tags: Tags,
  source: Id.optional(),
  difficulty: Difficulty,
};
const Choice = z
  .object({
    id: Id.optional(),
    text: Text("choice text"),
    correct: z.boolean().default(false),
    /** Why this choice is wrong, shown to a learner who picked it (for distractors that are common misconceptions). */
    why: Text("why").optional(),
  })
  .strict()
  .refine((c) => !(c.correct && c.why), { message: "why explains a wrong choice; a correct choice is explained by the question's explanation", path: ["why"] });

export const SingleQuestion = z
  .object({ ...QuestionBase, kind: z.literal("single"), choices: z.array(Choice).min(2, "a single-choice question needs at least 2 choices") })
  .strict()
  .refine((q) => q.choices.filter((c) => c.correct).length === 1, {
    message: "a single-choice question needs exactly one correct choice",
    path: ["choices"],
  });
export const MultipleQuestion = z
  .object({ ...QuestionBase, kind: z.literal("multiple"), choices: z.array(Choice).min(3, "a multiple-select question needs at least 3 choices") })
  .strict()
  .refine((q) => q.choices.some((c) => c.correct), {
    message: "a multiple-select question needs at least one correct choice",
    path: ["choices"],
  });
export const NumericQuestion = z
  .object({
    ...QuestionBase,
    kind: z.literal("numeric"),
    answer: z.number({ required_error: "answer is required", invalid_type_error: "answer must be a number" }).finite(),
    tolerance: z.number().nonnegative("tolerance must not be negative").default(0),
    unit: z.string().optional(),
  })
  .strict();
export const TextQuestion = z
  .object({ ...QuestionBase, kind: z.literal("text"), answers: z.array(Text("answer")).min(1, "a text question needs at least one accepted answer") })
  .strict();
export const OrderQuestion = z
  .object({ ...QuestionBase, kind: z.literal("order"), steps: z.array(Text("step")).min(3, "an ordering question needs at least 3 steps") })
  .strict()
  .refine((q) => new Set(q.steps).size === q.steps.length, { message: "ordering steps must be distinct", path: ["steps"] });

export const QUESTION_KINDS = ["single", "multiple", "numeric", "text", "order"] as const;
export const Question = z.union([SingleQuestion, MultipleQuestion, NumericQuestion, TextQuestion, OrderQuestion]);
export type Question = z.infer<typeof Question>;

const TestCase = z
  .object({ name: Text("test name"), args: z.array(z.unknown(), { required_error: "args (the argument list) is required" }), expected: z.unknown().optional() })
  .strict();
const ArgList = z.array(z.unknown(), { invalid_type_error: "each call is an argument list" });
const Property = z
  .object({
    name: Text("property name"),
    args: z.array(z.unknown()),
    // Further calls of the learner's function: argument lists (outputs is an array), named argument
    // lists (outputs is an object), or a JavaScript body computing either from `args`.
    calls: z.union([z.array(ArgList), z.record(ArgList), Text("calls")]).optional(),
    check: Text("check"),
  })
  .strict();

export const ExerciseFile = z
  .object({
    id: Id,
    title: Text("title"),
    function: z.string().regex(/^[A-Za-z_$][\w$]*$/, "function must be a JavaScript identifier"),
    section: Anchor,
    tags: Tags,
    difficulty: Difficulty,
    tolerance: z.object({ atol: z.number().nonnegative().default(1e-6), rtol: z.number().nonnegative().default(1e-5) }).strict().default({}),
    exact: z.boolean().default(false),
    // The task says the function leaves its arguments unchanged: every call checks it.
    readonlyArgs: z.boolean().default(false),
    // Added to overflow and NaN messages, where there is a fix to suggest (e.g. "subtract the max before exp").
    overflowHint: Text("overflowHint").optional(),
    prompt: Text("prompt"),
    tests: z.array(TestCase).min(1, "an exercise needs at least one visible test"),
    hidden: z.array(TestCase).default([]),
    properties: z.array(Property).default([]),
    /** A Python variant: starter.py and solution.py beside the JavaScript files, same tests. */
    python: z
      .object({ function: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "python.function must be a Python identifier") })
      .strict()
      .optional(),
  })
  .strict();
export type ExerciseFile = z.infer<typeof ExerciseFile>;

/** Pick the right question schema by kind, so errors talk about that kind only. */
export function questionSchemaFor(kind: unknown) {
  switch (kind) {
    case "single":
      return SingleQuestion;
    case "multiple":
      return MultipleQuestion;
    case "numeric":
      return NumericQuestion;
    case "text":
      return TextQuestion;
    case "order":
      return OrderQuestion;
    default:
      return null;
  }
}
