/**
 * Per-learner write caps: how many reviews, lesson-quiz writes and exercise
 * attempts one learner may send per minute and per day, so one account
 * cannot fill the disk (issue 19: 472 exercise attempts of 100,000 characters
 * in 10 s wrote 83 MB). Sized far above what a learner does by hand or an
 * offline outbox sends when it reconnects; a refused write is answered 429
 * with Retry-After and changes nothing (the review outbox keeps the rating
 * and retries).
 *
 * The counters are rows of the RateLimit table, so every app process behind a
 * load balancer counts against the same cap (ADR 022). One check is one
 * atomic statement on PostgreSQL (chained upserts in one WITH) and one
 * synchronous transaction on SQLite (which nothing can leave open). Windows
 * are fixed and counted shortest first; a longer window counts a write only
 * when every shorter one let it through, so a burst refused by the minute cap
 * does not use up the day's. Old rows go with the rate-limit purge
 * (purge.server.ts). WRITE_CAP_REVIEW, WRITE_CAP_QUIZ and WRITE_CAP_EXERCISE
 * override the caps as "count/seconds" pairs, e.g. "600/60,10000/86400".
 */
import { get, getSql, toDate, type Row, type Statement, type StepResult } from "~/db/sql.server";
import { parseCaps, type Cap } from "~/domain/write-caps";

export type WriteKind = "review" | "quiz" | "exercise";

const DEFAULTS: Record<WriteKind, string> = {
  // A keyboard session rates a card every second or two; an outbox flushes a few hundred at once.
  review: "600/60,10000/86400",
  // A lesson quiz is about 20 answers; one start and one answer per question.
  quiz: "120/60,3000/86400",
  // Running the tests by hand: one every few seconds at most.
  exercise: "30/60,1000/86400",
};
const ENV: Record<WriteKind, string> = { review: "WRITE_CAP_REVIEW", quiz: "WRITE_CAP_QUIZ", exercise: "WRITE_CAP_EXERCISE" };
export const WRITE_KINDS = Object.keys(DEFAULTS) as WriteKind[];

const capsCache = new Map<WriteKind, Cap[]>();
/** The caps of a kind, shortest window first. */
export function capsFor(kind: WriteKind): Cap[] {
  let caps = capsCache.get(kind);
  if (!caps) {
    caps = [...(parseCaps(process.env[ENV[kind]]) ?? parseCaps(DEFAULTS[kind])!)].sort((a, b) => a.windowMs - b.windowMs);
    capsCache.set(kind, caps);
  }
  return caps;
}

/** The longest window of any cap: the purge keeps rate-limit rows at least this long. */
export const longestWriteWindowMs = () => Math.max(...WRITE_KINDS.flatMap((k) => capsFor(k).map((c) => c.windowMs)));

const keyOf = (kind: WriteKind, cap: Cap, userId: string) => `write:${kind}:${cap.windowMs / 1000}:${userId}`;

/**
 * Count one write in a window, unless it is full: a window that has ended
 * starts again at 1; a count stops at max + 1, so the returned count says
 * whether this write got in (count <= max).
 */
const upsert = (ts = "", int = "") => `ON CONFLICT ("key") DO UPDATE SET
    "count" = CASE WHEN "RateLimit"."windowStart" <= ?${ts} THEN 1 WHEN "RateLimit"."count" <= ?${int} THEN "RateLimit"."count" + 1 ELSE "RateLimit"."count" END,
    "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ?${ts} THEN excluded."windowStart" ELSE "RateLimit"."windowStart" END
  RETURNING "count", "windowStart"`;

function bump(key: string, cap: Cap, now: Date): Statement {
  const over = new Date(now.getTime() - cap.windowMs);
  return get(`INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (?, ?, 1) ${upsert()}`, key, now, over, cap.max, over);
}

/**
 * PostgreSQL: every window in one statement. Each upsert after the first
 * inserts or counts only when the one before it let the write in; the rows
 * that come back say how far it got. `key(i)` is the SQL of window i's key
 * (with its params), read from `from` when given (a CTE naming the learner).
 */
function chainParts(caps: Cap[], now: Date, key: (i: number) => { sql: string; params: unknown[] }, from?: string) {
  const params: unknown[] = [];
  const ctes = caps.map((cap, i) => {
    const over = new Date(now.getTime() - cap.windowMs);
    const k = key(i);
    const source =
      i === 0
        ? from
          ? `SELECT ${k.sql}, ?::timestamp(3), 1 FROM ${from}`
          : `VALUES (${k.sql}, ?::timestamp(3), 1)`
        : `SELECT ${k.sql}, ?::timestamp(3), 1 FROM c${i - 1}${from ? `, ${from}` : ""} WHERE c${i - 1}."count" <= ?::integer`;
    params.push(...k.params, now, ...(i === 0 ? [] : [caps[i - 1]!.max]), over, cap.max, over);
    return `c${i} AS (INSERT INTO "RateLimit" ("key", "windowStart", "count") ${source} ${upsert("::timestamp(3)", "::integer")})`;
  });
  const windows = caps.map((_, i) => `SELECT ${i} AS "i", "count", "windowStart" FROM c${i}`).join(" UNION ALL ");
  const select = `(SELECT json_agg(json_build_object('i', w."i", 'count', w."count", 'windowStart', w."windowStart")) FROM (${windows}) AS w) AS "__windows"`;
  return { ctes, params, select };
}

