/**
 * Plain SQL for the review hot path, on either database, without Prisma's
 * per-query overhead (docs/decisions/009-sql-for-the-hot-path.md).
 *
 * Write SQL once with `?` placeholders and double-quoted identifiers (the
 * column names Prisma created). Values are converted to each database's form:
 * Dates as ISO text with "+00:00" on SQLite (exactly as Prisma stores them, so
 * text comparison orders them) and as UTC timestamps on PostgreSQL; booleans
 * as 0/1 on SQLite.
 *
 * Transactions are generators that yield statements: on SQLite the whole
 * transaction runs synchronously inside better-sqlite3 (BEGIN IMMEDIATE), so no
 * other request can interleave on the shared connection; on PostgreSQL each
 * step is awaited on one pooled client between BEGIN and COMMIT.
 *
 * Durability: a transaction resolves once its commit is on disk, unless asked
 * not to wait, in which case the caller awaits `durable()` before acknowledging
 * (SQLite's group commit is in sync-barrier.server.ts; ADR 010).
 */
import type Database from "better-sqlite3";
import pg from "pg";
import { databaseConfig, type DatabaseConfig } from "./config.server";
import { openSqlite } from "./sqlite.server";
import { createSyncBarrier, walFlusher } from "./sync-barrier.server";

export interface Statement {
  sql: string;
  params: unknown[];
  mode: "get" | "all" | "run";
}
export const get = (sql: string, ...params: unknown[]): Statement => ({ sql, params, mode: "get" });
export const all = (sql: string, ...params: unknown[]): Statement => ({ sql, params, mode: "all" });
export const run = (sql: string, ...params: unknown[]): Statement => ({ sql, params, mode: "run" });

export type Row = Record<string, unknown>;
/** What a yielded statement gives back: a row (get), rows (all), or the changed count (run). */
export type StepResult = Row | Row[] | { changes: number } | undefined;
export type Tx<T> = () => Generator<Statement, T, StepResult>;

export interface TransactionOptions {
  /**
   * true (the default): resolve once the commit is on disk. false: resolve at
   * commit, and the caller awaits `durable()` before it acknowledges anything
   * (so that it can do other work while the disk flushes).
   */
  waitForDisk?: boolean;
}

export interface Sql {
  provider: DatabaseConfig["provider"];
  get<T = Row>(s: Statement): Promise<T | undefined>;
  all<T = Row>(s: Statement): Promise<T[]>;
  run(s: Statement): Promise<{ changes: number }>;
  transaction<T>(tx: Tx<T>, options?: TransactionOptions): Promise<T>;
  /** Resolves once everything committed so far is on disk. */
  durable(): Promise<void>;
  /**
   * A number that changes whenever another connection or process commits to the
   * database (SQLite's data_version); null where no such cheap signal exists
   * (PostgreSQL). Our own commits do not change it.
   */
  changeStamp(): number | null;
  close(): Promise<void>;
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? "";
  return code === "23505" || code === "P2002" || code.startsWith("SQLITE_CONSTRAINT_PRIMARYKEY") || code.startsWith("SQLITE_CONSTRAINT_UNIQUE");
}

export const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
export const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));

