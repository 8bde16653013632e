import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { endAllSessions, endSession, requireUser } from "~/auth/session.server";
import { ChangePasswordSchema, fieldErrors } from "~/auth/schemas";
import { changePassword, checkPassword, deleteUser, isTimeZone } from "~/auth/users.server";
import { busyResponse, ServerBusyError } from "~/auth/password.server";
import { lightDaysFromForm, NUMERIC_SETTINGS, SettingsSchema } from "~/settings/schema";
import { WEEKDAY_NAMES } from "~/domain/load-balance";
import { retentionEffects, type RetentionEffect } from "~/domain/retention";
import { clock } from "~/utils/clock.server";
import { useState } from "react";
import { getSettings, updateSettings } from "~/settings/settings.server";
import { badRequest, readForm } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import { Field } from "~/components/field";
import { MemoryModelSection, SimulatorChart } from "~/components/memory-model";
import { modelView, simulateFor } from "~/optimizer/model.server";
import { fitBackOff, requestFit, resetWeights } from "~/optimizer/jobs.server";
import { MIN_REVIEWS } from "~/optimizer/policy";
import { ThemeToggle } from "~/components/theme-toggle";
import { RescheduleCheckbox, RescheduleOffer } from "~/reschedule/reschedule-form";
import { RescheduleFlagSchema, rescheduleMessage } from "~/reschedule/schema";
import { offerAfterFit, rescheduleLearner } from "~/reschedule/reschedule.server";

export const meta: MetaFunction = () => pageTitle("Account and settings");

/** A 503 keeps its Retry-After header. */
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const settings = await getSettings(user.id);
  // What each retention would mean for a typical card, with this learner's weights and steps.
  const effects = retentionEffects(
    {
      maximumInterval: settings.maximumInterval,
      learningSteps: settings.learningSteps,
      relearningSteps: settings.relearningSteps,
      weights: settings.weights ? (JSON.parse(settings.weights) as number[]) : null,
    },
    NUMERIC_SETTINGS.desiredRetention,
    clock(),
  );
  const now = clock();
  const model = await modelView(settings, now);
  // "Help me choose": simulated only when asked for (cached per learner and day).
  const simulation = new URL(request.url).searchParams.get("simulate") === "1" ? await simulateFor(settings, now) : null;
  return {
    username: user.username,
    settings: { ...settings, weights: undefined, fitInfo: undefined },
    effects,
    timeZones: Intl.supportedValuesOf("timeZone"),
    model,
    // After an adopted fit: offer to move the cards to the new model (ADR 030).
    rescheduleOffer: offerAfterFit(model.fitted?.fittedAt, settings.rescheduledAt) ? model.fitted!.fittedOn : null,
    simulation: simulation && { suggested: simulation.suggested, outcomes: simulation.outcomes.map(({ retention, averageReviewsPerDay, knowledgeAtEnd }) => ({ retention, averageReviewsPerDay, knowledgeAtEnd })) },
  };
}

