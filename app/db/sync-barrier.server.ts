/**
 * Group commit for SQLite (docs/decisions/010-sqlite-durability-and-checkpoints.md).
 *
 * The hot-path connection commits without syncing (`synchronous = NORMAL` in WAL
 * mode: a commit is a few writes into the log, in the OS cache). Before anything
 * it committed is acknowledged, `durable()` makes the log reach the disk with one
 * `fdatasync` in libuv's thread pool. The event loop goes on meanwhile (the next
 * queue can be built while the disk flushes), and commits that arrive while a
 * flush runs share the next one.
 *
 * This gives the same guarantee as `synchronous = FULL`: nothing is acknowledged
 * before it is on disk. SQLite's log is a sequence of checksummed frames, so after
 * a power cut, recovery keeps every commit up to the last complete one on disk,
 * and nothing after it.
 */
import fs from "node:fs";
import path from "node:path";

export interface SyncBarrier {
  /** Report a commit that may not be on disk yet. */
  committed(): void;
  /** Resolves once every commit reported so far is on disk. */
  durable(): Promise<void>;
}

export function createSyncBarrier(flush: () => Promise<void>): SyncBarrier {
  let commits = 0; // commits reported
  let flushed = 0; // commits known to be on disk
  let running: { upTo: number; done: Promise<void> } | null = null;
  let next: Promise<void> | null = null;

  const start = (): Promise<void> => {
    const upTo = commits; // every commit reported before the flush starts is covered by it
    const done = flush().then(() => {
      flushed = Math.max(flushed, upTo);
    });
    const entry = { upTo, done };
    running = entry;
    const clear = () => {
      if (running === entry) running = null;
    };
    done.then(clear, clear);
    return done;
  };

  const durable = (): Promise<void> => {
    const target = commits;
    if (flushed >= target) return Promise.resolve();
    if (!running) return start();
    if (running.upTo >= target) return running.done;
    // The running flush began before these commits: one more after it, shared by everyone waiting.
    next ??= running.done
      .catch(() => undefined)
      .then(() => {
        next = null;
        return durable();
      });
    return next;
  };

  return {
    committed() {
      commits++;
    },
    durable,
  };
}

/**
 * Flushes a database's write-ahead log file to disk (data, and the size it needs).
 * The flush is handed to libuv's thread pool at once; the cheap checks before it
 * are synchronous, so that the disk starts working while the caller goes on.
 * Reopens the file if SQLite has replaced it, and syncs the directory the first
 * time it sees a log file, so that the file's name is durable too.
 */
export function walFlusher(databaseFile: string): () => Promise<void> {
  const walPath = `${databaseFile}-wal`;
  let open: { fd: number; ino: number } | null = null;
  const reopen = () => {
    const { ino } = fs.statSync(walPath);
    if (open?.ino === ino) return open.fd;
    if (open) fs.closeSync(open.fd);
    open = null;
    const fd = fs.openSync(walPath, "r");
    open = { fd, ino: fs.fstatSync(fd).ino };
    const dir = fs.openSync(path.dirname(walPath), "r");
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
    return fd;
  };
  return () =>
    new Promise<void>((resolve, reject) => {
      let fd: number;
      try {
        fd = reopen();
      } catch (e) {
        reject(e as Error);
        return;
      }
      fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()));
    });
}
