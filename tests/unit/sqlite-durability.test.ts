/**
 * SQLite connection settings and the background checkpointer, on real files.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "~/db/client.server";
import { BACKSTOP_CHECKPOINT_PAGES, openSqlite, startCheckpointer, type CheckpointResult } from "~/db/sqlite.server";

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
