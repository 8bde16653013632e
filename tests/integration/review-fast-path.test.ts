/**
 * The rating request on PostgreSQL answered without the framework (ADR 038):
 * over HTTP, a rating sent as a plain form (the review page's way) and the
 * same rating sent as multipart (which the fast path leaves to the route)
 * answer alike: status, JSON, content type, caching. The route's answer goes
 * through the compression layer (`Vary: Accept-Encoding`), the fast path's
 * does not, which shows which one answered. Refusals answer alike too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signUp, startServer, studyLesson, type TestServer } from "./harness";

const onPostgres = process.env.TEST_DATABASE === "postgres";

type Reply = { ok: boolean; status?: string; version?: number; error?: string; view: { entries: { itemId: string; version: number; kind: string }[]; counts: unknown; remaining: number } };

describe.runIf(onPostgres)("a rating on PostgreSQL without the framework", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ OPTIMIZER: "off" });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  const learner = async () => {
    const client = new Client(server.url);
    const user = await signUp(client);
    await studyLesson(client, "attention");
    const view = ((await (await client.get("/api/review")).json()) as Reply).view;
    return { client, user, view };
  };
  const fields = (itemId: string, version: number, clientId: string) => ({ intent: "rate", itemId, rating: "3", version: String(version), clientId, durationMs: "2500" });
  const asMultipart = (f: Record<string, string>) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(f)) body.append(k, v);
    return body;
  };
  const comparable = (r: Reply) => ({ ...r, view: { ...r.view, entries: r.view.entries.map((e) => [e.itemId, e.version, e.kind]) } });

  it("answers a rating as the route does, status, body and headers, and leaves other bodies to the route", async () => {
    const [a, b] = [await learner(), await learner()];
    const card = a.view.entries.find((e) => e.kind === "card")!;
    expect(b.view.entries.find((e) => e.kind === "card")!.itemId).toBe(card.itemId); // the same first card for both
    const fast = await a.client.post("/api/review", fields(card.itemId, card.version, `fast-${a.user.id.slice(-8)}`), { headers: { "Accept-Encoding": "gzip" } });
    const route = await b.client.request("/api/review", { method: "POST", body: asMultipart(fields(card.itemId, card.version, `route-${b.user.id.slice(-8)}`)), headers: { "Accept-Encoding": "gzip" } });
    expect(fast.status).toBe(200);
    expect(route.status).toBe(200);
    expect(fast.headers.get("vary")).toBeNull(); // not through the compression layer: the fast path answered
    expect(route.headers.get("vary")).toMatch(/Accept-Encoding/i);
    for (const h of ["content-type", "cache-control", "x-content-type-options", "content-security-policy"]) expect(fast.headers.get(h)?.split(";")[0], h).toBe(route.headers.get(h)?.split(";")[0]);
    const [fastBody, routeBody] = [(await fast.json()) as Reply, (await route.json()) as Reply];
    expect(fastBody.status).toBe("recorded");
    expect(comparable(fastBody)).toEqual(comparable(routeBody));
    // The same review id again: a duplicate on both paths.
    const again = await a.client.post("/api/review", fields(card.itemId, card.version, `fast-${a.user.id.slice(-8)}`));
    expect(((await again.json()) as Reply).status).toBe("duplicate");
    // A stale version: the same 409 either way.
    const staleFast = await a.client.post("/api/review", fields(card.itemId, card.version, `fast2-${a.user.id.slice(-8)}`));
    const staleRoute = await b.client.request("/api/review", { method: "POST", body: asMultipart(fields(card.itemId, card.version, `route2-${b.user.id.slice(-8)}`)) });
    expect(staleFast.status).toBe(staleRoute.status);
    expect(((await staleFast.json()) as Reply).status).toBe(((await staleRoute.json()) as Reply).status);
  }, 60_000);

  it("leaves to the route what it does not take, which answers as before", async () => {
    const { client, view } = await learner();
    const card = view.entries.find((e) => e.kind === "card")!;
    // A NUL in a field, an unknown item, a bad rating, no session: the route's 400/404/401, with a message.
    const nul = await client.post("/api/review", { ...fields(card.itemId, card.version, "nul-12345678"), durationMs: "25\u000000" });
    expect(nul.status).toBe(400);
    expect(nul.headers.get("vary")).toMatch(/Accept-Encoding/i);
    const unknown = await client.post("/api/review", fields("no-such-card", 0, "unknown-12345678"));
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);
    const badRating = await client.post("/api/review", { ...fields(card.itemId, card.version, "bad-12345678"), rating: "7" });
    expect(badRating.status).toBe(400);
    const anonymous = await new Client(server.url).post("/api/review", fields(card.itemId, card.version, "anon-12345678"));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as Reply).error).toMatch(/Log in/);
  }, 60_000);
});
