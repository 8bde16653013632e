/**
 * The day's review queue kept on the device (IndexedDB), so /review works
 * without a connection from a cold start until the learner's day ends
 * (docs/decisions/024-offline-app.md). Ratings themselves go into the outbox
 * (app/review/outbox.ts); this store only remembers which queue entries were
 * rated here, so a page served from the device never shows them again.
 */
import type { Presented } from "~/review/present.server";
import { OFFLINE_DB } from "./policy";

const STORE = "review";
const KEY = "today";

export interface OfflineQueue {
  learner: string;
  savedAt: number;
  /** The end of the learner's learning day (their day start hour, their time zone): the queue is stale after it. */
  expiresAt: number;
  entries: Presented[];
  /** `itemId@version` of every entry rated on this device since the queue was saved. */
  rated: string[];
}

/** An entry is rated once per version: the server's next version of the item is a new entry. */
export const ratedKey = (e: { itemId: string; version: number }) => `${e.itemId}@${e.version}`;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(OFFLINE_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => {
      const db = req.result;
      // Log out deletes the database (here or from the service worker): never hold it open against that.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error("offline store blocked"));
  });
}

/** One transaction on the one record, then the database is closed again. */
async function withRecord<T>(mode: IDBTransactionMode, fn: (current: OfflineQueue | undefined, put: (q: OfflineQueue) => void) => T): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const store = tx.objectStore(STORE);
      let result: T;
      const get = store.get(KEY);
      get.onsuccess = () => {
        result = fn(get.result as OfflineQueue | undefined, (q) => store.put(q, KEY));
      };
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Keeps a fresh queue from the server; ratings made here and not yet reflected in it stay marked. */
export function saveQueue(learner: string, entries: Presented[], expiresAt: number, now = Date.now()): Promise<void> {
  return withRecord("readwrite", (current, put) => {
    const keys = new Set(entries.map(ratedKey));
    const rated = current && current.learner === learner ? current.rated.filter((k) => keys.has(k)) : [];
    put({ learner, savedAt: now, expiresAt, entries, rated });
  });
}

/** This learner's queue, unless the day it was saved for is over. */
export function loadQueue(learner: string, now = Date.now()): Promise<OfflineQueue | null> {
  return withRecord("readonly", (current) => (current && current.learner === learner && now < current.expiresAt ? current : null));
}

/** Marks (or unmarks) an entry rated here. Before any queue is kept, an empty one holds the mark for the queue saved next. */
export function markRated(learner: string, key: string, rated = true): Promise<void> {
  return withRecord("readwrite", (current, put) => {
    const base = current && current.learner === learner ? current : { learner, savedAt: 0, expiresAt: 0, entries: [], rated: [] };
    const rest = base.rated.filter((k) => k !== key);
    put({ ...base, rated: rated ? [...rest, key] : rest });
  });
}

/** What an offline session can do from the kept queue: the flashcards not rated yet (questions and exercises need the server to check them). */
export function offlineEntries(queue: OfflineQueue): { entries: Presented[]; heldBack: number } {
  const rated = new Set(queue.rated);
  const open = queue.entries.filter((e) => !rated.has(ratedKey(e)));
  const entries = open.filter((e) => e.kind === "card");
  return { entries, heldBack: open.length - entries.length };
}

export function clearOfflineData(): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(OFFLINE_DB);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}
