import { useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { attention, D_K, MAX_TOKENS, splitSentence } from "~/domain/attention-demo";

const EXAMPLES = ["The cat sat on the mat", "Time flies like an arrow", "I saw a saw", "the the the the", "She gave him her old red bike"];

/** Light lavender (weight 0) to deep indigo (weight 1); linear in the weight. */
const LOW = [247, 246, 255];
const HIGH = [36, 31, 158];
function cellColour(weight: number): string {
  const w = Math.min(1, Math.max(0, weight));
  const c = LOW.map((lo, k) => Math.round(lo + (HIGH[k]! - lo) * w));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

interface Cell {
  i: number;
  j: number;
}

/**
 * Type a sentence, see the attention weights of a tiny fixed model as a heatmap, and toggle
 * the causal mask and the 1/√d_k scaling. Everything is computed in the browser.
 */
export default function AttentionHeatmap() {
  const id = useId();
  const [text, setText] = useState(EXAMPLES[0]!);
  const [scale, setScale] = useState(true);
  const [causal, setCausal] = useState(false);
  const [active, setActive] = useState<Cell>({ i: 0, j: 0 });
  const [focused, setFocused] = useState<Cell | null>(null);
  const [hovered, setHovered] = useState<Cell | null>(null);
  const cells = useRef(new Map<string, HTMLDivElement>());

  const split = useMemo(() => splitSentence(text), [text]);
  const tokens = split.tokens;
  const result = useMemo(() => attention(tokens, { scale, causal }), [tokens, scale, causal]);
  const n = tokens.length;

  // Repeated words get their position so "the" (1) and "the" (5) can be told apart.
  const labels = useMemo(() => {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t.toLowerCase(), (counts.get(t.toLowerCase()) ?? 0) + 1);
    return tokens.map((t, i) => ((counts.get(t.toLowerCase()) ?? 0) > 1 ? `${t} (${i + 1})` : t));
  }, [tokens]);

  const activeCell: Cell = { i: Math.min(active.i, Math.max(0, n - 1)), j: Math.min(active.j, Math.max(0, n - 1)) };
  const shown = hovered ?? focused;
  const inRange = (c: Cell | null): c is Cell => c !== null && c.i < n && c.j < n;

  function describe(c: Cell): string {
    const q = `‘${labels[c.i]}’`;
    const k = `‘${labels[c.j]}’`;
    if (result.masked[c.i]![c.j]) return `${q} cannot attend to ${k}: masked (a later word), weight 0`;
    return `${q} attends to ${k}: ${result.weights[c.i]![c.j]!.toFixed(2)}`;
  }

  function moveTo(c: Cell) {
    setActive(c);
    cells.current.get(`${c.i}-${c.j}`)?.focus();
  }

  function onCellKeyDown(event: KeyboardEvent<HTMLDivElement>, c: Cell) {
    const last = n - 1;
    let next: Cell | null = null;
    switch (event.key) {
      case "ArrowRight":
        next = { i: c.i, j: Math.min(last, c.j + 1) };
        break;
      case "ArrowLeft":
        next = { i: c.i, j: Math.max(0, c.j - 1) };
        break;
      case "ArrowDown":
        next = { i: Math.min(last, c.i + 1), j: c.j };
        break;
      case "ArrowUp":
        next = { i: Math.max(0, c.i - 1), j: c.j };
        break;
      case "Home":
        next = event.ctrlKey ? { i: 0, j: 0 } : { i: c.i, j: 0 };
        break;
      case "End":
        next = event.ctrlKey ? { i: last, j: last } : { i: c.i, j: last };
        break;
      default:
        return;
    }
    event.preventDefault();
    moveTo(next);
  }

  const settings = `${scale ? "scaled by 1/√d_k" : "not scaled"}, ${causal ? "causal mask on" : "no mask"}`;

  return (
    <div className="widget-body attn">
      <p className="widget-intro">
        Each word gets a fixed 4-number vector (from a hash of the word, plus a small term for its position). Fixed matrices turn the vectors into
        queries and keys, and the weights are softmax(QKᵀ{scale ? " / √d_k" : ""}) row by row, with d_k = {D_K}.
      </p>

      <p className="widget-note no-js-only" data-testid="attn-needs-js">
        The heatmap below is the first example, drawn by the server. Typing a sentence or changing the options recomputes it in your browser, which
        needs JavaScript (turned off or not loaded here).
      </p>
      <label htmlFor={`${id}-sentence`}>Sentence (up to {MAX_TOKENS} words)</label>
      <input
        id={`${id}-sentence`}
        type="text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={`${id}-sentence-hint`}
        data-testid="attn-input"
      />
      <p className="hint" id={`${id}-sentence-hint`}>
        Words are split at spaces.
      </p>
      {split.truncated ? (
        <p className="widget-note" data-testid="attn-truncated">
          Only the first {MAX_TOKENS} of your {split.total} words are used.
        </p>
      ) : null}

      <div className="widget-examples" role="group" aria-labelledby={`${id}-examples`}>
        <span id={`${id}-examples`} className="widget-examples-label">
          Examples:
        </span>
        {EXAMPLES.map((e) => (
          <button key={e} type="button" className="secondary widget-small-button" onClick={() => setText(e)}>
            {e}
          </button>
        ))}
      </div>

      <div className="widget-options">
        <label className="widget-check">
          <input type="checkbox" checked={scale} onChange={(e) => setScale(e.target.checked)} data-testid="attn-scale" />
          Scale by √d_k
        </label>
        <label className="widget-check">
          <input type="checkbox" checked={causal} onChange={(e) => setCausal(e.target.checked)} data-testid="attn-causal" />
          Causal mask
        </label>
      </div>

      {n === 0 ? (
        <p className="widget-note">Type at least one word to see its attention weights.</p>
      ) : (
        <>
          <p className="hint" id={`${id}-grid-hint`}>
            Rows are queries (the word doing the looking), columns are keys (the word looked at); every row sums to 1. Hover over a cell or focus
            it (arrow keys move between cells) to read its weight.
          </p>
          <div className="attn-scroll">
            <div
              role="grid"
              className="attn-grid"
              aria-label={`Attention weights, ${settings}`}
              aria-describedby={`${id}-grid-hint`}
              data-testid="attn-grid"
              data-size={n}
              onMouseLeave={() => setHovered(null)}
            >
              <div role="row" className="attn-row">
                <div role="columnheader" className="attn-corner">
                  <span aria-hidden="true">query ↓ key →</span>
                  <span className="visually-hidden">Query word, key word</span>
                </div>
                {labels.map((label, j) => (
                  <div
                    role="columnheader"
                    key={j}
                    className={`attn-colhead${inRange(shown) && shown.j === j ? " attn-current" : ""}`}
                    title={label}
                  >
                    <span className="attn-colhead-text">{label}</span>
                  </div>
                ))}
              </div>
              {labels.map((label, i) => (
                <div role="row" key={i} className="attn-row">
                  <div role="rowheader" className={`attn-rowhead${inRange(shown) && shown.i === i ? " attn-current" : ""}`} title={label}>
                    {label}
                  </div>
                  {labels.map((_, j) => {
                    const masked = result.masked[i]![j]!;
                    const weight = result.weights[i]![j]!;
                    const isActive = activeCell.i === i && activeCell.j === j;
                    return (
                      <div
                        role="gridcell"
                        key={j}
                        ref={(el) => {
                          if (el) cells.current.set(`${i}-${j}`, el);
                          else cells.current.delete(`${i}-${j}`);
                        }}
                        tabIndex={isActive ? 0 : -1}
                        className={`attn-cell${masked ? " attn-masked" : ""}`}
                        style={masked ? undefined : { backgroundColor: cellColour(weight) }}
                        data-testid={`cell-${i}-${j}`}
                        data-weight={String(weight)}
                        data-masked={masked ? "true" : "false"}
                        onMouseEnter={() => setHovered({ i, j })}
                        onFocus={() => {
                          setFocused({ i, j });
                          setActive({ i, j });
                        }}
                        onBlur={() => setFocused(null)}
                        onKeyDown={(e) => onCellKeyDown(e, { i, j })}
                      >
                        <span className="visually-hidden">{masked ? "masked, 0" : weight.toFixed(2)}</span>
                      </div>
                    );
                  })}
                </div>
              ))}
            </div>
          </div>

          <p className="attn-readout" data-testid="attn-readout" aria-hidden="true">
            {inRange(shown) ? describe(shown) : "Hover over or focus a cell to read its weight."}
          </p>

          <div className="attn-legend" aria-hidden="true">
            <span>0</span>
            <span className="attn-legend-scale" />
            <span>1</span>
            <span className="attn-legend-masked">
              <span className="attn-cell attn-masked attn-legend-swatch" /> masked (weight 0)
            </span>
          </div>

          <details className="widget-details">
            <summary>The weights as a table</summary>
            <table className="attn-table" data-testid="attn-table">
              <caption>
                Attention weights, {settings}. Rows are queries, columns are keys; each row sums to 1.
              </caption>
              <thead>
                <tr>
                  <td />
                  {labels.map((label, j) => (
                    <th scope="col" key={j}>
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {labels.map((label, i) => (
                  <tr key={i}>
                    <th scope="row">{label}</th>
                    {labels.map((_, j) => (
                      <td key={j}>{result.masked[i]![j] ? "0 (masked)" : result.weights[i]![j]!.toFixed(2)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </div>
  );
}
