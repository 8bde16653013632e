/**
 * The review API's answers as plain values (status, headers, JSON body), so
 * the route (app/routes/api.review.tsx) and the framework-free path for a
 * rating on PostgreSQL (fast-path.server.ts, ADR 038) answer alike.
 */
import { UNAUTHORIZED_API_BODY } from "~/auth/api.server";
import { isDiskError } from "~/db/client.server";
import { retryAfter } from "~/limits/write-caps.server";
import { rateCardOnPostgres } from "./actions.server";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const toResponse = (a: Answer) => Response.json(a.body, { status: a.status, headers: a.headers });

export const unauthorizedAnswer = (): Answer => ({ status: 401, headers: {}, body: UNAUTHORIZED_API_BODY });

export const refusedAnswer = (cap: { retryAfterSeconds: number; message: string }): Answer => ({
  status: 429,
  headers: { "Cache-Control": "no-store", ...retryAfter(cap) },
  body: { ok: false, error: cap.message, retryAfterSeconds: cap.retryAfterSeconds },
});

// A full or read-only disk: nothing was saved. Say so plainly; the page keeps the rating and sends it again.
export const diskFullAnswer = (): Answer => ({
  status: 503,
  headers: { "Cache-Control": "no-store", "Retry-After": "30" },
  body: { ok: false, error: "The server cannot save right now (its disk is full or read-only). Your review is kept on this device and will be sent again." },
});

/** The two-round-trip rating of a course flashcard on PostgreSQL (ADR 034), or null for anything it does not take. */
export async function ratingOnPostgres(sessionId: string, form: FormData | URLSearchParams, now: Date): Promise<Answer | null> {
  try {
    const r = await rateCardOnPostgres(sessionId, form, now);
    if (!r) return null;
    if (r.kind === "unauthorized") return unauthorizedAnswer();
    if (r.kind === "refused") return refusedAnswer(r);
    // COMMIT returned: the review is on disk (synchronous_commit) before this answer goes out.
    const { outcome, view } = r;
    return { status: outcome.ok ? 200 : outcome.httpStatus, headers: { "Cache-Control": "no-store" }, body: { ...outcome, view } };
  } catch (e) {
    if (!isDiskError(e)) throw e;
    return diskFullAnswer();
  }
}
