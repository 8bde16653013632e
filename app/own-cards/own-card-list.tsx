/** The learner's own cards on /account/data: each shown as it reviews, with an edit form and a delete button (plain forms: they work without JavaScript). */
import { Form } from "@remix-run/react";
import { MAX_SIDE_CHARS } from "./schema";

export interface ListedCard {
  id: string;
  topic: string;
  topicTitle: string;
  section: string;
  front: string;
  back: string;
  frontHtml: string;
  backHtml: string;
}

export function OwnCardList({ cards }: { cards: ListedCard[] }) {
  return (
    <section aria-labelledby="own-cards-title" id="own-cards">
      <h2 id="own-cards-title">Your own cards ({cards.length})</h2>
      {cards.length === 0 ? (
        <p>You have no cards of your own yet. Add one at the end of any lesson section (&ldquo;Add a card&rdquo;), or import a CSV file above.</p>
      ) : (
        <ul className="own-card-list">
          {cards.map((c, i) => (
            <li key={c.id} aria-labelledby={`own-card-${i}-label`}>
              <p className="muted" id={`own-card-${i}-label`}>
                Card {i + 1}, in <a href={`/lessons/${c.topic}${c.section ? `#${c.section}` : ""}`}>{c.topicTitle}</a>
              </p>
              <div dangerouslySetInnerHTML={{ __html: c.frontHtml }} />
              <div className="muted" dangerouslySetInnerHTML={{ __html: c.backHtml }} />
              <details className="widget-details">
                <summary>Edit card {i + 1}</summary>
                <Form method="post" action="/own-cards" className="form">
                  <input type="hidden" name="intent" value="save" />
                  <input type="hidden" name="id" value={c.id} />
                  <input type="hidden" name="returnTo" value="/account/data#own-cards" />
                  <div className="field">
                    <label htmlFor={`own-${c.id}-front`}>Front</label>
                    <textarea id={`own-${c.id}-front`} name="front" rows={3} maxLength={MAX_SIDE_CHARS} defaultValue={c.front} required />
                  </div>
                  <div className="field">
                    <label htmlFor={`own-${c.id}-back`}>Back</label>
                    <textarea id={`own-${c.id}-back`} name="back" rows={4} maxLength={MAX_SIDE_CHARS} defaultValue={c.back} required />
                  </div>
                  <div className="actions">
                    <button type="submit">Save card {i + 1}</button>
                  </div>
                </Form>
              </details>
              <Form method="post" action="/own-cards">
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="id" value={c.id} />
                <input type="hidden" name="returnTo" value="/account/data#own-cards" />
                <button type="submit" className="secondary">
                  Delete card {i + 1}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
