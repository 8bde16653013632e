/**
 * Rows nobody will read again are deleted: expired sessions and rate-limit
 * windows that ended long ago, by a background sweep in every app process
 * (each delete is idempotent, so several processes may sweep at once), in
 * small batches so that requests keep their latency. Sessions per learner are
 * capped: a new login drops the learner's oldest sessions beyond the cap.
 */
import { getSql, run } from "~/db/sql.server";
import { ipLimit, userLimit } from "~/auth/rate-limit.server";
import { longestWriteWindowMs } from "./write-caps.server";

/** Sessions one learner keeps: a phone, a laptop, a few browsers, with room to spare. */
export const MAX_SESSIONS_PER_LEARNER = 20;
export const PURGE_EVERY_MS = 10 * 60_000;
const BATCH = 500;
const MAX_BATCHES = 20; // at most 10,000 rows of each kind per sweep; the next sweep takes the rest
const DAY_MS = 24 * 60 * 60_000;

/** Drops the learner's oldest sessions beyond the cap, never `keepId` (the one just started). */
export async function capSessions(userId: string, keepId: string): Promise<number> {
  const res = await getSql().run(
    run(
      `DELETE FROM "Session" WHERE "userId" = ? AND "id" <> ? AND "id" NOT IN (
         SELECT "id" FROM "Session" WHERE "userId" = ? AND "id" <> ? ORDER BY "createdAt" DESC, "id" DESC LIMIT ?
       )`,
      userId,
      keepId,
      userId,
      keepId,
      MAX_SESSIONS_PER_LEARNER - 1,
    ),
  );
  return res.changes;
}

async function batches(statement: () => ReturnType<typeof run>): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const { changes } = await getSql().run(statement());
    total += changes;
    if (changes < BATCH) break;
    await new Promise((r) => setImmediate(r)); // let waiting requests in between batches
  }
  return total;
}

/**
 * One sweep: expired sessions, and rate-limit rows (login counters and write
 * caps) whose window started a day ago or more (or the longest configured
 * window, when that is longer).
 */
export async function purgeOnce(now = new Date()): Promise<{ sessions: number; rateLimits: number }> {
  const keepWindowsMs = Math.max(DAY_MS, userLimit().windowMs, ipLimit().windowMs, longestWriteWindowMs());
  const sessions = await batches(() =>
    run(`DELETE FROM "Session" WHERE "id" IN (SELECT "id" FROM "Session" WHERE "expiresAt" <= ? LIMIT ${BATCH})`, now),
  );
  const rateLimits = await batches(() =>
    run(`DELETE FROM "RateLimit" WHERE "key" IN (SELECT "key" FROM "RateLimit" WHERE "windowStart" < ? LIMIT ${BATCH})`, new Date(now.getTime() - keepWindowsMs)),
  );
  return { sessions, rateLimits };
}

let timer: NodeJS.Timeout | null = null;

/** Sweeps soon after start, then every PURGE_EVERY_MS (PURGE_EVERY_MS env overrides, in ms); never keeps the process alive. */
export function startPurge(log: (msg: string) => void = console.log) {
  if (timer) return;
  const every = Number(process.env.PURGE_EVERY_MS) > 0 ? Number(process.env.PURGE_EVERY_MS) : PURGE_EVERY_MS;
  const sweep = async () => {
    try {
      const { sessions, rateLimits } = await purgeOnce();
      if (sessions || rateLimits) log(`purge: ${sessions} expired sessions, ${rateLimits} old rate-limit rows deleted`);
    } catch (e) {
      // A full disk or a busy database: the next sweep tries again.
      console.warn(`purge failed: ${(e as Error).message}`);
    }
  };
  timer = setInterval(() => void sweep(), every);
  timer.unref();
  setTimeout(() => void sweep(), Math.min(every, 5_000)).unref();
}

export function stopPurge() {
  if (timer) clearInterval(timer);
  timer = null;
}
