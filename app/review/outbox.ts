/**
 * Ratings waiting for the server, kept in localStorage until the server
 * acknowledges them, so closing the tab or losing the network loses nothing.
 * Each carries its client id: a resend after a lost acknowledgement is stored once.
 *
 * Each learner has an outbox of their own on a shared device: ratings made by
 * one learner are never sent with another learner's session (they wait until
 * their own learner signs in on this device again).
 */
export interface OutboxEntry {
  clientId: string;
  itemId: string;
  rating: number;
  version: number;
  durationMs: number;
  reviewedAt: number;
}

type Listener = (pending: number, lastError: string | null) => void;

/** Before outboxes were per learner: its ratings are the next learner's to send, once (they were made by whoever used the page last). */
const LEGACY_KEY = "attention-span:outbox:v1";
const keyOf = (learner: string) => `attention-span:outbox:v2:${learner}`;
const MAX_BACKOFF_MS = 30_000;

function readKey(key: string): OutboxEntry[] {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as OutboxEntry[]) : [];
  } catch {
    return [];
  }
}

export interface ServerReply {
  ok: boolean;
  status?: string;
  error?: string;
  itemId?: string;
  version?: number;
  view?: unknown;
}

export class Outbox {
  private listeners = new Set<Listener>();
  /** The send loop, while it runs; and the rating it is sending now, with its answer. */
  private running: Promise<void> | null = null;
  private sending: { clientId: string; answered: Promise<void> } | null = null;
  private backoffMs = 1000;
  private timer: ReturnType<typeof setTimeout> | null = null;
  lastError: string | null = null;

  private readonly key: string;

  constructor(
    learner: string,
    private readonly onReply: (entry: OutboxEntry, reply: ServerReply) => void,
    private readonly endpoint = "/api/review",
  ) {
    this.key = keyOf(learner);
    try {
      const legacy = readKey(LEGACY_KEY);
      if (legacy.length) {
        const have = new Set(readKey(this.key).map((e) => e.clientId));
        localStorage.setItem(this.key, JSON.stringify([...readKey(this.key), ...legacy.filter((e) => !have.has(e.clientId))]));
      }
      localStorage.removeItem(LEGACY_KEY);
    } catch {
      // No storage (private mode, full): nothing to carry over.
    }
  }

  private read(): OutboxEntry[] {
    return readKey(this.key);
  }

  private write(entries: OutboxEntry[]) {
    localStorage.setItem(this.key, JSON.stringify(entries));
  }

  pending(): OutboxEntry[] {
    return this.read();
  }

  subscribe(fn: Listener) {
    this.listeners.add(fn);
    fn(this.read().length, this.lastError);
    return () => this.listeners.delete(fn);
  }

  private emit() {
    const n = this.read().length;
    for (const fn of this.listeners) fn(n, this.lastError);
  }

  /**
   * Stores the rating durably first, then sends it from a task of its own, so
   * that starting the request never delays showing the next card.
   */
  add(entry: OutboxEntry) {
    const entries = [...this.read(), entry];
    this.write(entries);
    for (const fn of this.listeners) fn(entries.length, this.lastError);
    setTimeout(() => void this.flush(), 0);
  }

  /**
   * Takes back a rating that has not left for the server: true if it did, false
   * if it is not here (sent already), or on its way now.
   */
  remove(clientId: string): boolean {
    if (this.sending?.clientId === clientId) return false;
    const entries = this.read();
    const rest = entries.filter((e) => e.clientId !== clientId);
    if (rest.length === entries.length) return false;
    this.write(rest);
    this.emit();
    return true;
  }

  /**
   * For undo: takes the rating back if it has not left; if it is on its way,
   * first waits for the server's answer. True if it was taken back here; false
   * if it reached the server (which must then undo it), or was refused there.
   */
  async takeBack(clientId: string): Promise<boolean> {
    while (this.sending?.clientId === clientId) await this.sending.answered;
    return this.remove(clientId);
  }

  flush(): Promise<void> {
    this.running ??= this.sendAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sendAll(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (;;) {
      const next = this.read()[0];
      if (!next) return;
      let answered!: () => void;
      this.sending = { clientId: next.clientId, answered: new Promise<void>((resolve) => (answered = resolve)) };
      try {
        if (!(await this.sendOne(next))) return;
      } finally {
        this.sending = null;
        answered();
      }
    }
  }

  /** One attempt at one rating: false when the outbox should stop and retry later. */
  private async sendOne(next: OutboxEntry): Promise<boolean> {
    let reply: ServerReply;
    let status: number;
    try {
      const body = new URLSearchParams({
        intent: "rate",
        itemId: next.itemId,
        rating: String(next.rating),
        version: String(next.version),
        durationMs: String(next.durationMs),
        clientId: next.clientId,
        reviewedAt: String(next.reviewedAt),
      });
      const res = await fetch(this.endpoint, { method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin" });
      status = res.status;
      reply = (await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }))) as ServerReply;
    } catch {
      this.retryLater("Can't reach the server. Your reviews are kept on this device and will be saved when it is back.");
      return false;
    }
    // Worth sending again: the server could not save it now (5xx, say a full disk), the session ended, or too many at once.
    if (status >= 500 || status === 401 || status === 429) {
      this.retryLater(
        status === 401
          ? "You are logged out: log in again to save these reviews."
          : status === 503 && reply.error
            ? reply.error
            : `The server had a problem (HTTP ${status}); retrying.`,
      );
      return false;
    }
    // Saved, already saved, or refused for good (any other 4xx, with the server's reason, which the
    // page shows): either way it leaves the outbox, so one refused rating never blocks the ones after it.
    this.write(this.read().filter((e) => e.clientId !== next.clientId));
    this.backoffMs = 1000;
    this.lastError = null;
    this.emit();
    this.onReply(next, reply);
    return true;
  }

  private retryLater(message: string) {
    this.lastError = message;
    this.emit();
    this.timer = setTimeout(() => void this.flush(), this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }
}

export function newClientId(): string {
  if (typeof crypto !== "undefined" && "randomUUID" in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
