import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireAnonymous, safeRedirect, startSession } from "~/auth/session.server";
import { LoginSchema, fieldErrors } from "~/auth/schemas";
import { authenticate, usernameKey } from "~/auth/users.server";
import { assertHashCapacity, busyResponse, ServerBusyError } from "~/auth/password.server";
import { clear, clientIp, hit, ipLimit, tooManyRequests, userLimit } from "~/auth/rate-limit.server";
import { badRequest, readForm } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import { Field } from "~/components/field";

export const meta: MetaFunction = () => pageTitle("Log in");

/** A 429 keeps its Retry-After header. */
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

const FAILED = "That username and password do not match an account.";

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = Object.fromEntries(await readForm(request));
  const parsed = LoginSchema.safeParse(form);
  if (!parsed.success) return badRequest({ errors: fieldErrors(parsed.error), username: String(form.username ?? "") });
  const redirectTo = safeRedirect(parsed.data.redirectTo, "/");
  const username = parsed.data.username;
  const busy = (e: ServerBusyError) => {
    const answer = busyResponse(e);
    return data({ ok: false as const, errors: { form: answer.message } as Record<string, string>, username }, answer.init);
  };
  const ip = clientIp(request);
  const pairKey = `login:user-ip:${usernameKey(username)}:${ip}`;
  let user: Awaited<ReturnType<typeof authenticate>>;
  try {
    // A full hashing queue turns the login away before it counts or writes anything.
    assertHashCapacity();
    const limit = await hit([
      [`login:ip:${ip}`, ipLimit()],
      [pairKey, userLimit()],
    ]);
    if (!limit.allowed) {
      const tooMany = tooManyRequests(limit.retryAfterSeconds);
      return data({ ok: false as const, errors: { form: tooMany.message } as Record<string, string>, username }, tooMany.init);
    }
    user = await authenticate(username, parsed.data.password);
  } catch (e) {
    if (e instanceof ServerBusyError) return busy(e);
    throw e;
  }
  if (!user) return badRequest({ errors: { form: FAILED } as Record<string, string>, username }, { status: 401 });
  await clear(pairKey);
  const cookie = await startSession(user.id, request);
  return redirect(redirectTo, { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  return (
    <div className="form">
      <h1>Log in</h1>
      {params.get("redirectTo") ? <p className="notice">Log in to continue. Reviews, quizzes, exercises and progress are kept per learner.</p> : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <Field name="username" label="Username" autoComplete="username" error={errors.username} defaultValue={result?.username} autoFocus />
        <Field name="password" label="Password" type="password" autoComplete="current-password" error={errors.password} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Logging in…" : "Log in"}
          </button>
        </div>
      </Form>
      <p>
        New here? <Link to={`/signup${params.toString() ? `?${params}` : ""}`}>Create an account</Link>
      </p>
    </div>
  );
}
