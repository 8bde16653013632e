/**
 * Where the app's copy of Pyodide lives, and the URL it is served at.
 * Shared by server.mjs (which serves the files) and the exercise loader (which
 * tells the Python worker where to load them from), so the two always agree.
 *
 * PYODIDE_DIR points at a folder laid out like the npm package `pyodide`
 * (pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip,
 * pyodide-lock.json); an operator can use a copy with extra wheels beside a
 * matching lock file. Default: the installed npm package. The URL carries a
 * tag made from the folder's package version and lock file, so the files can be
 * cached for a year: a different Pyodide gets a different URL.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

let cached = null;

/** @returns {{ dir: string, tag: string, urlPath: string }} */
export function pyodideFiles() {
  const dir = process.env.PYODIDE_DIR
    ? path.resolve(process.env.PYODIDE_DIR)
    : path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
  if (cached && cached.dir === dir) return cached;
  const hash = crypto.createHash("sha256");
  for (const name of ["package.json", "pyodide-lock.json"]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  const tag = hash.digest("hex").slice(0, 12);
  cached = { dir, tag, urlPath: `/pyodide/${tag}/` };
  return cached;
}