const IntentSchema = z.object({ intent: z.enum(["settings", "change-password", "logout-everywhere", "delete-account", "optimise", "default-weights", "reschedule"]) });
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
      const parsed = SettingsSchema.safeParse(lightDaysFromForm(form));
      const flag = RescheduleFlagSchema.safeParse(form);
      if (!parsed.success || !flag.success) return badRequest({ intent: "settings", errors: { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...(flag.success ? {} : fieldErrors(flag.error)) } });
      if (!isTimeZone(parsed.data.timeZone)) return badRequest({ intent: "settings", errors: { timeZone: "Unknown time zone" } as Record<string, string> });
      const { intent: _, ...values } = parsed.data;
      await updateSettings(user.id, values);
      if (!flag.data.reschedule) return { ok: true as const, intent: "settings", message: "Settings saved." };
      return { ok: true as const, intent: "settings", message: `Settings saved. ${rescheduleMessage(await rescheduleLearner(user.id, clock()))}` };
    }
    case "reschedule": {
      const result = await rescheduleLearner(user.id, clock());
      return { ok: true as const, intent: "reschedule", message: rescheduleMessage(result) };
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
    case "optimise": {
      const model = await modelView(await getSettings(user.id), clock());
      if (model.reviews < MIN_REVIEWS) return badRequest({ intent: "optimise", errors: { form: `Optimising needs at least ${MIN_REVIEWS} reviews; you have ${model.reviews}.` } as Record<string, string> });
      const backOff = await fitBackOff(user.id, clock());
      if (backOff) {
        return badRequest({
          intent: "optimise",
          errors: { form: `The last fit did not succeed (${backOff.error}); next try after ${backOff.reviewsLeft} more review${backOff.reviewsLeft === 1 ? "" : "s"} or a day after it.` } as Record<string, string>,
        });
      }
      await requestFit(user.id, clock());
      return { ok: true as const, intent: "optimise", message: "A fit is queued: it runs in the background and starts within a few seconds. Reload this page to see it." };
    }
    case "default-weights": {
      const flag = RescheduleFlagSchema.safeParse(form);
      if (!flag.success) return badRequest({ intent: "default-weights", errors: { form: flag.error.issues[0]!.message } as Record<string, string> });
      await resetWeights(user.id);
      if (!flag.data.reschedule) return { ok: true as const, intent: "default-weights", message: "Back to FSRS's default weights." };
      return { ok: true as const, intent: "default-weights", message: `Back to FSRS's default weights. ${rescheduleMessage(await rescheduleLearner(user.id, clock()))}` };
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
  const { username, settings, effects, timeZones, model, simulation, rescheduleOffer } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errorsFor = (intent: string): Record<string, string | undefined> =>
    result && "errors" in result && result.intent === intent ? (result.errors as Record<string, string>) : {};
  const messageFor = (intent: string) => (result && "message" in result && result.intent === intent ? result.message : null);
  const s = errorsFor("settings");
  return (
    <div className="account">
      <h1>Account: {username}</h1>

      <section aria-labelledby="appearance-title" className="form">
        <h2 id="appearance-title">Appearance</h2>
        <ThemeToggle id="account-theme" legend="Colour theme" />
        <p className="hint">System follows your device&apos;s light or dark setting. Your choice is kept with your account, on every device.</p>
      </section>

      <section aria-labelledby="settings-title" className="form">
        <h2 id="settings-title">Study settings</h2>
        {messageFor("settings") ? (
          <p className="success" role="status">
            {messageFor("settings")}
          </p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="settings" />
          <RetentionField saved={settings.desiredRetention} effects={effects} error={s.desiredRetention} />
          <Field name="newPerDay" label="New cards per day" type="number" {...NUMERIC_SETTINGS.newPerDay} defaultValue={String(settings.newPerDay)} error={s.newPerDay} hint="0 to 500. Each new card takes about two ratings on its first day (its learning steps), then comes back in days." />
          <Field name="dailyGoal" label="Daily goal (ratings a day)" type="number" {...NUMERIC_SETTINGS.dailyGoal} defaultValue={String(settings.dailyGoal)} error={s.dailyGoal} hint="1 to 1000. Your home page shows how far you are and says when you are done for today." />
          <Field name="reviewCap" label="Maximum reviews per day" type="number" {...NUMERIC_SETTINGS.reviewCap} defaultValue={String(settings.reviewCap)} error={s.reviewCap} hint="1 to 5000. Reviews beyond this wait for the next day, most at risk first." />
          <Field name="dayStartHour" label="Day starts at (hour, 0 to 23)" type="number" {...NUMERIC_SETTINGS.dayStartHour} defaultValue={String(settings.dayStartHour)} error={s.dayStartHour} hint="Reviews done before this hour count for the previous day." />
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
          <Field name="maximumInterval" label="Maximum interval (days)" type="number" {...NUMERIC_SETTINGS.maximumInterval} defaultValue={String(settings.maximumInterval)} error={s.maximumInterval} hint="1 to 36500. No card waits longer than this between reviews." />
          <Field name="learningSteps" label="Learning steps" defaultValue={settings.learningSteps} error={s.learningSteps} hint='For example "1m 10m".' />
          <Field name="relearningSteps" label="Relearning steps" defaultValue={settings.relearningSteps} error={s.relearningSteps} hint='For example "10m".' />
          <Field name="leechThreshold" label="Leech after (lapses)" type="number" {...NUMERIC_SETTINGS.leechThreshold} defaultValue={String(settings.leechThreshold)} error={s.leechThreshold} hint="0 to 99 (0: never). An item forgotten this many times is marked a leech on its review card and in Items, where you can suspend it." />
          <fieldset className="field light-days">
            <legend>Light days</legend>
            <p className="hint" id="light-days-hint">
              Reviews are spread to other days where FSRS allows (within the few days' spread it already adds); a light day gets fewer.
            </p>
            <input type="hidden" name="lightDaysSent" value="1" />
            {WEEKDAY_NAMES.map((name, d) => (
              <label key={name} className="checkbox">
                <input type="checkbox" name={`light-${d}`} defaultChecked={settings.lightDays.split(",").includes(String(d))} aria-describedby="light-days-hint" /> {name}
              </label>
            ))}
            {s.lightDays ? <p className="field-error">{s.lightDays}</p> : null}
          </fieldset>
          <RescheduleCheckbox id="settings-reschedule" error={s.reschedule} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              Save settings
            </button>
          </div>
        </Form>
      </section>

      <MemoryModelSection model={model} message={messageFor("optimise") ?? messageFor("default-weights")} error={errorsFor("optimise").form ?? errorsFor("default-weights").form} busy={busy} />
      <RescheduleOffer changedOn={rescheduleOffer} message={messageFor("reschedule")} busy={busy} />
      {simulation ? <SimulatorChart simulation={simulation} current={settings.desiredRetention} /> : null}

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
          <a className="button secondary" href="/account/data">
            Export to Anki, import a backup
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

const SHOWN_RETENTIONS = [0.8, 0.85, 0.9, 0.95, 0.97, 0.99];
const days = (n: number) => (n === 1 ? "1 day" : `${n.toLocaleString("en-US")} days`);

/** Desired retention, with what the typed value means for a typical card (FSRS with the learner's weights). */
function RetentionField({ saved, effects, error }: { saved: number; effects: RetentionEffect[]; error?: string }) {
  const [typed, setTyped] = useState(String(saved));
  const value = Number(typed);
  const effect = effects.find((e) => Math.abs(e.retention - value) < 1e-9);
  const base = effects.find((e) => Math.abs(e.retention - 0.9) < 1e-9);
  return (
    <div className="retention-setting">
      <Field
        name="desiredRetention"
        label="Desired retention"
        type="number"
        {...NUMERIC_SETTINGS.desiredRetention}
        defaultValue={String(saved)}
        onChange={setTyped}
        error={error}
        hint="The chance you still remember a card when it comes back: 0.70 to 0.99, in steps of 0.01. Lower means longer intervals and fewer reviews, but more forgetting."
      />
      <p className="hint" id="retention-effect" aria-live="polite">
        {effect ? (
          <>
            At {effect.retention.toFixed(2)}, a card you rate Good each time comes back {days(effect.firstInterval)} after you learn it, then after {days(effect.secondInterval)}, and takes{" "}
            {effect.ratingsFirstYear} ratings in its first year{base && effect !== base ? ` (at 0.90: ${days(base.firstInterval)}, ${days(base.secondInterval)}, ${base.ratingsFirstYear} ratings)` : ""}.
            {effect.retention > 0.95 ? " Above 0.95 the workload grows steeply for little more memory." : ""}
          </>
        ) : (
          "Enter a value from 0.70 to 0.99 to see what it means."
        )}
      </p>
      {/* Wider than 320 px: it scrolls sideways, so the keyboard must reach it (axe scrollable-region-focusable). */}
      <div className="retention-scroll" tabIndex={0} role="group" aria-label="Retention table">
      <table className="retention-table">
        <caption>A card rated Good each time, by desired retention (your scheduler). Above 0.95 reviews grow steeply.</caption>
        <thead>
          <tr>
            <th scope="col">Retention</th>
            <th scope="col">First interval</th>
            <th scope="col">Next interval</th>
            <th scope="col">Ratings in a year</th>
          </tr>
        </thead>
        <tbody>
          {effects
            .filter((e) => SHOWN_RETENTIONS.some((r) => Math.abs(r - e.retention) < 1e-9))
            .map((e) => (
              <tr key={e.retention} aria-current={Math.abs(e.retention - saved) < 1e-9 ? "true" : undefined}>
                <th scope="row">{e.retention.toFixed(2)}</th>
                <td>{days(e.firstInterval)}</td>
                <td>{days(e.secondInterval)}</td>
                <td>{e.ratingsFirstYear}</td>
              </tr>
            ))}
        </tbody>
      </table>
      </div>
    </div>
  );
}
