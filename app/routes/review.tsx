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
import { getTopic } from "~/content/course.server";
import { focusFrom, focusView } from "~/items/custom-study.server";
import { setSuspended } from "~/items/items.server";
import { z } from "zod";

const SuspendSchema = z.object({ itemId: z.string({ invalid_type_error: "is required" }).min(1, "is required").max(100) });

export const headers = actionRetryAfter;
export const meta: MetaFunction = () => pageTitle("Review");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const now = clock();
  // Custom study and "review now" (/review?topic=…, /review?item=…): the same session over chosen items (ADR 027).
  const focus = focusFrom(url.searchParams);
  const [view, summary] = await Promise.all([focus ? focusView(user.id, focus, now, 30) : reviewView(user.id, now, 30), sessionSummary(user.id, now)]);
  const feedbackFor = url.searchParams.get("feedback");
  const feedback = feedbackFor ? await latestReviewFeedback(user.id, feedbackFor, now) : null;
  return {
    view,
    summary,
    reveal: url.searchParams.get("reveal"),
    feedback,
    undone: url.searchParams.has("undone"),
    rerated: url.searchParams.has("rerated"),
    focus: focus ? ("topic" in focus ? { topic: focus.topic, title: getTopic(focus.topic)!.title } : { item: focus.item }) : null,
    suspended: url.searchParams.has("suspended"),
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
  // A topic session continues where it was (the form posts to this URL, query included).
  const topic = new URL(request.url).searchParams.get("topic");
  const here = topic && getTopic(topic) ? `/review?topic=${encodeURIComponent(topic)}` : "/review";
  const then = (flag: string) => `${here}${here.includes("?") ? "&" : "?"}${flag}`;
  if (form.get("intent") === "suspend") {
    const parsed = SuspendSchema.safeParse({ itemId: form.get("itemId") });
    if (!parsed.success) return data({ error: `itemId: ${parsed.error.issues[0]!.message}` }, { status: 400 });
    const res = await setSuspended(user.id, [parsed.data.itemId], true, clock());
    if (res.status === "not-found") return data({ error: "No such item." }, { status: 404 });
    return redirect(then("suspended=1"), 303);
  }
  const outcome = await applyReviewAction(user.id, form);
  if (!outcome.ok) {
    if (outcome.httpStatus === 409 && form.get("intent") !== "overrule") return redirect(then("stale=1"), 303);
    return data({ error: outcome.error }, { status: outcome.httpStatus });
  }
  if (outcome.feedback) return redirect(then(`feedback=${encodeURIComponent(outcome.feedback.itemId)}`), 303);
  if (outcome.status === "undone") return redirect(then("undone=1"), 303);
  if (outcome.status === "rerated" || (outcome.status === "duplicate" && form.get("intent") === "overrule")) return redirect(then("rerated=1"), 303);
  return redirect(here, 303);
}

export default function Review() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{loaderData.focus && "topic" in loaderData.focus ? `Review: ${loaderData.focus.title}` : "Review"}</h1>
      {loaderData.focus ? (
        <p className="muted">
          {"topic" in loaderData.focus ? "Custom study: this topic's items ahead of schedule, weakest first. Ratings count as ordinary (early) reviews." : "Review now: this item ahead of schedule, as an ordinary (early) review."}{" "}
          <Link to="/review">Back to today's reviews</Link>
        </p>
      ) : null}
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
