/**
 * A scratch database for a test that imports the app's modules in its own
 * process (rather than starting the built server, see harness.ts): a fresh
 * data folder, and on PostgreSQL (TEST_DATABASE=postgres with DATABASE_URL_PG)
 * a database of its own, created here and dropped by `cleanUp`. Call it before
 * importing any app module: the modules read DATA_DIR and DATABASE_URL once.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface ScratchDatabase {
  onPostgres: boolean;
  dataDir: string;
  /** Drops the PostgreSQL database (if any) and removes the data folder. */
  cleanUp(): Promise<void>;
}

export async function inProcessDatabase(prefix: string): Promise<ScratchDatabase> {
  const onPostgres = process.env.TEST_DATABASE === "postgres";
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `attention-span-${prefix}-`));
  process.env.DATA_DIR = dataDir;
  let dropDatabase = async () => {};
  if (onPostgres) {
    const admin = process.env.DATABASE_URL_PG;
    if (!admin) throw new Error("TEST_DATABASE=postgres needs DATABASE_URL_PG");
    const name = `as_${prefix.replace(/\W/g, "_")}_${process.pid}_${Date.now().toString(36)}`;
    const run = async (sql: string) => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await run(`CREATE DATABASE "${name}"`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      // pg's pool.end() resolves once each client has *sent* its goodbye, not once the server has
      // closed it: a forced drop at that moment kills a backend whose client is still listening, and
      // the client then throws an unhandled FATAL (57P01). Wait until the server has let them go.
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL_PG });
      await admin.connect();
      try {
        for (let i = 0; i < 100; i++) {
          const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
          if ((rows[0] as { n: number }).n === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    };
  } else process.env.DATABASE_URL = "";
  return {
    onPostgres,
    dataDir,
    async cleanUp() {
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
