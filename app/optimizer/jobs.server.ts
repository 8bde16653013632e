/**
 * Fitting a learner's memory model in the background (ADR 026).
 *
 * A fit is asked for in the FitJob row (`requestedAt`): by the learner's
 * "Optimise now", or by this process's check after their reviews (policy.ts).
 * Any app process may run it, but only the one that takes the row's lease with
 * one atomic UPDATE (a free or expired lease, a pending request); a crashed
 * process's lease expires. The review path only notes the learner in memory
 * (`noteReview`); a timer in each serving process does the rest.
 */
import os from "node:os";
import crypto from "node:crypto";
import { default_w } from "ts-fsrs";
import { all, get, getSql, run } from "~/db/sql.server";
import { databaseConfig } from "~/db/config.server";
import { getSettings } from "~/settings/settings.server";
import { parseSteps } from "~/domain/scheduler";
import { toDateOrNull } from "~/db/sql.server";
import { fitDue, retryBlocked, shouldAdopt, validWeights, type FitInfo } from "./policy";
import { fitInProcess, FitProcessError } from "./fit-process.server";

/** A lease outlasts any fit we have measured by far; a crashed holder's lease frees itself after it. */
export const LEASE_MS = 10 * 60_000;
const HOLDER = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;

export type FitStatus = "idle" | "queued" | "running" | "adopted" | "kept" | "failed" | "skipped";

export interface FitJobView {
  status: FitStatus;
  requestedAt: Date | null;
  finishedAt: Date | null;
  reviewsAtFit: number;
  result: FitOutcome | null;
}

export type FitOutcome =
  | { kind: "adopted" | "kept"; reviews: number; items: number; logLossBefore: number; logLossAfter: number; rmseBefore: number; rmseAfter: number; fitMs: number; readMs?: number; evalMs?: number; cpuMs?: number }
  | { kind: "failed" | "skipped"; reviews: number; error: string };

/** The learner's fit job as the settings page shows it. */
export async function fitJob(userId: string, now = new Date()): Promise<FitJobView> {
  const row = await getSql().get(get(`SELECT * FROM "FitJob" WHERE "userId" = ?`, userId));
  if (!row) return { status: "idle", requestedAt: null, finishedAt: null, reviewsAtFit: 0, result: null };
  const leaseUntil = toDateOrNull(row.leaseUntil);
  let status = String(row.status) as FitStatus;
  // A lease that expired without an end: the fit died with its process; it runs again.
  if (status === "running" && (!leaseUntil || leaseUntil <= now)) status = "queued";
  return {
    status,
    requestedAt: toDateOrNull(row.requestedAt),
    finishedAt: toDateOrNull(row.finishedAt),
    reviewsAtFit: Number(row.reviewsAtFit),
    result: row.result ? (JSON.parse(String(row.result)) as FitOutcome) : null,
  };
}

/**
 * After a failed or skipped fit, when the learner's "Optimise now" may ask
 * again (null: now). The same data is not fitted again in a loop.
 */
export async function fitBackOff(userId: string, now = new Date()): Promise<{ reviewsLeft: number; after: Date; error: string } | null> {
  const job = await fitJob(userId, now);
  const blocked = retryBlocked({ reviews: await countedReviewCount(userId), reviewsAtFit: job.reviewsAtFit, finishedAt: job.finishedAt, lastStatus: job.status }, now);
  return blocked && { ...blocked, error: job.result && "error" in job.result ? job.result.error : "" };
}

/** Asks for a fit (idempotent: a fit already asked for keeps its place; a running one is not disturbed). */
export async function requestFit(userId: string, now = new Date()): Promise<void> {
  await getSql().run(
    run(
      `INSERT INTO "FitJob" ("userId", "requestedAt", "status") VALUES (?, ?, 'queued')
       ON CONFLICT ("userId") DO UPDATE SET
         -- asked during a running fit: dated now, so that the fit's end keeps it for one more run
         "requestedAt" = CASE WHEN "FitJob"."leaseUntil" IS NOT NULL AND "FitJob"."leaseUntil" > ? THEN excluded."requestedAt"
                              ELSE COALESCE("FitJob"."requestedAt", excluded."requestedAt") END,
         "status" = CASE WHEN "FitJob"."leaseUntil" IS NOT NULL AND "FitJob"."leaseUntil" > ? THEN "FitJob"."status" ELSE 'queued' END`,
      userId,
      now,
      now,
      now,
    ),
  );
}

