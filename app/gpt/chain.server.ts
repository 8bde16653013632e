/**
 * The learner's code for each stage of "Build your GPT": their latest run that passed the
 * exercise's tests, or else their latest saved code (the draft every run saves), or nothing.
 * Reads only; the chain itself runs in the learner's browser (ADR 031).
 */
import { getDb, type Db } from "~/db/client.server";
import { STAGES } from "./chain";

export interface StageCode {
  stage: number;
  exerciseId: string;
  /** "accepted": passed the exercise's tests; "saved": the latest draft, not (yet) passing. */
  source: "accepted" | "saved" | null;
  code: string | null;
  /** When that code was stored (ISO). */
  at: string | null;
}

export async function chainCode(userId: string, db: Db = getDb()): Promise<StageCode[]> {
  const ids = STAGES.map((s) => s.exerciseId);
  const [passed, drafts] = await Promise.all([
    db.exerciseAttempt.findMany({
      where: { userId, itemId: { in: ids }, passed: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { itemId: true, code: true, createdAt: true },
    }),
    db.exerciseDraft.findMany({ where: { userId, itemId: { in: ids } }, select: { itemId: true, code: true, updatedAt: true, language: true } }),
  ]);
  return STAGES.map((s) => {
    const accepted = passed.find((a) => a.itemId === s.exerciseId);
    if (accepted) return { stage: s.stage, exerciseId: s.exerciseId, source: "accepted", code: accepted.code, at: accepted.createdAt.toISOString() };
    // The chain runs JavaScript: a draft in another language is not this stage's code.
    const draft = drafts.find((d) => d.itemId === s.exerciseId && d.language === "javascript");
    if (draft) return { stage: s.stage, exerciseId: s.exerciseId, source: "saved", code: draft.code, at: draft.updatedAt.toISOString() };
    return { stage: s.stage, exerciseId: s.exerciseId, source: null, code: null, at: null };
  });
}
