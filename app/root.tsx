import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
  Meta,
  NavLink,
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
  return { user: user ? { id: user.id, username: user.username } : null };
}

function Nav() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav aria-label="Main" className="site-nav">
        <NavLink to="/" className="brand" end>
          Attention Span
        </NavLink>
        <ul>
          <li>
            <NavLink to="/lessons">Lessons</NavLink>
          </li>
          <li>
            <NavLink to="/exercises">Exercises</NavLink>
          </li>
          <li>
            <NavLink to="/review">Review</NavLink>
          </li>
          <li>
            <NavLink to="/progress">Progress</NavLink>
          </li>
          {user ? (
            <li>
              <NavLink to="/account">
                <span className="visually-hidden">Account: </span>
                {user.username}
              </NavLink>
            </li>
          ) : (
            <>
              <li>
                <NavLink to="/login">Log in</NavLink>
              </li>
              <li>
                <NavLink to="/signup">Sign up</NavLink>
              </li>
            </>
          )}
        </ul>
      </nav>
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#3a36c9" />
        <Meta />
        <Links />
      </head>
      <body>
        <Nav />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>
            Attention Span: learn how large language models work, and keep it learned.{" "}
            <a href="/help/mastery">How mastery is computed</a>
          </p>
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
