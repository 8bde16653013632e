/**
 * Code exercises, server side. Grading runs in the learner's browser (see
 * app/exercise-worker/); the server lists exercises with the learner's status,
 * prepares an exercise page, stores each run (ExerciseAttempt, plus the latest
 * code as an ExerciseDraft) and turns runs into FSRS ratings:
 *
 *  - the first pass of a cycle, without the solution revealed, is Good (3);
 *  - a pass after failed runs in the same cycle is Hard (2);
 *  - revealing the solution (allowed after a failed run) is Again (1), at once.
 *
 * A cycle is everything since the item's last review. A pass is rated only
 * when the exercise is new or due (as the review queue sees it), so re-running
 * a passing solution cannot inflate its schedule; such runs are stored as
 * practice. Ratings go through recordReview with the version the page was
 * loaded with: a stale version stores the attempt without rating.
 *
 * Every function takes the learner's id and scopes every query by it.
 */
import { z } from "zod";
import { formNumber } from "~/utils/fields";
import { getCourse, getContentItem } from "~/content/course.server";
import { buildSpec } from "~/content/exercise-check.server";
import type { ExerciseContent, TopicContent } from "~/content/load.server";
import { createRenderer } from "~/content/render.server";
import { getDb, type Db } from "~/db/client.server";
import { enrolInLesson } from "~/lessons/enrolment.server";
import { dayWindow } from "~/domain/day";
import { formatNumber } from "~/domain/grading/compare";
import type { GradingSpec } from "~/domain/grading/run";
import { State, type Grade } from "~/domain/scheduler";
import { getSettings } from "~/settings/settings.server";
import { recordReview, type ReviewResult } from "~/review/review.server";
import { draftLanguage, pythonVariantPage, type ExerciseLanguage, type PythonVariantPage } from "~/python-runner/page.server";

export type ExerciseStatus = "not-started" | "attempted" | "passed";

/** Learning items count as due this early, as in the review queue. */
const LEARN_AHEAD_MS = 20 * 60 * 1000;
export const MAX_CODE_CHARS = 100_000;

// --- Presentation ---------------------------------------------------------------

