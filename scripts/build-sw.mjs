#!/usr/bin/env node
// Builds the service worker (app/offline/sw.ts) into build/client/sw.js, after
// the client build: it names every file of that build (the worker serves pages
// only with their own build's files) and the ones it fetches on install, and
// its build id is a hash of those files' contents, so a new deployment is a new
// worker and an unchanged one is byte-for-byte the same (no update for nothing).
// docs/decisions/024-offline-app.md says what is cached and why.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { root } from "./lib.mjs";

const clientDir = path.join(root, "build", "client");
const target = path.join(clientDir, "sw.js");
if (!fs.existsSync(path.join(clientDir, "assets"))) {
  console.error("build-sw: no client build in build/client (run `npx remix vite:build` first)");
  process.exit(1);
}

/** Installed on demand, not on install: big files only some pages use, and font formats Chromium, Firefox and Safari do not pick over woff2. */
const PRECACHE_MAX_BYTES = 400 * 1024;
const onDemandOnly = (file, size) => size > PRECACHE_MAX_BYTES || /\.(woff|ttf)$/.test(file);

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== ".vite") out.push(...walk(full));
    } else out.push(full);
  }
  return out;
}

const started = Date.now();
const files = walk(clientDir)
  .filter((f) => f !== target)
  .map((f) => ({ file: f, url: "/" + path.relative(clientDir, f).split(path.sep).join("/"), size: fs.statSync(f).size }))
  .sort((a, b) => (a.url < b.url ? -1 : 1));
const hash = crypto.createHash("sha256");
for (const f of files) hash.update(f.url).update("\0").update(crypto.createHash("sha256").update(fs.readFileSync(f.file)).digest()).update("\0");
const buildId = hash.digest("hex").slice(0, 16);
const precache = files.filter((f) => !onDemandOnly(f.url, f.size));

const result = await build({
  entryPoints: [path.join(root, "app", "offline", "sw.ts")],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  write: false,
  tsconfig: path.join(root, "tsconfig.json"),
  define: {
    __BUILD_ID__: JSON.stringify(buildId),
    __BUILD_FILES__: JSON.stringify(files.map((f) => f.url)),
    __PRECACHE__: JSON.stringify(precache.map((f) => f.url)),
  },
  banner: { js: `/* Built by scripts/build-sw.mjs from app/offline/sw.ts. Do not edit. build-id: ${buildId} */` },
  logLevel: "warning",
});
const built = Buffer.from(result.outputFiles[0].contents);
const changed = !fs.existsSync(target) || !fs.readFileSync(target).equals(built);
if (changed) fs.writeFileSync(target, built);
const kb = (n) => (n / 1024).toFixed(0);
console.log(
  `build-sw: build/client/sw.js (build ${buildId}, ${changed ? "updated" : "unchanged"}): precaches ${precache.length} of ${files.length} files, ` +
    `${kb(precache.reduce((n, f) => n + f.size, 0))} of ${kb(files.reduce((n, f) => n + f.size, 0))} KiB, in ${Date.now() - started} ms`,
);
