/**
 * A learner's item states packed into one MasterySnapshot row (ADR 033), so a
 * process that has none of them in memory (a new one, or one that let them go)
 * reads one value instead of every ItemState row: the row read and its parse
 * were most of a new process's first progress page.
 *
 * It is a cache, never the truth: it carries the stamp (row count and version
 * sum of the learner's ItemState rows, own cards aside) it was taken at, and
 * mastery.server.ts uses it only when the stamp still matches, or brings it up
 * to date with the rows touched since, as it does its in-memory copy. Nothing
 * on the review path writes it; a page does, after reading the states afresh.
 */
import os from "node:os";
import { get, getSql, run, toDate } from "~/db/sql.server";

export interface Stamp {
  rows: number;
  versions: number;
}

/** One state row as mastery reads it (epoch milliseconds). */
export interface PackedRow {
  itemId: string;
  state: number;
  stability: number;
  lastReview: number | null;
  due: number;
  version: number;
}

export interface Snapshot {
  stamp: Stamp;
  /** When the states were read (before the stamp was taken), by the writer's clock. */
  readAt: number;
  rows: PackedRow[];
}

const FIELDS = 5;
// Float64Array is in the machine's byte order; the packing is little-endian.
const usable = os.endianness() === "LE";

export function pack(rows: Iterable<PackedRow>): { ids: string; data: Buffer } {
  const list = [...rows];
  const values = new Float64Array(list.length * FIELDS);
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    const o = i * FIELDS;
    values[o] = r.state;
    values[o + 1] = r.stability;
    values[o + 2] = r.lastReview ?? NaN;
    values[o + 3] = r.due;
    values[o + 4] = r.version;
  }
  return { ids: list.map((r) => r.itemId).join("\n"), data: Buffer.from(values.buffer) };
}

/** The rows back, or null when the value is not a packing of them. */
export function unpack(ids: string, data: Uint8Array): PackedRow[] | null {
  const names = ids === "" ? [] : ids.split("\n");
  if (data.byteLength !== names.length * FIELDS * 8) return null;
  // A copy: the driver's buffer need not start on an 8-byte boundary.
  const values = new Float64Array(new Uint8Array(data).buffer);
  const rows: PackedRow[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const o = i * FIELDS;
    const last = values[o + 2]!;
    rows[i] = {
      itemId: names[i]!,
      state: values[o]!,
      stability: values[o + 1]!,
      lastReview: Number.isNaN(last) ? null : last,
      due: values[o + 3]!,
      version: values[o + 4]!,
    };
  }
  return rows;
}

type Num = number | bigint | string | null;

/** The learner's snapshot, or null when there is none (or it cannot be read here). */
export async function readSnapshot(userId: string): Promise<Snapshot | null> {
  if (!usable) return null;
  const row = await getSql().get<{ rows: Num; versions: Num; readAt: unknown; ids: string; data: Uint8Array }>(
    get(`SELECT "rows", "versions", "readAt", "ids", "data" FROM "MasterySnapshot" WHERE "userId" = ?`, userId),
  );
  if (!row) return null;
  const rows = unpack(row.ids, row.data);
  if (!rows) return null;
  return { stamp: { rows: Number(row.rows), versions: Number(row.versions) }, readAt: toDate(row.readAt).getTime(), rows };
}

/** Replaces the learner's snapshot. */
export async function writeSnapshot(userId: string, snapshot: Omit<Snapshot, "rows"> & { rows: Iterable<PackedRow> }): Promise<void> {
  if (!usable) return;
  const { ids, data } = pack(snapshot.rows);
  await getSql().run(
    run(
      `INSERT INTO "MasterySnapshot" ("userId", "rows", "versions", "readAt", "ids", "data") VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT ("userId") DO UPDATE SET "rows" = excluded."rows", "versions" = excluded."versions", "readAt" = excluded."readAt",
         "ids" = excluded."ids", "data" = excluded."data"`,
      userId,
      snapshot.stamp.rows,
      snapshot.stamp.versions,
      new Date(snapshot.readAt),
      ids,
      data,
    ),
  );
}
