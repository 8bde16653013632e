/**
 * The one header: the brand and the links in a row on wide screens; at small
 * widths the links fold behind a "Menu" disclosure button (aria-expanded,
 * Escape closes it and returns focus). The links are folded only when
 * JavaScript runs (the `js` class on <html>, set before first paint), so
 * without it they stay visible and the button is hidden.
 */
import { NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";

export function SiteHeader({ user }: { user: { username: string } | null }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  useEffect(() => setOpen(false), [pathname]);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && open) {
      setOpen(false);
      button.current?.focus();
    }
  }

  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav aria-label="Main" className="site-nav" onKeyDown={onKeyDown}>
        <NavLink to="/" className="brand" end>
          Attention Span
        </NavLink>
        <button
          ref={button}
          type="button"
          className="menu-button secondary"
          aria-expanded={open}
          aria-controls="site-menu"
          onClick={() => setOpen((o) => !o)}
          data-testid="menu-button"
        >
          <span className="menu-icon" aria-hidden="true" />
          Menu
        </button>
        <ul id="site-menu" className="site-menu" data-open={open ? "true" : "false"}>
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
