/**
 * An outbox whose page is gone stops retrying (review/send-pending.tsx and the
 * review page each stop theirs when they unmount): a learner who moves between
 * pages offline does not leave one retry loop behind per page. The browser's
 * storage and network are stood in for: both are outside this module.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Outbox } from "~/review/outbox";

const store = new Map<string, string>();
const fetchCalls: string[] = [];

beforeEach(() => {
  store.clear();
  fetchCalls.length = 0;
  vi.useFakeTimers();
  vi.stubGlobal("localStorage", { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) });
  vi.stubGlobal("fetch", async (url: string) => {
    fetchCalls.push(url);
    throw new TypeError("Failed to fetch"); // no network
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const entry = { clientId: "c-1", itemId: "att-bottleneck", rating: 3, version: 0, durationMs: 4000, reviewedAt: 1_796_000_000_000 };

describe("an outbox without a network", () => {
  it("retries with backoff until stopped, then never again, and keeps the rating", async () => {
    const outbox = new Outbox("learner-1", () => undefined);
    outbox.add(entry);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_100); // the first retry, a second later
    expect(fetchCalls).toHaveLength(2);
    outbox.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetchCalls).toHaveLength(2);
    expect(new Outbox("learner-1", () => undefined).pending()).toEqual([entry]); // still kept for the next page
  });
});
