/**
 * Read your own writes across a page load (ADR 039). A learner who rates a
 * card and at once follows a link sends the rating and the next page's request
 * together; the page's queue, read while the rating was still being written,
 * would miss it and show a card already rated, or "all done" while a lapsed
 * card is due in ten minutes. Ratings and other review writes register here
 * under the browser session that sent them, and every page or data request
 * (GET) waits in server.mjs, before the framework, for that session's writes
 * in this process (at most MAX_WAIT_MS; with the session-cookie affinity of
 * docs/deploy.md a session's requests reach one process). Other sessions never
 * wait on them, and while no write is in flight nothing is even parsed.
 */
import { sessionIdFromCookies } from "~/auth/session.server";

const pending = new Map<string, Set<Promise<unknown>>>();

/** The longest a page waits for its session's writes: past this it reads as before. */
export const MAX_WAIT_MS = 2_000;

/** Runs `work`, a write of the session's, so that the session's next reads come after it. */
export function asOwnWrite<T>(sessionId: string | null, work: () => Promise<T>): Promise<T> {
  if (!sessionId) return work();
  const p = work();
  let set = pending.get(sessionId);
  if (!set) pending.set(sessionId, (set = new Set()));
  set.add(p);
  const done = () => {
    set.delete(p);
    if (set.size === 0 && pending.get(sessionId) === set) pending.delete(sessionId);
  };
  p.then(done, done);
  return p;
}

/** Resolves once the session's writes in flight in this process are done (failed ones too), or after `maxMs`. */
export async function afterOwnWrites(sessionId: string | null, maxMs = MAX_WAIT_MS): Promise<void> {
  const set = sessionId ? pending.get(sessionId) : undefined;
  if (!set || set.size === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([Promise.allSettled([...set]), new Promise((resolve) => (timer = setTimeout(resolve, maxMs)))]);
  clearTimeout(timer);
}

/** The same for a request's Cookie header: what server.mjs calls before every page or data request. */
export async function afterOwnWritesOf(cookieHeader: string | undefined): Promise<void> {
  if (pending.size === 0) return;
  await afterOwnWrites(await sessionIdFromCookies(cookieHeader));
}

/** How many sessions have writes in flight (for tests). */
export const sessionsWriting = () => pending.size;
