/**
 * The review actions, shared by the no-JavaScript form route (/review) and the
 * background-save API (/api/review): validate with zod, apply, describe the result.
 */
import { z } from "zod";
import { formNumber } from "~/utils/fields";
import { getContentItem } from "~/content/course.server";
import { getOwnCard, ownCardsByIds } from "~/own-cards/own-cards.server";
import { isOwnItemId, ownCardIdOf } from "~/own-cards/schema";
import { gradeAnswer, ratingForAnswer } from "~/domain/quiz-grading";
import { feedbackFor, questionSpec, rawAnswerFromForm, resolveAnswer, type Feedback } from "~/quiz/present.server";
import { getQueue, rateOnPostgres, recordReview, schedulerFor, undoLastReview, type LearnerQueue, type ReviewResult, type Settings } from "./review.server";
import { present, reviewNonce, type Presented } from "./present.server";
import { recordReviewAnswer } from "~/quiz/attempts.server";
import { overruleLastAnswer } from "./overrule.server";

const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "clientId must be 8 to 64 letters, digits, dashes or underscores");
const Common = {
  itemId: z.string().min(1).max(100),
  clientId: ClientId,
  version: formNumber(z.number().int().min(0).max(1_000_000)),
  durationMs: formNumber(z.number().int().min(0).max(86_400_000).default(0)),
  /** When the learner rated it (ms since epoch), for reviews saved later from the offline outbox. */
  reviewedAt: formNumber(z.number().int().positive().optional()),
};

export const RateSchema = z.object({ intent: z.literal("rate"), rating: formNumber(z.number().int().min(1, "rating is 1 to 4").max(4, "rating is 1 to 4")), ...Common });
export const AnswerSchema = z.object({ intent: z.literal("answer"), ...Common });
export const UndoSchema = z.object({ intent: z.literal("undo"), clientId: ClientId });
export const OverruleSchema = z.object({ intent: z.literal("overrule"), itemId: z.string().min(1).max(100), clientId: ClientId });
const IntentSchema = z.object({
  intent: z.enum(["rate", "answer", "undo", "overrule"], { errorMap: () => ({ message: "intent must be rate, answer, undo or overrule" }) }),
});

export type ActionOutcome =
  | { ok: true; status: ReviewResult["status"] | "undone" | "nothing" | "rerated"; itemId?: string; version?: number; feedback?: Feedback & { itemId: string; canOverrule?: boolean } }
  | { ok: false; httpStatus: 400 | 404 | 409 | 422; error: string; itemId?: string; version?: number };

function firstError(error: z.ZodError) {
  const i = error.issues[0]!;
  return `${i.path.join(".") || "request"}: ${i.message}`;
}

/**
 * `settings`, when the caller already has them, saves reading them again. With
 * `syncLater`, a review returns at commit and the caller must await
 * `getSql().durable()` before it answers (see recordReview).
 */
export async function applyReviewAction(
  userId: string,
  form: FormData,
  now = new Date(),
  { settings, syncLater = false }: { settings?: Settings; syncLater?: boolean } = {},
): Promise<ActionOutcome> {
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  const intent = IntentSchema.safeParse(fields);
  if (!intent.success) return { ok: false, httpStatus: 400, error: firstError(intent.error) };

  if (intent.data.intent === "undo") {
    const parsed = UndoSchema.safeParse(fields);
    if (!parsed.success) return { ok: false, httpStatus: 400, error: firstError(parsed.error) };
    const res = await undoLastReview(userId, parsed.data.clientId, now, settings);
    if (res.status === "conflict") return { ok: false, httpStatus: 409, error: "That card was reviewed again since, in another tab; nothing to undo.", itemId: res.itemId };
    if (res.status === "undone") return { ok: true, status: "undone", itemId: res.itemId, version: res.version };
    return { ok: true, status: res.status === "duplicate" ? "duplicate" : "nothing", itemId: "itemId" in res ? res.itemId : undefined };
  }

  if (intent.data.intent === "overrule") {
    const parsed = OverruleSchema.safeParse(fields);
    if (!parsed.success) return { ok: false, httpStatus: 400, error: firstError(parsed.error) };
    const res = await overruleLastAnswer(userId, parsed.data.itemId, parsed.data.clientId, now, settings);
    if (res.status === "refused") return { ok: false, httpStatus: 409, error: res.reason, itemId: parsed.data.itemId };
    return { ok: true, status: res.status, itemId: res.itemId, version: res.status === "rerated" ? (res.version ?? undefined) : undefined };
  }

  if (intent.data.intent === "rate") {
    const parsed = RateSchema.safeParse(fields);
    if (!parsed.success) return { ok: false, httpStatus: 400, error: firstError(parsed.error) };
    const item = isOwnItemId(parsed.data.itemId) ? ((await getOwnCard(userId, ownCardIdOf(parsed.data.itemId))) && { kind: "card" }) : getContentItem(parsed.data.itemId);
    if (!item) return { ok: false, httpStatus: 404, error: "No such item." };
    if (item.kind !== "card") return { ok: false, httpStatus: 400, error: "Only flashcards are rated directly; answer questions and exercises instead." };
    // The client's time is kept within bounds in recordReview (domain/review-time.ts).
    const res = await recordReview(userId, { ...parsed.data, rating: parsed.data.rating as 1 | 2 | 3 | 4, source: "review" }, now, { settings, syncLater });
    return outcome(res, parsed.data.itemId);
  }

  const parsed = AnswerSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, httpStatus: 400, error: firstError(parsed.error) };
  const item = getContentItem(parsed.data.itemId);
  if (!item) return { ok: false, httpStatus: 404, error: "No such item." };
  if (item.kind !== "quiz") return { ok: false, httpStatus: 400, error: "Only quiz questions take an answer here." };
  const graded = gradeAnswer(questionSpec(item.question), resolveAnswer(item.question, reviewNonce(userId, item.id, parsed.data.version), rawAnswerFromForm(form)));
  if (!graded.ok) return { ok: false, httpStatus: 400, error: graded.error, itemId: item.id };
  const rating = ratingForAnswer(graded.correct, item.question.difficulty, parsed.data.durationMs);
  const res = await recordReview(userId, { ...parsed.data, reviewedAt: undefined, rating, source: "review" }, now, { settings, syncLater });
  if (res.status === "recorded") await recordReviewAnswer(userId, item.id, graded.answer, graded.correct, parsed.data.durationMs, now);
  const base = outcome(res, item.id);
  if (!base.ok) return base;
  return { ...base, feedback: { ...feedbackFor(item.question, item.topic.slug, graded.correct, graded.answer), itemId: item.id, canOverrule: !graded.correct && item.question.kind === "text" && res.status === "recorded" } };
}

