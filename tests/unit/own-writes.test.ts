import { describe, expect, it } from "vitest";
import { afterOwnWrites, asOwnWrite, sessionsWriting } from "~/review/own-writes.server";

/** A promise with its settle functions outside, and whether it has settled. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
const settledFlag = (p: Promise<unknown>) => {
  const state = { settled: false };
  void p.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
};
const tick = () => new Promise((r) => setTimeout(r, 5));

describe("a session's reads after its own writes (ADR 039)", () => {
  it("waits for every write of the same session in flight, and no other session's", async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const w1 = asOwnWrite("s1", () => first.promise);
    const w2 = asOwnWrite("s1", () => second.promise);
    const other = asOwnWrite("s2", () => new Promise<string>(() => {})); // never settles: nobody else may wait on it
    void other;

    const read = settledFlag(afterOwnWrites("s1"));
    const readOther = settledFlag(afterOwnWrites("s3"));
    await tick();
    expect(read.settled).toBe(false);
    expect(readOther.settled).toBe(true);
    first.resolve("a");
    await tick();
    expect(read.settled).toBe(false); // the second write is still going
    second.resolve("b");
    await tick();
    expect(read.settled).toBe(true);
    expect(await w1).toBe("a");
    expect(await w2).toBe("b");
  });

  it("passes a failed write's error to its caller, and a read after it goes on", async () => {
    const write = deferred();
    const w = asOwnWrite("s4", () => write.promise);
    const read = settledFlag(afterOwnWrites("s4"));
    write.reject(new Error("disk full"));
    await expect(w).rejects.toThrow("disk full");
    await tick();
    expect(read.settled).toBe(true);
  });

  it("gives up waiting after its limit, and forgets sessions whose writes are done", async () => {
    const before = sessionsWriting();
    const write = deferred();
    void asOwnWrite("s5", () => write.promise);
    expect(sessionsWriting()).toBe(before + 1);
    const started = Date.now();
    await afterOwnWrites("s5", 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    write.resolve();
    await tick();
    expect(sessionsWriting()).toBe(before);
  });

  it("does not track a request without a session", async () => {
    const before = sessionsWriting();
    expect(await asOwnWrite(null, async () => 7)).toBe(7);
    expect(sessionsWriting()).toBe(before);
    await afterOwnWrites(null); // resolves at once
  });
});
