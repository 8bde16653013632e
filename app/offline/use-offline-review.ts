/**
 * The review page's side of the offline session (docs/decisions/024-offline-app.md):
 * online, it keeps the day's queue on the device; offline (or on a page the
 * service worker served from the device), it gives the page that queue
 * without what was rated here already.
 */
import { useRouteLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Presented } from "~/review/present.server";
import { Outbox } from "~/review/outbox";
import { loadQueue, markRated, offlineEntries, ratedKey, saveQueue, type OfflineQueue } from "./review-store";

type RootData = { user: { id: string } | null };

export interface OfflineReview {
  /** Questions and exercises left out of an offline session (they need the server to check them). */
  heldBack: number;
  /** More flashcards from the kept queue, for an offline session whose page ran out. */
  more: () => Promise<Presented[] | null>;
  rated: (entry: { itemId: string; version: number }) => void;
  /** An offline rating taken back before it left (undo): the entry may be shown again. */
  unrated: (entry: { itemId: string; version: number }) => void;
}

/** The ratings still in the outbox count as rated too (their marks may not have reached the store before the tab closed). */
function withOutbox(queue: OfflineQueue, learner: string): OfflineQueue {
  const pending = new Outbox(learner, () => undefined).pending().map(ratedKey);
  return { ...queue, rated: [...queue.rated, ...pending] };
}

const online = () => typeof navigator === "undefined" || navigator.onLine;

export function useOfflineReview(pageEntries: Presented[], replace: (entries: Presented[]) => void): OfflineReview {
  const learner = useRouteLoaderData<RootData>("root")?.user?.id ?? null;
  const [heldBack, setHeldBack] = useState(0);
  const replaceRef = useRef(replace);
  replaceRef.current = replace;
  const firstEntries = useRef(pageEntries);

  useEffect(() => {
    if (!learner || typeof indexedDB === "undefined") return;
    let cancelled = false;
    void (async () => {
      const kept = await loadQueue(learner).catch(() => null);
      if (cancelled) return;
      if (!online()) {
        // Served from the device: the kept queue, less what was rated here (its page may be hours old).
        if (kept) {
          const { entries, heldBack } = offlineEntries(withOutbox(kept, learner));
          setHeldBack(heldBack);
          replaceRef.current(entries);
        }
        return;
      }
      // Online, but a page from the device (a flaky network) would still hold cards rated here: never show them twice.
      if (kept && kept.rated.length > 0) {
        const rated = new Set(kept.rated);
        const page = firstEntries.current;
        if (page.some((e) => rated.has(ratedKey(e)))) replaceRef.current(page.filter((e) => !rated.has(ratedKey(e))));
      }
      try {
        const res = await fetch("/api/review?offline=1", { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!res.ok) return;
        const body = (await res.json()) as { view?: { entries: Presented[] }; dayEndsAt?: string };
        if (!body.view || !body.dayEndsAt || cancelled) return;
        await saveQueue(learner, body.view.entries, Date.parse(body.dayEndsAt));
        // Browser tests (and anyone curious) can see that the session is kept for offline use.
        document.documentElement.dataset.offlineReview = "saved";
      } catch {
        // No connection after all: the queue kept earlier stays.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [learner]);

  const more = useCallback(async () => {
    if (!learner || online()) return null;
    const kept = await loadQueue(learner).catch(() => null);
    if (!kept) return null;
    const { entries, heldBack } = offlineEntries(withOutbox(kept, learner));
    setHeldBack(heldBack);
    return entries;
  }, [learner]);

  const rated = useCallback(
    (e: { itemId: string; version: number }) => {
      if (learner && typeof indexedDB !== "undefined") void markRated(learner, ratedKey(e)).catch(() => undefined);
    },
    [learner],
  );
  const unrated = useCallback(
    (e: { itemId: string; version: number }) => {
      if (learner && typeof indexedDB !== "undefined") void markRated(learner, ratedKey(e), false).catch(() => undefined);
    },
    [learner],
  );
  return useMemo(() => ({ heldBack, more, rated, unrated }), [heldBack, more, rated, unrated]);
}
