/**
 * One Prisma client per process, created on first use, for the configured
 * database (SQLite by default, PostgreSQL with DATABASE_URL). Both generated
 * clients come from the same models, so the SQLite client's type describes both.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "~/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "~/generated/postgres/client";
import { databaseConfig, type DatabaseConfig } from "./config.server";
import { SQLITE_PRAGMAS } from "./sqlite.server";

export type Db = SqliteClient;

const g = globalThis as typeof globalThis & { __db?: { client: Db; config: DatabaseConfig } };

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/**
 * A full disk, an I/O error or a read-only file: from SQLite (after which it may
 * have ended the transaction by itself), from a flush to disk (ENOSPC, EROFS,
 * EIO), or from PostgreSQL (class 53, insufficient resources, or a read-only
 * transaction on a standby).
 */
export function isDiskError(e: unknown): boolean {
  const err = e as { code?: string; cause?: { originalCode?: string } };
  const code = err.cause?.originalCode ?? err.code ?? "";
  return /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/.test(code) || /^(ENOSPC|EROFS|EIO|EDQUOT)$/.test(code) || /^(53\d\d\d|25006)$/.test(code);
}

/**
 * Prisma's SQLite adapter holds a lock for the length of each transaction and
 * releases it only when Prisma calls commit() or rollback(). When a statement
 * fails because the disk is full or read-only (at COMMIT, typically), SQLite can
 * end the transaction itself and Prisma then never releases the lock: every later
 * transaction on the connection (the login rate limiter, sign-up) waits forever.
 * After such a failure this rolls back whatever is left and releases the lock,
 * so the connection works again as soon as the disk does
 * (docs/decisions/013-review-times-and-faults.md).
 */
function guardTransactions(adapter: Adapter): Adapter {
  const client = (adapter as unknown as { client: { inTransaction: boolean; exec(sql: string): unknown } }).client;
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const tx: Transaction = await start(isolationLevel);
    const guard =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        try {
          return await fn(...args);
        } catch (e) {
          const sql = String((args[0] as { sql?: string } | undefined)?.sql ?? "");
          if (isDiskError(e) || /^\s*(COMMIT|ROLLBACK)\b/i.test(sql)) {
            if (client.inTransaction) {
              try {
                client.exec("ROLLBACK");
              } catch {
                /* already ended */
              }
            }
            await tx.rollback(); // releases the adapter's lock; a second call is a no-op
          }
          throw e;
        }
      };
    tx.queryRaw = guard(tx.queryRaw.bind(tx));
    tx.executeRaw = guard(tx.executeRaw.bind(tx));
    return tx;
  };
  return adapter;
}

/** Prisma's SQLite connection gets the same settings as the app's own (sqlite.server.ts). */
class SqliteAdapterFactory extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = guardTransactions(await super.connect());
    for (const pragma of SQLITE_PRAGMAS) await adapter.queryRaw({ sql: `PRAGMA ${pragma}`, args: [], argTypes: [] });
    return adapter;
  }
}

export function createClient(config: DatabaseConfig): Db {
  if (config.provider === "sqlite") {
    const adapter = new SqliteAdapterFactory({ url: `file:${config.file}`, timeout: 10_000 });
    return new SqliteClient({ adapter });
  }
  const adapter = new PrismaPg({ connectionString: config.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  return new PostgresClient({ adapter }) as unknown as Db;
}

export function getDb(): Db {
  if (!g.__db) {
    const config = databaseConfig();
    g.__db = { client: createClient(config), config };
  }
  return g.__db.client;
}

export function dbProvider(): DatabaseConfig["provider"] {
  getDb();
  return g.__db!.config.provider;
}

export async function disconnectDb() {
  if (g.__db) {
    await g.__db.client.$disconnect();
    g.__db = undefined;
  }
}
