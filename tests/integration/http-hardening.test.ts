/**
 * Issue 19's HTTP and auth findings, over real HTTP against the built server:
 * bounded bodies, proxies, redirects, cookies, caching, strict fields, logins.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, PASSWORD, signUp, startServer, uniqueUser, type TestServer } from "./harness";

let plain: TestServer;
let proxied: TestServer;
beforeAll(async () => {
  [plain, proxied] = await Promise.all([
    startServer({ RATE_LIMIT_IP: "1000/900", HASH_CONCURRENCY: "1", HASH_QUEUE: "2" }),
    startServer({ TRUST_PROXY: "1", RATE_LIMIT_USER: "3/900", RATE_LIMIT_IP: "6/900" }),
  ]);
}, 90_000);
afterAll(async () => {
  await Promise.all([plain?.stop(), proxied?.stop()]);
});

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  sent: number;
}

/**
 * Sends `total` bytes of a form body in 64 KB chunks (chunked, or with the
 * Content-Length given in headers) and stops writing as soon as the answer comes.
 */
function sendBody(base: string, pathname: string, total: number, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const url = new URL(pathname, base);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, ...headers },
      agent: false,
    });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body, sent }));
    });
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.write("username=x&password=y&big=");
    pump();
  });
}

const MB = 1024 * 1024;

describe("request bodies are counted as they arrive", () => {
  it("a chunked body past the limit is cut off with 413 long before it ends, on every route", async () => {
    for (const pathname of ["/login", "/review", "/lessons/transformers/quiz", "/api/review", "/no-such-page"]) {
      const res = await sendBody(plain.url, pathname, 200 * MB);
      expect(res.status, pathname).toBe(413);
      expect(res.headers.connection, pathname).toBe("close");
      expect(res.sent, pathname).toBeLessThan(50 * MB);
    }
  });

  it("a declared Content-Length past the limit is refused before any byte is read", async () => {
    const client = new Client(plain.url);
    await signUp(client);
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    for (const pathname of ["/review", "/lessons/transformers/quiz", "/login"]) {
      const res = await sendBody(plain.url, pathname, 1 * MB, { "Content-Length": String(50 * MB), Cookie: cookie });
      expect(res.status, pathname).toBe(413);
      expect(res.headers.connection, pathname).toBe("close");
    }
  });

  it("a body under the limit still reaches the route", async () => {
    const res = await sendBody(plain.url, "/login", 512 * 1024);
    expect(res.status).toBe(401); // the route read the form and checked the (wrong) credentials
  });

  it("an early 403 on an unread body closes the connection instead of reading the rest as a request", async () => {
    const res = await sendBody(plain.url, "/login", 4 * MB, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.connection).toBe("close");
  });
});

describe("behind a proxy", () => {
  const from = (ip: string, extra: Record<string, string> = {}) => ({ headers: { "X-Forwarded-For": ip, ...extra } });

  it("takes the client address the proxy appended, not the one the client wrote", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      // What nginx's $proxy_add_x_forwarded_for sends: the client's own header, then the address nginx saw.
      const res = await new Client(proxied.url).post("/login", { username: uniqueUser("nobody"), password: "wrong password" }, from(`10.0.${i}.1, 203.0.113.7`));
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 6).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(6)).toEqual([429, 429, 429]);
    // Another client behind the same proxy is not affected.
    const other = await new Client(proxied.url).post("/login", { username: uniqueUser("nobody"), password: "wrong password" }, from("203.0.113.8"));
    expect(other.status).toBe(401);
  });

  it("wrong passwords from one address do not lock the owner out from another", async () => {
    const owner = new Client(proxied.url);
    const { username } = await signUp(owner, uniqueUser(), PASSWORD);
    const attacker = from("198.51.100.66");
    let last = 0;
    for (let i = 0; i < 4; i++) last = (await new Client(proxied.url).post("/login", { username, password: `wrong password ${i}` }, attacker)).status;
    expect(last).toBe(429);
    const own = await new Client(proxied.url).post("/login", { username, password: PASSWORD }, from("198.51.100.20"));
    expect(own.status).toBe(302);
    // The attacker's own pair stays slowed down, even with the right password.
    expect((await new Client(proxied.url).post("/login", { username, password: PASSWORD }, attacker)).status).toBe(429);
  });

  it("HSTS and a Secure cookie only when the browser came over https", async () => {
    const httpsOrigin = proxied.url.replace("http:", "https:");
    const viaTls = new Client(proxied.url, httpsOrigin);
    const res = await viaTls.post("/signup", { username: uniqueUser(), password: PASSWORD, confirm: PASSWORD }, from("192.0.2.10", { "X-Forwarded-Proto": "https" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("__session="))).toMatch(/;\s*Secure/i);

    const viaHttp = await new Client(proxied.url).post("/signup", { username: uniqueUser(), password: PASSWORD, confirm: PASSWORD }, from("192.0.2.11"));
    expect(viaHttp.status).toBe(302);
    expect(viaHttp.headers.get("strict-transport-security")).toBeNull();
    expect(viaHttp.headers.getSetCookie().find((c) => c.startsWith("__session="))).not.toMatch(/Secure/i);
  });
});

