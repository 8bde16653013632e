/**
 * The "Examples:" row under a widget's text box: one button per example, each
 * putting its text in the box. New lines show as "↵" on the button.
 */
export function ExampleButtons({ id, examples, onPick, disabled = false }: { id: string; examples: readonly string[]; onPick: (example: string) => void; disabled?: boolean }) {
  return (
    <div className="widget-examples" role="group" aria-labelledby={`${id}-examples`}>
      <span id={`${id}-examples`} className="widget-examples-label">
        Examples:
      </span>
      {examples.map((e) => (
        <button key={e} type="button" className="secondary widget-small-button" onClick={() => onPick(e)} disabled={disabled}>
          {e.replace(/\n/g, "↵")}
        </button>
      ))}
    </div>
  );
}
