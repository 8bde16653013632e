/** A labelled input whose error and hint are announced with it. */
export function Field({
  name,
  label,
  type = "text",
  error,
  hint,
  defaultValue,
  autoComplete,
  autoFocus,
  required = true,
  form,
  min,
  max,
  step,
  onChange,
}: {
  name: string;
  label: string;
  type?: string;
  error?: string;
  hint?: string;
  defaultValue?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  required?: boolean;
  /** Distinguishes ids when two forms on one page have a field of the same name. */
  form?: string;
  /** For number fields: the bounds of the schema that validates them, so the browser agrees with the server. */
  min?: number;
  max?: number;
  step?: number;
  onChange?: (value: string) => void;
}) {
  const id = form ? `${form}-${name}` : `field-${name}`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        required={required}
        min={min}
        max={max}
        step={step}
        inputMode={type === "number" ? (step !== undefined && step < 1 ? "decimal" : "numeric") : undefined}
        onChange={onChange ? (e) => onChange(e.currentTarget.value) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
