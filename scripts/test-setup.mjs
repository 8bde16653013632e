// What `npm test` needs from the machine, found or made before the suite runs:
// a Chromium for the browser tests and a PostgreSQL server for the PostgreSQL
// runs. Each finder says plainly what it used, or why it has to skip.
// Node's own modules only (runs before node_modules may exist).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { root } from "./lib.mjs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasAptGet = () => spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;

let aptUpdated = false;
/** Debian's package, as root only: apt-get update once, then install. Returns whether it worked. */
function aptInstall(pkg) {
  if (!isRoot || !hasAptGet()) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) {
    console.log("apt-get update…");
    if (spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env }).status !== 0) return false;
    aptUpdated = true;
  }
  console.log(`apt-get install -y ${pkg}…`);
  return spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", pkg], { stdio: ["ignore", "ignore", "inherit"], env }).status === 0;
}

/** Playwright's own Chromium, when it has been downloaded (npx playwright install chromium). */
function playwrightChromium() {
  const res = spawnSync(process.execPath, ["-e", "process.stdout.write(require('playwright-core').chromium.executablePath())"], {
    cwd: root,
    encoding: "utf8",
  });
  const p = res.status === 0 ? res.stdout.trim() : "";
  return p && fs.existsSync(p) ? p : null;
}

/**
 * A Chromium for Playwright: CHROMIUM_PATH, Debian's, Playwright's own; else
 * Debian's package (as root) or Playwright's download (where the network
 * allows). Returns { path, how } (path "" means Playwright's own browser, as
 * playwright.config.ts reads CHROMIUM_PATH) or { path: null, why }.
 */
export function findChromium() {
  const env = process.env.CHROMIUM_PATH;
  if (env) {
    if (fs.existsSync(env)) return { path: env, how: `CHROMIUM_PATH=${env}` };
    return { path: null, why: `CHROMIUM_PATH=${env} does not exist` };
  }
  if (fs.existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, how: `Debian's Chromium at ${DEBIAN_CHROMIUM}` };
  if (playwrightChromium()) return { path: "", how: `Playwright's own Chromium (${playwrightChromium()})` };
  if (aptInstall("chromium") && fs.existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, how: `Debian's Chromium, just installed (apt-get)` };
  console.log("npx playwright install chromium…");
  spawnSync("npx", ["playwright", "install", "chromium"], { cwd: root, stdio: "inherit" });
  if (playwrightChromium()) return { path: "", how: "Playwright's own Chromium, just downloaded" };
  return {
    path: null,
    why:
      `no Chromium: none at ${DEBIAN_CHROMIUM}, CHROMIUM_PATH is not set, Playwright's download failed` +
      (isRoot ? (hasAptGet() ? " and apt-get install chromium failed" : " and there is no apt-get") : ", and installing Debian's package needs root") +
      ". Install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.",
  };
}

/** The newest installed PostgreSQL's bin folder (Debian keeps them out of PATH), or null. */
function postgresBin() {
  const fromPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  // Through any symlink: pg_ctl and createdb live next to the real initdb.
  if (fromPath.status === 0 && fromPath.stdout.trim()) return path.dirname(fs.realpathSync(fromPath.stdout.trim()));
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], "bin") : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway PostgreSQL server: a new cluster in a temporary folder on a free
 * port, owned by the `postgres` OS user when we are root (PostgreSQL refuses to
 * run as root), with one superuser `attention` and a database for the tests.
 * Durability is off: the cluster is deleted at the end. Returns
 * { url, how, stop() } or { url: null, why }.
 */
export async function startThrowawayPostgres() {
  let bin = postgresBin();
  if (!bin && aptInstall("postgresql")) bin = postgresBin();
  if (!bin) {
    return {
      url: null,
      why: `no PostgreSQL installed (no initdb on PATH or in /usr/lib/postgresql/*/bin${isRoot ? "" : "; installing Debian's package needs root"}). Install it (Debian: apt-get install -y postgresql) or set DATABASE_URL_PG.`,
    };
  }
  let asUser = null;
  if (isRoot) {
    if (spawnSync("id", ["-u", "postgres"], { stdio: "ignore" }).status !== 0) {
      return { url: null, why: "running as root and there is no `postgres` OS user to run the throwaway cluster as. Set DATABASE_URL_PG." };
    }
    asUser = "postgres";
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-span-pg-"));
  const data = path.join(dir, "data");
  const log = path.join(dir, "server.log");
  if (asUser) spawnSync("chown", ["-R", asUser, dir]);
  fs.chmodSync(dir, 0o700);
  const as = (cmd, args, opts = {}) =>
    asUser ? spawnSync("runuser", ["-u", asUser, "--", path.join(bin, cmd), ...args], opts) : spawnSync(path.join(bin, cmd), args, opts);
  const fail = (what, res, serverStarted = false) => {
    const serverLog = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n") : "";
    const out = `${res.stdout ?? ""}${res.stderr ?? ""}`.trim() || serverLog;
    if (serverStarted) as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], { stdio: "ignore" });
    fs.rmSync(dir, { recursive: true, force: true });
    return { url: null, why: `${what} failed (exit ${res.status ?? res.signal}):\n${out}` };
  };
  const init = as("initdb", ["-D", data, "-U", "attention", "--auth=trust", "-E", "UTF8", "--no-sync"], { encoding: "utf8" });
  if (init.status !== 0) return fail("initdb", init);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = as("pg_ctl", ["-D", data, "-l", log, "-o", opts, "-w", "-t", "60", "start"], { encoding: "utf8" });
  if (start.status !== 0) return fail("pg_ctl start", start);
  const stop = () => {
    as("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"], { stdio: "ignore" });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const created = as("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "attention", "attention_span_test"], { encoding: "utf8" });
  if (created.status !== 0) return fail("createdb", created, true);
  const url = `postgresql://attention:attention@127.0.0.1:${port}/attention_span_test`;
  const probe = as("psql", [url, "-qAtc", "SELECT 1"], { encoding: "utf8" });
  if (probe.status !== 0 || probe.stdout.trim() !== "1") return fail("connecting with psql", probe, true);
  return {
    url,
    how: `a throwaway PostgreSQL (${bin}) on port ${port} in ${dir}, deleted at the end`,
    stop,
  };
}
