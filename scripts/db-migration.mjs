#!/usr/bin/env node
// npm run db:migration -- <name>: after editing prisma/schema.base.prisma, writes
// the SQL that takes each database from its last migration to the new schema,
// as a migration folder of the same name for SQLite and for PostgreSQL (so the
// histories stay in step). Each migrations folder keeps a snapshot of the
// schema its migrations produce (schema.snapshot.prisma); the diff runs from
// that snapshot, because Prisma's migrate dev cannot run offline here.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root } from "./lib.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name>");
  process.exit(2);
}
// Prisma's diff for PostgreSQL connects through the adapter even between two schema files.
process.env.DATABASE_URL_PG ??= "postgresql://attention:attention@127.0.0.1:5432/attention_span";
execFileSync("node", ["scripts/db-schemas.mjs"], { cwd: root, stdio: "inherit" });
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
// Compute both first, write after: a failure leaves neither history changed.
const pending = [];
for (const [provider, dir] of [
  ["sqlite", "sqlite"],
  ["postgresql", "postgres"],
]) {
  const migrations = path.join(root, "prisma", dir, "migrations");
  const schema = path.join(root, "prisma", dir, "schema.prisma");
  const snapshot = path.join(migrations, "schema.snapshot.prisma");
  const sql = execFileSync(
    path.join(root, "node_modules", ".bin", "prisma"),
    ["migrate", "diff", "--from-schema-datamodel", snapshot, "--to-schema-datamodel", schema, "--script"],
    { cwd: root, env: { ...process.env, PRISMA_PROVIDER: provider, DATABASE_URL: process.env.DATABASE_URL_PG }, encoding: "utf8" },
  );
  if (/^-- This is an empty migration/m.test(sql)) {
    console.log(`${dir}: no changes`);
    continue;
  }
  pending.push({ folder: path.join(migrations, `${stamp}_${name}`), sql, schema, snapshot });
}
for (const p of pending) {
  fs.mkdirSync(p.folder, { recursive: true });
  fs.writeFileSync(path.join(p.folder, "migration.sql"), p.sql);
  fs.copyFileSync(p.schema, p.snapshot);
  console.log(`wrote ${path.relative(root, p.folder)}/migration.sql`);
}
console.log("Run npm run db:check to confirm both histories produce the schema.");
