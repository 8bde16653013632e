/**
 * The cookie-signing secret: SESSION_SECRET when set (comma-separated to rotate),
 * otherwise generated on first start and kept in the data folder with mode 0600.
 * Never committed, never logged.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "~/db/config.server";

let cached: string[] | null = null;

export function sessionSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  if (cached) return cached;
  if (env.SESSION_SECRET) {
    cached = env.SESSION_SECRET.split(",").map((s) => s.trim()).filter(Boolean);
    return cached;
  }
  const file = path.join(dataDir(env), "session-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another process won the race
    }
  }
  cached = [fs.readFileSync(file, "utf8").trim()];
  return cached;
}
