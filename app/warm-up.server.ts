/**
 * Before a new process says it is ready, it serves the personal pages once to
 * itself, so that the first learner after a restart does not pay for the
 * process's own first run: the server bundle's functions compiled on first
 * call, the route modules and React rendering, the first statements prepared
 * on the database connection (issue 19: a new process spent 100-140 ms of CPU
 * on the first dashboard, 15 ms on the next). It renders the pages of the
 * learner with the newest session (nothing of it leaves the process) and then
 * forgets what the pages cached in memory, so every learner's first page
 * still reads their figures from the database: only the code is warm.
 * Without any session it renders the login page. WARM_UP=0 skips it.
 */
import { createCookie } from "@remix-run/node";
import { get, getSql } from "~/db/sql.server";
import { sessionSecrets } from "~/auth/secret.server";
import { resetStatsCache } from "~/progress/stats.server";
import { resetMasteryCaches } from "~/progress/mastery.server";
import { queueCache } from "~/review/review.server";

/** The pages a learner opens first after a restart (and their client-side data requests). */
const PAGES = ["/", "/progress", "/progress/stats", "/review", "/account"];
const ROUNDS = 2;
const BUDGET_MS = 5_000;

export async function warmUp(handle: (request: Request) => Promise<Response>, log: (msg: string) => void = console.log): Promise<void> {
  if (process.env.WARM_UP === "0") return;
  const started = performance.now();
  let requests = 0;
  let userId: string | null = null;
  try {
    const session = await getSql().get(get(`SELECT "id", "userId" FROM "Session" WHERE "expiresAt" > ? ORDER BY "createdAt" DESC LIMIT 1`, new Date()));
    const headers = new Headers({ "X-Client-Ip": "127.0.0.1" });
    if (session) {
      userId = String(session.userId);
      const cookie = createCookie("__session", { path: "/", secrets: sessionSecrets() });
      headers.set("Cookie", (await cookie.serialize(String(session.id))).split(";")[0]!);
    }
    const pages = session ? PAGES.flatMap((p) => [p, `${p === "/" ? "/_root" : p}.data`]) : ["/login"];
    for (let round = 0; round < ROUNDS && performance.now() - started < BUDGET_MS; round++) {
      for (const page of pages) {
        const res = await handle(new Request(`http://localhost${page}`, { headers }));
        await res.arrayBuffer();
        requests++;
      }
    }
  } catch (e) {
    // Warming is an optimisation: a database that refuses a read now will say so to the health check.
    log(`warm-up stopped: ${(e as Error).message}`);
  } finally {
    resetStatsCache();
    resetMasteryCaches();
    if (userId) queueCache.forget(userId);
  }
  log(`warm-up: ${requests} requests in ${Math.round(performance.now() - started)} ms`);
}
