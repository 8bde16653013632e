/**
 * POST /theme over real HTTP: a learner's choice is kept in Settings (a fresh
 * cookie-less client sees it), an anonymous visitor's in a cookie, the server
 * renders it as <html data-theme>, and a bad value is a 400 that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, signUp, startServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => server?.stop());

async function themeOf(client: Client, path = "/lessons"): Promise<string | null> {
  const res = await client.get(path);
  expect(res.status).toBe(200);
  return /<html[^>]*data-theme="([a-z]+)"/.exec(await res.text())?.[1] ?? null;
}

describe("the theme setting", () => {
  it("is kept with the learner's account, on another device too", async () => {
    const client = new Client(server.url);
    const { username, password } = await signUp(client);
    expect(await themeOf(client)).toBe("system");
    const res = await client.post("/theme", { theme: "dark" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, theme: "dark" });
    expect(await themeOf(client)).toBe("dark");

    const other = new Client(server.url);
    expect(await themeOf(other, "/login")).toBe("system");
    const login = await other.post("/login", { username, password });
    expect(login.status).toBe(302);
    expect(await themeOf(other)).toBe("dark");
  });

  it("is a cookie for an anonymous visitor; without JavaScript the form redirects back", async () => {
    const client = new Client(server.url);
    const res = await client.post("/theme", { theme: "light", returnTo: "/overview" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/overview");
    expect(await themeOf(client, "/overview")).toBe("light");
    // Off-site return addresses are not followed.
    const away = await client.post("/theme", { theme: "dark", returnTo: "//evil.example/" });
    expect(away.headers.get("Location")).toBe("/");
  });

  it("refuses an unknown theme with a 400 and changes nothing", async () => {
    const client = new Client(server.url);
    await signUp(client);
    await client.post("/theme", { theme: "dark" });
    const res = await client.post("/theme", { theme: "sepia" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: "Choose system, light or dark" });
    expect(await themeOf(client)).toBe("dark");
  });
});
