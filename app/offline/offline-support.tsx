/**
 * The page's side of the service worker (docs/decisions/024-offline-app.md):
 * registers it (production builds only: the dev server never gets one, and an
 * old one left on the origin is removed), tells it who is signed in (so another
 * learner's pages never stay on the device), makes links full page loads while
 * offline (the device keeps pages, not every page's data), and brings in a new
 * version at a safe moment: at the next page change, never in the middle of a
 * review session, or when the learner asks.
 */
import { useLocation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { clearOfflineData } from "./review-store";

type RootData = { user: { id: string } | null };

/** How often a page that stays open asks whether a new version was deployed. */
const UPDATE_CHECK_MS = 5 * 60 * 1000;

export function OfflineSupport() {
  const learner = useRouteLoaderData<RootData>("root")?.user?.id ?? null;
  const location = useLocation();
  const [waiting, setWaiting] = useState<ServiceWorker | null>(null);
  /** Another tab brought in the new version: this page is still the old one. */
  const [outdated, setOutdated] = useState(false);
  const [online, setOnline] = useState(true);
  const registration = useRef<ServiceWorkerRegistration | null>(null);
  const takingOver = useRef(false);
  const lastCheck = useRef(Date.now());

  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    if (!import.meta.env.PROD) {
      void navigator.serviceWorker.getRegistrations().then((all) => all.forEach((r) => void r.unregister()));
      return;
    }
    let stopped = false;
    // The very first worker takes control of the page that installed it: that is no new version.
    let hadController = navigator.serviceWorker.controller !== null;
    const onControllerChange = () => {
      if (takingOver.current) window.location.reload();
      else if (hadController) setOutdated(true);
      hadController = true;
    };
    navigator.serviceWorker.addEventListener("controllerchange", onControllerChange);
    void navigator.serviceWorker
      .register("/sw.js", { scope: "/", updateViaCache: "none" })
      .then((reg) => {
        if (stopped) return;
        registration.current = reg;
        const watch = (worker: ServiceWorker | null) => {
          worker?.addEventListener("statechange", () => {
            if (worker.state === "installed" && navigator.serviceWorker.controller) setWaiting(worker);
          });
        };
        if (reg.waiting && navigator.serviceWorker.controller) setWaiting(reg.waiting);
        watch(reg.installing);
        reg.addEventListener("updatefound", () => watch(reg.installing));
      })
      .catch(() => undefined);
    setOnline(navigator.onLine);
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    return () => {
      stopped = true;
      navigator.serviceWorker.removeEventListener("controllerchange", onControllerChange);
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
    };
  }, []);

  // Who is signed in: the worker forgets the pages of anyone else (or of anyone, after log out).
  useEffect(() => {
    if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
    if (!learner) void clearOfflineData();
    void navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage({ type: "learner", learner }));
  }, [learner]);

  // Offline, a link is a full page load: the worker has the visited pages whole; client navigation would need their data too.
  useEffect(() => {
    if (!import.meta.env.PROD) return;
    function onClick(e: MouseEvent) {
      if (navigator.onLine || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!a || a.target || a.hasAttribute("download") || a.origin !== window.location.origin) return;
      e.preventDefault();
      e.stopPropagation();
      window.location.assign(a.href);
    }
    window.addEventListener("click", onClick, true);
    return () => window.removeEventListener("click", onClick, true);
  }, []);

  // A page change is the safe moment for a waiting version, except on the review page (a card may be half answered).
  useEffect(() => {
    const reg = registration.current;
    if (reg && Date.now() - lastCheck.current > UPDATE_CHECK_MS) {
      lastCheck.current = Date.now();
      void reg.update().catch(() => undefined);
    }
    if (waiting && navigator.onLine && location.pathname !== "/review") takeOver(waiting);
    // Only a page change decides; a version that arrives while the learner stays on a page waits for the next.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.pathname]);

  function takeOver(worker: ServiceWorker) {
    if (takingOver.current) return;
    takingOver.current = true;
    // The browser activates the new worker only once the old one has no work in hand for this page.
    const ask = () => {
      if (worker.state === "installed") worker.postMessage({ type: "skip-waiting" });
      else window.clearInterval(timer);
    };
    const timer = window.setInterval(ask, 500);
    ask();
    // Still not in after a moment (work the old worker holds for this page): reloading lets go of it, and
    // the browser then activates the new worker before it serves the reloaded page.
    window.setTimeout(() => {
      if (worker.state === "installed") window.location.reload();
    }, 3000);
  }

  if (!(waiting || outdated) || !online) return null;
  return (
    <div className="update-banner" role="status">
      <p>
        A new version of Attention Span is ready.{" "}
        {location.pathname === "/review" ? "Your reviews are kept; reload when you finish this card. " : ""}
        <button
          type="button"
          onClick={() => {
            if (waiting) takeOver(waiting);
            else window.location.reload();
          }}
        >
          Reload now
        </button>
      </p>
    </div>
  );
}
