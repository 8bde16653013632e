#!/usr/bin/env node
// Builds the Python runner's worker from app/python-runner/:
//   worker.ts -> public/python-worker.js (module worker: it imports Pyodide's ES module)
// Grading is the JavaScript runner's judge (public/exercise-judge.js, built by
// build-worker.mjs). server.mjs gives the path its own strict policy. Like build-worker.mjs,
// an unchanged output is not rewritten, and a client build gets a copy too.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root } from "./lib.mjs";

const esbuild = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "esbuild.cmd" : "esbuild");
const builds = [
  { entry: "worker.ts", out: "python-worker.js", format: "esm" },
];
fs.mkdirSync(path.join(root, "build"), { recursive: true });
for (const b of builds) {
  const started = Date.now();
  const tmp = path.join(root, "build", `.${b.out}.tmp`);
  const res = spawnSync(
    esbuild,
    [
      path.join(root, "app", "python-runner", b.entry),
      "--bundle",
      `--format=${b.format}`,
      "--platform=browser",
      "--target=es2020",
      "--minify",
      "--legal-comments=none",
      `--tsconfig=${path.join(root, "tsconfig.json")}`,
      `--banner:js=/* Built by scripts/build-python-worker.mjs from app/python-runner/${b.entry}. Do not edit. */ /* eslint-disable */`,
      `--outfile=${tmp}`,
      "--log-level=warning",
    ],
    { stdio: "inherit", cwd: root },
  );
  if (res.status !== 0) {
    console.error(`build-python-worker: esbuild failed for ${b.entry} (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
  const built = fs.readFileSync(tmp);
  fs.rmSync(tmp);
  const update = (file) => {
    if (fs.existsSync(file) && fs.readFileSync(file).equals(built)) return false;
    fs.writeFileSync(file, built);
    return true;
  };
  const changed = update(path.join(root, "public", b.out));
  const clientDir = path.join(root, "build", "client");
  if (fs.existsSync(clientDir)) update(path.join(clientDir, b.out));
  console.log(`build-python-worker: public/${b.out} (${(built.length / 1024).toFixed(1)} KiB, ${changed ? "updated" : "unchanged"}) in ${Date.now() - started} ms`);
}
