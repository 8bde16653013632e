#!/usr/bin/env node
// npm run db:migration -- <name>: writes the SQL that takes each database from
// its current migrations to prisma/schema.base.prisma, as a new migration folder
// for SQLite and for PostgreSQL (same name, so the histories stay in step).
// Needs a PostgreSQL server for the diff (DATABASE_URL_PG, default local).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root } from "./lib.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name>");
  process.exit(2);
}
execFileSync("node", ["scripts/db-schemas.mjs"], { cwd: root, stdio: "inherit" });
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const pgUrl = process.env.DATABASE_URL_PG ?? "postgresql://attention:attention@127.0.0.1:5432/attention_span";
for (const [provider, dir] of [["sqlite", "sqlite"], ["postgresql", "postgres"]]) {
  const migrations = path.join(root, "prisma", dir, "migrations");
  // Replay the existing migrations into a scratch schema to diff from.
  const shadow = provider === "sqlite" ? `file:${path.join(os.tmpdir(), `shadow-${process.pid}.db`)}` : pgUrl;
  const sql = execFileSync(
    "npx",
    ["prisma", "migrate", "diff", "--from-migrations", migrations, "--to-schema-datamodel", path.join("prisma", dir, "schema.prisma"), "--shadow-database-url", shadow, "--script"],
    { cwd: root, env: { ...process.env, PRISMA_PROVIDER: provider, DATABASE_URL: pgUrl }, encoding: "utf8" },
  );
  if (/^-- This is an empty migration/m.test(sql)) {
    console.log(`${dir}: no changes`);
    continue;
  }
  const folder = path.join(migrations, `${stamp}_${name}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "migration.sql"), sql);
  console.log(`wrote ${path.relative(root, folder)}/migration.sql`);
}
