import { Form } from "@remix-run/react";

/**
 * "I was right" after a typed answer marked wrong (ADR 018), as the review
 * session and the lesson quiz both offer it: a plain form (intent=overrule and
 * the fields that name the answer), so it works without JavaScript; with it,
 * `onOverrule` takes the submit instead. Once re-rated, the form gives way to
 * `reratedMessage`.
 */
export function OverruleForm({
  fields,
  canOverrule,
  rerated,
  reratedMessage,
  busy,
  onOverrule,
}: {
  fields: Record<string, string>;
  canOverrule: boolean;
  rerated: boolean;
  reratedMessage: string;
  busy: boolean;
  onOverrule?: (() => void) | null;
}) {
  if (rerated) {
    return (
      <p className="success" role="status">
        {reratedMessage}
      </p>
    );
  }
  if (!canOverrule) return null;
  return (
    <Form
      method="post"
      className="overrule-form"
      onSubmit={(e) => {
        if (!onOverrule) return; // without JavaScript, or where the page has no handler: the form posts
        e.preventDefault();
        onOverrule();
      }}
    >
      <input type="hidden" name="intent" value="overrule" />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p>
        Typed it right in other words, or a slip the checker missed?{" "}
        <button type="submit" className="secondary" disabled={busy}>
          I was right
        </button>
      </p>
    </Form>
  );
}
