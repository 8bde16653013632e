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
import { createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
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
  await build.entry.module.startup({ background: true }); // background: the purge of expired rows
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

/**
 * TRUST_PROXY is the number of proxies in front of the app (1 for one nginx).
 * Express then takes the client address that many hops from the right of
 * X-Forwarded-For (what the proxies appended), never what the client wrote.
 */
function proxyHops(value = process.env.TRUST_PROXY) {
  if (value === undefined || value === "" || value === "0" || value === "false") return 0;
  if (!/^\d{1,2}$/.test(value)) {
    console.error(`TRUST_PROXY must be the number of proxies in front of the app (0 to 99), not "${value}"`);
    process.exit(1);
  }
  return Number(value);
}
const hops = proxyHops();

/** Every request body is counted as it arrives and cut off past this many bytes. */
const MAX_BODY_BYTES = Number(process.env.MAX_BODY_BYTES ?? 1024 * 1024);
/** The one route that takes a file: a learner's backup (app/data-transfer/upload.server.ts caps the file itself at 20 MB). */
const MAX_UPLOAD_BODY_BYTES = Math.max(MAX_BODY_BYTES, 21 * 1024 * 1024);
const bodyLimit = (req) => (/^\/account\/data(\.data)?$/.test(req.path) ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES);

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", hops);

// The exercise runner's and judge's workers get their own, stricter policy:
// eval for compiling, and no source at all, so even import() of a same-origin
// script is refused before any request (docs/decisions/015-...).
const WORKER_PATHS = new Set(["/exercise-worker.js", "/exercise-judge.js"]);

// The Python runner (app/python-runner/): its module worker may load scripts and
// files from the app's Pyodide folder only, and compile WebAssembly (its runs
// are judged by the judge worker above, like JavaScript's).
const PYTHON_WORKER_PATH = "/python-worker.js";
const pyodide = pyodideFiles();
function pythonWorkerPolicy(req) {
  // The host the browser used (a trusted proxy's forwarded one): the policy names exactly that origin's Pyodide folder.
  const forwarded = hops > 0 ? req.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = forwarded || req.get("host") || "";
  const here = /^[\w.:[\]-]+$/.test(host) ? `${host}${pyodide.urlPath}` : "'none'";
  return `default-src 'none'; script-src ${here} 'wasm-unsafe-eval'; connect-src ${here}`;
}

app.use((req, res, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  const isWorker = WORKER_PATHS.has(req.path);
  res.setHeader(
    "Content-Security-Policy",
    req.path === PYTHON_WORKER_PATH
      ? pythonWorkerPolicy(req)
      : isWorker
      ? "default-src 'none'; script-src 'unsafe-eval'"
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
  // HSTS only where the browser really came over TLS (directly or through a trusted proxy).
  if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

/**
 * An answer sent before the request's body was read: `Connection: close`, so the
 * unread bytes are never taken for the next request on the socket. The socket then
 * lingers a moment, dropping what the client still sends (at most LINGER_BYTES),
 * before it closes: closing at once would reset the connection, and a reset can
 * lose our answer before the client has read it.
 */
const LINGER_MS = 2_000;
const LINGER_BYTES = 16 * 1024 * 1024;
function refuse(req, res, status, message) {
  if (!req.complete) {
    res.setHeader("Connection", "close");
    const socket = req.socket;
    let dropped = 0;
    req.on("data", (chunk) => {
      dropped += chunk.length;
      // Past the cap, stop reading rather than reset: a reset now could throw away the answer the
      // client has not read yet; TCP holds the sender back until the linger timer closes the socket.
      if (dropped > LINGER_BYTES) req.pause();
    });
    req.resume();
    // Node calls destroySoon once a `Connection: close` answer is written.
    socket.destroySoon = () => {
      socket.end();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
  }
  res.status(status).type("text/plain").send(message);
}

// Cross-site request protection: a state-changing request must come from our own origin.
// (Remix has its own Origin/Host check, which throws a 500 on a mismatch; this one runs
// first and answers 403, and keeps the headers it reads consistent with ours.)
app.use((req, res, next) => {
  if (!hops) delete req.headers["x-forwarded-host"];
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
    refuse(req, res, 403, "Cross-site request refused: this request did not come from this site.");
    return;
  }
  next();
});

/**
 * Reads every request body here, counting bytes as they arrive (chunked or not):
 * past MAX_BODY_BYTES the answer is 413 and the rest is never read. Remix then
 * gets the whole body from memory, so no route can read an unbounded one.
 */
app.use((req, res, next) => {
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (!hasBody) return next();
  const limit = bodyLimit(req);
  const tooLarge = () => refuse(req, res, 413, `Request body too large: the limit is ${Math.round(limit / 1024)} KB.`);
  if (Number(req.headers["content-length"] ?? 0) > limit) return tooLarge();
  const chunks = [];
  let size = 0;
  let settled = false;
  const onData = (chunk) => {
    size += chunk.length;
    if (size > limit) {
      settled = true;
      req.off("data", onData);
      chunks.length = 0;
      tooLarge();
      return;
    }
    chunks.push(chunk);
  };
  req.on("data", onData);
  req.once("end", () => {
    if (settled) return;
    settled = true;
    res.locals.body = Buffer.concat(chunks, size);
    next();
  });
  req.once("error", () => {
    settled = true;
  });
});

// A rating on PostgreSQL, the hottest request there is, answered without the framework once the checks
// above have passed (app/review/fast-path.server.ts, docs/decisions/038-...); anything else goes on to the route.
const rateFromBody = vite ? null : build.entry.module.rateFromBody;
if (rateFromBody) {
  app.post("/api/review", async (req, res, next) => {
    try {
      const answer = await rateFromBody({ cookie: req.headers.cookie, contentType: req.headers["content-type"], body: res.locals.body });
      if (!answer) return next();
      res.status(answer.status);
      for (const [key, value] of Object.entries(answer.headers)) res.setHeader(key, value);
      res.end(answer.body);
    } catch (error) {
      next(error);
    }
  });
}

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
  // The service worker and the app manifest are asked for again on every update check (ADR 024).
  const revalidate = new Set(["/sw.js", "/manifest.webmanifest"]);
  app.use(
    express.static(path.join(root, "build/client"), {
      maxAge: "1h",
      setHeaders: (res, file) => {
        if (revalidate.has(`/${path.relative(path.join(root, "build/client"), file).split(path.sep).join("/")}`)) res.setHeader("Cache-Control", "no-cache");
      },
    }),
  );
}

// A page or data request waits for its own session's ratings still being written, so that a page the
// learner opens right after rating shows that rating (app/review/own-writes.server.ts, ADR 039).
app.use(async (req, _res, next) => {
  if (req.method !== "GET" && req.method !== "HEAD") return next();
  try {
    const entry = vite ? (await loadBuild()).entry.module : build.entry.module;
    await entry.afterOwnWritesOf(req.headers.cookie);
    next();
  } catch (error) {
    next(error);
  }
});

// The client address Remix sees is the socket's (or, behind TRUST_PROXY proxies,
// the address the outermost one saw); a header the client sends itself is never believed.
app.use((req, _res, next) => {
  req.headers["x-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
  next();
});

// Pages and data are personal: no shared cache keeps them, and a browser's back
// button asks again. Static files set their own caching above.
app.use((_req, res, next) => {
  res.setHeader("Cache-Control", "private, no-store");
  next();
});

/** The Fetch Request Remix sees: our origin (as the cross-site check reads it) and the body read above. */
function remixRequest(req, res) {
  const host = req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host") || "localhost";
  const url = new URL(req.originalUrl, `${req.protocol}://${host}`);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url.href, { method: req.method, headers, signal: controller.signal, body: hasBody ? (res.locals.body ?? null) : null });
}

async function sendResponse(res, response) {
  // A route that sets its own caching (diagrams, the health check) replaces the default.
  if (response.headers.has("Cache-Control")) res.removeHeader("Cache-Control");
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers) res.append(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

const handleRequest = createRequestHandler(vite ? loadBuild : build, process.env.NODE_ENV);
app.all("*", async (req, res, next) => {
  try {
    await sendResponse(res, await handleRequest(remixRequest(req, res), { cspNonce: res.locals.cspNonce }));
  } catch (error) {
    next(error);
  }
});

// The first pages served to the process itself, so the first learner meets warm code (app/warm-up.server.ts):
// over a loopback socket of its own, through the whole stack above, before the real port opens.
if (!vite) {
  const warm = app.listen(0, "127.0.0.1");
  const opened = await new Promise((resolve) => warm.once("listening", () => resolve(true)).once("error", () => resolve(false)));
  if (!opened) console.log("warm-up skipped: no loopback port");
  else {
    const origin = `http://127.0.0.1:${warm.address().port}`;
    try {
      await build.entry.module.warmUp((request) => {
        const url = new URL(request.url);
        return fetch(origin + url.pathname + url.search, { headers: request.headers, redirect: "manual" });
      });
    } finally {
      warm.closeAllConnections();
      await new Promise((resolve) => warm.close(resolve));
    }
  }
}

const server = app.listen(port, host, () => {
  console.log(`Attention Span is serving on http://localhost:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
