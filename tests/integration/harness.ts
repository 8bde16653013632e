/**
 * Starts the real built server (server.mjs) on a free port with a fresh data
 * folder, and gives tests an HTTP client with a cookie jar that sends our own
 * Origin, like a browser would. Needs `npm run build` first (npm test does it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";

// import.meta.url, not __dirname: scripts (bench:items) load this file as an ES module under tsx.
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

type Row = Record<string, unknown>;

export interface TestServer {
  url: string;
  dataDir: string;
  provider: "sqlite" | "postgresql";
  /** The server's PostgreSQL database, or null on SQLite (its file is in dataDir). */
  databaseUrl: string | null;
  logs: () => string;
  /** Read-only peeks into the server's database; SQL with `?` placeholders, values normalised to SQLite's forms. */
  all: <T = Row>(sql: string, ...params: unknown[]) => Promise<T[]>;
  one: <T = Row>(sql: string, ...params: unknown[]) => Promise<T | undefined>;
  /** A write behind the server's back, for rows a test cannot make over HTTP (an expired session); same SQL form as `all`. */
  exec: (sql: string, ...params: unknown[]) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * The integration suite runs on SQLite, and on PostgreSQL when TEST_DATABASE=postgres
 * and DATABASE_URL_PG name a server (npm test does both): each server then gets a
 * database of its own, dropped when it stops.
 */
const onPostgres = process.env.TEST_DATABASE === "postgres";
let dbCounter = 0;

async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.DATABASE_URL_PG;
  if (!admin) throw new Error("TEST_DATABASE=postgres needs DATABASE_URL_PG");
  const name = `as_int_${process.pid}_${Date.now().toString(36)}_${++dbCounter}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Test SQL is written for SQLite with bare camelCase names; PostgreSQL needs them quoted. */
function forPostgres(sql: string): string {
  let n = 0;
  return sql
    .replace(/count\(\*\)/gi, "CAST(count(*) AS INTEGER)")
    .replace(/(?<!["'\w])([A-Za-z_]*[a-z][A-Za-z_]*[A-Z][A-Za-z_]*|[A-Z][a-z][A-Za-z_]*)(?!["'\w(])/g, '"$1"')
    .replace(/\?/g, () => `$${++n}`);
}

function normalise(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === "boolean" ? (v ? 1 : 0) : v instanceof Date ? v.toISOString().replace("Z", "+00:00") : v;
  }
  return out;
}

/**
 * A built server in a process of its own. With `shareDatabaseOf`, a second
 * process on the first one's database (the same PostgreSQL database, or the
 * same SQLite file), as behind a load balancer; the first one owns it and
 * drops it when it stops.
 */
export async function startServer(env: Record<string, string> = {}, { shareDatabaseOf }: { shareDatabaseOf?: TestServer } = {}): Promise<TestServer> {
  if (!fs.existsSync(path.join(root, "build", "server", "index.js"))) throw new Error("build/ is missing: run npm run build first");
  const port = await freePort();
  const dataDir = shareDatabaseOf?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "as-int-"));
  const pgDb = shareDatabaseOf ? (shareDatabaseOf.databaseUrl ? { url: shareDatabaseOf.databaseUrl, drop: async () => {} } : null) : onPostgres ? await createPgDatabase() : null;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["server.mjs"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, DATABASE_URL: pgDb?.url ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  let sqlite: Database.Database | null = null;
  let pool: pg.Pool | null = null;
  const all = async <T = Row>(sql: string, ...params: unknown[]): Promise<T[]> => {
    if (pgDb) {
      pool ??= new pg.Pool({ connectionString: pgDb.url, max: 2 });
      return (await pool.query(forPostgres(sql), params)).rows.map(normalise) as T[];
    }
    sqlite ??= new Database(path.join(dataDir, "attention-span.db"), { readonly: true, fileMustExist: true });
    return sqlite.prepare(sql).all(...params) as T[];
  };
  let writer: Database.Database | null = null;
  const exec = async (sql: string, ...params: unknown[]) => {
    if (pgDb) {
      pool ??= new pg.Pool({ connectionString: pgDb.url, max: 2 });
      await pool.query(forPostgres(sql), params);
      return;
    }
    writer ??= new Database(path.join(dataDir, "attention-span.db"), { fileMustExist: true });
    writer.pragma("busy_timeout = 5000");
    writer.prepare(sql).run(...params);
  };
  return {
    url,
    dataDir,
    exec,
    provider: pgDb ? "postgresql" : "sqlite",
    databaseUrl: pgDb?.url ?? null,
    logs: () => output,
    all,
    one: async <T = Row>(sql: string, ...params: unknown[]) => (await all<T>(sql, ...params))[0],
    stop: async () => {
      sqlite?.close();
      writer?.close();
      await pool?.end();
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await pgDb?.drop();
      if (!shareDatabaseOf) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client: keeps cookies, sends our Origin on writes, never follows redirects. */
export class Client {
  cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly origin = base,
  ) {}

  async request(pathname: string, init: RequestInit & { form?: Record<string, string | string[]> } = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    let body = init.body;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
      body = params;
    }
    const method = init.method ?? (body ? "POST" : "GET");
    if (method !== "GET" && this.origin && !headers.has("Origin")) headers.set("Origin", this.origin);
    const res = await fetch(this.base + pathname, { ...init, method, body, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      if (/max-age=0/i.test(c) || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return res;
  }

  get(pathname: string, init: RequestInit = {}) {
    return this.request(pathname, { ...init, method: "GET" });
  }

  post(pathname: string, form: Record<string, string | string[]>, init: RequestInit = {}) {
    return this.request(pathname, { ...init, method: "POST", form });
  }
}

let n = 0;
export const uniqueUser = (prefix = "user") => `${prefix}${process.pid}x${Date.now().toString(36)}${++n}`;
export const PASSWORD = "correct horse battery";

export async function signUp(client: Client, username = uniqueUser(), password = PASSWORD) {
  const res = await client.post("/signup", { username, password, confirm: password, timeZone: "UTC" });
  if (res.status !== 303 && res.status !== 302) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  const id = await userIdOf(client);
  return { username, password, id };
}

/** A new server with two signed-up learners, a and b, for tests of what one learner's actions do to the other's data. */
export async function twoLearners(env: Record<string, string> = {}) {
  const server = await startServer(env);
  const a = new Client(server.url);
  const b = new Client(server.url);
  const aId = (await signUp(a)).id;
  const bId = (await signUp(b)).id;
  return { server, a, b, aId, bId };
}

/** Chooses to study a lesson's flashcards, as its page's form does (ADR 021: opening the page enrols nothing). */
export async function studyLesson(client: Client, slug: string) {
  const res = await client.post(`/lessons/${slug}`, { intent: "study" });
  if (res.status !== 303) throw new Error(`studying ${slug} failed: ${res.status} ${await res.text()}`);
  return res;
}

export async function userIdOf(client: Client): Promise<string> {
  const res = await client.get("/account/export");
  if (res.status !== 200) throw new Error(`export failed: ${res.status}`);
  const data = (await res.json()) as { user: { id: string } };
  return data.user.id;
}
