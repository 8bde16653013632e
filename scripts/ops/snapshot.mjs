/**
 * Fingerprints of the learner tables of a SQLite database (read-only), for the
 * fuzz script: one hash per table, and one per (table, learner), so a request
 * can be checked to have changed nothing, or nothing of another learner's.
 */
import crypto from "node:crypto";
import Database from "better-sqlite3";

/** Not learner data: counters any request may bump, the health check's row, content, migrations (and any "_"-prefixed bookkeeping table). */
const NOT_LEARNER = new Set(["RateLimit", "Heartbeat", "Topic", "Item", "_prisma_migrations"]);

export function openSnapshots(file, userIds = []) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 10000");
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .all()
    .map((r) => r.name)
    .filter((t) => !NOT_LEARNER.has(t) && !t.startsWith("_"));
  const userColumn = new Map(
    tables.map((t) => {
      const cols = db.prepare(`PRAGMA table_info("${t}")`).all().map((c) => c.name);
      return [t, t === "User" ? "id" : cols.includes("userId") ? "userId" : null];
    }),
  );
  const stmts = new Map(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`)]));
  const watched = new Set(userIds);

  /** { tables: {T: hash}, users: {userId: {T: hash}}, counts: {T: n} } */
  function take() {
    const out = { tables: {}, users: {}, counts: {} };
    for (const u of watched) out.users[u] = {};
    db.transaction(() => {
      for (const t of tables) {
        const rows = stmts.get(t).all();
        const all = crypto.createHash("sha1");
        const per = new Map();
        const col = userColumn.get(t);
        for (const r of rows) {
          const line = JSON.stringify(r);
          all.update(line).update("\n");
          const u = col ? r[col] : null;
          if (u !== null && watched.has(u)) {
            let h = per.get(u);
            if (!h) per.set(u, (h = crypto.createHash("sha1")));
            h.update(line).update("\n");
          }
        }
        out.tables[t] = all.digest("hex");
        out.counts[t] = rows.length;
        for (const u of watched) out.users[u][t] = per.get(u)?.digest("hex") ?? "-";
      }
    })();
    return out;
  }

  /** Tables whose fingerprint differs (optionally only one learner's rows). */
  function changed(before, after, userId) {
    const a = userId ? before.users[userId] : before.tables;
    const b = userId ? after.users[userId] : after.tables;
    return tables.filter((t) => a[t] !== b[t]).map((t) => (userId ? t : `${t} (${before.counts[t]} -> ${after.counts[t]} rows)`));
  }

  return { tables, take, changed, watch: (id) => watched.add(id), close: () => db.close() };
}

/**
 * The same fingerprints of a PostgreSQL database (a read-only session). Rows are
 * hashed in a sorted order of their own text, so an update that rewrites a row
 * with the same values (and moves it on disk) is not a change. `take` is async.
 */
export async function openPgSnapshots(url, userIds = []) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
  const { rows: tableRows } = await client.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  const tables = tableRows.map((r) => r.name).filter((t) => !NOT_LEARNER.has(t) && !t.startsWith("_"));
  const userColumn = new Map();
  for (const t of tables) {
    const { rows } = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [t]);
    const cols = rows.map((r) => r.column_name);
    userColumn.set(t, t === "User" ? "id" : cols.includes("userId") ? "userId" : null);
  }
  const watched = new Set(userIds);

  async function take() {
    const out = { tables: {}, users: {}, counts: {} };
    for (const u of watched) out.users[u] = {};
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      for (const t of tables) {
        const { rows } = await client.query(`SELECT * FROM "${t}"`);
        const col = userColumn.get(t);
        const lines = rows.map((r) => ({ line: JSON.stringify(r), u: col ? r[col] : null })).sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
        const all = crypto.createHash("sha1");
        const per = new Map();
        for (const { line, u } of lines) {
          all.update(line).update("\n");
          if (u !== null && watched.has(u)) {
            let h = per.get(u);
            if (!h) per.set(u, (h = crypto.createHash("sha1")));
            h.update(line).update("\n");
          }
        }
        out.tables[t] = all.digest("hex");
        out.counts[t] = rows.length;
        for (const u of watched) out.users[u][t] = per.get(u)?.digest("hex") ?? "-";
      }
    } finally {
      await client.query("COMMIT");
    }
    return out;
  }

  function changed(before, after, userId) {
    const a = userId ? before.users[userId] : before.tables;
    const b = userId ? after.users[userId] : after.tables;
    return tables.filter((t) => a[t] !== b[t]).map((t) => (userId ? t : `${t} (${before.counts[t]} -> ${after.counts[t]} rows)`));
  }

  return { tables, take, changed, watch: (id) => watched.add(id), close: () => client.end() };
}
