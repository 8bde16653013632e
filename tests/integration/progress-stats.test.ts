/**
 * The statistics page counts every review that lands on a past day, at once:
 * reviews saved late from the offline outbox (dated days ago), in any order,
 * over real HTTP on the real server (kept past days, ADR 014).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, studyLesson, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => server?.stop());

const DAY = 86_400_000;
type Reply = { ok: boolean; status?: string; view: { entries: { itemId: string; version: number; kind: string }[] } };

/** "N reviews in …" over the last 30 days, as the page prints it. */
async function reviews30(client: Client): Promise<number> {
  const res = await client.get("/progress/stats");
  expect(res.status).toBe(200);
  const m = /(\d+) reviews?(?:<!-- -->)? in /.exec(await res.text()); // React separates text parts with comments
  if (!m) throw new Error("no 30-day total on the statistics page");
  return Number(m[1]);
}

describe("statistics after late writes", () => {
  it("counts a review dated days ago even after later days were shown", async () => {
    const client = new Client(server.url);
    await signUp(client);
    await studyLesson(client, "attention");
    const view = (await (await client.get("/api/review")).json()) as Reply;
    const cards = view.view.entries.filter((e) => e.kind === "card");
    expect(cards.length).toBeGreaterThanOrEqual(3);
    const rate = async (i: number, ago: number, clientId: string) => {
      const reply = (await (
        await client.post("/api/review", {
          intent: "rate",
          itemId: cards[i]!.itemId,
          rating: "3",
          version: "0",
          clientId,
          durationMs: "4000",
          reviewedAt: String(Date.now() - ago),
        })
      ).json()) as Reply;
      expect(reply.status).toBe("recorded");
    };
    await rate(0, 2 * DAY, "late-review-0001");
    expect(await reviews30(client)).toBe(1);
    // Saved later from another device's outbox, dated before the one already shown.
    await rate(1, 3 * DAY, "late-review-0002");
    expect(await reviews30(client)).toBe(2);
    await rate(2, 4 * DAY, "late-review-0003");
    expect(await reviews30(client)).toBe(3);
  });
});
