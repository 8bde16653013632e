/**
 * The fit, in a child process of its own (ADR 029): built by
 * scripts/build-fit-child.mjs into build/fit-child.cjs and started by
 * fit-process.server.ts, one process per fit.
 *
 * Everything heavy happens here, off the server's event loop: reading the
 * learner's review log (its own database connection), building the training
 * items, fsrs-rs's training and both evaluations. fsrs-rs panics on input it
 * refuses, and a panic inside the binding aborts the process: here that kills
 * only this child, which the server records as a failed fit.
 *
 * Input (one IPC message): the learner, the database, their day boundary, the
 * weights in use. Output (one IPC message): the outcome, then the process exits.
 */
import os from "node:os";
import { acceptedItem, countedReviews, itemsOfHistories, spacedReviewCount, trainingHistories, type LogEntry, type TrainingItem } from "./items";
import { MIN_SPACED_REVIEWS } from "./policy";

export interface ChildInput {
  userId: string;
  database: { provider: "sqlite"; file: string } | { provider: "postgresql"; url: string };
  timeZone: string;
  dayStartHour: number;
  /** The weights in use now (the defaults when the learner has none). */
  current: number[];
  numRelearningSteps: number;
}

/** Sent once the log is read, so that a fit whose process dies still says how many reviews it saw. */
export interface ChildProgress {
  stage: "read";
  reviews: number;
  spaced: number;
}

export type ChildOutput =
  | { ok: true; weights: number[]; reviews: number; items: number; current: { logLoss: number; rmseBins: number }; fitted: { logLoss: number; rmseBins: number }; fitMs: number; readMs: number; evalMs: number; cpuMs: number }
  | { ok: false; skipped: true; reviews: number; spaced: number; error: string }
  | { ok: false; skipped?: false; reviews: number; error: string };

interface RawRow {
  itemId: string;
  rating: number;
  prevState: number;
  reviewedAt: Date;
}

async function readLog(input: ChildInput): Promise<LogEntry[]> {
  let rows: RawRow[];
  if (input.database.provider === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(input.database.file, { readonly: true, fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000");
      const raw = db
        .prepare(`SELECT "itemId", "rating", "prevState", "reviewedAt" FROM "ReviewLog" WHERE "userId" = ? AND "kind" = 'review' AND "undone" = 0 ORDER BY "id"`)
        .raw(true)
        .all(input.userId) as [string, number, number, string][];
      rows = raw.map(([itemId, rating, prevState, at]) => ({ itemId, rating, prevState, reviewedAt: new Date(at) }));
    } finally {
      db.close();
    }
  } else {
    const { default: pg } = await import("pg");
    // timestamp(3) columns hold UTC (as in db/sql.server.ts).
    const types = { getTypeParser: ((oid: number, format?: string) => (oid === 1114 ? (s: string) => new Date(`${s.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as "text"))) as typeof pg.types.getTypeParser };
    const client = new pg.Client({ connectionString: input.database.url, types });
    await client.connect();
    try {
      const res = await client.query(
        `SELECT "itemId", "rating", "prevState", "reviewedAt" FROM "ReviewLog" WHERE "userId" = $1 AND "kind" = 'review' AND "undone" = false ORDER BY "id"`,
        [input.userId],
      );
      rows = res.rows as RawRow[];
    } finally {
      await client.end();
    }
  }
  return rows.map((r) => ({ itemId: String(r.itemId), kind: "review", undone: false, rating: Number(r.rating), prevState: Number(r.prevState), reviewedAt: r.reviewedAt }));
}

export async function fitInChild(input: ChildInput, progress: (p: ChildProgress) => Promise<void> = async () => {}): Promise<ChildOutput> {
  const started = performance.now();
  const log = countedReviews(await readLog(input));
  const histories = trainingHistories(log, { timeZone: input.timeZone, dayStartHour: input.dayStartHour });
  const spaced = spacedReviewCount(histories);
  await progress({ stage: "read", reviews: log.length, spaced });
  if (spaced < MIN_SPACED_REVIEWS) {
    return { ok: false, skipped: true, reviews: log.length, spaced, error: `not enough spaced reviews yet (${spaced} of the ${MIN_SPACED_REVIEWS} needed: reviews on a later day than the card's review before)` };
  }
  // Every item is checked against what fsrs-rs accepts before the binding sees it (items.ts).
  const items: TrainingItem[] = itemsOfHistories(histories).filter(acceptedItem);
  const readMs = performance.now() - started;
  if (process.env.OPTIMIZER_FAULT === "abort") process.abort(); // test-only fault injection: a native abort, as a panic in the binding would be
  const binding = await import("@open-spaced-repetition/binding");
  // The review objects are shared between the items of a history, as fsrs-rs's own converter does.
  const made = new Map<TrainingItem[number], InstanceType<typeof binding.FSRSBindingReview>>();
  const review = (r: TrainingItem[number]) => {
    let b = made.get(r);
    if (!b) made.set(r, (b = new binding.FSRSBindingReview(r.rating, r.deltaT)));
    return b;
  };
  const fsrsItems = items.map((it) => new binding.FSRSBindingItem(it.map(review)));
  const fitStarted = performance.now();
  const weights = await binding.computeParameters(fsrsItems, { enableShortTerm: true, numRelearningSteps: input.numRelearningSteps });
  const fitMs = performance.now() - fitStarted;
  const evaluate = (w: number[]) => {
    const e = new binding.FSRSBinding(w).evaluate(fsrsItems);
    return { logLoss: e.logLoss, rmseBins: e.rmseBins };
  };
  const evalStarted = performance.now();
  const current = evaluate(input.current);
  const fitted = evaluate(weights);
  const cpu = process.cpuUsage(); // this process's whole CPU time, every thread's: the fit's cost whatever the machine's load
  return { ok: true, weights, reviews: log.length, items: items.length, current, fitted, fitMs, readMs, evalMs: performance.now() - evalStarted, cpuMs: (cpu.user + cpu.system) / 1000 };
}

// Started as a child process (not when a test imports this module).
if (process.send && process.env.ATTENTION_FIT_CHILD === "1") {
  // A background job: the server's own requests come first when the CPU is short.
  // Set before any thread of ours starts, so the binding's threads inherit it.
  try {
    os.setPriority(Number(process.env.OPTIMIZER_NICE ?? 10));
  } catch {
    /* not allowed here: run at the normal priority */
  }
  process.once("message", (input: ChildInput) => {
    let reviews = 0;
    fitInChild(input, (p) => {
      reviews = p.reviews;
      return new Promise<void>((resolve) => process.send!(p, () => resolve()));
    })
      .catch((e: unknown): ChildOutput => {
        const message = String((e as Error)?.message ?? e);
        // fsrs-rs drops reviews it cannot learn from (rare first ratings, outlying gaps): a few items may leave nothing.
        const error = /NotEnoughData/.test(message) ? "too few usable reviews yet: more cards, reviewed over more days, are needed" : message;
        return { ok: false, reviews, error };
      })
      .then((out) => process.send!(out, () => process.exit(0)));
  });
}
