/**
 * The theme setting: a cookie for everyone (so an anonymous visitor's choice
 * survives a reload) and, for a learner, the Settings row (so it follows them to
 * another device). The root loader reads it and the server renders
 * <html data-theme>, so the first paint is already in the right colours
 * (docs/decisions/023-theme-without-a-flash.md).
 */
import { createCookie } from "@remix-run/node";
import { getDb } from "~/db/client.server";
import type { SessionUser } from "~/auth/session.server";
import { asTheme, type Theme } from "./theme";

const ONE_YEAR_S = 365 * 24 * 60 * 60;

// Not signed: it holds nothing but a colour preference, and a forged value is just a theme.
const themeCookie = createCookie("theme", { path: "/", sameSite: "lax", httpOnly: true, maxAge: ONE_YEAR_S });

export async function themeFromCookie(request: Request): Promise<Theme> {
  const header = request.headers.get("Cookie");
  if (!header) return "system";
  return asTheme(await themeCookie.parse(header));
}

/** A learner's saved setting wins over the cookie (it is what they chose on their account). */
export async function themeFor(request: Request, user: SessionUser | null): Promise<Theme> {
  return user ? asTheme(user.theme) : themeFromCookie(request);
}

export function themeCookieHeader(theme: Theme, secure: boolean): Promise<string> {
  return themeCookie.serialize(theme, { secure });
}

export async function saveTheme(userId: string, theme: Theme): Promise<void> {
  await getDb().settings.upsert({ where: { userId }, create: { userId, theme }, update: { theme } });
}
