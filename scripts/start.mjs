#!/usr/bin/env node
// npm start: everything from a fresh clone to a served app, on the embedded
// SQLite database. Installs dependencies, generates the Prisma client, builds
// when sources changed, then starts the server (which migrates and syncs content).
import { ensureBuild, ensureDependencies, ensureGenerated } from "./lib.mjs";

try {
  ensureDependencies();
  ensureGenerated();
  ensureBuild();
} catch (e) {
  console.error(e.message);
  process.exit(e.exitCode ?? 1);
}
await import("../server.mjs");
