/**
 * Fixed-window rate limits kept in the database, so every app process behind a
 * load balancer shares the same counters. A key is like "login:ip:1.2.3.4".
 */
import { getDb } from "~/db/client.server";
import { get, getSql, toDate } from "~/db/sql.server";

export interface Limit {
  max: number;
  windowMs: number;
}

const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

/** "10/900" = 10 tries per 900 seconds. */
function limitFromEnv(value: string | undefined, fallback: Limit): Limit {
  const m = value ? /^(\d+)\/(\d+)$/.exec(value) : null;
  return m ? { max: Number(m[1]), windowMs: Number(m[2]) * 1000 } : fallback;
}

/**
 * Per username and IP pair: 10 tries per 15 minutes. Someone guessing from
 * elsewhere slows down only their own pair, never the owner's own logins.
 */
export const userLimit = () => limitFromEnv(process.env.RATE_LIMIT_USER, { max: 10, windowMs: FIFTEEN_MINUTES_MS });
/** Per IP: higher, since a whole classroom may share one address behind NAT. */
export const ipLimit = () => limitFromEnv(process.env.RATE_LIMIT_IP, { max: 100, windowMs: FIFTEEN_MINUTES_MS });

export interface LimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * One atomic statement per key: insert the counter, or bump it (restarting the
 * window once it has passed), and read it back. No interactive transaction that
 * a failed write (a full disk) could leave open for every later login.
 */
const BUMP = `INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (?, ?, 1)
  ON CONFLICT ("key") DO UPDATE SET
    "count" = CASE WHEN "RateLimit"."windowStart" <= ? THEN 1 ELSE "RateLimit"."count" + 1 END,
    "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ? THEN excluded."windowStart" ELSE "RateLimit"."windowStart" END
  RETURNING "count", "windowStart"`;

/** Counts one attempt against each key; refuses when any key is over its limit. */
export async function hit(keys: [string, Limit][], now = new Date()): Promise<LimitResult> {
  let retryAfter = 0;
  for (const [key, limit] of keys) {
    const windowOver = new Date(now.getTime() - limit.windowMs);
    const row = await getSql().get(get(BUMP, key, now, windowOver, windowOver));
    if (!row) throw new Error("the rate-limit counter returned no row");
    if (Number(row.count) > limit.max) {
      const start = toDate(row.windowStart).getTime();
      retryAfter = Math.max(retryAfter, Math.max(1, Math.ceil((start + limit.windowMs - now.getTime()) / 1000)));
    }
  }
  return { allowed: retryAfter === 0, retryAfterSeconds: retryAfter };
}

/** A successful login clears its username-and-IP counter (not the IP's). */
export async function clear(key: string) {
  await getDb().rateLimit.deleteMany({ where: { key } });
}

/**
 * The client's address as server.mjs worked it out: the socket's, or behind
 * TRUST_PROXY proxies the one the outermost proxy saw (counted from the right
 * of X-Forwarded-For, so whatever the client wrote there itself is ignored).
 */
export function clientIp(request: Request): string {
  return request.headers.get("x-client-ip") ?? "unknown";
}

/** The message and headers of a 429, for a form to show beside its fields. */
export function tooManyRequests(retryAfterSeconds: number) {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return {
    message: `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    init: { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  };
}
