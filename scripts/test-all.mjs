#!/usr/bin/env node
// npm test: the whole suite from a fresh clone. First the machine set-up
// (scripts/test-setup.mjs): a Chromium for the browser tests (CHROMIUM_PATH,
// Debian's, Playwright's own, or installed), and a PostgreSQL server
// (DATABASE_URL_PG, or a throwaway cluster started here and deleted at the
// end when PostgreSQL is installed). Then, in order: content check, schema
// drift check, typecheck and lint (these four at once), build, unit and integration tests (vitest),
// browser tests (Playwright) on SQLite and, with a PostgreSQL server, the
// integration and browser tests again on PostgreSQL. What it cannot run it
// skips and says why, in the summary; under CI=true a skip is a failure.
// Exits non-zero on any failure.
//   node scripts/test-all.mjs --setup-only   only the set-up: report what it found, stop what it started
import { ensureDependencies, ensureGenerated, run, runCaptured, root } from "./lib.mjs";
import { findChromium, startThrowawayPostgres } from "./test-setup.mjs";

const setupOnly = process.argv.includes("--setup-only");
const ci = Boolean(process.env.CI) && process.env.CI !== "false";

console.log("=== set-up ===");
ensureDependencies(); // Playwright's own browser is looked up through node_modules
const skipped = [];
const chromium = findChromium();
if (chromium.path === null) skipped.push({ name: "browser tests", why: chromium.why });
else console.log(`browser: ${chromium.how}`);

let pgUrl = process.env.DATABASE_URL_PG || null;
let stopPostgres = () => {};
if (pgUrl) console.log(`PostgreSQL: DATABASE_URL_PG=${pgUrl.replace(/:[^:@/]*@/, ":***@")}`);
else {
  const pg = await startThrowawayPostgres();
  if (pg.url) {
    pgUrl = pg.url;
    stopPostgres = pg.stop;
    console.log(`PostgreSQL: ${pg.how}`);
  } else skipped.push({ name: "PostgreSQL runs (integration, browser)", why: pg.why });
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    stopPostgres();
    process.exit(130);
  });
}
for (const s of skipped) console.log(`SKIPPING ${s.name}: ${s.why}`);

const steps = [];
const step = (name, fn) => steps.push({ name, fn });
const chromiumEnv = chromium.path === null ? {} : { CHROMIUM_PATH: chromium.path };

step("prisma clients", () => ensureGenerated(true));
// The four checks only read the tree, so they run at the same time (each mostly waits on one core);
// their outputs are printed one after the other, each with its time.
step("checks: content, schema drift, typecheck, lint", () =>
  checksAtOnce([
    ["content check", "npm", ["run", "--silent", "content:check"]],
    ["schema drift check", "npm", ["run", "--silent", "db:check"], { env: pgUrl ? { DATABASE_URL_PG: pgUrl } : {} }],
    ["typecheck", "npx", ["tsc", "--noEmit"]],
    ["lint", "npx", ["eslint", "."]],
  ]),
);
step("build", () => run("npm", ["run", "--silent", "build"]));
step("unit and integration tests (SQLite)", () => run("npx", ["vitest", "run"], { env: { TEST_DATABASE: "sqlite" } }));
if (pgUrl) {
  step("integration tests (PostgreSQL)", () => run("npx", ["vitest", "run", "tests/integration"], { env: { TEST_DATABASE: "postgres", DATABASE_URL_PG: pgUrl } }));
}
if (chromium.path !== null) {
  step("browser tests (SQLite)", () => run("npx", ["playwright", "test"], { env: { DATABASE_URL: "", ...chromiumEnv } }));
  if (pgUrl) {
    // Tests tagged @content only read the course (lesson pages, widgets), and @browser ones test what the
    // browser does alone (layout at 320 px, no-JS pages, grading in the worker): neither can differ by database.
    step("browser tests (PostgreSQL)", () =>
      run("npx", ["playwright", "test", "--grep-invert", "@content|@browser"], { env: { DATABASE_URL: pgUrl, E2E_PORT: "3110", E2E_RESET_DB: "1", ...chromiumEnv } }),
    );
  }
}

async function checksAtOnce(checks) {
  const outcomes = await Promise.all(checks.map(([, cmd, args, options]) => runCaptured(cmd, args, options)));
  const failedChecks = [];
  checks.forEach(([name], i) => {
    const o = outcomes[i];
    console.log(`--- ${name}: ${o.ok ? "ok" : `FAILED (exit ${o.code})`} in ${(o.ms / 1000).toFixed(1)} s ---`);
    if (o.output.trim()) process.stdout.write(o.output.endsWith("\n") ? o.output : `${o.output}\n`);
    if (!o.ok) failedChecks.push(name);
  });
  if (failedChecks.length) throw new Error(`failed: ${failedChecks.join(", ")}`);
}

const results = [];
let failed = false;
if (setupOnly) console.log("\n--setup-only: not running the suite");
else {
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
}
stopPostgres();
console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${(r.ms / 1000).toFixed(1)} s)`);
for (const s of skipped) console.log(`${ci ? "FAIL" : "skip"} ${s.name}: ${s.why}`);
const passed = results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${results.length - passed} failed, ${skipped.length} skipped${ci && skipped.length ? " (CI=true: a skip is a failure)" : ""}`);
process.chdir(root);
process.exit(failed || (ci && skipped.length) ? 1 : 0);
