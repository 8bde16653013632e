/**
 * The exercise page's saves (JSON): one POST per test run (intent=attempt, also
 * keeps the code as the learner's draft) and one to reveal the solution
 * (intent=reveal). Committed before the answer goes out; bad input is a 4xx
 * with a message and writes nothing.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { formDataOr400, requireUserIdForApi } from "~/auth/api.server";
import { applyExerciseAction } from "~/exercises/exercises.server";
import { checkWrite, retryAfter } from "~/limits/write-caps.server";

const NO_STORE = { "Cache-Control": "no-store" };

export function loader() {
  return Response.json({ ok: false, error: "Send a POST with intent=attempt or intent=reveal." }, { status: 405, headers: { Allow: "POST", ...NO_STORE } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") {
    return Response.json({ ok: false, error: "Use POST." }, { status: 405, headers: { Allow: "POST", ...NO_STORE } });
  }
  const userId = await requireUserIdForApi(request);
  const cap = await checkWrite(userId, "exercise");
  if (!cap.allowed) {
    return Response.json({ ok: false, error: cap.message, retryAfterSeconds: cap.retryAfterSeconds }, { status: 429, headers: { ...NO_STORE, ...retryAfter(cap) } });
  }
  const form = await formDataOr400(request);
  const outcome = await applyExerciseAction(userId, params.id ?? "", form, new Date());
  return Response.json(outcome, { status: outcome.ok ? 200 : outcome.httpStatus, headers: NO_STORE });
}
