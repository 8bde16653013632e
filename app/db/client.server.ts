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

/** Prisma's SQLite connection gets the same settings as the app's own (sqlite.server.ts). */
class SqliteAdapterFactory extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
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
