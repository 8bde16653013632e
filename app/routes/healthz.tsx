/**
 * Load balancers and the Docker HEALTHCHECK ask here: 200 when the database
 * takes a write. Each check rewrites one row and waits until it is on disk, so a
 * full disk, a read-only data folder or a stuck connection turns the check red
 * (docs/decisions/013-review-times-and-faults.md), not only a database that is down.
 */
import { heartbeat } from "~/db/health.server";

export async function loader() {
  const result = await heartbeat();
  const headers = { "Cache-Control": "no-store" };
  if (result.ok) return Response.json({ ok: true, database: "up", write: "ok", ms: result.ms }, { headers });
  return Response.json({ ok: false, database: "down", write: result.reason }, { status: 503, headers });
}
