/**
 * POST /theme: choose the colour theme (system, light, dark). Everyone gets a
 * cookie; a signed-in learner's Settings row keeps it too. The form works
 * without JavaScript (it sends returnTo and is redirected back); the page's
 * fetcher sends no returnTo and gets a small JSON answer instead.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getOptionalUser, safeRedirect, secureFor } from "~/auth/session.server";
import { ThemeFormSchema } from "~/theme/theme";
import { saveTheme, themeCookieHeader } from "~/theme/theme.server";
import { readForm } from "~/utils/http.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = ThemeFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  // A resource route (no page of its own): plain Responses, so the status reaches the client as written.
  if (!parsed.success) return Response.json({ ok: false, error: parsed.error.issues[0]?.message ?? "Choose system, light or dark" }, { status: 400 });
  const { theme, returnTo } = parsed.data;
  const user = await getOptionalUser(request);
  if (user) await saveTheme(user.id, theme);
  const headers = { "Set-Cookie": await themeCookieHeader(theme, secureFor(request)) };
  if (returnTo !== undefined) return redirect(safeRedirect(returnTo), { headers });
  return Response.json({ ok: true, theme }, { headers });
}
