/**
 * Read-only access to the app's database for verification: SQLite through
 * better-sqlite3 (opened read-only) or PostgreSQL through pg (a read-only
 * session). SQL is written once with `?` placeholders and double-quoted names.
 * Dates come back as Date on PostgreSQL and ISO text on SQLite: use toMs().
 */
import Database from "better-sqlite3";
import pg from "pg";

export function toMs(v) {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  return new Date(v).getTime();
}

export async function openReader({ sqliteFile, pgUrl }) {
  if (sqliteFile) {
    const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 10000");
    return {
      provider: "sqlite",
      db,
      all: async (sql, ...params) => db.prepare(sql).all(...params),
      close: async () => db.close(),
    };
  }
  // `timestamp(3)` holds UTC: read it as UTC whatever this process's time zone.
  const types = { getTypeParser: (oid, format) => (oid === 1114 ? (s) => new Date(`${s.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) };
  const client = new pg.Client({ connectionString: pgUrl, types });
  await client.connect();
  await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
  const text = (sql) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    provider: "postgresql",
    db: client,
    all: async (sql, ...params) => (await client.query(text(sql), params)).rows,
    close: () => client.end(),
  };
}
