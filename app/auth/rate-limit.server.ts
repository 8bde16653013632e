/**
 * Fixed-window rate limits kept in the database, so every app process behind a
 * load balancer shares the same counters. A key is like "login:ip:1.2.3.4".
 */
import { getDb } from "~/db/client.server";

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

/** Per username: 10 tries per 15 minutes. */
export const userLimit = () => limitFromEnv(process.env.RATE_LIMIT_USER, { max: 10, windowMs: FIFTEEN_MINUTES_MS });
/** Per IP: higher, since a whole classroom may share one address behind NAT. */
export const ipLimit = () => limitFromEnv(process.env.RATE_LIMIT_IP, { max: 100, windowMs: FIFTEEN_MINUTES_MS });

export interface LimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Counts one attempt against each key; refuses when any key is over its limit. */
export async function hit(keys: [string, Limit][], now = new Date()): Promise<LimitResult> {
  const db = getDb();
  let retryAfter = 0;
  for (const [key, limit] of keys) {
    const row = await db.$transaction(async (tx) => {
      const current = await tx.rateLimit.findUnique({ where: { key } });
      if (!current || now.getTime() - current.windowStart.getTime() >= limit.windowMs) {
        return tx.rateLimit.upsert({ where: { key }, create: { key, windowStart: now, count: 1 }, update: { windowStart: now, count: 1 } });
      }
      return tx.rateLimit.update({ where: { key }, data: { count: { increment: 1 } } });
    });
    if (row.count > limit.max) {
      retryAfter = Math.max(retryAfter, Math.ceil((row.windowStart.getTime() + limit.windowMs - now.getTime()) / 1000));
    }
  }
  return { allowed: retryAfter === 0, retryAfterSeconds: retryAfter };
}

/** A successful login clears the username's counter (not the IP's). */
export async function clear(key: string) {
  await getDb().rateLimit.deleteMany({ where: { key } });
}

export function clientIp(request: Request): string {
  // Behind a trusted proxy (TRUST_PROXY=1) the first X-Forwarded-For hop is the client.
  if (process.env.TRUST_PROXY === "1") {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
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
