/**
 * Sessions are rows. The cookie holds only a signed session id; the row holds
 * who and until when. Log out deletes the row; "log out everywhere" deletes all
 * of the learner's rows. Guards throw, so a loader reads as guard + query.
 */
import crypto from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { getDb } from "~/db/client.server";
import { get, getSql, toDate } from "~/db/sql.server";
import { capSessions } from "~/limits/purge.server";
import { sessionSecrets } from "./secret.server";

export const SESSION_DURATION_MS = 30 * 24 * 60 * 60 * 1000;

let cookie: ReturnType<typeof createCookie> | null = null;
function sessionCookie() {
  cookie ??= createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    // Secure is decided per request (secureFor): only a request that came over TLS gets it.
    secure: false,
    secrets: sessionSecrets(),
    maxAge: SESSION_DURATION_MS / 1000,
  });
  return cookie;
}

async function readSessionId(request: Request): Promise<string | null> {
  return sessionIdFromCookies(request.headers.get("Cookie"));
}

/** The session id in a Cookie header (signed, checked here), or null. */
export async function sessionIdFromCookies(header: string | null | undefined): Promise<string | null> {
  if (!header) return null;
  const value = await sessionCookie().parse(header);
  return typeof value === "string" && value.length > 0 ? value : null;
}

export interface SessionUser {
  id: string;
  username: string;
  sessionId: string;
  /** The learner's theme setting ("system" until they choose); read in the same query, for the root layout. */
  theme: string;
}

/** The session id a request's cookie carries (signature checked), or null; no database read. */
export const sessionIdOf = readSessionId;

/**
 * The learner of a live session as one SQL SELECT (one "userId" column, no row
 * when the session is unknown or expired), for statements that do more in the
 * same round trip (the PostgreSQL review path, ADR 034).
 */
export function sessionLearnerStatement(sessionId: string, now = new Date()) {
  return get(`SELECT s."userId" FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = ? AND s."expiresAt" > ?::timestamp(3)`, sessionId, now);
}

/** The signed-in learner, or null. An expired or unknown session counts as none. */
export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  const sessionId = await readSessionId(request);
  if (!sessionId) return null;
  // Every request asks this: plain SQL, not a Prisma round trip (docs/decisions/009-sql-for-the-hot-path.md).
  const row = await getSql().get(
    get(
      `SELECT s."expiresAt", u."id", u."username", st."theme" FROM "Session" s JOIN "User" u ON u."id" = s."userId" LEFT JOIN "Settings" st ON st."userId" = u."id" WHERE s."id" = ?`,
      sessionId,
    ),
  );
  if (!row || toDate(row.expiresAt).getTime() <= Date.now()) return null;
  return { id: String(row.id), username: String(row.username), sessionId, theme: row.theme == null ? "system" : String(row.theme) };
}

/**
 * The cookie is Secure when the browser reached us over https: directly, or
 * through the TRUST_PROXY proxies (the server builds request.url from their
 * X-Forwarded-Proto). A plain-http LAN install then still gets a cookie the
 * browser keeps; SECURE_COOKIES=1 forces Secure whatever the scheme.
 */
export function secureFor(request: Request): boolean {
  return process.env.SECURE_COOKIES === "1" || new URL(request.url).protocol === "https:";
}

const ORIGIN = "http://redirect.invalid";
const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
/**
 * A path on this site to go to after logging in, or the fallback. Parsed the way
 * a browser would (new URL), so "/\t/evil.example" or "/\\evil.example" cannot
 * leave the origin; control characters are refused outright; the answer is the
 * parsed, percent-encoded path, so it always fits in a Location header.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.includes("\\") || hasControl(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}

function currentPath(request: Request) {
  const url = new URL(request.url);
  return url.pathname + url.search;
}

/** Throws a redirect to /login (remembering where the learner was) when signed out. */
export async function requireUser(request: Request, { redirectTo }: { redirectTo?: string } = {}): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (user) return user;
  const back = redirectTo ?? (request.method === "GET" ? currentPath(request) : new URL(request.url).pathname);
  throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
}

export async function requireUserId(request: Request, options: { redirectTo?: string } = {}): Promise<string> {
  return (await requireUser(request, options)).id;
}

/** Throws a redirect home when already signed in (login and sign-up pages). */
export async function requireAnonymous(request: Request) {
  if (await getOptionalUser(request)) throw redirect("/");
}

/** Creates a session row and returns the Set-Cookie header that carries it. */
export async function startSession(userId: string, request: Request): Promise<string> {
  const id = crypto.randomBytes(32).toString("base64url");
  await getDb().session.create({ data: { id, userId, expiresAt: new Date(Date.now() + SESSION_DURATION_MS) } });
  await capSessions(userId, id); // the oldest sessions beyond the cap are logged out
  return sessionCookie().serialize(id, { secure: secureFor(request) });
}

export async function endSession(request: Request): Promise<string> {
  const sessionId = await readSessionId(request);
  if (sessionId) await getDb().session.deleteMany({ where: { id: sessionId } });
  return sessionCookie().serialize("", { maxAge: 0, secure: secureFor(request) });
}

export async function endAllSessions(userId: string, request: Request): Promise<string> {
  await getDb().session.deleteMany({ where: { userId } });
  return sessionCookie().serialize("", { maxAge: 0, secure: secureFor(request) });
}
