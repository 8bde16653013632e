/**
 * The optimizer cannot take the server down (ADR 026, ADR 029). fsrs-rs
 * panicked inside the binding on a learner whose reviews all fell on one day
 * ("Invalid FSRS item: at least one review with delta_t > 0 is required"), and
 * a panic there aborts the process it runs in. Here, over real HTTP on SQLite
 * and PostgreSQL: such a learner's fit ends as "not enough spaced reviews
 * yet" and the server keeps answering; and a fit whose process dies (a fault
 * injected with OPTIMIZER_FAULT, standing for any native abort) is recorded
 * as failed, is not retried on the same data, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signUp, startServer, studyLesson, type TestServer } from "./harness";
import { syntheticLog } from "~/optimizer/synthetic";

const FAST = { OPTIMIZER_TICK_MS: "150" };
let plain: TestServer;
let faulty: TestServer;
beforeAll(async () => {
  [plain, faulty] = await Promise.all([startServer(FAST), startServer({ ...FAST, OPTIMIZER_FAULT: "abort" })]);
}, 90_000);
afterAll(async () => {
  await Promise.all([plain?.stop(), faulty?.stop()]);
});

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

type LogRow = { itemId: string; rating: number; prevState: number; reviewedAt: Date };
async function writeLog(server: TestServer, userId: string, log: LogRow[], tag: string) {
  for (let i = 0; i < log.length; i += 100) {
    const chunk = log.slice(i, i + 100);
    await server.exec(
      `INSERT INTO ReviewLog (userId, itemId, clientId, kind, source, rating, prevState, reviewedAt, durationMs, stateBefore, stateAfter, undone) VALUES ${chunk.map(() => "(?, ?, ?, 'review', 'review', ?, ?, ?, 0, '{}', '{}', ?)").join(", ")}`,
      ...chunk.flatMap((e, k) => [userId, e.itemId, `${tag}-${i + k}`, e.rating, e.prevState, iso(e.reviewedAt), 0]),
    );
  }
}

/** 420 reviews of 105 items, every one of them on the same learning day (yesterday, 12:00 to 13:00 UTC): first sight, then three learning steps. */
function sameDayLog(): LogRow[] {
  const noon = new Date(Date.now() - 86_400_000);
  noon.setUTCHours(12, 0, 0, 0);
  const log: LogRow[] = [];
  for (let i = 0; i < 105; i++) {
    for (let k = 0; k < 4; k++) log.push({ itemId: `same-day-${i}`, rating: k === 0 ? 1 : 3, prevState: k === 0 ? 0 : 1, reviewedAt: new Date(noon.getTime() + i * 30_000 + k * 600) });
  }
  return log;
}

async function fitEnded(server: TestServer, userId: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const row = await server.one<{ status: string; result: string | null; requestedAt: string | null; leaseUntil: string | null }>(
      "SELECT status, result, requestedAt, leaseUntil FROM FitJob WHERE userId = ?",
      userId,
    );
    if (row && !["queued", "running"].includes(row.status) && !row.leaseUntil) return row;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the fit to end (${JSON.stringify(row)})\n${server.logs().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function stillServing(server: TestServer, client: Client) {
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
  const page = await client.get("/account");
  expect(page.status).toBe(200);
  return page.text();
}

type Reply = { ok: boolean; status?: string; view: { entries: { itemId: string; version: number; kind: string }[] } };

describe("the optimizer cannot take the server down", () => {
  it("a learner whose 420 reviews all fell on one day: the fit ends as 'not enough spaced reviews yet', the server keeps answering", async () => {
    const client = new Client(plain.url);
    const user = await signUp(client);
    await writeLog(plain, user.id, sameDayLog(), "same-day");
    const asked = await client.post("/account", { intent: "optimise" });
    expect(asked.status).toBe(200);
    const job = await fitEnded(plain, user.id);
    expect(job.status).toBe("skipped");
    expect(JSON.parse(job.result!)).toMatchObject({ kind: "skipped", reviews: 420 });
    expect(JSON.parse(job.result!).error).toMatch(/not enough spaced reviews yet/);
    const page = await stillServing(plain, client);
    expect(page).toContain("not enough spaced reviews yet");
    // The defaults still schedule the learner.
    expect((await plain.one<{ weights: string | null }>("SELECT weights FROM Settings WHERE userId = ?", user.id))!.weights).toBeNull();
    // Asking again on the same data is refused with when the next try comes, and queues nothing.
    const again = await client.post("/account", { intent: "optimise" });
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/next try after 50 more reviews/);
    expect((await plain.one<{ requestedAt: string | null }>("SELECT requestedAt FROM FitJob WHERE userId = ?", user.id))!.requestedAt).toBeNull();
  }, 120_000);

  it("a fit whose process dies is recorded as failed, backs off instead of retrying the same data, and the server keeps serving reviews", async () => {
    const client = new Client(faulty.url);
    const user = await signUp(client);
    const log = syntheticLog({ items: 120, reviewsPerItem: 6, seed: 7, start: new Date(Date.now() - 300 * 86_400_000), newPerDay: 10 }).filter((e) => e.reviewedAt.getTime() < Date.now() - 86_400_000);
    await writeLog(faulty, user.id, log, "fault");
    expect(log.length).toBeGreaterThanOrEqual(400);
    // A review notes the learner: the background check asks for the fit by itself.
    await studyLesson(client, "attention");
    const queue = ((await (await client.get("/api/review")).json()) as Reply).view.entries.filter((e) => e.kind === "card");
    const first = await client.post("/api/review", { intent: "rate", itemId: queue[0]!.itemId, rating: "3", version: "0", clientId: "fault-first-001" });
    expect(((await first.json()) as Reply).status).toBe("recorded");
    const job = await fitEnded(faulty, user.id);
    expect(job.status).toBe("failed");
    const result = JSON.parse(job.result!) as { kind: string; error: string; reviews: number };
    expect(result).toMatchObject({ kind: "failed", reviews: log.length + 1 });
    expect(result.error).toMatch(/the optimizer stopped unexpectedly/);
    expect(job.requestedAt).toBeNull();
    // The server is alive and still records reviews; the reviews note the learner again, but no fit is asked for on the same data.
    const page = await stillServing(faulty, client);
    expect(page).toMatch(/The last fit failed: the optimizer stopped unexpectedly[^<]*; next try after 50 more reviews/);
    const second = await client.post("/api/review", { intent: "rate", itemId: queue[1]!.itemId, rating: "3", version: "0", clientId: "fault-second-01" });
    expect(((await second.json()) as Reply).status).toBe("recorded");
    await new Promise((r) => setTimeout(r, 1_500)); // ten ticks of the background loop
    const after = (await faulty.one<{ status: string; requestedAt: string | null }>("SELECT status, requestedAt FROM FitJob WHERE userId = ?", user.id))!;
    expect(after).toEqual({ status: "failed", requestedAt: null });
    expect(faulty.logs().match(new RegExp(`optimizer: fit start user=${user.id}`, "g"))).toHaveLength(1);
    const again = await client.post("/account", { intent: "optimise" });
    expect(again.status).toBe(400);
  }, 120_000);
});
