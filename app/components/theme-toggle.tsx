/**
 * System / Light / Dark, as three pressed-or-not buttons. Without JavaScript
 * they submit a plain form to /theme, which redirects back; with it a fetcher
 * posts the choice and <html data-theme> follows at once (useThemeChoice).
 */
import { useFetcher, useLocation, useRouteLoaderData } from "@remix-run/react";
import { THEMES, THEME_LABELS, asTheme, type Theme } from "~/theme/theme";

const FETCHER_KEY = "theme";

/** The theme to render: the one being saved, else the one the root loader read. */
export function useThemeChoice(): Theme {
  const root = useRouteLoaderData<{ theme?: string }>("root");
  const fetcher = useFetcher({ key: FETCHER_KEY });
  const pending = fetcher.formData?.get("theme");
  return asTheme(pending ?? root?.theme);
}

export function ThemeToggle({ id, legend = "Theme" }: { id: string; legend?: string }) {
  const current = useThemeChoice();
  const fetcher = useFetcher({ key: FETCHER_KEY });
  const { pathname, search } = useLocation();
  return (
    <form method="post" action="/theme" className="theme-toggle">
      <input type="hidden" name="returnTo" value={pathname + search} />
      <span id={`${id}-legend`} className="theme-toggle-legend">
        {legend}
      </span>
      <span className="theme-toggle-options" role="group" aria-labelledby={`${id}-legend`}>
        {THEMES.map((theme) => (
          <button
            key={theme}
            type="submit"
            name="theme"
            value={theme}
            className="theme-option"
            aria-pressed={current === theme}
            onClick={(event) => {
              event.preventDefault();
              fetcher.submit({ theme }, { method: "post", action: "/theme" });
            }}
          >
            {THEME_LABELS[theme]}
          </button>
        ))}
      </span>
    </form>
  );
}
