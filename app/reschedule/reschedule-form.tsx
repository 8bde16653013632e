/** The reschedule offer on the settings page (ADR 030): a checkbox on forms that change the model, and a line after an adopted fit. */
import { Form } from "@remix-run/react";

const WHAT_IT_DOES =
  "The due dates of your cards in review are recomputed from their stability and last review with the new model. Your review history does not change, and cards you are still learning keep their steps.";

/** Off by default, as in Anki. */
export function RescheduleCheckbox({ id, error }: { id: string; error?: string }) {
  return (
    <div className="field reschedule-field">
      <label className="checkbox" htmlFor={id}>
        <input type="checkbox" id={id} name="reschedule" aria-describedby={`${id}-hint`} /> Reschedule my cards now
      </label>
      <p className="hint" id={`${id}-hint`}>
        {WHAT_IT_DOES}
      </p>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}

/** "Your model changed on DATE": shown until the learner reschedules (or a later fit changes it again). */
export function RescheduleOffer({ changedOn, message, busy }: { changedOn: string | null; message: string | null; busy: boolean }) {
  if (!changedOn && !message) return null;
  return (
    <section aria-labelledby="reschedule-title" className="form reschedule-offer">
      <h2 id="reschedule-title">Reschedule</h2>
      {message ? (
        <p className="success" role="status">
          {message}
        </p>
      ) : null}
      {changedOn ? (
        <Form method="post">
          <input type="hidden" name="intent" value="reschedule" />
          <p id="reschedule-offer-text">{`Your model changed on ${changedOn}: reschedule your cards? ${WHAT_IT_DOES}`}</p>
          <button type="submit" disabled={busy} aria-describedby="reschedule-offer-text">
            Reschedule my cards
          </button>
        </Form>
      ) : null}
    </section>
  );
}
