#!/usr/bin/env node
/**
 * The HTTP server: Express in front of the Remix request handler.
 * Here live the things every response needs: security headers with a
 * per-request CSP nonce, the cross-site request check, compression, static
 * assets, and the exercise worker's own strict policy.
 * Start-up (migrations, content check and sync) runs before the port opens.
 */
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import { pyodideFiles } from "./pyodide-files.mjs";

const root = path.dirname(fileURLToPath(import.meta.url));
const dev = process.argv.includes("--dev");
process.env.NODE_ENV ??= dev ? "development" : "production";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

const vite = dev
  ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true }, appType: "custom" }))
  : undefined;
const loadBuild = () =>
  vite ? vite.ssrLoadModule("virtual:remix/server-build") : import(path.join(root, "build/server/index.js"));

const build = await loadBuild();
try {
  await build.entry.module.startup();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", process.env.TRUST_PROXY === "1");

// Where the exercise runner's worker lives: it gets its own, stricter policy.
const WORKER_PATH = "/exercise-worker.js";

// The Python runner (app/python-runner/): its module worker may load scripts and
// files from the app's Pyodide folder only, and compile WebAssembly; its grading
// worker may eval the property checks and reach nothing.
const PYTHON_WORKER_PATH = "/python-worker.js";
const PYTHON_CHECK_WORKER_PATH = "/python-check-worker.js";
const pyodide = pyodideFiles();
function pythonWorkerPolicy(req) {
  // The host the browser used (a trusted proxy's forwarded one): the policy names exactly that origin's Pyodide folder.
  const forwarded = process.env.TRUST_PROXY === "1" ? req.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = forwarded || req.get("host") || "";
  const here = /^[\w.:[\]-]+$/.test(host) ? `${host}${pyodide.urlPath}` : "'none'";
  return `default-src 'none'; script-src ${here} 'wasm-unsafe-eval'; connect-src ${here}`;
}

app.use((req, res, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  const isWorker = req.path === WORKER_PATH || req.path === PYTHON_CHECK_WORKER_PATH;
  res.setHeader(
    "Content-Security-Policy",
    req.path === PYTHON_WORKER_PATH
      ? pythonWorkerPolicy(req)
      : isWorker
      ? "default-src 'none'; script-src 'self' 'unsafe-eval'"
      : [
          "default-src 'self'",
          `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-inline'" : ""}`,
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          "font-src 'self' data:",
          `connect-src 'self'${dev ? " ws:" : ""}`,
          "worker-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  next();
});

// Cross-site request protection: a state-changing request must come from our own origin.
// (Remix has its own Origin/Host check, which throws a 500 on a mismatch; this one runs
// first and answers 403, and keeps the headers it reads consistent with ours.)
app.use((req, res, next) => {
  if (process.env.TRUST_PROXY !== "1") delete req.headers["x-forwarded-host"];
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const forwardedHost = req.get("x-forwarded-host")?.split(",")[0]?.trim();
  const expected = `${req.protocol}://${forwardedHost || req.get("host")}`;
  const origin = req.get("origin");
  const referer = req.get("referer");
  let source = origin ?? null;
  if (!source && referer) {
    try {
      source = new URL(referer).origin;
    } catch {
      source = "invalid";
    }
  }
  if (!source || source !== expected) {
    res.status(403).type("text/plain").send("Cross-site request refused: this request did not come from this site.");
    return;
  }
  next();
});

app.use(compression());

// Pyodide, served by the app itself (no CDN), only ever fetched by the Python worker.
// Only the folder's own files (not the package's node_modules/ or anything below it).
app.use(
  pyodide.urlPath,
  (req, res, next) => (req.path.slice(1).includes("/") ? res.status(404).type("text/plain").send("Not found") : next()),
  express.static(pyodide.dir, { immutable: true, maxAge: "1y", index: false, fallthrough: false }),
);

if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
}

// The client address Remix sees is the socket's (or the proxy's first hop when
// TRUST_PROXY=1); a header the client sends itself is never believed.
app.use((req, _res, next) => {
  req.headers["x-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
  next();
});

app.all(
  "*",
  createRequestHandler({
    build: vite ? loadBuild : build,
    mode: process.env.NODE_ENV,
    getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }),
  }),
);

const server = app.listen(port, host, () => {
  console.log(`Attention Span is serving on http://localhost:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