/** Takes the learner's lease if a fit is asked for and nobody holds it: true when this process now does. */
export async function takeLease(userId: string, now = new Date(), holder = HOLDER): Promise<boolean> {
  const { changes } = await getSql().run(
    run(
      `UPDATE "FitJob" SET "leaseHolder" = ?, "leaseUntil" = ?, "status" = 'running'
       WHERE "userId" = ? AND "requestedAt" IS NOT NULL AND ("leaseUntil" IS NULL OR "leaseUntil" <= ?)`,
      holder,
      new Date(now.getTime() + LEASE_MS),
      userId,
      now,
    ),
  );
  return changes === 1;
}

export async function countedReviewCount(userId: string): Promise<number> {
  const row = await getSql().get<{ n: unknown }>(get(`SELECT count(*) AS "n" FROM "ReviewLog" WHERE "userId" = ? AND "kind" = 'review' AND "undone" = ?`, userId, false));
  return Number(row?.n ?? 0);
}

/**
 * Runs the fit this process holds the lease for, in a child process that
 * reads the learner's history itself (fit-process.server.ts, ADR 029): trains
 * on it, evaluates the weights in use and the fitted ones on it, and adopts
 * the fitted ones only when they predict better. A child that dies (a native
 * abort) or times out is a failed fit; a history with too few spaced reviews
 * is a skipped one; either backs off (policy.ts, retryBlocked). The lease is
 * released (and a request made while it ran is kept for the next tick) in the
 * same transaction that stores the outcome.
 */
export async function runLeasedFit(userId: string, startedAt = new Date(), clock: () => Date = () => new Date(), holder = HOLDER): Promise<FitOutcome & { finishedAt: Date }> {
  const settings = await getSettings(userId);
  const inUse = settings.weights ? (JSON.parse(settings.weights) as number[]) : null;
  const current = validWeights(inUse) ? inUse : [...default_w];
  const config = databaseConfig();
  let outcome: FitOutcome;
  let weights: number[] | null = null;
  try {
    const fit = await fitInProcess({
      userId,
      database: config.provider === "sqlite" ? { provider: "sqlite", file: config.file } : { provider: "postgresql", url: config.url },
      timeZone: settings.timeZone,
      dayStartHour: settings.dayStartHour,
      current,
      numRelearningSteps: parseSteps(settings.relearningSteps).length,
    });
    if (!fit.ok) {
      outcome = { kind: fit.skipped ? "skipped" : "failed", reviews: fit.reviews, error: fit.error };
    } else {
      const adopt = shouldAdopt(fit.current, fit.fitted, fit.weights);
      outcome = {
        kind: adopt ? "adopted" : "kept",
        reviews: fit.reviews,
        items: fit.items,
        logLossBefore: fit.current.logLoss,
        logLossAfter: fit.fitted.logLoss,
        rmseBefore: fit.current.rmseBins,
        rmseAfter: fit.fitted.rmseBins,
        fitMs: Math.round(fit.fitMs),
        readMs: Math.round(fit.readMs),
        evalMs: Math.round(fit.evalMs),
        cpuMs: Math.round(fit.cpuMs),
      };
      if (adopt) weights = fit.weights;
    }
  } catch (e) {
    // The child died: what it saw, or the count now (the back-off counts from it).
    const reviews = e instanceof FitProcessError && e.reviews !== null ? e.reviews : await countedReviewCount(userId);
    outcome = { kind: "failed", reviews, error: (e as Error).message };
  }
  const finishedAt = clock();
  const info: FitInfo | null =
    weights && outcome.kind === "adopted"
      ? { reviews: outcome.reviews, items: outcome.items, fittedAt: finishedAt.toISOString(), logLossBefore: outcome.logLossBefore, logLossAfter: outcome.logLossAfter, rmseBefore: outcome.rmseBefore, rmseAfter: outcome.rmseAfter }
      : null;
  await getSql().transaction(function* () {
    const released = (yield run(
      `UPDATE "FitJob" SET "leaseHolder" = NULL, "leaseUntil" = NULL, "status" = ?, "reviewsAtFit" = ?, "finishedAt" = ?, "result" = ?,
         "requestedAt" = CASE WHEN "requestedAt" > ? THEN "requestedAt" ELSE NULL END
       WHERE "userId" = ? AND "leaseHolder" = ?`,
      outcome.kind,
      outcome.reviews,
      finishedAt,
      JSON.stringify(outcome),
      startedAt,
      userId,
      holder,
    )) as { changes: number };
    // Only the lease's holder stores weights: a fit that outlived its lease changes nothing.
    if (released.changes === 1 && weights && info) {
      yield run(`UPDATE "Settings" SET "weights" = ?, "fitInfo" = ? WHERE "userId" = ?`, JSON.stringify(weights), JSON.stringify(info), userId);
    }
  });
  return { ...outcome, finishedAt };
}

