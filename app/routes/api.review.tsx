/**
 * The review page's background saves (JSON). Each call is committed and on disk
 * before the answer goes out; the answer carries the refreshed head of the queue.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { formDataOr400, requireUserForApi, requireUserIdForApi } from "~/auth/api.server";
import { sessionIdOf } from "~/auth/session.server";
import { applyReviewAction, reviewView } from "~/review/actions.server";
import { diskFullAnswer, ratingOnPostgres, refusedAnswer, toResponse } from "~/review/api-answers.server";
import { learnerSettings, settingsStatement, type Settings } from "~/review/review.server";
import { getSql } from "~/db/sql.server";
import { isDiskError } from "~/db/client.server";
import { clock } from "~/utils/clock.server";
import { focusFrom, focusView } from "~/items/custom-study.server";
import { checkWrite } from "~/limits/write-caps.server";
import { dayWindow } from "~/domain/day";
import { OFFLINE_QUEUE_LIMIT } from "~/offline/policy";
import { asOwnWrite } from "~/review/own-writes.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireUserIdForApi(request);
  if (new URL(request.url).searchParams.get("offline") === "1") {
    // The day's queue for the device to keep (app/offline/, ADR 024), and when the learner's day ends.
    const now = clock();
    const settings = await learnerSettings(userId);
    const view = await reviewView(userId, now, OFFLINE_QUEUE_LIMIT, settings);
    const dayEndsAt = dayWindow(now, settings.timeZone, settings.dayStartHour).end.toISOString();
    return Response.json({ ok: true, view, dayEndsAt }, { headers: { "Cache-Control": "no-store" } });
  }
  // A custom-study session refills from its own topic (ADR 027).
  const focus = focusFrom(new URL(request.url).searchParams);
  const view = focus ? await focusView(userId, focus, clock(), 30) : await reviewView(userId, clock(), 30);
  return Response.json({ ok: true, view }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  // PostgreSQL: a rating of a course flashcard takes two round trips in all (ADR 034), so the form is read first.
  let form: FormData | Response | null = null;
  if (getSql().provider === "postgresql") {
    const sessionId = await sessionIdOf(request);
    form = await formDataOr400(request).catch((e: unknown) => {
      if (e instanceof Response) return e; // answered after the session and the cap, as on the general path
      throw e;
    });
    if (sessionId && !(form instanceof Response)) {
      // Usually answered before this route by server.mjs (app/review/fast-path.server.ts, ADR 038); the same answer here.
      const fields = form;
      const fast = await asOwnWrite(sessionId, () => ratingOnPostgres(sessionId, fields, clock()));
      if (fast) return toResponse(fast);
    }
  }
  const { id: userId, sessionId } = await requireUserForApi(request);
  return asOwnWrite(sessionId, async () => {
    // The learner's settings come back with the count (one round trip on PostgreSQL).
    const cap = await checkWrite(userId, "review", { alsoRead: settingsStatement(userId) });
    if (!cap.allowed) return refused(cap);
    if (form instanceof Response) throw form;
    const fields = form ?? (await formDataOr400(request));
    try {
      return await save(userId, fields, await learnerSettings(userId, cap.row));
    } catch (e) {
      if (!isDiskError(e)) throw e;
      return diskFull();
    }
  });
}

const refused = (cap: { retryAfterSeconds: number; message: string }) => toResponse(refusedAnswer(cap));
const diskFull = () => toResponse(diskFullAnswer());

async function save(userId: string, form: FormData, settings: Settings) {
  const now = clock();
  // A review returns at commit; its flush to disk runs while the next cards are read.
  const outcome = await applyReviewAction(userId, form, now, { settings, syncLater: true });
  // The page already holds the next cards; a reply carries only the head of the queue.
  const view = await reviewView(userId, now, 3, settings);
  // Nothing is acknowledged before it is on disk (docs/decisions/010-sqlite-durability-and-checkpoints.md).
  await getSql().durable();
  return Response.json({ ...outcome, view }, { status: outcome.ok ? 200 : outcome.httpStatus, headers: { "Cache-Control": "no-store" } });
}
