/**
 * Before a new process says it is ready, it serves the personal pages once to
 * itself, so that the first learner after a restart does not pay for the
 * process's own first run: the server bundle's functions compiled on first
 * call, the route modules and React rendering, the first statements prepared
 * on the database connection (issue 19: a new process spent 100-140 ms of CPU
 * on the first dashboard, 15 ms on the next). It renders the pages of the
 * learner with the newest session (nothing of it leaves the process) and then
 * forgets what the pages cached of that learner, so every learner's first
 * page still reads their figures from the database: only the code is warm,
 * and what belongs to the process (the course's live items, the learning
 * days' windows of each zone and date).
 * server.mjs passes a `handle` that goes over a loopback socket through the
 * whole Express stack (compression, static files, headers), and the requests
 * carry a browser's User-Agent (isbot compiles its pattern on first use).
 * Without any session it renders the login page. WARM_UP=0 skips it.
 */
import { createCookie } from "@remix-run/node";
import { get, getSql } from "~/db/sql.server";
import { sessionSecrets } from "~/auth/secret.server";
import { forgetLearnerStates } from "~/progress/mastery.server";
import { queueCache } from "~/review/review.server";
import { getCourse } from "~/content/course.server";

/** The pages a learner opens first after a restart (and their client-side data requests); a topic page is added. */
const PAGES = ["/", "/progress", "/progress/stats", "/review", "/account"];
const ROUNDS = 2;
/**
 * Then the progress pages' documents a few times more: their loops over a
 * year of days and 5,000 items are what V8 compiles with its optimising tier
 * only after more calls than two rounds give, and a new process's first
 * statistics page spent most of its time in code still on the slower tiers
 * (issue 19, profiled).
 */
const HOT_PAGES = ["/progress/stats", "/progress", "/"];
const HOT_ROUNDS = 4;
/** A browser's User-Agent, so the pages take the path a learner's browser takes (isbot says no). */
const WARM_UP_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 attention-span-warm-up";
const BUDGET_MS = 5_000;

export async function warmUp(handle: (request: Request) => Promise<Response>, log: (msg: string) => void = console.log): Promise<void> {
  if (process.env.WARM_UP === "0") return;
  const started = performance.now();
  let requests = 0;
  let userId: string | null = null;
  try {
    const session = await getSql().get(get(`SELECT "id", "userId" FROM "Session" WHERE "expiresAt" > ? ORDER BY "createdAt" DESC LIMIT 1`, new Date()));
    const headers = new Headers({ "X-Client-Ip": "127.0.0.1", "User-Agent": WARM_UP_AGENT, "Accept-Encoding": "gzip, br" });
    if (session) {
      userId = String(session.userId);
      const cookie = createCookie("__session", { path: "/", secrets: sessionSecrets() });
      headers.set("Cookie", (await cookie.serialize(String(session.id))).split(";")[0]!);
    }
    const topic = getCourse().course.topics[0]?.slug;
    const personal = topic ? [...PAGES, `/progress/${topic}`] : PAGES;
    const pages = session ? personal.flatMap((p) => [p, `${p === "/" ? "/_root" : p}.data`]) : ["/login"];
    for (let round = 0; round < ROUNDS && performance.now() - started < BUDGET_MS; round++) {
      for (const page of pages) {
        const res = await handle(new Request(`http://localhost${page}`, { headers }));
        await res.arrayBuffer();
        requests++;
      }
    }
    const hot = session ? (topic ? [...HOT_PAGES, `/progress/${topic}`] : HOT_PAGES) : [];
    for (let round = 0; round < HOT_ROUNDS && performance.now() - started < BUDGET_MS; round++) {
      for (const page of hot) {
        const res = await handle(new Request(`http://localhost${page}`, { headers }));
        await res.arrayBuffer();
        requests++;
      }
    }
  } catch (e) {
    // Warming is an optimisation: a database that refuses a read now will say so to the health check.
    log(`warm-up stopped: ${(e as Error).message}`);
  } finally {
    // The day windows stay (stats.server.ts windowsFor): they are the process's, keyed by zone, day-start hour and
    // date, and working them out again cost the first statistics page 5-10 ms of time-zone arithmetic.
    if (userId) forgetLearnerStates(userId);
    if (userId) queueCache.forget(userId);
  }
  log(`warm-up: ${requests} requests in ${Math.round(performance.now() - started)} ms`);
}
