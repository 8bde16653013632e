/**
 * The health check's write: one row rewritten through the app's own connection,
 * acknowledged once on disk (the same path a review takes), with a deadline so a
 * stuck database answers "down" instead of hanging the check.
 */
import { getSql, run } from "./sql.server";

const DEADLINE_MS = 3000;

export type Heartbeat = { ok: true; ms: number } | { ok: false; reason: string };

export async function heartbeat(now = new Date()): Promise<Heartbeat> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Heartbeat>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${DEADLINE_MS} ms` }), DEADLINE_MS);
  });
  const write = (async (): Promise<Heartbeat> => {
    try {
      await getSql().run(run(`INSERT INTO "Heartbeat" ("id", "at") VALUES (1, ?) ON CONFLICT ("id") DO UPDATE SET "at" = excluded."at"`, now));
      await getSql().durable();
      return { ok: true, ms: Math.round(performance.now() - started) };
    } catch (e) {
      const code = (e as { code?: string }).code;
      return { ok: false, reason: code ?? "error" };
    }
  })();
  try {
    return await Promise.race([write, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