/**
 * Back to FSRS's default weights. The fit history stays (no fit is asked for
 * until more reviews come), but the last outcome is no longer the news.
 */
export async function resetWeights(userId: string): Promise<void> {
  await getSettings(userId);
  await getSql().transaction(function* () {
    yield run(`UPDATE "Settings" SET "weights" = NULL, "fitInfo" = NULL WHERE "userId" = ?`, userId);
    yield run(`UPDATE "FitJob" SET "status" = 'idle' WHERE "userId" = ? AND "status" IN ('adopted', 'kept')`, userId); // a failed or skipped fit keeps its back-off
  });
}

// ---- The background loop, one per serving process ----

const noted = new Set<string>();
const MAX_NOTED = 10_000;

/** After a review commits: remember the learner for the next check (no I/O; the review path's whole cost). */
export function noteReview(userId: string): void {
  if (noted.size < MAX_NOTED) noted.add(userId);
}

/** Asks for a fit for each noted learner whose review count makes one due. */
export async function checkNoted(now = new Date()): Promise<number> {
  const users = [...noted].slice(0, 200);
  let asked = 0;
  for (const userId of users) {
    noted.delete(userId);
    const job = await fitJob(userId, now);
    if (job.requestedAt) continue;
    const reviews = await countedReviewCount(userId);
    if (fitDue({ reviews, reviewsAtFit: job.reviewsAtFit, finishedAt: job.finishedAt, lastStatus: job.status }, now)) {
      await requestFit(userId, now);
      asked++;
    }
  }
  return asked;
}

/** One pass: checks the noted learners, then runs the oldest asked-for fits it can take a lease on, one at a time. */
export async function drainOnce(log: (msg: string) => void = () => {}, clock: () => Date = () => new Date(), maxFits = 2): Promise<number> {
  await checkNoted(clock());
  const now = clock();
  const waiting = await getSql().all(
    all(`SELECT "userId" FROM "FitJob" WHERE "requestedAt" IS NOT NULL AND ("leaseUntil" IS NULL OR "leaseUntil" <= ?) ORDER BY "requestedAt" LIMIT ?`, now, maxFits),
  );
  let ran = 0;
  for (const { userId } of waiting) {
    const id = String(userId);
    const asked = clock();
    if (!(await takeLease(id, asked))) continue;
    // Logged as held from when the lease was taken to just before it is released (tests check that these never overlap).
    const startedAt = clock();
    log(`optimizer: fit start user=${id} holder=${HOLDER} at=${startedAt.toISOString()}`);
    const outcome = await runLeasedFit(id, asked, clock); // a request dated after `asked` runs again
    log(`optimizer: fit end user=${id} holder=${HOLDER} at=${outcome.finishedAt.toISOString()} outcome=${outcome.kind}${"logLossAfter" in outcome ? ` logloss=${outcome.logLossBefore.toFixed(4)}->${outcome.logLossAfter.toFixed(4)} fit_ms=${outcome.fitMs}` : ` error=${"error" in outcome ? outcome.error : ""}`}`);
    ran++;
  }
  return ran;
}

let timer: NodeJS.Timeout | null = null;

/** Starts the loop (serving processes only); OPTIMIZER_TICK_MS sets its pace (default 5 s), OPTIMIZER=off turns it off. */
export function startOptimizer(log: (msg: string) => void = console.log): void {
  if (timer || process.env.OPTIMIZER === "off") return;
  const every = Number(process.env.OPTIMIZER_TICK_MS) || 5_000;
  let busy = false;
  timer = setInterval(() => {
    if (busy) return;
    busy = true;
    drainOnce(log)
      .catch((e: unknown) => log(`optimizer: ${(e as Error).message}`))
      .finally(() => {
        busy = false;
      });
  }, every);
  timer.unref();
}

export function stopOptimizer(): void {
  if (timer) clearInterval(timer);
  timer = null;
}