describe("sessions on plain http", () => {
  it("a LAN install without TLS gets a cookie the browser keeps (no Secure), and a forged X-Forwarded-Proto is ignored", async () => {
    const client = new Client(plain.url);
    const res = await client.post("/signup", { username: uniqueUser(), password: PASSWORD, confirm: PASSWORD }, { headers: { "X-Forwarded-Proto": "https" } });
    expect(res.status).toBe(302);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(res.headers.get("strict-transport-security")).toBeNull();
    expect((await client.get("/account")).status).toBe(200);
  });
});

describe("redirects after logging in", () => {
  const hostile = [
    "/\t/evil.example/phish",
    "/\n/evil.example/phish",
    "/\r\n/evil.example",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "/\\/evil.example",
    "https://evil.example/",
    "/%09/evil.example",
    " //evil.example",
    "javascript:alert(1)",
  ];

  it("stay on this site whatever redirectTo says", async () => {
    const { username } = await signUp(new Client(plain.url));
    for (const redirectTo of hostile) {
      const res = await new Client(plain.url).post("/login", { username, password: PASSWORD, redirectTo });
      expect(res.status, JSON.stringify(redirectTo)).toBe(302);
      const location = res.headers.get("location")!;
      expect([...location].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), JSON.stringify(location)).toBe(false);
      expect(location.startsWith("/") && !location.startsWith("//") && !location.includes("\\"), JSON.stringify(location)).toBe(true);
      expect(new URL(location, plain.url).origin).toBe(new URL(plain.url).origin);
    }
  });

  it("a NUL byte in redirectTo is refused like any other NUL (400, no redirect, no session)", async () => {
    const { username } = await signUp(new Client(plain.url));
    const res = await new Client(plain.url).post("/login", { username, password: PASSWORD, redirectTo: "/\u0000/evil.example" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("keep a genuine path, query and fragment", async () => {
    const { username } = await signUp(new Client(plain.url));
    const res = await new Client(plain.url).post("/login", { username, password: PASSWORD, redirectTo: "/lessons/transformers?tab=quiz#start" });
    expect(res.headers.get("location")).toBe("/lessons/transformers?tab=quiz#start");
  });

  it("a redirectTo that cannot go in a header is settled before the account is written", async () => {
    const username = uniqueUser();
    const res = await new Client(plain.url).post("/signup", { username, password: PASSWORD, confirm: PASSWORD, redirectTo: "/lessons/caf\u00e9\u0100" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/lessons/caf%C3%A9%C4%80");
    const rows = await plain.all("SELECT id FROM User WHERE username = ?", username);
    expect(rows).toHaveLength(1);
  });
});

describe("personal pages are not cached", () => {
  it("/, /account, /progress, /review and their .data requests say private, no-store", async () => {
    const client = new Client(plain.url);
    await signUp(client);
    for (const pathname of ["/", "/account", "/progress", "/review", "/account.data", "/review.data", "/progress.data", "/_root.data"]) {
      const res = await client.get(pathname);
      expect(res.status, pathname).toBeLessThan(400);
      const cache = res.headers.get("cache-control") ?? "";
      expect(cache, pathname).toContain("no-store");
      expect(cache, pathname).toContain("private");
    }
    // Assets keep their long cache.
    const html = await (await client.get("/lessons")).text();
    const asset = /\/assets\/[^"]+\.js/.exec(html)![0];
    expect((await client.get(asset)).headers.get("cache-control")).toContain("immutable");
  });
});

describe("fields are read strictly", () => {
  it("a NUL byte in any text field is a 400 with a message, and nothing is written", async () => {
    const a = await new Client(plain.url).post("/login", { username: "ab\u0000cd", password: "whatever password" });
    expect(a.status).toBe(400);
    expect(await a.text()).toContain("NUL");
    const username = uniqueUser();
    const b = await new Client(plain.url).post("/signup", { username, password: PASSWORD, confirm: PASSWORD, timeZone: "UTC\u0000" });
    expect(b.status).toBe(400);
    expect(await plain.all("SELECT id FROM User WHERE username = ?", username)).toHaveLength(0);
    const client = new Client(plain.url);
    await signUp(client);
    const c = await client.post("/api/review", { intent: "rate", itemId: "card\u0000x", clientId: "nul-test-00001", version: "0", rating: "3" });
    expect(c.status).toBe(400);
    expect(((await c.json()) as { error: string }).error).toContain("NUL");
  });

  it("blank and hexadecimal numbers are refused, not read as 0 and 16", async () => {
    const client = new Client(plain.url);
    const { id } = await signUp(client);
    const before = await plain.one("SELECT newPerDay, reviewCap, dayStartHour FROM Settings WHERE userId = ?", id);
    const base = { intent: "settings", desiredRetention: "0.9", newPerDay: "20", reviewCap: "200", dayStartHour: "4", timeZone: "UTC", maximumInterval: "3650", learningSteps: "1m 10m", relearningSteps: "10m" };
    for (const [field, value] of [
      ["newPerDay", ""],
      ["newPerDay", "0x10"],
      ["reviewCap", "1e3"],
      ["dayStartHour", "  "],
      ["desiredRetention", "Infinity"],
    ]) {
      const res = await client.post("/account", { ...base, [field!]: value! });
      expect(res.status, `${field}=${JSON.stringify(value)}`).toBe(400);
    }
    expect(await plain.one("SELECT newPerDay, reviewCap, dayStartHour FROM Settings WHERE userId = ?", id)).toEqual(before);
    const rated = await client.post("/api/review", { intent: "rate", itemId: "anything", clientId: "hex-test-00001", version: "0", rating: "0x3" });
    expect(rated.status).toBe(400);
    const ok = await client.post("/account", { ...base, newPerDay: " 16 " });
    expect(ok.status).toBe(200);
    expect((await plain.one<{ newPerDay: number }>("SELECT newPerDay FROM Settings WHERE userId = ?", id))!.newPerDay).toBe(16);
  });
});

describe("logins", () => {
  it("concurrent hashing is bounded: past the queue a login is told to come back (503 + Retry-After), never a 500", async () => {
    const { username } = await signUp(new Client(plain.url));
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => new Client(plain.url).post("/login", { username, password: i % 2 ? PASSWORD : "wrong password" })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => [302, 401, 503].includes(s)), statuses.join()).toBe(true);
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await r.text()).toContain("busy");
    }
    // Once the burst is over, the owner logs in.
    expect((await new Client(plain.url).post("/login", { username, password: PASSWORD })).status).toBe(302);
  });

  it("a password check on the account page waits its turn too: 503 beside the form, never a 500", async () => {
    const client = new Client(plain.url);
    await signUp(client);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => client.post("/account", { intent: "change-password", current: "not my password", password: "a new password 1", confirm: "a new password 1" })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 400 || s === 503), statuses.join()).toBe(true);
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(Number(busy[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await busy[0]!.text()).toContain("busy");
  });

  it("the rate-limit counter counts every one of many concurrent tries exactly once (one atomic statement)", async () => {
    const username = uniqueUser("ghost");
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => new Client(proxied.url).post("/login", { username, password: "wrong password" }, { headers: { "X-Forwarded-For": "198.51.100.99" } })),
    );
    for (const r of answers) expect([401, 429]).toContain(r.status);
    const rows = await proxied.all<{ key: string; count: number }>("SELECT key, count FROM RateLimit WHERE key = ? OR key = ?", `login:user-ip:${username.toLowerCase()}:198.51.100.99`, "login:ip:198.51.100.99");
    expect(rows.map((r) => r.count)).toEqual([20, 20]);
  });
});
