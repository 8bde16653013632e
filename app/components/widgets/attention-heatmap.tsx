import { lazy, Suspense, useId, useMemo, useState } from "react";
import { attention, D_K, MAX_TOKENS, splitSentence } from "~/domain/attention-demo";
import { AttentionGrid } from "./attention-grid";
import { ExampleButtons } from "./example-buttons";

// The tiny GPT's weights (about 160 kB) come with this chunk, fetched only when a learner asks
// for the real heads: the lesson's first load stays as it was.
const RealHeads = lazy(() => import("./attention-real-heads"));

const EXAMPLES = ["The cat sat on the mat", "Time flies like an arrow", "I saw a saw", "the the the the", "She gave him her old red bike"];

type Mode = "demo" | "real";

/**
 * Two views of attention. The demo: type a sentence, see the weights of a tiny fixed model,
 * toggle the causal mask and the 1/√d_k scaling. The real heads: the shipped tiny GPT's own
 * weights, layer by layer and head by head, for a short prompt. Everything runs in the browser.
 */
export default function AttentionHeatmap() {
  const id = useId();
  const [mode, setMode] = useState<Mode>("demo");
  return (
    <div className="widget-body attn">
      <fieldset className="widget-options attn-mode">
        <legend>Which attention to show</legend>
        <label className="widget-check">
          <input
            type="radio"
            name={`${id}-mode`}
            value="demo"
            checked={mode === "demo"}
            onChange={() => setMode("demo")}
            data-testid="attn-mode-demo"
          />
          A demo on words
        </label>
        <label className="widget-check">
          <input
            type="radio"
            name={`${id}-mode`}
            value="real"
            checked={mode === "real"}
            onChange={() => setMode("real")}
            data-testid="attn-mode-real"
          />
          The real heads of a tiny GPT
        </label>
      </fieldset>
      {mode === "demo" ? (
        <Demo />
      ) : (
        <Suspense fallback={<p className="muted">Loading the tiny GPT (about 160 kB)…</p>}>
          <RealHeads />
        </Suspense>
      )}
    </div>
  );
}

function Demo() {
  const id = useId();
  const [text, setText] = useState(EXAMPLES[0]!);
  const [scale, setScale] = useState(true);
  const [causal, setCausal] = useState(false);

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

  const settings = `${scale ? "scaled by 1/√d_k" : "not scaled"}, ${causal ? "causal mask on" : "no mask"}`;

  return (
    <>
      <p className="widget-intro">
        Each word gets a fixed 4-number vector (from a hash of the word, plus a small term for its position). Fixed matrices turn the vectors into
        queries and keys, and the weights are softmax(QKᵀ
        {scale ? " / √d_k" : ""}) row by row, with d_k = {D_K}.
      </p>

      <p className="widget-note no-js-only" data-testid="attn-needs-js">
        The heatmap below is the first example, drawn by the server. Typing a sentence, changing the options or showing the real heads of the tiny GPT
        recomputes it in your browser, which needs JavaScript (turned off or not loaded here).
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

      <ExampleButtons id={id} examples={EXAMPLES} onPick={setText} />

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
        <AttentionGrid
          tokens={labels.map((l) => ({ short: l, long: l }))}
          weights={result.weights}
          masked={result.masked}
          settings={settings}
          kind="word"
          quoted
          hint="Rows are queries (the word doing the looking), columns are keys (the word looked at); every row sums to 1. Hover over a cell or focus it (arrow keys move between cells) to read its weight."
        />
      )}
    </>
  );
}
