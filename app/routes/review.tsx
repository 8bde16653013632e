/**
 * The daily review. Without JavaScript it is a sequence of plain forms: reveal
 * is a GET, a rating is a POST that redirects back here. With JavaScript the
 * same markup becomes instant: the next cards are already on the page, ratings
 * are saved in the background through a durable outbox, and keys drive it
 * (Space/Enter reveal, 1-4 rate, U or Ctrl+Z undo).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { actionRetryAfter, checkWrite, retryAfter } from "~/limits/write-caps.server";
import { applyReviewAction, reviewView } from "~/review/actions.server";
import { sessionSummary } from "~/review/review.server";
import { latestReviewFeedback } from "~/quiz/feedback.server";
import { pageTitle } from "~/utils/meta";
import { readForm } from "~/utils/http.server";
import { clock } from "~/utils/clock.server";
import { ReviewSession } from "~/components/review-session";

export const headers = actionRetryAfter;
export const meta: MetaFunction = () => pageTitle("Review");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const now = clock();
  const [view, summary] = await Promise.all([reviewView(user.id, now, 30), sessionSummary(user.id, now)]);
  const feedbackFor = url.searchParams.get("feedback");
  const feedback = feedbackFor ? await latestReviewFeedback(user.id, feedbackFor, now) : null;
  return {
    view,
    summary,
    reveal: url.searchParams.get("reveal"),
    feedback,
    undone: url.searchParams.has("undone"),
    rerated: url.searchParams.has("rerated"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const cap = await checkWrite(user.id, "review");
  if (!cap.allowed) return data({ error: cap.message }, { status: 429, headers: retryAfter(cap) });
  let form: FormData;
  try {
    form = await readForm(request);
  } catch {
    return data({ error: "The form could not be read." }, { status: 400 });
  }
  const outcome = await applyReviewAction(user.id, form);
  if (!outcome.ok) {
    if (outcome.httpStatus === 409 && form.get("intent") !== "overrule") return redirect("/review?stale=1", 303);
    return data({ error: outcome.error }, { status: outcome.httpStatus });
  }
  if (outcome.feedback) return redirect(`/review?feedback=${encodeURIComponent(outcome.feedback.itemId)}`, 303);
  if (outcome.status === "undone") return redirect("/review?undone=1", 303);
  if (outcome.status === "rerated" || (outcome.status === "duplicate" && form.get("intent") === "overrule")) return redirect("/review?rerated=1", 303);
  return redirect("/review", 303);
}

export default function Review() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>Review</h1>
      {actionData && "error" in actionData ? (
        <p className="form-error" role="alert">
          {actionData.error}
        </p>
      ) : null}
      <ReviewSession {...loaderData} />
      <noscript>
        <p className="muted">
          Keyboard shortcuts need JavaScript; every button works without it. <Link to="/account">Settings</Link>
        </p>
      </noscript>
    </>
  );
}
