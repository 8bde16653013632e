import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { Client, PASSWORD, signUp, startServer, uniqueUser, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_LIMIT_USER: "10/900", RATE_LIMIT_IP: "30/900" });
}, 60_000);
afterAll(async () => server?.stop());

describe("security headers", () => {
  it("HTML pages carry a CSP with a fresh nonce on every script, and the other headers", async () => {
    const client = new Client(server.url);
    const a = await client.get("/lessons");
    const b = await client.get("/lessons");
    const csp = a.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(b.headers.get("content-security-policy")).not.toContain(nonce!);
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("same-origin");
    const html = await a.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("the exercise runner and judge paths get their own strict policy: eval, and no source to load from", async () => {
    for (const file of ["/exercise-worker.js", "/exercise-judge.js"]) {
      const res = await new Client(server.url).get(file);
      expect(res.headers.get("content-security-policy"), file).toBe("default-src 'none'; script-src 'unsafe-eval'");
    }
  });
});

describe("cross-site requests", () => {
  it("refuses a POST from another origin, and one with no origin at all", async () => {
    const evil = new Client(server.url, "https://evil.example");
    const res = await evil.post("/login", { username: "x", password: "y" });
    expect(res.status).toBe(403);
    const none = new Client(server.url, "");
    const res2 = await none.post("/login", { username: "x", password: "y" });
    expect(res2.status).toBe(403);
    const referer = new Client(server.url, "");
    const res3 = await referer.post("/login", { username: "x", password: "y" }, { headers: { Referer: "https://evil.example/page" } });
    expect(res3.status).toBe(403);
  });

  it("accepts a same-origin POST", async () => {
    const res = await new Client(server.url).post("/login", { username: "nobody-here", password: "whatever-long" });
    expect(res.status).toBe(401);
  });
});

describe("sessions and accounts", () => {
  it("the session cookie is HttpOnly, SameSite=Lax, signed (Secure over https: http-hardening.test.ts)", async () => {
    const client = new Client(server.url);
    const res = await client.post("/signup", { username: uniqueUser(), password: PASSWORD, confirm: PASSWORD });
    expect([302, 303]).toContain(res.status);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // this server is plain http
    expect(cookie).toMatch(/Path=\//);
    // A tampered cookie is not a session.
    const forged = new Client(server.url);
    forged.cookies.set("__session", client.cookies.get("__session")!.replace(/.$/, (c) => (c === "A" ? "B" : "A")));
    expect((await forged.get("/account")).status).toBe(302);
  });

  it("login failure reads the same for an unknown user and a wrong password", async () => {
    const owner = new Client(server.url);
    const { username } = await signUp(owner);
    const a = await new Client(server.url).post("/login", { username, password: "wrong password!" });
    const b = await new Client(server.url).post("/login", { username: uniqueUser("ghost"), password: "wrong password!" });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const msg = (t: string) => /do not match an account/.test(t);
    expect(msg(await a.text())).toBe(true);
    expect(msg(await b.text())).toBe(true);
  });

  it("usernames are case-insensitive and unique", async () => {
    const name = uniqueUser("Case");
    await signUp(new Client(server.url), name);
    const res = await new Client(server.url).post("/signup", { username: name.toUpperCase(), password: PASSWORD, confirm: PASSWORD });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("That username is taken");
    const login = await new Client(server.url).post("/login", { username: name.toLowerCase(), password: PASSWORD });
    expect([302, 303]).toContain(login.status);
  });

  it("rejects short passwords with a message", async () => {
    const res = await new Client(server.url).post("/signup", { username: uniqueUser(), password: "short", confirm: "short" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("at least 10 characters");
  });

  it("log out ends the session row; log out everywhere ends them all", async () => {
    const a = new Client(server.url);
    const { username, id } = await signUp(a);
    const b = new Client(server.url);
    expect([302, 303]).toContain((await b.post("/login", { username, password: PASSWORD })).status);
    const count = async () => (await server.one<{ n: number }>("SELECT count(*) AS n FROM Session WHERE userId = ?", id))!.n;
    expect((await count())).toBe(2);
    await a.post("/logout", {});
    expect((await count())).toBe(1);
    expect((await a.get("/account")).status).toBe(302);
    expect((await b.get("/account")).status).toBe(200);
    await b.post("/account", { intent: "logout-everywhere" });
    expect((await count())).toBe(0);
  });

  it("answers 429 with Retry-After after repeated failed logins for one username", async () => {
    const owner = new Client(server.url);
    const { username } = await signUp(owner);
    let last: Response | null = null;
    for (let i = 0; i < 11; i++) last = await new Client(server.url).post("/login", { username, password: `wrong password ${i}` });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Even the right password is refused until the window passes.
    const right = await new Client(server.url).post("/login", { username, password: PASSWORD });
    expect(right.status).toBe(429);
  });

  it("never writes a password or the session secret to the logs or a response", async () => {
    const client = new Client(server.url);
    const secretPassword = "zebra-unicorn-secret-99";
    const { username } = await signUp(client, uniqueUser(), secretPassword);
    await new Client(server.url).post("/login", { username, password: "another-wrong-pass-77" });
    const exported = await (await client.get("/account/export")).text();
    const secret = fs.readFileSync(path.join(server.dataDir, "session-secret"), "utf8").trim();
    expect(fs.statSync(path.join(server.dataDir, "session-secret")).mode & 0o077).toBe(0);
    for (const haystack of [server.logs(), exported]) {
      expect(haystack).not.toContain(secretPassword);
      expect(haystack).not.toContain("another-wrong-pass-77");
      expect(haystack).not.toContain(secret);
      expect(haystack).not.toContain("scrypt$");
    }
  });
});