function outcome(res: ReviewResult, itemId: string): ActionOutcome {
  switch (res.status) {
    case "not-found":
      return { ok: false, httpStatus: 404, error: "No such item." };
    case "invalid":
      return { ok: false, httpStatus: 422, error: res.error, itemId };
    case "stale":
      return { ok: false, httpStatus: 409, error: "Already reviewed (in another tab or device). Here is your next card.", itemId, version: res.version };
    default:
      return { ok: true, status: res.status, itemId, version: res.version };
  }
}

export interface ReviewView {
  entries: Presented[];
  counts: { learning: number; review: number; new: number };
  remaining: number;
  nextDue: string | null;
}

/** The queue head as the page shows it. */
export async function reviewView(userId: string, now = new Date(), limit = 30, settings?: Settings): Promise<ReviewView> {
  return viewOfQueue(userId, await getQueue(userId, now, settings), now, limit);
}

/**
 * PostgreSQL: a rating of a course flashcard, session to next cards, in two
 * round trips (rateOnPostgres, ADR 034). Null when the form is anything else
 * (the caller takes the general path, which gives its 400 or 404).
 */
export async function rateCardOnPostgres(
  sessionId: string,
  form: FormData | URLSearchParams,
  now: Date,
): Promise<{ kind: "unauthorized" } | { kind: "refused"; retryAfterSeconds: number; message: string } | { kind: "done"; outcome: ActionOutcome; view: ReviewView } | null> {
  const fields = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string"));
  const parsed = RateSchema.safeParse(fields);
  if (!parsed.success || isOwnItemId(parsed.data.itemId) || getContentItem(parsed.data.itemId)?.kind !== "card") return null;
  const r = await rateOnPostgres(sessionId, { ...parsed.data, rating: parsed.data.rating as 1 | 2 | 3 | 4, source: "review" }, now);
  if (r.kind !== "rated") return r;
  // The head of the queue the review's own statement read; after a duplicate or a lost race, read as usual.
  const view = r.queue ? await viewOfQueue(r.userId, r.queue, now, 3) : await reviewView(r.userId, now, 3, r.settings);
  return { kind: "done", outcome: outcome(r.result, parsed.data.itemId), view };
}

async function viewOfQueue(userId: string, queue: LearnerQueue, now: Date, limit: number): Promise<ReviewView> {
  const scheduler = schedulerFor(queue.settings);
  const entries: Presented[] = [];
  // The learner's own cards among the head of the queue, read in one query per window (ADR 025): only
  // the entries shown are presented, so a queue of thousands of own cards costs no more than a short one.
  const window = Math.max(4 * limit, 20);
  for (let from = 0; from < queue.entries.length && entries.length < limit; from += window) {
    const head = queue.entries.slice(from, from + window);
    const ownIds = head.filter((e) => isOwnItemId(e.itemId)).map((e) => ownCardIdOf(e.itemId));
    const own = new Map((ownIds.length ? await ownCardsByIds(userId, ownIds) : []).map((c) => [c.itemId, c]));
    for (const e of head) {
      if (entries.length >= limit) break;
      const p = present(userId, e, queue.versions.get(e.itemId) ?? 0, queue.states.get(e.itemId), scheduler, now, queue.settings.leechThreshold, own);
      if (p) entries.push(p);
    }
  }
  return { entries, counts: queue.counts, remaining: queue.entries.length, nextDue: queue.nextDue?.toISOString() ?? null };
}
