/**
 * Applies the SQL migrations under prisma/<provider>/migrations in name order,
 * once each, recorded in _app_migrations with a checksum. Safe when several app
 * processes start at once: SQLite serialises on BEGIN IMMEDIATE, PostgreSQL on
 * an advisory lock. We run our own runner because Prisma's migrate engine cannot
 * deploy to PostgreSQL offline (docs/decisions/002-two-databases-one-schema.md).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { DatabaseConfig } from "./config.server";
import { openSqlite } from "./sqlite.server";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

const LOCK_ID = 0x4154_5350; // "ATSP": one constant shared by every app process

export function migrationsDir(provider: DatabaseConfig["provider"], root = process.cwd()) {
  return path.join(root, "prisma", provider === "sqlite" ? "sqlite" : "postgres", "migrations");
}

/** Returns the names of the migrations it applied. */
export async function migrate(config: DatabaseConfig, root = process.cwd()): Promise<string[]> {
  const migrations = readMigrations(migrationsDir(config.provider, root));
  return config.provider === "sqlite" ? migrateSqlite(config.file, migrations) : migratePostgres(config.url, migrations);
}

function checkChecksums(applied: Map<string, string>, migrations: Migration[]) {
  for (const m of migrations) {
    const sum = applied.get(m.name);
    if (sum && sum !== m.checksum) {
      throw new Error(`migration ${m.name} was edited after it was applied; add a new migration instead`);
    }
  }
}

export function migrateSqlite(file: string, migrations: Migration[]): string[] {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = openSqlite(file);
  try {
    db.exec("CREATE TABLE IF NOT EXISTS _app_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
    const done: string[] = [];
    const run = db.transaction(() => {
      const rows = db.prepare("SELECT name, checksum FROM _app_migrations").all() as { name: string; checksum: string }[];
      const applied = new Map(rows.map((r) => [r.name, r.checksum]));
      checkChecksums(applied, migrations);
      for (const m of migrations) {
        if (applied.has(m.name)) continue;
        db.exec(m.sql);
        db.prepare("INSERT INTO _app_migrations (name, checksum, applied_at) VALUES (?, ?, ?)").run(m.name, m.checksum, new Date().toISOString());
        done.push(m.name);
      }
    });
    run.immediate();
    return done;
  } finally {
    db.close();
  }
}

export async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query("CREATE TABLE IF NOT EXISTS _app_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)");
    const { rows } = await client.query<{ name: string; checksum: string }>("SELECT name, checksum FROM _app_migrations");
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    checkChecksums(applied, migrations);
    const done: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO _app_migrations (name, checksum, applied_at) VALUES ($1, $2, now())", [m.name, m.checksum]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
