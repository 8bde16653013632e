/**
 * What the service worker does with a request (docs/decisions/024-offline-app.md).
 * Pure: no caches, no fetch, so the rules are unit-tested as a table.
 *
 * - "shell": a file of this build (hashed assets, workers, icons): from the
 *   build's cache first, the network only for what the precache left out.
 * - "page": a page the learner may want offline (or its Remix `.data`):
 *   network first, the device's copy of this build when the network fails.
 * - "pass": the browser's ordinary path, never stored: POSTs, /api/*, sign-in,
 *   the account pages, the health check, other origins.
 */
export type Strategy = "shell" | "page" | "pass";

/** Pages kept for offline reading once visited: the course, the exercises, the review session. */
const PAGE_PATTERNS: RegExp[] = [
  /^\/$/,
  /^\/overview$/,
  /^\/lessons$/,
  /^\/lessons\/[\w-]+$/,
  /^\/exercises$/,
  /^\/exercises\/[\w-]+$/,
  /^\/review$/,
  /^\/help\/mastery$/,
  /^\/diagrams\/[\w-]+\/[\w.-]+$/,
  // Remix's route discovery (v3_lazyRouteDiscovery): the manifest patch a page asks for as it hydrates.
  /^\/__manifest$/,
];

/** Single fetch asks for a page's loader data at `<path>.data` (`/_root.data` for `/`). */
export function pagePathOf(pathname: string): string {
  if (pathname === "/_root.data") return "/";
  return pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
}

/** Query parameters that change the review page's content for one moment only (reveal, feedback): never kept. */
const ONE_OFF_PARAMS = ["reveal", "feedback", "undone", "rerated", "stale"];

export function strategyFor(method: string, url: URL, origin: string, buildFiles: ReadonlySet<string>): Strategy {
  if (method !== "GET" || url.origin !== origin) return "pass";
  if (buildFiles.has(url.pathname) || url.pathname.startsWith("/assets/")) return "shell";
  const page = pagePathOf(url.pathname);
  if (!PAGE_PATTERNS.some((p) => p.test(page))) return "pass";
  if (ONE_OFF_PARAMS.some((p) => url.searchParams.has(p))) return "pass";
  return "page";
}

/** A POST to one of these ends or starts a session: everything personal on the device goes. */
export function changesLearner(method: string, pathname: string): boolean {
  return method === "POST" && /^\/(logout|login|signup)(\.data)?$/.test(pathname);
}

/**
 * A page may be stored with this build only if every build file it names is in
 * this build: a page from a newer deployment (the server moved on before this
 * worker was replaced) would otherwise be served offline with assets that are
 * not on the device.
 */
export function belongsToBuild(html: string, buildFiles: ReadonlySet<string>): boolean {
  for (const m of html.matchAll(/["'(](\/assets\/[^"'()\s?#]+)/g)) {
    if (!buildFiles.has(m[1]!)) return false;
  }
  return true;
}

/** Cache names: one pair per build, so a new build never mixes with an old one. */
export const CACHE_PREFIX = "as-";
export const shellCache = (buildId: string) => `${CACHE_PREFIX}shell-${buildId}`;
export const pageCache = (buildId: string) => `${CACHE_PREFIX}pages-${buildId}`;
/** Where the worker notes whose pages it holds (one entry, not personal content). */
export const META_CACHE = `${CACHE_PREFIX}meta`;

/** The most queue entries kept on the device for a day offline: the day's limits bound the queue well below this. */
export const OFFLINE_QUEUE_LIMIT = 200;

/** The IndexedDB database of the offline review session (app/offline/review-store.ts). */
export const OFFLINE_DB = "attention-span-offline";
