import { z } from "zod";

/** "system" follows the device (prefers-color-scheme); the other two override it. */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_LABELS: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

export const ThemeSchema = z.enum(THEMES, { errorMap: () => ({ message: "Choose system, light or dark" }) });

export const ThemeFormSchema = z.object({
  theme: ThemeSchema,
  // Where to go back to without JavaScript; a path on this site (checked by safeRedirect).
  returnTo: z.string().max(2000).optional(),
});

/** Anything stored or sent that is not a known theme counts as "system". */
export function asTheme(value: unknown): Theme {
  return ThemeSchema.safeParse(value).success ? (value as Theme) : "system";
}
