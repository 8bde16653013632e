/**
 * Ratings left in the outbox by a review page the learner left before they
 * were sent (a link followed right after rating, the tab's request cut off by
 * the navigation) are sent from whatever page the learner opens next, not only
 * when they come back to /review; once one is saved, the page's data is read
 * again, so the dashboard or the progress page counts it. The review page
 * sends its own (components/review-session.tsx).
 */
import { useLocation, useRevalidator, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Outbox } from "./outbox";

type RootData = { user: { id: string } | null };

export function SendPendingRatings() {
  const learner = useRouteLoaderData<RootData>("root")?.user?.id ?? null;
  const { pathname } = useLocation();
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;

  useEffect(() => {
    if (!learner || pathname === "/review" || typeof localStorage === "undefined") return;
    const outbox = new Outbox(learner, () => undefined);
    let left = outbox.pending().length;
    if (left === 0) return;
    // Each time one is saved (now, or on a retry after no answer), this page's figures are read again.
    const unsubscribe = outbox.subscribe((pending) => {
      if (pending < left) revalidate.current();
      left = pending;
    });
    void outbox.flush();
    return () => {
      unsubscribe();
    };
  }, [learner, pathname]);
  return null;
}
