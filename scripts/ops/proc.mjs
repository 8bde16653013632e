/**
 * Child processes and temporary folders for the operational scripts
 * (bench-load, test-durability, fuzz): app servers on loopback ports, an nginx
 * in front of them, and cleanup of all of it on exit, error or Ctrl+C.
 * Node built-ins only.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

// --- Cleanup ------------------------------------------------------------------------

const children = new Set();
const tempDirs = new Set();
const asyncCleanups = [];
let cleaningUp = null;
let interrupted = false;

/** Runs on normal exit too (sync part): kills what is left, removes temp folders. */
function cleanupSync() {
  for (const child of children) {
    try {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  children.clear();
  if (!process.env.KEEP_TMP) for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Async cleanups (dropping a scratch database) run before the sync ones. */
export function onCleanup(fn) {
  asyncCleanups.push(fn);
}

/** Idempotent: a second call (Ctrl+C during the normal cleanup) waits for the first. */
export function cleanup() {
  cleaningUp ??= (async () => {
    // Stop the children first (a scratch database cannot be dropped while they hold connections).
    await Promise.all([...children].map((c) => stopChild(c, 3_000)));
    for (const fn of asyncCleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`cleanup: ${e instanceof Error ? e.message : e}`);
      }
    }
    cleanupSync();
  })();
  return cleaningUp;
}

process.on("exit", cleanupSync);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping children and removing temporary files…`);
    const force = setTimeout(() => {
      cleanupSync();
      process.exit(130);
    }, 10_000);
    force.unref();
    cleanup().finally(() => process.exit(130));
  });
}

export const isInterrupted = () => interrupted;

/** Wraps a script's main function: cleanup always runs; the exit code is main's result. */
export async function main(fn) {
  let code = 1;
  try {
    code = (await fn()) ?? 0;
  } catch (e) {
    // After Ctrl+C the work in flight fails as its servers go away: that is not news.
    if (!interrupted) console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    code = 1;
  } finally {
    await cleanup();
  }
  process.exit(interrupted ? 130 : code);
}

export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function stopChild(child, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const exited = new Promise((r) => child.once("exit", r));
  try {
    child.kill("SIGTERM");
  } catch {
    /* gone */
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      /* gone */
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

function track(child) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

// --- Arguments ----------------------------------------------------------------------

/** --name value / --name=value / --flag; numbers stay strings (the caller converts). */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const eq = a.indexOf("=");
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = true;
  }
  return out;
}

// --- The app ----------------------------------------------------------------------

export function requireBuild() {
  if (!fs.existsSync(path.join(root, "build", "server", "index.js"))) {
    console.error("build/ is missing: run `npm run build` first (this script builds nothing).");
    process.exit(2);
  }
}

/**
 * One `node server.mjs` on 127.0.0.1:port. `restart()` starts it again on the
 * same port, data folder and environment (after a kill -9, say).
 */
export async function startApp({ port, dataDir, env = {}, name = "app", quiet = true } = {}) {
  port ??= await freePort();
  dataDir ??= tempDir("as-ops-data-");
  // The log, with a running offset so marks stay valid when old output is dropped.
  let logText = "";
  let logDropped = 0;
  const handle = {
    name,
    port,
    dataDir,
    url: `http://127.0.0.1:${port}`,
    child: null,
    starts: 0,
    logs: () => logText,
    /** A position in the log; logsSince(mark) is everything written after it. */
    logMark: () => logDropped + logText.length,
    logsSince: (mark) => logText.slice(Math.max(0, mark - logDropped)),
    async start() {
      const child = track(
        // APP_NODE_ARGS: extra node flags for the app processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a bench run.
        spawn(process.execPath, [...(process.env.APP_NODE_ARGS ?? "").split(" ").filter(Boolean), "server.mjs"], {
          cwd: root,
          env: {
            ...process.env,
            NODE_ENV: "production",
            PORT: String(port),
            HOST: "127.0.0.1",
            DATA_DIR: dataDir,
            DATABASE_URL: "",
            RATE_LIMIT_IP: "100000/900",
            // Load generators rate far faster than a person; the per-learner write caps (ADR 014) would answer 429.
            WRITE_CAP_REVIEW: "1000000/60",
            WRITE_CAP_QUIZ: "1000000/60",
            WRITE_CAP_EXERCISE: "1000000/60",
            ...env,
          },
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
      const keep = (d) => {
        logText += String(d);
        if (logText.length > 2_000_000) {
          logDropped += 1_000_000;
          logText = logText.slice(1_000_000);
        }
        if (!quiet) process.stderr.write(`[${name}] ${d}`);
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      handle.child = child;
      handle.starts++;
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited during start-up:\n${handle.logs().slice(-4000)}`);
        if (await healthy(handle.url)) return handle;
        if (Date.now() > deadline) throw new Error(`${name} did not answer /healthz within 60 s:\n${handle.logs().slice(-4000)}`);
        await sleep(100);
      }
    },
    /** kill -9: no chance to flush or close anything. */
    async kill9() {
      const child = handle.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (handle.child) await stopChild(handle.child, 5_000);
    },
    async restart() {
      await handle.kill9();
      return handle.start();
    },
  };
  return handle.start();
}

async function healthy(url) {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

// --- nginx ------------------------------------------------------------------------

export function findNginx() {
  for (const p of [process.env.NGINX, "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx", "/opt/homebrew/bin/nginx", "/usr/local/bin/nginx"]) {
    if (p && fs.existsSync(p)) return p;
  }
  const which = spawnSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

export const NGINX_INSTALL_HINT = "nginx is not installed: install it with `apt-get install -y nginx` (Debian/Ubuntu) or `brew install nginx` (macOS), or set NGINX=/path/to/nginx.";

/**
 * nginx on 127.0.0.1:listenPort in front of the given app ports, as in
 * docs/deploy.md (with `Host $http_host`, since our loopback origin has a port).
 * Runs in the foreground as our child, with every file in its own temp folder.
 */
export async function startNginx({ upstreamPorts, listenPort, binary = findNginx(), hostHeader = "$http_host" }) {
  if (!binary) throw new Error(NGINX_INSTALL_HINT);
  listenPort ??= await freePort();
  const dir = tempDir("as-ops-nginx-");
  const conf = path.join(dir, "nginx.conf");
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  fs.writeFileSync(
    conf,
    `${isRoot ? "user root;\n" : ""}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 4m;
  upstream attention_span {
    # A learner's requests go to one process while it is up, so its copy of their queue stays current
    # (ADR 037); requests without a session (empty key) are spread round-robin.
    hash $cookie___session consistent;
${upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=3 fail_timeout=2s;`).join("\n")}
    # Reused upstream connections, closed before Node's own 5 s keepAliveTimeout:
    # if nginx keeps one longer, a POST can race Node closing it and get a 502.
    keepalive 128;
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://attention_span;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host ${hostHeader};
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }
  }
}
`,
  );
  let output = "";
  const child = track(spawn(binary, ["-e", path.join(dir, "error.log"), "-p", dir, "-c", conf], { stdio: ["ignore", "pipe", "pipe"] }));
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${output}${readIf(path.join(dir, "error.log"))}`);
    if (await healthy(url)) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url}: ${output}${readIf(path.join(dir, "error.log"))}`);
    await sleep(100);
  }
  return { url, port: listenPort, dir, child, errorLog: () => readIf(path.join(dir, "error.log")), stop: () => stopChild(child, 3_000) };
}

function readIf(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