/** `alsoRead` (a one-row SELECT) rides along in the same round trip, its columns beside the windows' JSON. */
function chained(keys: string[], caps: Cap[], now: Date, alsoRead?: Statement): Statement {
  const { ctes, params, select } = chainParts(caps, now, (i) => ({ sql: "?::text", params: [keys[i]] }));
  if (!alsoRead) return get(`WITH ${ctes.join(", ")} SELECT ${select}`, ...params);
  return get(`WITH ${ctes.join(", ")} SELECT ${select}, x.* FROM (SELECT 1) AS one LEFT JOIN (${alsoRead.sql}) AS x ON true`, ...params, ...alsoRead.params);
}

/** The windows' JSON of a chained statement, in window order. */
function windowsOf(json: unknown): { count: number; windowStart: Date }[] {
  const list = (json ?? []) as { i: number; count: number; windowStart: string }[];
  return list.sort((a, b) => a.i - b.i).map((w) => ({ count: Number(w.count), windowStart: new Date(`${w.windowStart}Z`) }));
}

/**
 * PostgreSQL, for the review hot path (ADR 034): one statement that finds the
 * learner of a session (`learner`: a SELECT of one "userId" column, or none),
 * counts the write of `kind` for them, and reads `reads` (a SELECT over a
 * FROM clause that may join the CTE `learner` by its "userId"), all in one
 * round trip. No learner: nothing is counted and `userId` is null.
 */
export async function checkWriteAs(
  learner: Statement,
  kind: WriteKind,
  reads: { select: string; from: string; params: unknown[] },
  now = new Date(),
): Promise<{ userId: string | null; check: WriteCheck; row: Row }> {
  const caps = capsFor(kind);
  const { ctes, params, select } = chainParts(caps, now, (i) => ({ sql: `?::text || learner."userId"`, params: [`write:${kind}:${caps[i]!.windowMs / 1000}:`] }), "learner");
  const result = (await getSql().get(
    get(
      `WITH learner AS (${learner.sql}), ${ctes.join(", ")} SELECT ${select}, learner."userId" AS "__userId", ${reads.select} FROM ${reads.from}`,
      ...learner.params,
      ...params,
      ...reads.params,
    ),
  ))!;
  const { __windows, __userId, ...row } = result;
  const userId = __userId === null || __userId === undefined ? null : String(__userId);
  return { userId, check: userId ? decide(kind, caps, windowsOf(__windows), now) : { allowed: true }, row };
}

export type WriteCheck = ({ allowed: true } | { allowed: false; retryAfterSeconds: number; message: string }) & {
  /** The row of `alsoRead`, if one was asked for (its columns null when it found none on PostgreSQL). */
  row?: Row;
};

/**
 * Counts one write of `kind` for the learner, or refuses it when a cap is
 * reached (counted in no longer window). `alsoRead`, a one-row SELECT the
 * caller needs next, is read in the same round trip on PostgreSQL.
 */
export async function checkWrite(userId: string, kind: WriteKind, { now = new Date(), alsoRead }: { now?: Date; alsoRead?: Statement } = {}): Promise<WriteCheck> {
  const sql = getSql();
  const caps = capsFor(kind);
  const keys = caps.map((cap) => keyOf(kind, cap, userId));
  let windows: { count: number; windowStart: Date }[];
  let row: Row | undefined;
  if (sql.provider === "postgresql") {
    const result = (await sql.get(chained(keys, caps, now, alsoRead)))!;
    windows = windowsOf(result.__windows);
    if (alsoRead) {
      const { __windows, ...rest } = result;
      void __windows;
      row = rest;
    }
  } else {
    windows = await sql.transaction(
      function* (): Generator<Statement, { count: number; windowStart: Date }[], StepResult> {
        const out: { count: number; windowStart: Date }[] = [];
        for (let i = 0; i < caps.length; i++) {
          const r = (yield bump(keys[i]!, caps[i]!, now)) as Row;
          out.push({ count: Number(r.count), windowStart: toDate(r.windowStart) });
          if (out[i]!.count > caps[i]!.max) break;
        }
        return out;
      },
      { waitForDisk: false }, // a counter, not something acknowledged; the write it lets in waits for the disk itself
    );
    if (alsoRead) row = await sql.get(alsoRead);
  }
  return { ...decide(kind, caps, windows, now), row };
}

/** Allowed when every window let the write in; otherwise when to try again. */
function decide(kind: WriteKind, caps: Cap[], windows: { count: number; windowStart: Date }[], now: Date): WriteCheck {
  const refusedAt = windows.findIndex((w, i) => w.count > caps[i]!.max);
  if (refusedAt === -1 && windows.length === caps.length) return { allowed: true };
  const i = refusedAt === -1 ? windows.length - 1 : refusedAt;
  const w = windows[i]!;
  const retryAfterSeconds = Math.max(1, Math.ceil((w.windowStart.getTime() + caps[i]!.windowMs - now.getTime()) / 1000));
  return { allowed: false, retryAfterSeconds, message: refusal(kind, retryAfterSeconds) };
}

const WHAT: Record<WriteKind, string> = { review: "reviews", quiz: "quiz answers", exercise: "exercise runs" };

function refusal(kind: WriteKind, seconds: number): string {
  const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many ${WHAT[kind]} in a short time from your account. Nothing was saved; try again in ${wait}.`;
}

/** The Retry-After header of a refused write. */
export const retryAfter = (check: { retryAfterSeconds: number }) => ({ "Retry-After": String(check.retryAfterSeconds) });

/**
 * A page route's `headers` export: an HTML answer to a refused form post
 * carries the action's Retry-After (Remix does not pass action headers on by itself).
 */
export function actionRetryAfter({ actionHeaders }: { actionHeaders: Headers }): Record<string, string> {
  const value = actionHeaders.get("Retry-After");
  return value ? { "Retry-After": value } : {};
}

/** Forget the parsed caps, so a test's WRITE_CAP_* take effect. */
export function resetWriteCaps() {
  capsCache.clear();
}
