import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireAnonymous, safeRedirect, startSession } from "~/auth/session.server";
import { SignupSchema, fieldErrors } from "~/auth/schemas";
import { createUser, UsernameTakenError } from "~/auth/users.server";
import { busyResponse, ServerBusyError } from "~/auth/password.server";
import { clientIp, hit, ipLimit, tooManyRequests } from "~/auth/rate-limit.server";
import { badRequest, readForm } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import { Field } from "~/components/field";

export const meta: MetaFunction = () => pageTitle("Sign up");

/** A 429 keeps its Retry-After header. */
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = Object.fromEntries(await readForm(request));
  const limit = await hit([[`signup:ip:${clientIp(request)}`, ipLimit()]]);
  if (!limit.allowed) {
    const tooMany = tooManyRequests(limit.retryAfterSeconds);
    return data({ ok: false as const, errors: { form: tooMany.message } as Record<string, string>, username: String(form.username ?? "") }, tooMany.init);
  }
  const parsed = SignupSchema.safeParse(form);
  if (!parsed.success) return badRequest({ errors: fieldErrors(parsed.error), username: String(form.username ?? "") });
  // Where to go next is settled before anything is written.
  const redirectTo = safeRedirect(parsed.data.redirectTo, "/");
  try {
    const user = await createUser(parsed.data.username, parsed.data.password, parsed.data.timeZone);
    const cookie = await startSession(user.id, request);
    return redirect(redirectTo, { headers: { "Set-Cookie": cookie } });
  } catch (e) {
    if (e instanceof UsernameTakenError) return badRequest({ errors: { username: e.message } as Record<string, string>, username: parsed.data.username });
    if (e instanceof ServerBusyError) {
      const busy = busyResponse(e);
      return data({ ok: false as const, errors: { form: busy.message } as Record<string, string>, username: parsed.data.username }, busy.init);
    }
    throw e;
  }
}

export default function Signup() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [timeZone, setTimeZone] = useState("");
  useEffect(() => setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  return (
    <div className="form">
      <h1>Create your account</h1>
      <p className="lede">Your reviews, quiz results and exercise progress are kept private to you.</p>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <input type="hidden" name="timeZone" value={timeZone} />
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <Field name="username" label="Username" autoComplete="username" error={errors.username} defaultValue={result?.username} hint="3 to 32 letters, digits, dots, dashes or underscores. Not case-sensitive." autoFocus />
        <Field name="password" label="Password" type="password" autoComplete="new-password" error={errors.password} hint="At least 10 characters." />
        <Field name="confirm" label="Repeat the password" type="password" autoComplete="new-password" error={errors.confirm} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Creating…" : "Create account"}
          </button>
        </div>
      </Form>
      <p>
        Already have an account? <Link to={`/login${params.toString() ? `?${params}` : ""}`}>Log in</Link>
      </p>
    </div>
  );
}
