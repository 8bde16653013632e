/**
 * A small browser-like HTTP client on node:http: keep-alive, a cookie jar per
 * client, our own Origin on every write, no redirects followed, and the
 * latency of each request (first byte sent to last byte received).
 */
import http from "node:http";

export function keepAliveAgent(maxSockets = Infinity) {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 1024, keepAliveMsecs: 10_000 });
}

/** application/x-www-form-urlencoded; array values repeat the key. */
export function formBody(fields) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) params.append(k, String(x));
  }
  return params.toString();
}

export class HttpClient {
  /**
   * @param {string} base e.g. http://127.0.0.1:3000
   * @param {{ agent?: http.Agent, origin?: string | null, timeoutMs?: number }} options
   */
  constructor(base, { agent, origin, timeoutMs = 30_000 } = {}) {
    this.base = new URL(base);
    this.agent = agent ?? keepAliveAgent();
    this.origin = origin === undefined ? this.base.origin : origin;
    this.timeoutMs = timeoutMs;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /**
   * @returns {Promise<{ status: number, headers: http.IncomingHttpHeaders, body: Buffer, text: string, ms: number, json: () => any }>}
   * Rejects on a connection error or timeout (err.code says which).
   */
  request(method, pathname, { form, body, headers = {}, origin, timeoutMs, base } = {}) {
    const target = base ? new URL(base) : this.base;
    const h = { ...headers };
    if (this.cookies.size && h.Cookie === undefined) h.Cookie = this.cookieHeader();
    let payload = body;
    if (form !== undefined) {
      payload = formBody(form);
      h["Content-Type"] ??= "application/x-www-form-urlencoded";
    }
    const o = origin === undefined ? (base && this.origin === this.base.origin ? target.origin : this.origin) : origin;
    if (method !== "GET" && method !== "HEAD" && o !== null && h.Origin === undefined) h.Origin = o;
    if (payload !== undefined && payload !== null) {
      if (typeof payload === "string") payload = Buffer.from(payload);
      if (!/chunked/i.test(String(h["Transfer-Encoding"] ?? ""))) h["Content-Length"] ??= String(payload.length);
    }
    for (const k of Object.keys(h)) if (h[k] === null) delete h[k];
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        { host: target.hostname, port: target.port, method, path: pathname, headers: h, agent: this.agent },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const ms = performance.now() - started;
            for (const c of [res.headers["set-cookie"] ?? []].flat()) {
              const [pair] = c.split(";");
              const i = pair.indexOf("=");
              const name = pair.slice(0, i).trim();
              const value = pair.slice(i + 1);
              if (/max-age=0/i.test(c) || /expires=thu, 01 jan 1970/i.test(c) || value === "") this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            const buf = Buffer.concat(chunks);
            let text;
            resolve({
              status: res.statusCode,
              headers: res.headers,
              body: buf,
              get text() {
                return (text ??= buf.toString("utf8"));
              },
              ms,
              json() {
                return JSON.parse(this.text);
              },
            });
          });
        },
      );
      req.setTimeout(timeoutMs ?? this.timeoutMs, () => {
        const err = new Error(`timeout after ${timeoutMs ?? this.timeoutMs} ms: ${method} ${pathname}`);
        err.code = "ETIMEDOUT";
        req.destroy(err);
      });
      req.on("error", reject);
      if (payload !== undefined && payload !== null && h["Content-Length"] === undefined) {
        // chunked: send the body in pieces, with no length announced
        for (let i = 0; i < payload.length; i += 65_536) req.write(payload.subarray(i, i + 65_536));
        req.end();
      } else if (payload !== undefined && payload !== null) req.end(payload);
      else req.end();
    });
  }

  get(pathname, options) {
    return this.request("GET", pathname, options);
  }

  post(pathname, form, options = {}) {
    return this.request("POST", pathname, { ...options, form });
  }
}

/** A connection-level failure (no HTTP answer at all). */
export function isConnectionError(e) {
  return Boolean(e && typeof e === "object" && "code" in e && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ECONNABORTED|EHOSTUNREACH|UND_ERR|ERR_STREAM)/.test(String(e.code)))
    || /socket hang up/i.test(String(e?.message));
}
