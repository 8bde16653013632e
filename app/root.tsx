import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect } from "react";
import katexStyles from "katex/dist/katex.min.css?url";
import appStyles from "./styles/app.css?url";
import offlineStyles from "./offline/offline.css?url";
import { OfflineSupport } from "./offline/offline-support";
import { useNonce } from "./utils/nonce";
import { getOptionalUser } from "./auth/session.server";
import { themeFor } from "./theme/theme.server";
import { SiteHeader } from "./components/site-header";
import { ThemeToggle, useThemeChoice } from "./components/theme-toggle";
import { SendPendingRatings } from "~/review/send-pending";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "stylesheet", href: katexStyles },
  { rel: "stylesheet", href: offlineStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  // Installable, and offline once visited: docs/decisions/024-offline-app.md.
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/icons/icon-192.png" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return { user: user ? { id: user.id, username: user.username } : null, theme: await themeFor(request, user) };
}

/**
 * Runs before first paint: marks that JavaScript is on, so the header may fold its links
 * behind the menu button and widgets show "Loading…" rather than "needs JavaScript".
 */
const MARK_JS = `document.documentElement.classList.add("js")`;

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const theme = useThemeChoice();
  return (
    // The server renders the chosen theme ("system" leaves it to prefers-color-scheme): no flash (ADR 023).
    // suppressHydrationWarning: MARK_JS adds a class React did not render.
    <html lang="en" data-theme={theme} suppressHydrationWarning>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content={theme === "system" ? "light dark" : theme} />
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: MARK_JS }} />
        <meta name="theme-color" content="#3a36c9" />
        <Meta />
        <Links />
      </head>
      <body>
        <SiteHeader user={data?.user ?? null} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>
            Attention Span: learn how large language models work, and keep it learned.{" "}
            <a href="/help/mastery">How mastery is computed</a>
          </p>
          <ThemeToggle id="footer-theme" />
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  useEffect(() => {
    // Browser tests wait for this before they click: a button works once React has hydrated.
    (window as unknown as { __hydrated?: boolean }).__hydrated = true;
  }, []);
  return (
    <>
      <OfflineSupport />
      <SendPendingRatings />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <GeneralError error={error} />;
}

export function GeneralError({ error }: { error: unknown }) {
  if (isRouteErrorResponse(error)) {
    const title =
      error.status === 404 ? "Page not found" : error.status === 403 ? "Not allowed" : error.status === 400 ? "Bad request" : `Error ${error.status}`;
    const detail =
      typeof error.data === "string" && error.data
        ? error.data
        : error.status === 404
          ? "There is nothing at this address. It may have moved, or the link may be mistyped."
          : error.statusText;
    return (
      <div className="error-page">
        <title>{`${title} | Attention Span`}</title>
        <h1>{title}</h1>
        <p>{detail}</p>
        <p>
          <a href="/lessons">Go to the lessons</a> or <a href="/">the home page</a>.
        </p>
      </div>
    );
  }
  return (
    <div className="error-page">
      <title>Something went wrong | Attention Span</title>
      <h1>Something went wrong</h1>
      <p>An unexpected error stopped this page. Your reviews are saved; try again in a moment.</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </div>
  );
}
