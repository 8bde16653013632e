#!/usr/bin/env node
// The server the browser tests talk to: the production build on a fresh data
// folder (SQLite by default; PostgreSQL when DATABASE_URL is set), with the
// per-IP rate limit raised because every test signs up from 127.0.0.1.
import fs from "node:fs";
import path from "node:path";
import { root } from "./lib.mjs";

const dir = path.join(root, "tests", ".tmp", `e2e-${process.env.DATABASE_URL ? "postgres" : "sqlite"}-${process.env.PORT ?? 3100}`);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
process.env.DATA_DIR = dir;
// A fresh PostgreSQL database too, when asked (npm test asks; the database is a throwaway one).
if (process.env.DATABASE_URL && process.env.E2E_RESET_DB === "1") {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  await client.end();
}
process.env.RATE_LIMIT_IP ??= "100000/900";
process.env.NODE_ENV = "production";
await import("../server.mjs");
