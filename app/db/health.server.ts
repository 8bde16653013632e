/**
 * The health check's write: one row rewritten through the app's own connection,
 * acknowledged once on disk (the same path a review takes), with a deadline so a
 * stuck database answers "down" instead of hanging the check.
 */
import fs from "node:fs";
import path from "node:path";
import { databaseConfig } from "./config.server";
import { getSql, run } from "./sql.server";

const DEADLINE_MS = 3000;
/**
 * Below this much free space next to the SQLite file, the check fails even if
 * its own tiny write fits: SQLite reuses log space, so the heartbeat can succeed
 * while every review, which needs new pages, fails.
 */
export const MIN_FREE_BYTES = 1024 * 1024;

async function freeBytes(): Promise<number | null> {
  const config = databaseConfig();
  if (config.provider !== "sqlite") return null;
  const s = await fs.promises.statfs(path.dirname(config.file));
  return s.bavail * s.bsize;
}

export type Heartbeat = { ok: true; ms: number } | { ok: false; reason: string };

export async function heartbeat(now = new Date()): Promise<Heartbeat> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Heartbeat>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${DEADLINE_MS} ms` }), DEADLINE_MS);
  });
  const write = (async (): Promise<Heartbeat> => {
    try {
      const free = await freeBytes();
      if (free !== null && free < MIN_FREE_BYTES) return { ok: false, reason: `disk full (${Math.floor(free / 1024)} KiB free)` };
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
