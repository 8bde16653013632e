#!/usr/bin/env node
// npm test: the whole suite from a fresh clone. Installs what the tests need,
// then runs, in order: content check, schema drift check, typecheck, lint,
// build, unit and integration tests (vitest), browser tests (Playwright with
// Debian's Chromium) on SQLite and, when DATABASE_URL_PG names a PostgreSQL
// server (.ci/run starts one), again on PostgreSQL. Exits non-zero on any failure.
import fs from "node:fs";
import { ensureDependencies, ensureGenerated, run, root } from "./lib.mjs";

const steps = [];
const step = (name, fn) => steps.push({ name, fn });
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const pgUrl = process.env.DATABASE_URL_PG;

step("dependencies", () => ensureDependencies());
step("prisma clients", () => ensureGenerated(true));
step("content check", () => run("npm", ["run", "--silent", "content:check"]));
step("schema drift check", () => run("npm", ["run", "--silent", "db:check"]));
step("typecheck", () => run("npx", ["tsc", "--noEmit"]));
step("lint", () => run("npx", ["eslint", "."]));
step("build", () => run("npm", ["run", "--silent", "build"]));
step("unit and integration tests (SQLite)", () => run("npx", ["vitest", "run"], { env: { TEST_DATABASE: "sqlite" } }));
if (pgUrl) {
  step("integration tests (PostgreSQL)", () => run("npx", ["vitest", "run", "tests/integration"], { env: { TEST_DATABASE: "postgres", DATABASE_URL_PG: pgUrl } }));
}
step("browser tests (SQLite)", () => {
  if (chromium && !fs.existsSync(chromium)) {
    throw new Error(`Chromium not found at ${chromium}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  run("npx", ["playwright", "test"], { env: { DATABASE_URL: "" } });
});
if (pgUrl) {
  // Tests tagged @content only read the course (lesson pages, widgets): they cannot differ by database.
  step("browser tests (PostgreSQL)", () =>
    run("npx", ["playwright", "test", "--grep-invert", "@content"], { env: { DATABASE_URL: pgUrl, E2E_PORT: "3110", E2E_RESET_DB: "1" } }),
  );
}

const results = [];
let failed = false;
for (const s of steps) {
  console.log(`\n=== ${s.name} ===`);
  const started = Date.now();
  try {
    await s.fn();
    results.push({ name: s.name, ok: true, ms: Date.now() - started });
  } catch (e) {
    console.error(e.message);
    results.push({ name: s.name, ok: false, ms: Date.now() - started });
    failed = true;
    break;
  }
}
console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${(r.ms / 1000).toFixed(1)} s)`);
const passed = results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.chdir(root);
process.exit(failed ? 1 : 0);
