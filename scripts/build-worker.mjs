#!/usr/bin/env node
// Builds the exercise runner (app/exercise-worker/worker.ts, which bundles the
// grading core and sucrase) into public/exercise-worker.js: one classic-worker
// script, served at exactly /exercise-worker.js so server.mjs gives it its own
// strict policy. Vite copies public/ into build/client; when a client build
// already exists, the file is copied there too, so the order does not matter.
// An unchanged output is not rewritten (its mtime stays), so `npm start`'s
// "sources newer than the build?" check does not rebuild for nothing.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root } from "./lib.mjs";

const entry = path.join(root, "app", "exercise-worker", "worker.ts");
const target = path.join(root, "public", "exercise-worker.js");
const outfile = path.join(root, "build", ".exercise-worker.tmp.js");
fs.mkdirSync(path.dirname(outfile), { recursive: true });
const esbuild = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "esbuild.cmd" : "esbuild");

const started = Date.now();
const res = spawnSync(
  esbuild,
  [
    entry,
    "--bundle",
    "--format=iife",
    "--platform=browser",
    "--target=es2020",
    "--minify",
    "--legal-comments=none",
    `--tsconfig=${path.join(root, "tsconfig.json")}`,
    "--define:process.env.NODE_ENV=\"production\"",
    "--banner:js=/* Built by scripts/build-worker.mjs from app/exercise-worker/worker.ts. Do not edit. */ /* eslint-disable */",
    `--outfile=${outfile}`,
    "--log-level=warning",
  ],
  { stdio: "inherit", cwd: root },
);
if (res.status !== 0) {
  console.error(`build-worker: esbuild failed (exit ${res.status ?? res.signal})`);
  process.exit(res.status ?? 1);
}
const built = fs.readFileSync(outfile);
fs.rmSync(outfile);
/** Writes `file` only when its content changes. */
function update(file) {
  if (fs.existsSync(file) && fs.readFileSync(file).equals(built)) return false;
  fs.writeFileSync(file, built);
  return true;
}
const changed = update(target);
const clientDir = path.join(root, "build", "client");
if (fs.existsSync(clientDir)) update(path.join(clientDir, "exercise-worker.js"));
const kb = (built.length / 1024).toFixed(1);
console.log(`build-worker: public/exercise-worker.js (${kb} KiB, ${changed ? "updated" : "unchanged"}) in ${Date.now() - started} ms`);
