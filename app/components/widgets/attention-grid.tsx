import { useId, useRef, useState, type KeyboardEvent } from "react";

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

export interface GridToken {
  /** Shown in the row and column headers. */
  short: string;
  /** Read out, and written in the readout line. */
  long: string;
}

/**
 * The accessible attention heatmap both modes of the attention widget draw: a grid of cells
 * (arrow keys move, a readout says the weight), a legend, and the same numbers as a table.
 * Rows are queries, columns are keys.
 */
export function AttentionGrid({
  tokens,
  weights,
  masked,
  settings,
  hint,
  rowsSumTo1 = true,
  kind,
  quoted = false,
}: {
  tokens: GridToken[];
  weights: number[][];
  masked: boolean[][];
  /** What these weights are, for the grid's name and the table's caption. */
  settings: string;
  hint: string;
  rowsSumTo1?: boolean;
  /** "word" or "character", for the header's spoken name. */
  kind: string;
  /** Put the tokens' names in quotes in the readout (words; characters are named already). */
  quoted?: boolean;
}) {
  const [active, setActive] = useState<Cell>({ i: 0, j: 0 });
  const [focused, setFocused] = useState<Cell | null>(null);
  const [hovered, setHovered] = useState<Cell | null>(null);
  const cells = useRef(new Map<string, HTMLDivElement>());
  const n = tokens.length;
  const hintId = `${useId()}-grid-hint`;

  const activeCell: Cell = {
    i: Math.min(active.i, Math.max(0, n - 1)),
    j: Math.min(active.j, Math.max(0, n - 1)),
  };
  const shown = hovered ?? focused;
  const inRange = (c: Cell | null): c is Cell => c !== null && c.i < n && c.j < n;

  function describe(c: Cell): string {
    const name = (t: GridToken) => (quoted ? `‘${t.long}’` : t.long);
    const q = name(tokens[c.i]!);
    const k = name(tokens[c.j]!);
    if (masked[c.i]![c.j]) return `${q} cannot attend to ${k}: masked (a later ${kind}), weight 0`;
    return `${q} attends to ${k}: ${weights[c.i]![c.j]!.toFixed(2)}`;
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

  return (
    <>
      <p className="hint" id={hintId}>
        {hint}
      </p>
      <div className="attn-scroll">
        <div
          role="grid"
          className={`attn-grid attn-grid-${kind}`}
          aria-label={`Attention weights, ${settings}`}
          aria-describedby={hintId}
          data-testid="attn-grid"
          data-size={n}
          onMouseLeave={() => setHovered(null)}
        >
          <div role="row" className="attn-row">
            <div role="columnheader" className="attn-corner">
              <span aria-hidden="true">query ↓ key →</span>
              <span className="visually-hidden">
                Query {kind}, key {kind}
              </span>
            </div>
            {tokens.map((t, j) => (
              <div role="columnheader" key={j} className={`attn-colhead${inRange(shown) && shown.j === j ? " attn-current" : ""}`} title={t.long}>
                {t.short === t.long ? (
                  <span className="attn-colhead-text">{t.short}</span>
                ) : (
                  <>
                    <span className="attn-colhead-text" aria-hidden="true">
                      {t.short}
                    </span>
                    <span className="visually-hidden">{t.long}</span>
                  </>
                )}
              </div>
            ))}
          </div>
          {tokens.map((t, i) => (
            <div role="row" key={i} className="attn-row">
              <div role="rowheader" className={`attn-rowhead${inRange(shown) && shown.i === i ? " attn-current" : ""}`} title={t.long}>
                {t.short === t.long ? (
                  t.short
                ) : (
                  <>
                    <span aria-hidden="true">{t.short}</span>
                    <span className="visually-hidden">{t.long}</span>
                  </>
                )}
              </div>
              {tokens.map((_, j) => {
                const isMasked = masked[i]![j]!;
                const weight = weights[i]![j]!;
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
                    className={`attn-cell${isMasked ? " attn-masked" : ""}`}
                    style={isMasked ? undefined : { backgroundColor: cellColour(weight) }}
                    data-testid={`cell-${i}-${j}`}
                    data-weight={String(weight)}
                    data-masked={isMasked ? "true" : "false"}
                    onMouseEnter={() => setHovered({ i, j })}
                    onFocus={() => {
                      setFocused({ i, j });
                      setActive({ i, j });
                    }}
                    onBlur={() => setFocused(null)}
                    onKeyDown={(e) => onCellKeyDown(e, { i, j })}
                  >
                    <span className="visually-hidden">{isMasked ? "masked, 0" : weight.toFixed(2)}</span>
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
        {/* Focusable, so keyboard users can scroll a table wider than the screen. */}
        <div className="attn-scroll" tabIndex={0} role="region" aria-label={`Attention weights table, ${settings}`}>
          <table className="attn-table" data-testid="attn-table">
            <caption>
              Attention weights, {settings}. Rows are queries, columns are keys
              {rowsSumTo1 ? "; each row sums to 1" : ""}.
            </caption>
            <thead>
              <tr>
                <td />
                {tokens.map((t, j) => (
                  <th scope="col" key={j} title={t.long}>
                    {t.short === t.long ? (
                      t.short
                    ) : (
                      <>
                        <span aria-hidden="true">{t.short}</span>
                        <span className="visually-hidden">{t.long}</span>
                      </>
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {tokens.map((t, i) => (
                <tr key={i}>
                  <th scope="row" title={t.long}>
                    {t.short === t.long ? (
                      t.short
                    ) : (
                      <>
                        <span aria-hidden="true">{t.short}</span>
                        <span className="visually-hidden">{t.long}</span>
                      </>
                    )}
                  </th>
                  {tokens.map((_, j) => (
                    <td key={j}>{masked[i]![j] ? "0 (masked)" : weights[i]![j]!.toFixed(2)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
