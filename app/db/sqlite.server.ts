/**
 * Every SQLite connection the app opens gets the same settings, and one
 * background thread per process keeps the write-ahead log short
 * (docs/decisions/010-sqlite-durability-and-checkpoints.md).
 *
 * - `synchronous = FULL`: a commit is on disk before it returns, so a review the
 *   server acknowledged survives a power cut, not only a crashed process. It must
 *   be set on every connection: SQLite's default for a database already in WAL
 *   mode is NORMAL, which only syncs at checkpoints.
 * - Checkpoints (copying the log back into the database file and syncing it) run
 *   in a worker thread on its own connection, so no request pays for one. The
 *   connections' own automatic checkpoint stays as a backstop at a much larger log
 *   size, in case the worker stops.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";

/** Pages of log after which a connection checkpoints by itself (the worker normally gets there first). */
export const BACKSTOP_CHECKPOINT_PAGES = 10_000;
/** Log file size kept on disk after the log restarts. */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

export const SQLITE_PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = FULL",
  "busy_timeout = 10000",
  `wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`,
  `journal_size_limit = ${JOURNAL_SIZE_LIMIT}`,
] as const;

export function openSqlite(file: string): Database.Database {
  const db = new Database(file);
  for (const p of SQLITE_PRAGMAS) db.pragma(p);
  return db;
}

export interface CheckpointResult {
  /** Frames in the log, frames copied into the database (both -1 if the log is not in use). */
  log: number;
  checkpointed: number;
  busy: boolean;
}

export interface Checkpointer {
  stop(): Promise<void>;
}

// Runs in the worker. Plain CommonJS: it is evaluated, not bundled.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("synchronous = FULL");
let last = -1;
const tick = () => {
  try {
    // PASSIVE never waits for readers or writers: it copies what it can now.
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    if (r.log !== last || r.busy) parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed, busy: r.busy === 1 });
    last = r.log;
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m === "stop") {
    clearInterval(timer);
    tick();
    db.close();
    parentPort.close();
  }
});
`;

/**
 * Starts the background checkpointer for a database file (which must exist and
 * be in WAL mode). It does not keep the process alive.
 */
export function startCheckpointer(
  file: string,
  {
    intervalMs = 1000,
    onCheckpoint,
    onError = (msg) => console.error(`sqlite checkpointer: ${msg}`),
  }: { intervalMs?: number; onCheckpoint?: (r: CheckpointResult) => void; onError?: (msg: string) => void } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  worker.on("message", (m: CheckpointResult | { error: string }) => {
    if ("error" in m) onError(m.error);
    else onCheckpoint?.(m);
  });
  worker.on("error", (e) => onError(e.message));
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      worker.postMessage("stop");
      await exited;
    },
  };
}

const g = globalThis as typeof globalThis & { __checkpointers?: Map<string, Checkpointer> };

/** One checkpointer per database file per process (server start-up calls this). */
export function ensureCheckpointer(file: string): Checkpointer {
  g.__checkpointers ??= new Map();
  let c = g.__checkpointers.get(file);
  if (!c) {
    c = startCheckpointer(file);
    g.__checkpointers.set(file, c);
  }
  return c;
}
