/**
 * Passwords hashed with scrypt (memory-hard, in node's own crypto: no native
 * add-on to install), compared in constant time. Format: scrypt$N$r$p$salt$hash.
 */
import crypto from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(crypto.scrypt) as (pw: crypto.BinaryLike, salt: crypto.BinaryLike, keylen: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

/**
 * At most HASH_CONCURRENCY hashes run at once (default 1): scrypt runs on
 * libuv's thread pool, where every file write and the review's durability flush
 * also wait, so unbounded logins would stall reviews. Up to HASH_QUEUE more wait
 * their turn (default 32); past that, a login is told to come back (503).
 */
const concurrency = () => Math.max(1, Number(process.env.HASH_CONCURRENCY) || 1);
const queueLength = () => Math.max(0, Number(process.env.HASH_QUEUE ?? 32) || 0);

export class ServerBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("The server is busy with other logins. Try again in a few seconds.");
  }
}

let running = 0;
const waiting: (() => void)[] = [];
let lastHashMs = 100;

async function inHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= concurrency()) {
    assertHashCapacity();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  const started = performance.now();
  try {
    return await work();
  } finally {
    lastHashMs = performance.now() - started;
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/**
 * Throws ServerBusyError when a hash asked for now would not find a place in
 * the queue, so a login can be turned away before it writes anything.
 */
export function assertHashCapacity() {
  if (running >= concurrency() && waiting.length >= queueLength()) {
    throw new ServerBusyError(Math.max(1, Math.ceil(((waiting.length + 1) * lastHashMs) / concurrency() / 1000)));
  }
}

/** The 503 a form answers with when the hashing queue is full. */
export function busyResponse(error: ServerBusyError) {
  return { message: error.message, init: { status: 503, headers: { "Retry-After": String(error.retryAfterSeconds) } } };
}

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await inHashSlot(() => scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { ...PARAMS, maxmem: MAX_MEM }));
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split("$");
  if (scheme !== "scrypt" || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, "base64url");
  const key = await inHashSlot(() =>
    scrypt(password.normalize("NFKC"), Buffer.from(saltText, "base64url"), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: MAX_MEM,
    }),
  );
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

let dummy: Promise<string> | null = null;
/** Spend the same time as a real check when the username does not exist. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword("not-a-real-password-for-timing");
  await verifyPassword(password, await dummy);
  return false;
}
