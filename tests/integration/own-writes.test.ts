/**
 * Read your own writes across a page load (ADR 039), on a real PostgreSQL
 * (TEST_DATABASE=postgres). A rating held up in the database (another
 * transaction holds its item's row) while the same browser asks for the review
 * queue and the dashboard: both answer after the rating does, and the queue
 * shows it. Another
 * learner's queue does not wait. (SQLite writes in process, synchronously: a
 * read cannot overtake a write the way it does here.)
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type Client, type TestServer } from "./harness";
import { learnerWithQueue, type ReviewReply } from "./review-learner";

const onPostgres = process.env.TEST_DATABASE === "postgres";

type Entry = ReviewReply["view"]["entries"][number];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(onPostgres)("a page load right after a rating", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ OPTIMIZER: "off" });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  const queue = async (c: Client) => ((await (await c.get("/api/review")).json()) as ReviewReply).view.entries;
  const rate = (c: Client, e: Entry, rating: string, clientId: string) =>
    c.post("/api/review", { intent: "rate", itemId: e.itemId, rating, version: String(e.version), clientId, durationMs: "3000" });

  it("reads the queue after the same session's rating, however long the rating takes, and never makes another learner wait", async () => {
    const a = await learnerWithQueue(server);
    const b = await learnerWithQueue(server);
    // A first rating gives the card a row; Again keeps it in today's queue.
    const card = a.cards[0]!;
    expect((await rate(a.client, card, "1", `ow-1-${a.user.id.slice(-8)}`)).status).toBe(200);
    const again = (await queue(a.client)).find((e) => e.itemId === card.itemId)!;
    expect(again.version).toBe(1);

    // Another transaction holds the card's row: the next rating waits in the database.
    const holder = new pg.Client({ connectionString: server.databaseUrl! });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "ItemState" WHERE "userId" = $1 AND "itemId" = $2 FOR UPDATE`, [a.user.id, card.itemId]);
      const order: string[] = [];
      const rating = rate(a.client, again, "3", `ow-2-${a.user.id.slice(-8)}`).then(async (res) => {
        order.push("rating");
        return { status: res.status, body: (await res.json()) as ReviewReply };
      });
      // The rating has reached the database and waits there for the row.
      for (let i = 0; ; i++) {
        const { rows } = await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows[0].n > 0) break;
        if (i > 200) throw new Error("the rating never waited on the row");
        await sleep(25);
      }
      const page = queue(a.client).then((entries) => {
        order.push("page");
        return entries;
      });
      // The dashboard, a document, waits too: every page and data request does (server.mjs).
      const dashboard = a.client.get("/").then(async (res) => {
        order.push("dashboard");
        return { status: res.status, html: await res.text() };
      });
      // Another learner's page does not wait on it (if it did, this would never answer: the row is held until below).
      expect((await queue(b.client)).length).toBeGreaterThan(0);
      await sleep(400);
      expect(order).toEqual([]); // neither has answered: the page waits for the rating
      await holder.query("COMMIT");
      const [saved, entries, home] = await Promise.all([rating, page, dashboard]);
      expect(saved.status).toBe(200);
      expect(saved.body.status).toBe("recorded");
      expect(home.status).toBe(200);
      expect(order[0]).toBe("rating");
      expect(order.slice(1).sort()).toEqual(["dashboard", "page"]);
      // The page shows the card as the rating left it, not as it was before.
      const shown = entries.find((e) => e.itemId === card.itemId);
      if (shown) expect(shown.version).toBe(2);
      expect(entries.some((e) => e.itemId === card.itemId && e.version === 1)).toBe(false);
    } finally {
      await holder.query("ROLLBACK").catch(() => {});
      await holder.end();
    }
  }, 60_000);
});
