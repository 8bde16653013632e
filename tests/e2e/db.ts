/** Read-only peeks into the e2e server's database (SQLite file or PostgreSQL), to prove rows are gone. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const port = process.env.E2E_PORT ?? "3100";

const TABLES = ["Session", "Settings", "ItemState", "ReviewLog", "QuizAttempt", "QuizAnswer", "ExerciseAttempt", "ExerciseDraft", "LessonVisit", "Password"];

/** Rows per learner table for one user id. */
export async function rowsOfUser(userId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (process.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      for (const t of TABLES) out[t] = Number((await client.query(`SELECT count(*)::int AS n FROM "${t}" WHERE "userId" = $1`, [userId])).rows[0].n);
      out.User = Number((await client.query(`SELECT count(*)::int AS n FROM "User" WHERE id = $1`, [userId])).rows[0].n);
    } finally {
      await client.end();
    }
    return out;
  }
  const db = new Database(path.join(root, "tests", ".tmp", `e2e-sqlite-${port}`, "attention-span.db"), { readonly: true });
  try {
    for (const t of TABLES) out[t] = (db.prepare(`SELECT count(*) AS n FROM "${t}" WHERE userId = ?`).get(userId) as { n: number }).n;
    out.User = (db.prepare(`SELECT count(*) AS n FROM "User" WHERE id = ?`).get(userId) as { n: number }).n;
  } finally {
    db.close();
  }
  return out;
}
