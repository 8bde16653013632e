import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { endAllSessions, endSession, requireUser } from "~/auth/session.server";
import { ChangePasswordSchema, fieldErrors } from "~/auth/schemas";
import { changePassword, checkPassword, deleteUser, isTimeZone } from "~/auth/users.server";
import { busyResponse, ServerBusyError } from "~/auth/password.server";
import { SettingsSchema } from "~/settings/schema";
import { getSettings, updateSettings } from "~/settings/settings.server";
import { badRequest, readForm } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import { Field } from "~/components/field";

export const meta: MetaFunction = () => pageTitle("Account and settings");

/** A 503 keeps its Retry-After header. */
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const settings = await getSettings(user.id);
  return { username: user.username, settings, timeZones: Intl.supportedValuesOf("timeZone") };
}

const IntentSchema = z.object({ intent: z.enum(["settings", "change-password", "logout-everywhere", "delete-account"]) });
const DeleteSchema = z.object({ intent: z.literal("delete-account"), password: z.string().min(1, "Enter your password to confirm").max(200) });

/** A password check that finds the hashing queue full answers 503 beside the form that asked. */
export async function action(args: ActionFunctionArgs) {
  const copy = args.request.clone();
  try {
    return await accountAction(args);
  } catch (e) {
    if (!(e instanceof ServerBusyError)) throw e;
    const intent = String((await copy.formData()).get("intent"));
    const busy = busyResponse(e);
    const field = intent === "delete-account" ? "password" : "current";
    return data({ ok: false as const, intent, errors: { [field]: busy.message } as Record<string, string> }, busy.init);
  }
}

async function accountAction({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = Object.fromEntries(await readForm(request));
  const intent = IntentSchema.safeParse(form);
  if (!intent.success) return badRequest({ intent: null, errors: { form: "Unknown action" } as Record<string, string> });
  switch (intent.data.intent) {
    case "settings": {
      const parsed = SettingsSchema.safeParse(form);
      if (!parsed.success) return badRequest({ intent: "settings", errors: fieldErrors(parsed.error) });
      if (!isTimeZone(parsed.data.timeZone)) return badRequest({ intent: "settings", errors: { timeZone: "Unknown time zone" } as Record<string, string> });
      const { intent: _, ...values } = parsed.data;
      await updateSettings(user.id, values);
      return { ok: true as const, intent: "settings", message: "Settings saved." };
    }
    case "change-password": {
      const parsed = ChangePasswordSchema.safeParse(form);
      if (!parsed.success) return badRequest({ intent: "change-password", errors: fieldErrors(parsed.error) });
      if (!(await checkPassword(user.id, parsed.data.current))) {
        return badRequest({ intent: "change-password", errors: { current: "That is not your current password" } as Record<string, string> });
      }
      await changePassword(user.id, parsed.data.password, user.sessionId);
      return { ok: true as const, intent: "change-password", message: "Password changed. Your other sessions were logged out." };
    }
    case "logout-everywhere":
      return redirect("/login", { headers: { "Set-Cookie": await endAllSessions(user.id, request) } });
    case "delete-account": {
      const parsed = DeleteSchema.safeParse(form);
      if (!parsed.success) return badRequest({ intent: "delete-account", errors: fieldErrors(parsed.error) });
      if (!(await checkPassword(user.id, parsed.data.password))) {
        return badRequest({ intent: "delete-account", errors: { password: "That is not your password" } as Record<string, string> });
      }
      const cookie = await endSession(request);
      await deleteUser(user.id);
      return redirect("/?deleted=1", { headers: { "Set-Cookie": cookie } });
    }
  }
}

export default function Account() {
  const { username, settings, timeZones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errorsFor = (intent: string): Record<string, string | undefined> =>
    result && "errors" in result && result.intent === intent ? (result.errors as Record<string, string>) : {};
  const messageFor = (intent: string) => (result && "message" in result && result.intent === intent ? result.message : null);
  const s = errorsFor("settings");
  return (
    <div className="account">
      <h1>Account: {username}</h1>

      <section aria-labelledby="settings-title" className="form">
        <h2 id="settings-title">Study settings</h2>
        {messageFor("settings") ? (
          <p className="success" role="status">
            {messageFor("settings")}
          </p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="settings" />
          <Field name="desiredRetention" label="Desired retention" type="number" defaultValue={String(settings.desiredRetention)} error={s.desiredRetention} hint="The chance you still remember an item when it comes back, 0.70 to 0.99. Higher means more reviews." />
          <Field name="newPerDay" label="New cards per day" type="number" defaultValue={String(settings.newPerDay)} error={s.newPerDay} />
          <Field name="reviewCap" label="Maximum reviews per day" type="number" defaultValue={String(settings.reviewCap)} error={s.reviewCap} />
          <Field name="dayStartHour" label="Day starts at (hour, 0 to 23)" type="number" defaultValue={String(settings.dayStartHour)} error={s.dayStartHour} hint="Reviews done before this hour count for the previous day." />
          <div className="field">
            <label htmlFor="field-timeZone">Time zone</label>
            <select id="field-timeZone" name="timeZone" defaultValue={settings.timeZone} aria-invalid={s.timeZone ? true : undefined}>
              {timeZones.includes(settings.timeZone) ? null : <option value={settings.timeZone}>{settings.timeZone}</option>}
              {timeZones.map((tz) => (
                <option key={tz} value={tz}>
                  {tz}
                </option>
              ))}
            </select>
            {s.timeZone ? <p className="field-error">{s.timeZone}</p> : null}
          </div>
          <Field name="maximumInterval" label="Maximum interval (days)" type="number" defaultValue={String(settings.maximumInterval)} error={s.maximumInterval} />
          <Field name="learningSteps" label="Learning steps" defaultValue={settings.learningSteps} error={s.learningSteps} hint='For example "1m 10m".' />
          <Field name="relearningSteps" label="Relearning steps" defaultValue={settings.relearningSteps} error={s.relearningSteps} hint='For example "10m".' />
          <div className="actions">
            <button type="submit" disabled={busy}>
              Save settings
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="password-title" className="form">
        <h2 id="password-title">Change password</h2>
        {messageFor("change-password") ? (
          <p className="success" role="status">
            {messageFor("change-password")}
          </p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="change-password" />
          <Field form="pw" name="current" label="Current password" type="password" autoComplete="current-password" error={errorsFor("change-password").current} />
          <Field form="pw" name="password" label="New password" type="password" autoComplete="new-password" error={errorsFor("change-password").password} hint="At least 10 characters." />
          <Field form="pw" name="confirm" label="Repeat the new password" type="password" autoComplete="new-password" error={errorsFor("change-password").confirm} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              Change password
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions and data</h2>
        <div className="cta-row">
          <Form method="post" action="/logout">
            <button type="submit" className="secondary">
              Log out
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="logout-everywhere" />
            <button type="submit" className="secondary">
              Log out everywhere
            </button>
          </Form>
          <a className="button secondary" href="/account/export" download>
            Download my data (JSON)
          </a>
        </div>
      </section>

      <section aria-labelledby="delete-title" className="form">
        <h2 id="delete-title">Delete account</h2>
        <p>This deletes your account and everything stored about you: settings, reviews, quiz and exercise attempts. It cannot be undone.</p>
        <Form method="post">
          <input type="hidden" name="intent" value="delete-account" />
          <Field form="delete" name="password" label="Your password, to confirm" type="password" autoComplete="current-password" error={errorsFor("delete-account").password} />
          <div className="actions">
            <button type="submit" className="danger">
              Delete my account and data
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
