#!/usr/bin/env node
/**
 * npm run test:proxy — the app behind nginx, configured as docs/deploy.md says
 * (TRUST_PROXY=1, `Host $http_host`, `X-Forwarded-For $proxy_add_x_forwarded_for`):
 *
 *  1. per-address limits hold when every client writes its own X-Forwarded-For
 *     (nginx appends the real address; the app must count from the right);
 *  2. a login through nginx on a non-default port is not refused as cross-site,
 *     and with nginx's `$host` (which drops the port) it would be: the reason
 *     for the guide's `$http_host`;
 *  3. over plain http the session cookie is not Secure, so the browser keeps it
 *     and the learner stays logged in;
 *  4. a chunked body past the app's limit is answered 413 through nginx.
 *
 * Prints a PROXY line; exits 1 on any failure. Needs nginx (`apt-get install -y
 * nginx`) and `npm run build` first.
 */
import crypto from "node:crypto";
import { HttpClient } from "./ops/http.mjs";
import { findNginx, main, NGINX_INSTALL_HINT, requireBuild, startApp, startNginx } from "./ops/proc.mjs";

const IP_LIMIT = 20;

await main(async () => {
  requireBuild();
  if (!findNginx()) {
    console.log(`PROXY skipped: ${NGINX_INSTALL_HINT}`);
    return 1;
  }
  const app = await startApp({
    env: { TRUST_PROXY: "1", RATE_LIMIT_IP: `${IP_LIMIT}/900`, RATE_LIMIT_USER: "1000/900", SESSION_SECRET: crypto.randomBytes(32).toString("base64url") },
    name: "app",
  });
  const proxy = await startNginx({ upstreamPorts: [app.port] });
  const failures = [];
  const check = (ok, what) => {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) failures.push(what);
  };

  // 1. Rotating client-written X-Forwarded-For: all one client to nginx, so limited after IP_LIMIT.
  const statuses = [];
  for (let i = 0; i < IP_LIMIT + 10; i++) {
    const client = new HttpClient(proxy.url);
    const res = await client.post("/login", { username: `nobody${i}`, password: "wrong password" }, { headers: { "X-Forwarded-For": `10.${i}.${i}.1` } });
    statuses.push(res.status);
  }
  const limited = statuses.filter((s) => s === 429).length;
  check(statuses.slice(0, IP_LIMIT).every((s) => s === 401) && limited === 10, `forged X-Forwarded-For: ${limited} of the last 10 logins limited (429), first ${IP_LIMIT} answered 401`);

  // 2. Host keeps the port: a same-origin POST through nginx on its (non-default) port.
  const viaProxy = await new HttpClient(proxy.url).post("/login", { username: "nobody-port", password: "wrong password" }, { headers: { "X-Forwarded-For": "192.0.2.1" } });
  check(viaProxy.status === 401 || viaProxy.status === 429, `POST through nginx on port ${proxy.port} with Host $http_host: ${viaProxy.status} (not 403)`);
  const dropsPort = await startNginx({ upstreamPorts: [app.port], hostHeader: "$host" });
  const refused = await new HttpClient(dropsPort.url).post("/login", { username: "nobody-port", password: "wrong password" });
  check(refused.status === 403, `the same POST with nginx's $host (port dropped): ${refused.status} (403 expected: why the guide says $http_host)`);
  await dropsPort.stop();

  // 3. Plain http: the cookie is kept and the learner stays logged in.
  const learner = new HttpClient(proxy.url);
  const username = `proxy${process.pid.toString(36)}${Date.now().toString(36)}`;
  const signup = await learner.post("/signup", { username, password: "proxy password 1", confirm: "proxy password 1", timeZone: "UTC" }, { headers: { "X-Forwarded-For": "192.0.2.2" } });
  const cookie = [].concat(signup.headers["set-cookie"] ?? []).find((c) => c.startsWith("__session=")) ?? "";
  check((signup.status === 302 || signup.status === 303) && cookie !== "" && !/;\s*secure/i.test(cookie), `sign-up over plain http through nginx: ${signup.status}, cookie ${/;\s*secure/i.test(cookie) ? "Secure (a browser would drop it)" : "not Secure"}`);
  const account = await learner.get("/account");
  check(account.status === 200, `the learner is logged in afterwards: GET /account ${account.status}`);
  check(!signup.headers["strict-transport-security"], "no HSTS over plain http");

  // 4. A chunked body past the limit, through nginx.
  const big = await new HttpClient(proxy.url).request("POST", "/login", {
    body: `username=x&password=y&pad=${"p".repeat(3 * 1024 * 1024)}`,
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked", "X-Forwarded-For": "192.0.2.3" },
    timeoutMs: 30_000,
  });
  check(big.status === 413, `3 MB chunked POST through nginx: ${big.status}`);

  await proxy.stop();
  await app.stop();
  console.log(`\nPROXY checks=${failures.length === 0 ? "all" : "some"} failed=${failures.length} limited_after_forged_xff=${limited}/10 result=${failures.length ? "FAIL" : "PASS"}`);
  return failures.length ? 1 : 0;
});