function sqliteParam(v: unknown) {
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

/** Exported for tests, which pass their own flush; the app uses getSql(). */
export function createSqlite(file: string, flush: () => Promise<void> = walFlusher(file)): Sql {
  const db = openSqlite(file);
  db.pragma("foreign_keys = ON");
  // Commits on this connection only write to the log; the barrier syncs it to
  // disk before anything is acknowledged (group commit, ADR 010).
  db.pragma("synchronous = NORMAL");
  const barrier = createSyncBarrier(flush);
  let wrote = false;
  const dataVersion = db.prepare("PRAGMA data_version").pluck();
  // Rows are read as arrays and turned into objects here: better-sqlite3 builds
  // row objects about 2.5 times slower than this (measured on the due-items query).
  const cache = new Map<string, { stmt: Database.Statement; columns: string[] | null }>();
  const prepared = (sql: string) => {
    let p = cache.get(sql);
    if (!p) {
      const stmt = db.prepare(sql);
      const columns = stmt.reader ? stmt.columns().map((c) => c.name) : null;
      if (columns) stmt.raw(true);
      p = { stmt, columns };
      cache.set(sql, p);
    }
    return p;
  };
  const toRow = (columns: string[], values: unknown[]): Row => {
    const row: Row = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
    return row;
  };
  const exec = (s: Statement): StepResult => {
    const { stmt, columns } = prepared(s.sql);
    if (!stmt.readonly) wrote = true;
    const params = s.params.map(sqliteParam);
    if (s.mode === "run" || !columns) return { changes: stmt.run(...params).changes };
    if (s.mode === "get") {
      const values = stmt.get(...params) as unknown[] | undefined;
      return values && toRow(columns, values);
    }
    return (stmt.all(...params) as unknown[][]).map((values) => toRow(columns, values));
  };
  // A statement outside a transaction commits by itself: if it wrote, wait for the disk.
  const single = async (s: Statement): Promise<StepResult> => {
    wrote = false;
    const result = exec(s);
    if (wrote) {
      barrier.committed();
      await barrier.durable();
    }
    return result;
  };
  return {
    provider: "sqlite",
    get: async <T>(s: Statement) => (await single(s)) as T | undefined,
    all: async <T>(s: Statement) => (await single(s)) as T[],
    run: async (s: Statement) => (await single(s)) as { changes: number },
    async transaction<T>(tx: Tx<T>, { waitForDisk = true }: TransactionOptions = {}) {
      wrote = false;
      const runAll = db.transaction(() => {
        const it = tx();
        let step = it.next();
        while (!step.done) step = it.next(exec(step.value));
        return step.value;
      });
      const value = runAll.immediate();
      if (wrote) barrier.committed();
      // Start the flush now either way; a caller that does not wait here awaits durable() later.
      const onDisk = barrier.durable();
      if (waitForDisk) await onDisk;
      else onDisk.catch(() => undefined); // the caller's durable() reports a failure
      return value;
    },
    durable: () => barrier.durable(),
    changeStamp: () => dataVersion.get() as number,
    close: async () => {
      await barrier.durable().catch(() => undefined);
      db.close();
    },
  };
}

/** Distinct statement texts a process prepares on PostgreSQL (see createPostgres). */
const PREPARED_MAX = Number(process.env.DATABASE_PREPARED_MAX ?? 200);

function createPostgres(url: string): Sql {
  // `timestamp(3)` columns hold UTC (Prisma writes UTC): read them as UTC whatever the process TZ.
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === 1114 ? (s: string) => new Date(`${s.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), types });
  const text = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const param = (v: unknown) => (v instanceof Date ? v.toISOString().replace("Z", "") : v);
  // Named prepared statements: each connection parses and plans a statement's text once, and then
  // sends only its name and parameters (the review's statements are kilobytes of SQL, parsed and
  // planned on every call otherwise). A name always stands for one text in this process. Texts that
  // vary with their data (lists of ids) would each become a statement kept by every connection, so
  // only the first PREPARED_MAX distinct texts get a name; the rest run unnamed, as before.
  const names = new Map<string, string>();
  const prepared = (sql: string): pg.QueryConfig["name"] => {
    let name = names.get(sql);
    if (name === undefined && names.size < PREPARED_MAX) names.set(sql, (name = `as${names.size}`));
    return name;
  };
  const exec = async (client: pg.Pool | pg.PoolClient, s: Statement): Promise<StepResult> => {
    const sql = text(s.sql);
    const res = await client.query({ name: prepared(sql), text: sql, values: s.params.map(param) });
    if (s.mode === "get") return res.rows[0] as Row | undefined;
    if (s.mode === "all") return res.rows as Row[];
    return { changes: res.rowCount ?? 0 };
  };
  return {
    provider: "postgresql",
    get: async <T>(s: Statement) => (await exec(pool, s)) as T | undefined,
    all: async <T>(s: Statement) => (await exec(pool, s)) as T[],
    run: async (s: Statement) => (await exec(pool, s)) as { changes: number },
    async transaction<T>(tx: Tx<T>) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const it = tx();
        let step = it.next();
        while (!step.done) step = it.next(await exec(client, step.value));
        await client.query("COMMIT");
        return step.value;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    // COMMIT returns once PostgreSQL has flushed its log (synchronous_commit = on).
    durable: async () => undefined,
    changeStamp: () => null,
    close: () => pool.end(),
  };
}

const g = globalThis as typeof globalThis & { __sql?: Sql };

export function getSql(): Sql {
  if (!g.__sql) {
    const config = databaseConfig();
    g.__sql = config.provider === "sqlite" ? createSqlite(config.file) : createPostgres(config.url);
  }
  return g.__sql;
}

export async function closeSql() {
  await g.__sql?.close();
  g.__sql = undefined;
}
