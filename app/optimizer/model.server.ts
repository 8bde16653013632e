/**
 * What the settings page shows of the learner's memory model, and the
 * workload simulator's inputs read from their data (ADR 026).
 */
import { default_w } from "ts-fsrs";
import { all, get, getSql, toDate, toDateOrNull } from "~/db/sql.server";
import { parseSteps } from "~/domain/scheduler";
import { countedReviewCount, fitJob, type FitJobView } from "./jobs.server";
import { MIN_REVIEWS, parseFitInfo, retryBlocked, validWeights, type FitInfo } from "./policy";
import { ratingHabits, simulate, type SimulatedCard, type SimulationResult } from "./simulate";
import { seedOf } from "./random";

interface LearnerSettings {
  userId: string;
  weights: string | null;
  fitInfo: string | null;
  desiredRetention: number;
  newPerDay: number;
  reviewCap: number;
  maximumInterval: number;
  timeZone: string;
  learningSteps: string;
  relearningSteps: string;
}

export interface ModelView {
  fitted: (FitInfo & { fittedOn: string }) | null;
  job: Pick<FitJobView, "status" | "result">;
  /** After a failed or skipped fit: the next try comes after this many more reviews, or from this date (ADR 029). */
  retry: { reviewsLeft: number; after: string } | null;
  reviews: number;
  minReviews: number;
}

export async function modelView(settings: LearnerSettings, now = new Date()): Promise<ModelView> {
  const info = validWeights(settings.weights ? (JSON.parse(settings.weights) as number[]) : null) ? parseFitInfo(settings.fitInfo) : null;
  const [job, reviews] = await Promise.all([fitJob(settings.userId, now), countedReviewCount(settings.userId)]);
  const fittedOn = info ? new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: settings.timeZone }).format(new Date(info.fittedAt)) : "";
  const blocked = retryBlocked({ reviews, reviewsAtFit: job.reviewsAtFit, finishedAt: job.finishedAt, lastStatus: job.status }, now);
  const retry = blocked ? { reviewsLeft: blocked.reviewsLeft, after: new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: settings.timeZone }).format(blocked.after) } : null;
  return { fitted: info ? { ...info, fittedOn } : null, job: { status: job.status, result: job.result }, retry, reviews, minReviews: MIN_REVIEWS };
}

const DAY_MS = 86_400_000;
const cache = new Map<string, SimulationResult>();
const MAX_CACHED = 200;

/**
 * The simulation for this learner today: their started cards as they stand,
 * the course's cards they have not started, their limits, steps and rating
 * habits. The same inputs on the same day give the cached result.
 */
export async function simulateFor(settings: LearnerSettings, now = new Date()): Promise<SimulationResult> {
  const sql = getSql();
  const [states, unstarted, firsts, recalls] = await Promise.all([
    sql.all(all(`SELECT "stability", "difficulty", "lastReview", "due" FROM "ItemState" WHERE "userId" = ? AND "state" <> 0`, settings.userId)),
    sql.get(
      get(
        `SELECT count(*) AS "n" FROM "Item" i WHERE i."retiredAt" IS NULL AND NOT EXISTS (SELECT 1 FROM "ItemState" s WHERE s."userId" = ? AND s."itemId" = i."id" AND s."state" <> 0)`,
        settings.userId,
      ),
    ),
    sql.all(all(`SELECT "rating", count(*) AS "n" FROM "ReviewLog" WHERE "userId" = ? AND "kind" = 'review' AND "undone" = ? AND "prevState" = 0 GROUP BY "rating"`, settings.userId, false)),
    sql.all(all(`SELECT "rating", count(*) AS "n" FROM "ReviewLog" WHERE "userId" = ? AND "kind" = 'review' AND "undone" = ? AND "prevState" = 2 AND "rating" > 1 GROUP BY "rating"`, settings.userId, false)),
  ]);
  const first = [0, 0, 0, 0];
  for (const r of firsts) if (Number(r.rating) >= 1 && Number(r.rating) <= 4) first[Number(r.rating) - 1] = Number(r.n);
  const recalled = [0, 0, 0];
  for (const r of recalls) if (Number(r.rating) >= 2 && Number(r.rating) <= 4) recalled[Number(r.rating) - 2] = Number(r.n);
  const cards: SimulatedCard[] = states.map((r) => {
    const last = toDateOrNull(r.lastReview) ?? now;
    return {
      stability: Number(r.stability),
      difficulty: Number(r.difficulty),
      elapsed: Math.max(0, Math.floor((now.getTime() - last.getTime()) / DAY_MS)),
      dueIn: Math.max(0, Math.ceil((toDate(r.due).getTime() - now.getTime()) / DAY_MS)),
    };
  });
  const parsed = settings.weights ? (JSON.parse(settings.weights) as number[]) : null;
  const input = {
    weights: validWeights(parsed) ? parsed : [...default_w],
    newPerDay: settings.newPerDay,
    reviewCap: settings.reviewCap,
    maximumInterval: settings.maximumInterval,
    cards,
    newCards: Number(unstarted?.n ?? 0),
    habits: ratingHabits(first, recalled),
    seed: seedOf(settings.userId),
    learningSteps: parseSteps(settings.learningSteps).length,
    relearningSteps: parseSteps(settings.relearningSteps).length,
  };
  const key = `${settings.userId}|${now.toISOString().slice(0, 10)}|${JSON.stringify(input)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = simulate(input);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, result);
  return result;
}
