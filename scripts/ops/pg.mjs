/**
 * PostgreSQL for the operational scripts: a scratch database per run (created
 * through the `postgres` maintenance database, dropped afterwards), or, when
 * the role may not create databases, the given database with its public
 * schema reset. Uses the app's own `pg` dependency.
 */
import pg from "pg";
import { onCleanup } from "./proc.mjs";

export const DEFAULT_PG_URL = "postgresql://attention:attention@127.0.0.1:5432/attention_span_bench";

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function connect(url, timeoutMs = 3_000) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  await client.connect();
  return client;
}

/** Can we reach this server at all? Returns null when yes, else the reason. */
export async function pgUnreachable(url) {
  try {
    const c = await connect(withDatabase(url, "postgres"));
    await c.end();
    return null;
  } catch (e) {
    try {
      const c = await connect(url);
      await c.end();
      return null;
    } catch {
      return e instanceof Error ? e.message : String(e);
    }
  }
}

/**
 * A fresh, empty database for this run. Returns its URL; it is dropped on
 * cleanup (or its schema left reset, in the fallback).
 */
export async function scratchDatabase(url, purpose) {
  const base = decodeURIComponent(new URL(url).pathname.slice(1)) || "attention_span_bench";
  const name = `${base}_${purpose}_${process.pid}`.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 63);
  let admin;
  try {
    admin = await connect(withDatabase(url, "postgres"));
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    onCleanup(async () => {
      const a = await connect(withDatabase(url, "postgres"));
      try {
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    });
    return { url: withDatabase(url, name), name, scratch: true };
  } catch (e) {
    await admin?.end().catch(() => undefined);
    // No CREATEDB (or no maintenance database): use the given database, emptied.
    console.warn(`Could not create a scratch database (${e instanceof Error ? e.message : e}); resetting the public schema of ${base} instead.`);
    const c = await connect(url);
    try {
      await c.query("DROP SCHEMA IF EXISTS public CASCADE");
      await c.query("CREATE SCHEMA public");
    } finally {
      await c.end();
    }
    return { url, name: base, scratch: false };
  }
}
