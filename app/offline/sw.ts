/**
 * The service worker (docs/decisions/024-offline-app.md). Bundled by
 * scripts/build-sw.mjs into build/client/sw.js after the client build, which
 * defines __BUILD_ID__ (a hash of the build's files), __BUILD_FILES__ (every
 * file of the build, as URL paths) and __PRECACHE__ (the ones fetched on install).
 *
 * One build, one pair of caches: the build's files, and the pages the learner
 * visited with this build. A new worker installs beside the old one and waits;
 * the page asks it to take over at a safe moment (app/offline/offline-support.tsx);
 * on activation it keeps the visited pages (fetched again, or kept when they
 * belong to the new build) and deletes the old caches.
 */
import { OFFLINE_DB, CACHE_PREFIX, META_CACHE, belongsToBuild, changesLearner, pageCache, shellCache, strategyFor } from "./policy";

declare const __BUILD_ID__: string;
declare const __BUILD_FILES__: string[];
declare const __PRECACHE__: string[];

const sw = self as unknown as ServiceWorkerGlobalScope;
const BUILD_ID = __BUILD_ID__;
const BUILD_FILES = new Set(__BUILD_FILES__);
const SHELL = shellCache(BUILD_ID);
const PAGES = pageCache(BUILD_ID);
const LEARNER_KEY = "/__offline/learner";
/** Noted when a session starts or ends here: the next learner the page names is new, with nothing of theirs to forget. */
const CHANGING = "\u0000changing";

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      // `reload`: straight from the server, never a copy an HTTP cache kept from an older build.
      await cache.addAll(__PRECACHE__.map((path) => new Request(path, { cache: "reload" })));
      // The very first worker has no pages to keep consistent: it starts at once.
      if (!sw.registration.active) await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      await keepVisitedPages();
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== SHELL && name !== PAGES && name !== META_CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

/** The pages an older build kept, carried over: fetched again when the network answers, else kept if they belong to this build. */
async function keepVisitedPages() {
  const target = await caches.open(PAGES);
  for (const name of await caches.keys()) {
    if (!name.startsWith(`${CACHE_PREFIX}pages-`) || name === PAGES) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      try {
        const fresh = await fetch(request.url, { credentials: "same-origin", cache: "no-store" });
        if (await storable(fresh)) await target.put(request.url, fresh);
        continue;
      } catch {
        // offline: fall through to the old copy
      }
      const kept = await old.match(request);
      if (kept && (await storable(kept))) await target.put(request.url, kept);
    }
  }
}

/** A successful, non-redirected same-origin answer whose build files are all this build's. */
async function storable(res: Response): Promise<boolean> {
  if (!res.ok || res.redirected || res.type !== "basic") return false;
  const type = res.headers.get("Content-Type") ?? "";
  if (!type.includes("text/html")) return true;
  return belongsToBuild(await res.clone().text(), BUILD_FILES);
}

sw.addEventListener("message", (event) => {
  const data = event.data as { type?: string; learner?: string | null } | null;
  if (data?.type === "skip-waiting") void sw.skipWaiting();
  else if (data?.type === "learner") event.waitUntil(noteLearner(data.learner ?? null));
  else if (data?.type === "build") event.source?.postMessage({ type: "build", id: BUILD_ID });
});

/** Another learner (or nobody) on this device: the last one's pages and review queue go. */
async function noteLearner(learner: string | null) {
  const meta = await caches.open(META_CACHE);
  const stored = await meta.match(LEARNER_KEY);
  const previous = stored ? await stored.text() : "";
  const current = learner ?? "";
  if (previous === current) return;
  if (previous !== CHANGING) await forgetLearner();
  await meta.put(LEARNER_KEY, new Response(current));
}

async function forgetLearner() {
  for (const name of await caches.keys()) if (name.startsWith(`${CACHE_PREFIX}pages-`)) await caches.delete(name);
  await new Promise<void>((resolve) => {
    const req = indexedDB.deleteDatabase(OFFLINE_DB);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}

sw.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (changesLearner(request.method, url.pathname)) {
    // Logging out, in, or signing up: nothing the last learner saw stays on this device.
    event.waitUntil(
      forgetLearner().then(async () => (await caches.open(META_CACHE)).put(LEARNER_KEY, new Response(CHANGING))),
    );
    return;
  }
  const strategy = strategyFor(request.method, url, sw.location.origin, BUILD_FILES);
  if (strategy === "shell") event.respondWith(fromShell(event, request, url));
  else if (strategy === "page") event.respondWith(networkFirst(event, request, url));
});

async function fromShell(event: FetchEvent, request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(url.pathname, { ignoreSearch: true, ignoreVary: true });
  if (hit) return hit;
  const res = await fetch(request);
  // A file of this build the precache left out (fonts in older formats, the large tokenizer vocabularies): kept once used.
  if (res.ok && BUILD_FILES.has(url.pathname)) event.waitUntil(cache.put(url.pathname, res.clone()).catch(() => undefined));
  return res;
}

async function networkFirst(event: FetchEvent, request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(PAGES);
  let res: Response;
  try {
    res = await fetch(request);
  } catch {
    const kept = await cache.match(url.href, { ignoreVary: true });
    if (kept) return kept;
    if (request.mode === "navigate") return offlinePage();
    return new Response("You are offline, and this page is not saved on this device.", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  // The server is down behind a working network (a proxy's 502, a 503): the stored copy is better than an error page.
  if (res.status >= 500) {
    const kept = await cache.match(url.href, { ignoreVary: true });
    if (kept) return kept;
  }
  const copy = res.clone();
  event.waitUntil(
    (async () => {
      if (await storable(copy.clone())) await cache.put(url.href, copy);
    })().catch(() => undefined),
  );
  return res;
}

/** A page never visited with this build, asked for without a connection. */
function offlinePage(): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline | Attention Span</title><style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1d1b16;background:#fbf8f1}a{color:#1f4f8f}</style></head>
<body><main><h1>You are offline</h1><p>This page has not been saved on this device yet: pages you open while online are kept for reading offline.</p>
<p><a href="/review">Review</a> · <a href="/lessons">Lessons</a> · <a href="/">Home</a></p></main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" },
  });
}
