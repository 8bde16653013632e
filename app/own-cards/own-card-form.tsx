/**
 * "Add a card" at the end of a lesson section: a disclosure (a native
 * <details>, so it opens by keyboard and without JavaScript) holding a form
 * with labelled front and back fields, and the learner's cards of that
 * section below it. The form posts to /own-cards; with JavaScript it stays on
 * the page and shows a refusal in place.
 */
import { useEffect, useRef } from "react";
import { useFetcher } from "@remix-run/react";
import { MAX_SIDE_CHARS } from "./schema";

export interface SectionCard {
  id: string;
  section: string;
  frontHtml: string;
  backHtml: string;
}

type Reply = { ok: false; error: string } | undefined;

export function AddOwnCard({ topic, section, heading, cards }: { topic: string; section: string; heading: string; cards: SectionCard[] }) {
  const fetcher = useFetcher<Reply>();
  const formRef = useRef<HTMLFormElement>(null);
  const wasBusy = useRef(false);
  const busy = fetcher.state !== "idle";
  const error = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  const id = `own-${section || "lesson"}`;
  useEffect(() => {
    // A save went through (the action redirected back here): clear the fields for the next card.
    if (wasBusy.current && !busy && !error) formRef.current?.reset();
    wasBusy.current = busy;
  }, [busy, error]);
  return (
    <div className="own-cards" data-section={section}>
      <details className="widget-details">
        <summary>Add a card{heading ? ` about “${heading}”` : ""}</summary>
        <fetcher.Form method="post" action="/own-cards" ref={formRef} className="form" aria-describedby={`${id}-hint`}>
          <input type="hidden" name="intent" value="add" />
          <input type="hidden" name="topic" value={topic} />
          <input type="hidden" name="section" value={section} />
          <input type="hidden" name="returnTo" value={`/lessons/${topic}${section ? `#${section}` : ""}`} />
          <p className="hint" id={`${id}-hint`}>
            Markdown and math ($x^2$, or $$ on lines of their own) are shown as on the site; HTML is shown as text. It joins your reviews like the lesson's cards.
          </p>
          <div className="field">
            <label htmlFor={`${id}-front`}>Front (the question)</label>
            <textarea id={`${id}-front`} name="front" rows={3} maxLength={MAX_SIDE_CHARS} required />
          </div>
          <div className="field">
            <label htmlFor={`${id}-back`}>Back (the answer)</label>
            <textarea id={`${id}-back`} name="back" rows={4} maxLength={MAX_SIDE_CHARS} required />
          </div>
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Save card"}
            </button>
          </div>
        </fetcher.Form>
      </details>
      {cards.length > 0 ? (
        <details className="widget-details">
          <summary>{`Your cards here (${cards.length})`}</summary>
          <ul className="own-card-list">
            {cards.map((c) => (
              <li key={c.id}>
                <div dangerouslySetInnerHTML={{ __html: c.frontHtml }} />
                <div className="muted" dangerouslySetInnerHTML={{ __html: c.backHtml }} />
              </li>
            ))}
          </ul>
          <p>
            <a href="/account/data#own-cards">Edit or delete your cards</a>
          </p>
        </details>
      ) : null}
    </div>
  );
}
