// Small helpers for the start and test scripts: they run before node_modules
// exists, so they use node's own modules only.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function run(cmd, args, options = {}) {
  const started = Date.now();
  const res = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...options, env: { ...process.env, ...options.env } });
  if (res.status !== 0) {
    const err = new Error(`${cmd} ${args.join(" ")} failed (exit ${res.status ?? res.signal})`);
    err.exitCode = res.status ?? 1;
    throw err;
  }
  return Date.now() - started;
}

/**
 * Like run(), but without waiting and with the output kept: resolves to
 * { ok, code, output, ms } (stdout and stderr interleaved as they came), so
 * that several commands can run at once and print one after the other.
 */
export function runCaptured(cmd, args, options = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(cmd, args, { cwd: root, ...options, env: { ...process.env, FORCE_COLOR: "1", ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    child.on("error", (e) => chunks.push(Buffer.from(`${cmd}: ${e.message}\n`)));
    child.on("close", (code, signal) => resolve({ ok: code === 0, code: code ?? signal, output: Buffer.concat(chunks).toString("utf8"), ms: Date.now() - started }));
  });
}

function newestMtime(entries) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== "generated" && name !== "node_modules") visit(path.join(p, name));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  entries.forEach((e) => visit(path.join(root, e)));
  return newest;
}

/**
 * npm ci when node_modules is missing or older than the lock file.
 *
 * npm ci refuses our lock file when it cannot find a lock entry for every
 * optional dependency: the FSRS optimizer's binding (0.5) names native packages
 * for eleven platforms, and only linux-x64-gnu is published at 0.5, so the
 * others can never be locked. npm install then installs the same locked tree
 * (the missing optional packages are skipped, as on any platform without one).
 */
export function ensureDependencies() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return false;
  console.log("Installing dependencies (npm ci)…");
  const ci = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" });
  if (ci.status === 0) return true;
  if (!/EUSAGE/.test(ci.stderr ?? "")) {
    process.stderr.write(ci.stderr ?? "");
    throw new Error(`npm ci failed (exit ${ci.status ?? ci.signal})`);
  }
  console.log("npm ci refused the lock file (optional platform packages that are not published); installing the locked tree with npm install…");
  run("npm", ["install", "--no-audit", "--no-fund"]);
  return true;
}

/** Prisma clients, generated offline from the two schema files. */
export function ensureGenerated(force = false) {
  const out = path.join(root, "app", "generated");
  const schemas = ["prisma/schema.base.prisma", "prisma/sqlite/schema.prisma", "prisma/postgres/schema.prisma"];
  if (!force && fs.existsSync(path.join(out, "postgres")) && newestMtime(["app/generated"]) >= newestMtime(schemas)) return false;
  run("npm", ["run", "--silent", "db:generate"]);
  return true;
}

/** The production build, rebuilt when any source is newer than it. */
export function ensureBuild() {
  const built = path.join(root, "build", "server", "index.js");
  const sources = ["app", "public", "vite.config.ts", "package-lock.json", "tsconfig.json"];
  // The exercise worker bundle: rebuilt when its sources (or the grading core, or sucrase) changed.
  const worker = path.join(root, "public", "exercise-worker.js");
  const workerSources = ["app/exercise-worker", "app/domain/grading", "package-lock.json"];
  if (!fs.existsSync(worker) || fs.statSync(worker).mtimeMs < newestMtime(workerSources)) run("node", ["scripts/build-worker.mjs"]);
  // The optimizer's child process (ADR 029): its own small bundle, rebuilt when the optimizer or the day code changed.
  const fitChild = path.join(root, "build", "fit-child.cjs");
  if (!fs.existsSync(fitChild) || fs.statSync(fitChild).mtimeMs < newestMtime(["app/optimizer", "app/domain", "package-lock.json"])) run("node", ["scripts/build-fit-child.mjs"]);
  const sw = path.join(root, "build", "client", "sw.js");
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(sources)) {
    if (!fs.existsSync(sw)) run("node", ["scripts/build-sw.mjs"]);
    return false;
  }
  console.log("Building the app…");
  run("npx", ["remix", "vite:build"]);
  // The service worker names the build's files, so it is built after them (ADR 024).
  run("node", ["scripts/build-sw.mjs"]);
  return true;
}
