#!/usr/bin/env node
// Fails when the two databases drift apart:
//  - the SQLite and PostgreSQL migration folders must hold the same migrations (by name);
//  - replaying each history must give the same tables, columns, indexes and foreign
//    keys as creating its schema.prisma from empty (so nobody edits the schema and
//    forgets the migration). The PostgreSQL replay needs a server: it runs when
//    DATABASE_URL_PG is set (CI sets it).
// (Prisma's own drift check needs a shadow database, which it refuses with driver adapters.)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { root } from "./lib.mjs";

const migrationsOf = (dir) => {
  const base = path.join(root, "prisma", dir, "migrations");
  return fs
    .readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(base, name, "migration.sql"), "utf8") }));
};

function fromEmpty(provider, dir) {
  return execFileSync(
    path.join(root, "node_modules", ".bin", "prisma"),
    ["migrate", "diff", "--from-empty", "--to-schema-datamodel", path.join("prisma", dir, "schema.prisma"), "--script"],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PRISMA_PROVIDER: provider, DATABASE_URL: process.env.DATABASE_URL_PG ?? "postgresql://unused/unused" } },
  );
}

let failed = false;
const sqlite = migrationsOf("sqlite");
const postgres = migrationsOf("postgres");
if (JSON.stringify(sqlite.map((m) => m.name)) !== JSON.stringify(postgres.map((m) => m.name))) {
  console.error("The migration histories differ:");
  console.error(`  sqlite:   ${sqlite.map((m) => m.name).join(", ")}`);
  console.error(`  postgres: ${postgres.map((m) => m.name).join(", ")}`);
  failed = true;
}

function report(label, replayed, expected) {
  const a = JSON.stringify(replayed, null, 1);
  const b = JSON.stringify(expected, null, 1);
  if (a === b) {
    console.log(`${label}: migrations match schema.prisma`);
    return;
  }
  failed = true;
  console.error(`${label}: replaying the migrations does not give schema.prisma. Write a migration: npm run db:migration -- <name>`);
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      console.error(`  first difference: migrations have ${la[i]?.trim()} where the schema has ${lb[i]?.trim()}`);
      break;
    }
  }
}

function sqliteShape(db) {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_app_migrations' ORDER BY name").all();
  return tables.map(({ name }) => ({
    name,
    columns: db.prepare(`PRAGMA table_info("${name}")`).all(),
    indexes: db
      .prepare(`PRAGMA index_list("${name}")`)
      .all()
      .map((ix) => ({ name: ix.name, unique: ix.unique, columns: db.prepare(`PRAGMA index_info("${ix.name}")`).all().map((c) => c.name) }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    foreignKeys: db.prepare(`PRAGMA foreign_key_list("${name}")`).all().map(({ id: _id, seq: _seq, ...fk }) => fk),
  }));
}

{
  const replayed = new Database(":memory:");
  for (const m of sqlite) replayed.exec(m.sql);
  const expected = new Database(":memory:");
  expected.exec(fromEmpty("sqlite", "sqlite"));
  report("sqlite", sqliteShape(replayed), sqliteShape(expected));
}

async function postgresShape(client, schema) {
  const cols = await client.query(
    "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name != '_app_migrations' ORDER BY table_name, column_name",
    [schema],
  );
  const idx = await client.query("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname", [schema]);
  const fks = await client.query(
    "SELECT conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 AND c.contype <> 't' ORDER BY conname",
    [schema],
  );
  const strip = (s) => (s ?? "").split(`"${schema}".`).join("").split(`${schema}.`).join("");
  return {
    columns: cols.rows.map((r) => ({ ...r, column_default: strip(r.column_default) })),
    indexes: idx.rows.map((r) => ({ ...r, indexdef: strip(r.indexdef) })),
    constraints: fks.rows.map((r) => ({ ...r, def: strip(r.def) })),
  };
}

if (process.env.DATABASE_URL_PG) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL_PG });
  await client.connect();
  const a = `drift_replay_${process.pid}`;
  const b = `drift_schema_${process.pid}`;
  try {
    for (const [schema, scripts] of [
      [a, postgres.map((m) => m.sql)],
      [b, [fromEmpty("postgresql", "postgres")]],
    ]) {
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`SET search_path TO "${schema}"`);
      for (const sql of scripts) await client.query(sql);
    }
    report("postgres", await postgresShape(client, a), await postgresShape(client, b));
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${a}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${b}" CASCADE`);
    await client.end();
  }
} else {
  console.log("postgres: replay skipped (set DATABASE_URL_PG to check it against a server)");
}
process.exit(failed ? 1 : 0);
