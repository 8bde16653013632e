#!/usr/bin/env node
// Builds the optimizer's child process (app/optimizer/fit-child.ts, with the
// training-item code it imports) into build/fit-child.cjs: one CommonJS file
// that a plain `node` runs, so the built server and the Docker image (which
// copies build/) start it without TypeScript. The database drivers and the
// FSRS binding stay outside the bundle and load from node_modules. ADR 029.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root } from "./lib.mjs";

const esbuild = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "esbuild.cmd" : "esbuild");
const entry = path.join(root, "app", "optimizer", "fit-child.ts");
const outfile = path.join(root, "build", "fit-child.cjs");
fs.mkdirSync(path.dirname(outfile), { recursive: true });
const started = Date.now();
const res = spawnSync(
  esbuild,
  [
    entry,
    "--bundle",
    "--format=cjs",
    "--platform=node",
    "--target=node20",
    `--tsconfig=${path.join(root, "tsconfig.json")}`,
    "--external:better-sqlite3",
    "--external:pg",
    "--external:pg-native",
    "--external:@open-spaced-repetition/binding",
    "--external:ts-fsrs",
    "--banner:js=/* Built by scripts/build-fit-child.mjs from app/optimizer/fit-child.ts. Do not edit. */",
    `--outfile=${outfile}`,
    "--log-level=warning",
  ],
  { stdio: "inherit", cwd: root },
);
if (res.status !== 0) {
  console.error(`build-fit-child: esbuild failed (exit ${res.status ?? res.signal})`);
  process.exit(res.status ?? 1);
}
console.log(`build-fit-child: build/fit-child.cjs (${(fs.statSync(outfile).size / 1024).toFixed(1)} KiB) in ${Date.now() - started} ms`);