/** Test data as the learner would write it: full (no "…"), NaN and ±Infinity by name, one matrix row per line. */
export function formatData(v: unknown, indent = ""): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || v === undefined || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    const rows = v.every((x) => Array.isArray(x)) && v.length > 1;
    if (rows) return `[${v.map((x, i) => (i === 0 ? "" : `\n${indent} `) + formatData(x, `${indent} `)).join(",")}]`;
    return `[${v.map((x) => formatData(x, indent)).join(", ")}]`;
  }
  if (typeof v === "object") {
    return `{ ${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${formatData(x, indent)}`)
      .join(", ")} }`;
  }
  return String(v);
}

const promptHtml = new WeakMap<ExerciseContent, string>();
function renderPrompt(topic: TopicContent, ex: ExerciseContent): string {
  const cached = promptHtml.get(ex);
  if (cached !== undefined) return cached;
  const { resources } = getCourse();
  const page = createRenderer({ slug: topic.slug, resources, diagramBase: `/diagrams/${topic.slug}/` }).render(ex.prompt);
  const html = page.segments.map((s) => (s.type === "html" ? s.html : "")).join("\n");
  promptHtml.set(ex, html);
  return html;
}

// --- Learner state ----------------------------------------------------------------

type StateRow = { due: Date; state: number; lastReview: Date | null; version: number };

/** Would the review queue show this item now? New items always count. */
export function isDue(row: StateRow | null, now: Date, dayEnd: Date): boolean {
  if (!row || row.state === State.New) return true;
  if (row.state === State.Learning || row.state === State.Relearning) return row.due.getTime() <= now.getTime() + LEARN_AHEAD_MS;
  return row.due.getTime() <= Math.max(dayEnd.getTime(), now.getTime());
}

interface Cycle {
  state: StateRow | null;
  failedRuns: number;
  revealed: boolean;
  draft: { code: string; revealedAt: Date | null; language: string } | null;
}

/** What happened since the item's last review: failed runs, a revealed solution. */
async function currentCycle(db: Db, userId: string, itemId: string): Promise<Cycle> {
  const [state, draft] = await Promise.all([
    db.itemState.findUnique({ where: { userId_itemId: { userId, itemId } }, select: { due: true, state: true, lastReview: true, version: true } }),
    db.exerciseDraft.findUnique({ where: { userId_itemId: { userId, itemId } }, select: { code: true, revealedAt: true, language: true } }),
  ]);
  const since = state?.lastReview ?? null;
  const failedRuns = await db.exerciseAttempt.count({ where: { userId, itemId, passed: false, ...(since ? { createdAt: { gt: since } } : {}) } });
  // A reveal that was rated is that review (revealedAt === lastReview): it closed its cycle.
  const revealed = draft?.revealedAt != null && (since === null || draft.revealedAt.getTime() > since.getTime());
  return { state, failedRuns, revealed, draft };
}

async function learnerDay(userId: string, now: Date) {
  const settings = await getSettings(userId);
  return dayWindow(now, settings.timeZone, settings.dayStartHour);
}

// --- The list ---------------------------------------------------------------------

export interface ExerciseSummary {
  id: string;
  title: string;
  difficulty: string;
  tags: string[];
  status: ExerciseStatus;
  /** Has a schedule and the review queue would show it now. */
  due: boolean;
  /** When it next comes back, for exercises with a schedule. */
  nextDue: string | null;
}

export interface ExerciseTopic {
  slug: string;
  title: string;
  position: number;
  exercises: ExerciseSummary[];
}

export async function listExercises(userId: string, now = new Date(), db: Db = getDb()): Promise<ExerciseTopic[]> {
  const { course } = getCourse();
  const ids = course.topics.flatMap((t) => t.exercises.map((e) => e.id));
  const [attempts, states, day] = await Promise.all([
    db.exerciseAttempt.groupBy({ by: ["itemId", "passed"], where: { userId, itemId: { in: ids } }, _count: { _all: true } }),
    db.itemState.findMany({ where: { userId, itemId: { in: ids } }, select: { itemId: true, due: true, state: true, lastReview: true, version: true } }),
    learnerDay(userId, now),
  ]);
  const status = new Map<string, ExerciseStatus>();
  for (const a of attempts) {
    if (a.passed) status.set(a.itemId, "passed");
    else if (!status.has(a.itemId)) status.set(a.itemId, "attempted");
  }
  const stateOf = new Map(states.map((s) => [s.itemId, s]));
  return course.topics
    .filter((t) => t.exercises.length > 0)
    .map((t) => ({
      slug: t.slug,
      title: t.title,
      position: t.position,
      exercises: t.exercises.map((e) => {
        const s = stateOf.get(e.id) ?? null;
        const scheduled = s !== null && s.state !== State.New;
        return {
          id: e.id,
          title: e.title,
          difficulty: e.difficulty,
          tags: e.tags,
          status: status.get(e.id) ?? "not-started",
          due: scheduled && isDue(s, now, day.end),
          nextDue: scheduled ? s.due.toISOString() : null,
        };
      }),
    }));
}

// --- One exercise page --------------------------------------------------------------

export interface VisibleTest {
  name: string;
  args: string[];
  expected: string;
}

export interface ExercisePage {
  id: string;
  title: string;
  difficulty: string;
  topic: { slug: string; title: string };
  section: string;
  functionName: string;
  promptHtml: string;
  starter: string;
  /** What the editor starts with: the draft, or the starter in review mode or when there is none. */
  initialCode: string;
  fromDraft: boolean;
  review: boolean;
  spec: GradingSpec;
  tests: VisibleTest[];
  counts: { visible: number; hidden: number; properties: number };
  /** The item state version shown to the learner: ratings are recorded against it. */
  version: number;
  status: ExerciseStatus;
  due: boolean;
  failedInCycle: number;
  /** The solution, when it was revealed in this cycle. */
  solution: string | null;
  /** The Python variant, when the exercise has one; `initialCode` is in `language`. */
  python: PythonVariantPage | null;
  language: ExerciseLanguage;
}

export function findExercise(id: string): { topic: TopicContent; exercise: ExerciseContent } | null {
  const item = getContentItem(id);
  if (!item || item.kind !== "exercise") return null;
  return { topic: item.topic, exercise: item.exercise };
}

export async function getExercisePage(
  userId: string,
  id: string,
  { review = false }: { review?: boolean } = {},
  now = new Date(),
  db: Db = getDb(),
): Promise<ExercisePage | null> {
  const found = findExercise(id);
  if (!found) return null;
  const { topic, exercise } = found;
  const spec = buildSpec(exercise);
  const [cycle, attempts, day] = await Promise.all([
    currentCycle(db, userId, exercise.id),
    db.exerciseAttempt.groupBy({ by: ["passed"], where: { userId, itemId: exercise.id }, _count: { _all: true } }),
    learnerDay(userId, now),
  ]);
  const passedEver = attempts.some((a) => a.passed);
  const useDraft = !review && cycle.draft !== null;
  return {
    id: exercise.id,
    title: exercise.title,
    difficulty: exercise.difficulty,
    topic: { slug: topic.slug, title: topic.title },
    section: exercise.section,
    functionName: exercise.function,
    promptHtml: renderPrompt(topic, exercise),
    starter: exercise.starter,
    initialCode: useDraft ? cycle.draft!.code : exercise.starter,
    fromDraft: useDraft,
    review,
    spec,
    tests: spec.tests.map((t) => ({ name: t.name, args: t.args.map((a) => formatData(a)), expected: formatData(t.expected) })),
    counts: { visible: spec.tests.length, hidden: spec.hidden.length, properties: spec.properties.length },
    version: cycle.state?.version ?? 0,
    status: passedEver ? "passed" : attempts.length > 0 ? "attempted" : "not-started",
    due: cycle.state !== null && cycle.state.state !== State.New && isDue(cycle.state, now, day.end),
    failedInCycle: cycle.failedRuns,
    solution: cycle.revealed ? exercise.solution : null,
    python: pythonVariantPage(exercise, cycle.revealed),
    language: useDraft ? draftLanguage(exercise, cycle.draft!.language) : "javascript",
  };
}

// --- Actions ----------------------------------------------------------------------------

const ClientId = z.string({ required_error: "clientId is required" }).regex(/^[A-Za-z0-9_-]{8,64}$/, "clientId must be 8 to 64 letters, digits, dashes or underscores");
const Version = formNumber(z.number({ invalid_type_error: "version must be a number" }).int().min(0).max(1_000_000));
const Flag = (name: string) =>
  z.enum(["true", "false"], { errorMap: () => ({ message: `${name} must be true or false` }) }).transform((v) => v === "true");

export const AttemptSchema = z
  .object({
    intent: z.literal("attempt"),
    clientId: ClientId,
    version: Version,
    passed: Flag("passed"),
    testsPassed: formNumber(z.number().int().min(0).max(10_000)),
    testsTotal: formNumber(z.number().int().min(1).max(10_000)),
    durationMs: formNumber(z.number().int().min(0).max(86_400_000).default(0)),
    code: z.string({ required_error: "code is required" }).max(MAX_CODE_CHARS, `code is limited to ${MAX_CODE_CHARS.toLocaleString("en")} characters`),
    revealed: Flag("revealed").default("false"),
    language: z.enum(["javascript", "python"], { errorMap: () => ({ message: "language must be javascript or python" }) }).default("javascript"),
  })
  .refine((d) => d.testsPassed <= d.testsTotal, { message: "cannot exceed testsTotal", path: ["testsPassed"] })
  .refine((d) => !d.passed || d.testsPassed === d.testsTotal, { message: "a passing run passes every test", path: ["passed"] });

export const RevealSchema = z.object({
  intent: z.literal("reveal"),
  clientId: ClientId,
  version: Version,
  durationMs: formNumber(z.number().int().min(0).max(86_400_000).default(0)),
});

const IntentSchema = z.object({
  intent: z.enum(["attempt", "reveal"], { errorMap: () => ({ message: "intent must be attempt or reveal" }) }),
});

/** What happened to the schedule. */
export type RatingNote =
  | "rated" // recorded now
  | "duplicate" // this run was already stored
  | "stale" // the schedule changed since the page loaded (another tab): stored without rating
  | "not-due" // a practice pass: the exercise is not due
  | "revealed" // passes after revealing the solution are not rated (the reveal was)
  | "failed" // a failing run changes nothing until the pass or the reveal
  | "unknown-item"; // the item is not in the database (retired)

export type ExerciseActionOutcome =
  | { ok: true; intent: "attempt"; stored: boolean; note: RatingNote; rating: Grade | null; version: number | null; due: string | null }
  | { ok: true; intent: "reveal"; note: RatingNote; rating: Grade | null; version: number | null; due: string | null; solution: string; pythonSolution: string | null }
  | { ok: false; httpStatus: 400 | 404 | 409; error: string };

function firstError(error: z.ZodError) {
  const i = error.issues[0]!;
  return `${i.path.join(".") || "request"}: ${i.message}`;
}

function isUniqueViolation(e: unknown) {
  return (e as { code?: string }).code === "P2002";
}

function ratingResult(res: ReviewResult | null): { note: RatingNote; version: number | null; due: string | null } {
  if (!res) return { note: "failed", version: null, due: null };
  switch (res.status) {
    case "recorded":
      return { note: "rated", version: res.version, due: res.state.due.toISOString() };
    case "duplicate":
      return { note: "duplicate", version: res.version, due: res.state.due.toISOString() };
    case "stale":
      return { note: "stale", version: res.version, due: res.state?.due.toISOString() ?? null };
    case "not-found":
      return { note: "unknown-item", version: null, due: null };
    case "invalid":
      return { note: "failed", version: null, due: null };
  }
}

/** Validates a submitted form and applies it. Nothing is written unless the whole input is valid. */
export async function applyExerciseAction(userId: string, itemId: string, form: FormData, now = new Date(), db: Db = getDb()): Promise<ExerciseActionOutcome> {
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  const found = findExercise(itemId);
  if (!found) return { ok: false, httpStatus: 404, error: `There is no exercise "${itemId}".` };
  const intent = IntentSchema.safeParse(fields);
  if (!intent.success) return { ok: false, httpStatus: 400, error: firstError(intent.error) };
  if (intent.data.intent === "attempt") {
    const parsed = AttemptSchema.safeParse(fields);
    if (!parsed.success) return { ok: false, httpStatus: 400, error: firstError(parsed.error) };
    if (parsed.data.language === "python" && !found.exercise.python) return { ok: false, httpStatus: 400, error: "language: this exercise has no Python variant" };
    const counts = testCountError(found.exercise, parsed.data.testsTotal);
    if (counts) return { ok: false, httpStatus: 400, error: counts };
    const outcome = await recordAttempt(userId, found.exercise, parsed.data, now, db);
    // Running one of a lesson's exercises is studying it: its flashcards join the review (ADR 021).
    if (outcome.ok) await enrolInLesson(userId, found.topic.slug, now, db);
    return outcome;
  }
  const parsed = RevealSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, httpStatus: 400, error: firstError(parsed.error) };
  return revealSolution(userId, found.exercise, parsed.data, now, db);
}

/** How many tests a run of this exercise has: visible, hidden and property checks. */
export function testCount(exercise: ExerciseContent): number {
  const spec = buildSpec(exercise);
  return spec.tests.length + spec.hidden.length + spec.properties.length;
}

/**
 * The server knows the spec: a run names its exercise, so its total must be that
 * exercise's (a pass then needs all of them, which AttemptSchema checks).
 */
function testCountError(exercise: ExerciseContent, testsTotal: number): string | null {
  const total = testCount(exercise);
  return testsTotal === total ? null : `testsTotal: this exercise has ${total} tests, not ${testsTotal}; reload the page to get the current tests`;
}

export type AttemptInput = z.infer<typeof AttemptSchema>;

/** Stores one run; a pass may rate the exercise (see the top of this file). Idempotent on clientId. */
export async function recordAttempt(
  userId: string,
  exercise: ExerciseContent,
  input: Omit<AttemptInput, "intent">,
  now = new Date(),
  db: Db = getDb(),
): Promise<ExerciseActionOutcome> {
  const itemId = exercise.id;
  const existing = await db.exerciseAttempt.findUnique({ where: { userId_clientId: { userId, clientId: input.clientId } }, select: { itemId: true } });
  if (existing) {
    if (existing.itemId !== itemId) return { ok: false, httpStatus: 409, error: "This clientId was already used for another exercise." };
    return { ok: true, intent: "attempt", stored: false, note: "duplicate", rating: null, version: null, due: null };
  }
  const cycle = await currentCycle(db, userId, itemId);
  const revealed = input.revealed || cycle.revealed;
  let rating: Grade | null = null;
  let note: RatingNote = "failed";
  if (input.passed) {
    if (revealed) note = "revealed";
    else if (!isDue(cycle.state, now, (await learnerDay(userId, now)).end)) note = "not-due";
    else rating = cycle.failedRuns > 0 ? 2 : 3;
  }
  let result: { note: RatingNote; version: number | null; due: string | null } = { note, version: null, due: null };
  if (rating !== null) {
    const res = await recordReview(userId, { itemId, rating, clientId: input.clientId, version: input.version, durationMs: input.durationMs, source: "exercise" }, now);
    result = ratingResult(res);
  }
  try {
    await db.exerciseAttempt.create({
      data: {
        userId,
        itemId,
        clientId: input.clientId,
        passed: input.passed,
        testsPassed: input.testsPassed,
        testsTotal: input.testsTotal,
        durationMs: input.durationMs,
        code: input.code,
        revealed,
        createdAt: now,
      },
    });
  } catch (e) {
    // The same run, submitted twice at once: the other request stored it.
    if (isUniqueViolation(e)) return { ok: true, intent: "attempt", stored: false, note: "duplicate", rating: null, version: result.version, due: result.due };
    throw e;
  }
  await db.exerciseDraft.upsert({
    where: { userId_itemId: { userId, itemId } },
    create: { userId, itemId, code: input.code, language: input.language },
    update: { code: input.code, language: input.language },
  });
  const rated = result.note === "rated" || result.note === "duplicate";
  return { ok: true, intent: "attempt", stored: true, note: result.note, rating: rated ? rating : null, version: result.version, due: result.due };
}

export type RevealInput = z.infer<typeof RevealSchema>;

/** Shows the reference solution after a failed run in this cycle, and rates the exercise Again. */
export async function revealSolution(
  userId: string,
  exercise: ExerciseContent,
  input: Omit<RevealInput, "intent">,
  now = new Date(),
  db: Db = getDb(),
): Promise<ExerciseActionOutcome> {
  const itemId = exercise.id;
  const cycle = await currentCycle(db, userId, itemId);
  // A resubmitted reveal (same clientId) finds its own review: answer the same way.
  const earlier = await db.reviewLog.findUnique({ where: { userId_clientId: { userId, clientId: input.clientId } }, select: { itemId: true } });
  if (!cycle.revealed && !earlier && cycle.failedRuns === 0) {
    return { ok: false, httpStatus: 409, error: "Run the tests first: the solution can be shown after a run that fails." };
  }
  if (earlier && earlier.itemId !== itemId) return { ok: false, httpStatus: 409, error: "This clientId was already used for another exercise." };
  let result: { note: RatingNote; version: number | null; due: string | null } = { note: "revealed", version: null, due: null };
  let rating: Grade | null = null;
  if (!cycle.revealed || earlier) {
    rating = 1;
    const res = await recordReview(userId, { itemId, rating, clientId: input.clientId, version: input.version, durationMs: input.durationMs, source: "exercise" }, now);
    result = ratingResult(res);
    if (res.status === "recorded") {
      await db.exerciseDraft.upsert({
        where: { userId_itemId: { userId, itemId } },
        create: { userId, itemId, code: exercise.starter, revealedAt: now },
        update: { revealedAt: now },
      });
    }
  }
  if (result.note !== "rated" && result.note !== "duplicate" && !cycle.revealed) {
    // Not rated (another tab moved the schedule on): the reveal still belongs to this cycle.
    await db.exerciseDraft.upsert({
      where: { userId_itemId: { userId, itemId } },
      create: { userId, itemId, code: exercise.starter, revealedAt: now },
      update: { revealedAt: now },
    });
  }
  const rated = result.note === "rated" || result.note === "duplicate";
  return { ok: true, intent: "reveal", note: result.note, rating: rated ? rating : null, version: result.version, due: result.due, solution: exercise.solution, pythonSolution: exercise.python?.solution ?? null };
}
