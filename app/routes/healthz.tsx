/** Load balancers and the Docker HEALTHCHECK ask here: 200 when the database answers. */
import { getDb } from "~/db/client.server";

export async function loader() {
  const started = performance.now();
  try {
    await getDb().topic.count();
    return Response.json({ ok: true, database: "up", ms: Math.round(performance.now() - started) }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ ok: false, database: "down" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
