/**
 * Where the data lives. SQLite by default, in a data folder outside the source
 * tree; PostgreSQL when DATABASE_URL says so. See docs/decisions/002-two-databases-one-schema.md.
 */
import os from "node:os";
import path from "node:path";

export type DatabaseConfig = { provider: "sqlite"; file: string; dataDir: string } | { provider: "postgresql"; url: string; dataDir: string };

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DATA_DIR) return path.resolve(env.DATA_DIR);
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
  return path.join(base, "attention-span");
}

export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const dir = dataDir(env);
  const url = env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) return { provider: "postgresql", url, dataDir: dir };
  if (url && url.startsWith("file:")) return { provider: "sqlite", file: path.resolve(url.slice(5)), dataDir: dir };
  if (url) throw new Error("DATABASE_URL must start with postgresql:// or file:");
  return { provider: "sqlite", file: path.join(dir, "attention-span.db"), dataDir: dir };
}
