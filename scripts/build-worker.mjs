#!/usr/bin/env node
// Builds the exercise runner (app/exercise-worker/worker.ts, which bundles the
// compiler and sucrase) into public/exercise-worker.js and the judge
// (app/exercise-worker/judge.ts, the comparisons and property checks) into
// public/exercise-judge.js: classic-worker scripts, served at exactly those
// paths so server.mjs gives them their own strict policy. Vite copies public/ into build/client; when a client build
// already exists, the file is copied there too, so the order does not matter.
// An unchanged output is not rewritten (its mtime stays), so `npm start`'s
// "sources newer than the build?" check does not rebuild for nothing.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root } from "./lib.mjs";

const clientDir = path.join(root, "build", "client");
const esbuild = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "esbuild.cmd" : "esbuild");
fs.mkdirSync(path.join(root, "build"), { recursive: true });

/** Writes `file` only when its content changes. */
function update(file, built) {
  if (fs.existsSync(file) && fs.readFileSync(file).equals(built)) return false;
  fs.writeFileSync(file, built);
  return true;
}

// The runner (learner code runs there) and the judge (the verdict is made there).
for (const name of ["exercise-worker", "exercise-judge"]) {
  const source = name === "exercise-worker" ? "worker.ts" : "judge.ts";
  const entry = path.join(root, "app", "exercise-worker", source);
  const target = path.join(root, "public", `${name}.js`);
  const outfile = path.join(root, "build", `.${name}.tmp.js`);
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
      `--banner:js=/* Built by scripts/build-worker.mjs from app/exercise-worker/${source}. Do not edit. */ /* eslint-disable */`,
      `--outfile=${outfile}`,
      "--log-level=warning",
    ],
    { stdio: "inherit", cwd: root },
  );
  if (res.status !== 0) {
    console.error(`build-worker: esbuild failed on ${source} (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
  const built = fs.readFileSync(outfile);
  fs.rmSync(outfile);
  const changed = update(target, built);
  if (fs.existsSync(clientDir)) update(path.join(clientDir, `${name}.js`), built);
  const kb = (built.length / 1024).toFixed(1);
  console.log(`build-worker: public/${name}.js (${kb} KiB, ${changed ? "updated" : "unchanged"}) in ${Date.now() - started} ms`);
}
