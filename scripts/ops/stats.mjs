/** Latency and status counting for the load scripts. */

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export class Recorder {
  constructor() {
    this.active = true;
    this.reset();
  }

  reset() {
    this.lat = { get: [], post: [] };
    this.status = new Map();
    this.connErrors = 0;
    this.errorCodes = new Map();
    this.examples = [];
    this.proxyErrors = 0;
    this.reviews = 0;
    this.started = performance.now();
    this.stopped = null;
  }

  /** kind: "get" | "post"; status 0 = no HTTP answer. */
  record(kind, status, ms, note, sample) {
    if (!this.active || this.stopped !== null) return;
    if (status === 0) {
      this.connErrors++;
      this.errorCodes.set(note ?? "?", (this.errorCodes.get(note ?? "?") ?? 0) + 1);
      return;
    }
    if (status >= 500 && this.examples.length < 5) this.examples.push(`${kind.toUpperCase()} -> ${status} after ${ms.toFixed(0)} ms: ${sample ?? ""}`);
    if (note === "proxy") this.proxyErrors++;
    this.lat[kind].push(ms);
    this.status.set(status, (this.status.get(status) ?? 0) + 1);
  }

  review() {
    if (this.active && this.stopped === null) this.reviews++;
  }

  stop() {
    this.stopped ??= performance.now();
  }

  summary() {
    const seconds = ((this.stopped ?? performance.now()) - this.started) / 1000;
    const all = [...this.lat.get, ...this.lat.post].sort((a, b) => a - b);
    const post = [...this.lat.post].sort((a, b) => a - b);
    const get = [...this.lat.get].sort((a, b) => a - b);
    let ok = 0;
    let c4 = 0;
    let c409 = 0;
    let c5 = 0;
    let other = 0;
    const statuses = [...this.status].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(" ");
    for (const [s, n] of this.status) {
      if (s >= 200 && s < 300) ok += n;
      else if (s === 409) c409 += n;
      else if (s >= 400 && s < 500) c4 += n;
      else if (s >= 500) c5 += n;
      else other += n;
    }
    return {
      seconds,
      requests: all.length,
      reviews: this.reviews,
      reviewsPerSecond: this.reviews / seconds,
      requestsPerSecond: all.length / seconds,
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      postP50: percentile(post, 50),
      postP95: percentile(post, 95),
      postP99: percentile(post, 99),
      getP99: percentile(get, 99),
      gets: get.length,
      max: all.length ? all[all.length - 1] : NaN,
      ok,
      status4xx: c4,
      status409: c409,
      status5xx: c5,
      other,
      connErrors: this.connErrors,
      errorCodes: [...this.errorCodes].map(([c, n]) => `${c}:${n}`).join(" "),
      statuses,
      examples: this.examples,
      proxyErrors: this.proxyErrors,
    };
  }
}

export const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
