/**
 * SQLite connection settings and the background checkpointer, on real files.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "~/db/client.server";
import { all, createSqlite, get, run } from "~/db/sql.server";
import { BACKSTOP_CHECKPOINT_PAGES, openSqlite, startCheckpointer, type CheckpointResult } from "~/db/sqlite.server";
import { createSyncBarrier, walFlusher } from "~/db/sync-barrier.server";

const SYNCHRONOUS_FULL = 2;
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "attention-span-sqlite-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("every connection syncs each commit to disk", () => {
  it("keeps synchronous=FULL when the file is already in WAL mode (SQLite's own default there is NORMAL)", () => {
    const file = path.join(tmp, "reopen.db");
    openSqlite(file).close(); // first open switches the file to WAL
    const db = openSqlite(file);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(SYNCHRONOUS_FULL);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(BACKSTOP_CHECKPOINT_PAGES);
    db.close();
  });

  it("gives Prisma's connection the same settings", async () => {
    const file = path.join(tmp, "prisma.db");
    openSqlite(file).close();
    const prisma = createClient({ provider: "sqlite", file, dataDir: tmp });
    try {
      const [sync] = await prisma.$queryRawUnsafe<{ synchronous: bigint }[]>("PRAGMA synchronous");
      const [auto] = await prisma.$queryRawUnsafe<{ wal_autocheckpoint: bigint }[]>("PRAGMA wal_autocheckpoint");
      expect(Number(sync!.synchronous)).toBe(SYNCHRONOUS_FULL);
      expect(Number(auto!.wal_autocheckpoint)).toBe(BACKSTOP_CHECKPOINT_PAGES);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe("background checkpointer", () => {
  it("copies committed log frames into the database file while the writer carries on", async () => {
    const file = path.join(tmp, "checkpoint.db");
    const db = openSqlite(file);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
    const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
    for (let i = 0; i < 200; i++) insert.run("x".repeat(2000)); // 200 commits, well under the backstop
    const sizeBefore = fs.statSync(file).size;

    const results: CheckpointResult[] = [];
    const errors: string[] = [];
    const done = new Promise<CheckpointResult>((resolve) => {
      const checkpointer = startCheckpointer(file, {
        intervalMs: 20,
        onError: (m) => errors.push(m),
        onCheckpoint: (r) => {
          results.push(r);
          if (r.log > 0 && r.checkpointed === r.log) void checkpointer.stop().then(() => resolve(r));
        },
      });
    });
    const final = await done;

    expect(errors).toEqual([]);
    expect(final.busy).toBe(false);
    expect(final.log).toBeGreaterThanOrEqual(200);
    // The rows now live in the database file itself, not only in the log.
    expect(fs.statSync(file).size).toBeGreaterThan(sizeBefore + 200 * 2000);
    expect(db.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 200 });
    db.close();
  });

  it("reports a missing database instead of creating one", async () => {
    const missing = path.join(tmp, "nope", "missing.db");
    const error = await new Promise<string>((resolve) => {
      startCheckpointer(missing, { intervalMs: 20, onError: resolve });
    });
    expect(error).toMatch(/unable to open|directory does not exist|no such file/i);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe("group commit: nothing is acknowledged before the log is on disk", () => {
  /** A flush the test finishes by hand, counting how many were started. */
  function manualFlush() {
    const started: { resolve: () => void; reject: (e: Error) => void }[] = [];
    const flush = () => new Promise<void>((resolve, reject) => started.push({ resolve, reject }));
    return { flush, started };
  }
  const settled = async (p: Promise<unknown>) => {
    let done = false;
    void p.then(
      () => (done = true),
      () => (done = true),
    );
    await new Promise((r) => setTimeout(r, 5));
    return done;
  };

  it("resolves at once when nothing is waiting for the disk", async () => {
    const { flush, started } = manualFlush();
    const barrier = createSyncBarrier(flush);
    await barrier.durable();
    expect(started).toHaveLength(0);
  });

  it("waits for the flush that covers a commit", async () => {
    const { flush, started } = manualFlush();
    const barrier = createSyncBarrier(flush);
    barrier.committed();
    const a = barrier.durable();
    expect(await settled(a)).toBe(false);
    started[0]!.resolve();
    await a;
    await barrier.durable(); // covered: no second flush
    expect(started).toHaveLength(1);
  });

  it("shares a running flush between commits it covers, and runs one more for commits after it began", async () => {
    const { flush, started } = manualFlush();
    const barrier = createSyncBarrier(flush);
    barrier.committed();
    const first = barrier.durable();
    const sameFlush = barrier.durable();
    barrier.committed(); // after the flush started: not covered by it
    const later1 = barrier.durable();
    const later2 = barrier.durable();
    expect(started).toHaveLength(1);
    started[0]!.resolve();
    await Promise.all([first, sameFlush]);
    expect(await settled(later1)).toBe(false);
    expect(started).toHaveLength(2); // one more flush, shared by both later waiters
    started[1]!.resolve();
    await Promise.all([later1, later2]);
    expect(started).toHaveLength(2);
  });

  it("reports a failed flush to its waiters and tries again for the next", async () => {
    const { flush, started } = manualFlush();
    const barrier = createSyncBarrier(flush);
    barrier.committed();
    const failed = barrier.durable();
    started[0]!.reject(new Error("EIO"));
    await expect(failed).rejects.toThrow("EIO");
    const retry = barrier.durable();
    expect(started).toHaveLength(2);
    started[1]!.resolve();
    await retry;
  });

  it("a write transaction resolves only after its flush; reads never wait", async () => {
    const file = path.join(tmp, "barrier.db");
    openSqlite(file).close();
    const { flush, started } = manualFlush();
    const sql = createSqlite(file, flush);
    try {
      const ddl = sql.run(run(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`));
      expect(await settled(ddl)).toBe(false); // a statement that writes outside a transaction waits too
      started.splice(0).forEach((f) => f.resolve());
      await ddl;

      const write = sql.transaction(function* () {
        yield run(`INSERT INTO t (v) VALUES (?)`, "x");
        return "done";
      });
      expect(await settled(write)).toBe(false);
      // Committed (another connection sees it) but not acknowledged yet.
      const other = openSqlite(file);
      expect(other.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1 });
      other.close();
      expect(started).toHaveLength(1);
      started[0]!.resolve();
      expect(await write).toBe("done");

      // A transaction that only reads starts no flush.
      const read = await sql.transaction(function* () {
        return (yield get(`SELECT count(*) AS n FROM t`)) as { n: number };
      });
      expect(read).toEqual({ n: 1 });
      expect(await sql.all(all(`SELECT v FROM t`))).toEqual([{ v: "x" }]);
      expect(started).toHaveLength(1);

      // waitForDisk: false returns at commit with the flush already started; durable() waits for it.
      const early = await sql.transaction(
        function* () {
          yield run(`INSERT INTO t (v) VALUES (?)`, "y");
          return "committed";
        },
        { waitForDisk: false },
      );
      expect(early).toBe("committed");
      expect(started).toHaveLength(2);
      const ack = sql.durable();
      expect(await settled(ack)).toBe(false);
      started[1]!.resolve();
      await ack;
    } finally {
      started.forEach((f) => f.resolve());
      await sql.close();
    }
  });

  it("flushes the real log file", async () => {
    const file = path.join(tmp, "real-flush.db");
    const db = openSqlite(file);
    db.exec("CREATE TABLE t (x)");
    db.prepare("INSERT INTO t VALUES (1)").run();
    const flush = walFlusher(file);
    await flush();
    await flush(); // the open file is reused
    db.close(); // the last connection removes the log...
    await expect(flush()).rejects.toThrow(/ENOENT/); // ...and a flush says so rather than pretend
    const again = openSqlite(file);
    again.exec("INSERT INTO t VALUES (2)"); // a new connection makes a new log
    await flush(); // reopened
    again.close();
  });
});
