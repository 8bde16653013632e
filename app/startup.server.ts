/**
 * What a process does before it serves: apply migrations, validate the course
 * (refuse to start on a broken one), sync content into the database, and on
 * SQLite start the background checkpointer. A serving process (`background`)
 * also sweeps expired sessions and old rate-limit rows (limits/purge.server.ts)
 * and fits learners' memory models in the background (optimizer/jobs.server.ts).
 */
import { databaseConfig } from "./db/config.server";
import { migrate } from "./db/migrate.server";
import { getDb } from "./db/client.server";
import { getCourse } from "./content/course.server";
import { syncContent } from "./content/sync.server";
import { ensureCheckpointer } from "./db/sqlite.server";
import { startPurge } from "./limits/purge.server";
import { startOptimizer } from "./optimizer/jobs.server";

export async function startup({ log = console.log, background = false }: { log?: (msg: string) => void; background?: boolean } = {}) {
  const started = performance.now();
  const config = databaseConfig();
  const applied = await migrate(config);
  if (config.provider === "sqlite") ensureCheckpointer(config.file);
  if (applied.length) log(`migrations applied: ${applied.join(", ")}`);
  const { course } = getCourse();
  const stats = await syncContent(getDb(), course);
  log(
    `content: ${course.topics.length} lessons; items ${stats.created} new, ${stats.updated} updated, ${stats.retired} retired, ${stats.unchanged} unchanged`,
  );
  if (background) {
    startPurge(log);
    startOptimizer(log); // fits memory models off the request path (ADR 026)
  }
  log(`database: ${config.provider === "sqlite" ? config.file : "PostgreSQL"}; ready in ${Math.round(performance.now() - started)} ms`);
}
