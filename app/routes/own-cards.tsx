/**
 * Adding, editing and deleting the learner's own cards (ADR 025). The forms on
 * lesson pages and /account/data post here, with or without JavaScript: a
 * success goes back where the form was, a refusal is a 4xx with its message
 * (shown in place by the page's fetcher, or on this page without JavaScript).
 */
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { requireUserId } from "~/auth/session.server";
import { applyOwnCardAction } from "~/own-cards/actions.server";
import { safeReturnTo } from "~/own-cards/schema";
import { readForm } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = () => pageTitle("Your cards");

/** Nothing to read: the page only shows a refusal (a GET here shows where to manage cards). A redirect here would also replace the action's 4xx page. */
export async function loader() {
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const form = await readForm(request);
  const back = safeReturnTo(String(form.get("returnTo") ?? ""), "/account/data#own-cards");
  const outcome = await applyOwnCardAction(userId, form);
  if (!outcome.ok) return data({ ...outcome, back }, { status: outcome.status });
  return redirect(back, 303);
}

export default function OwnCardRefused() {
  const result = useActionData<typeof action>();
  return (
    <div className="account">
      <h1>Your card was not saved</h1>
      <p className="form-error" role="alert">
        {result && !result.ok ? result.error : "Nothing was changed. Your cards are listed on your data page."}
      </p>
      <p>
        <Link to={result?.back ?? "/account/data#own-cards"}>Go back and try again</Link>
      </p>
    </div>
  );
}
