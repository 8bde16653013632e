import { useId, useMemo, useState } from "react";
import { MAX_CHARS, realHeads } from "~/domain/attention-heads";
import { loadTinyGpt } from "~/gpt/shipped";
import type { WeightsFile } from "~/gpt/weights";
import weightsFile from "~/gpt/tiny-gpt.weights.json";
import { AttentionGrid } from "./attention-grid";
import { ExampleButtons } from "./example-buttons";

const EXAMPLES = ["First Citizen:", "MENENIUS:\nWhat", "the the the", "Rome, Rome"];

const model = loadTinyGpt(weightsFile as WeightsFile);

/**
 * The shipped tiny GPT's attention for a short prompt: the forward pass's own weights, one
 * layer and head at a time, in the same heatmap as the demo. Loaded only when asked for.
 */
export default function AttentionRealHeads() {
  const id = useId();
  const [prompt, setPrompt] = useState(EXAMPLES[0]!);
  const [layer, setLayer] = useState(0);
  const [head, setHead] = useState(0);
  const { config } = model;
  const heads = useMemo(() => realHeads(prompt, model), [prompt]);
  const n = heads.tokens.length;
  const settings = `tiny GPT, layer ${layer + 1}, head ${head + 1}, causal mask always on`;

  return (
    <div data-testid="attn-real">
      <p className="widget-intro">
        The tiny GPT from the Model training lesson, running in your browser: a character-level model with {config.nLayers} layers of {config.nHeads}{" "}
        heads (each head {config.dModel / config.nHeads} numbers wide), trained on the first act of Shakespeare’s <cite>Coriolanus</cite>. These are
        the weights its forward pass computes for your prompt, softmax(QKᵀ / √{config.dModel / config.nHeads}) with the causal mask, for the layer and
        head you choose.
      </p>
      <label htmlFor={`${id}-prompt`}>Prompt (up to {MAX_CHARS} characters)</label>
      <textarea
        id={`${id}-prompt`}
        className="attn-real-prompt"
        rows={2}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={`${id}-prompt-hint`}
        data-testid="heads-prompt"
      />
      <p className="hint" id={`${id}-prompt-hint`}>
        One token per character, new lines included. The model knows the {config.vocabSize} characters of its text; others are left out.
      </p>
      {heads.unknown > 0 || heads.truncated > 0 ? (
        <p className="widget-note" data-testid="heads-left-out">
          {heads.unknown > 0 ? `${heads.unknown === 1 ? "1 character" : `${heads.unknown} characters`} the model never saw left out. ` : ""}
          {heads.truncated > 0 ? `Only the first ${MAX_CHARS} characters are used.` : ""}
        </p>
      ) : null}

      <ExampleButtons id={id} examples={EXAMPLES} onPick={setPrompt} />

      <div className="attn-real-controls">
        <label htmlFor={`${id}-layer`}>Layer</label>
        <select id={`${id}-layer`} value={layer} onChange={(e) => setLayer(Number(e.target.value))} data-testid="heads-layer">
          {Array.from({ length: config.nLayers }, (_, l) => (
            <option key={l} value={l}>
              {l + 1} of {config.nLayers}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-head`}>Head</label>
        <select id={`${id}-head`} value={head} onChange={(e) => setHead(Number(e.target.value))} data-testid="heads-head">
          {Array.from({ length: config.nHeads }, (_, h) => (
            <option key={h} value={h}>
              {h + 1} of {config.nHeads}
            </option>
          ))}
        </select>
      </div>
      <p className="hint" data-testid="heads-mask-note">
        The causal mask is always on here: a GPT predicts each character from the ones before it, so no character may look at a later one. The hatched
        cells above the diagonal are those later characters, weight 0.
      </p>

      {n === 0 ? (
        <p className="widget-note">Type at least one character the model knows to see its attention weights.</p>
      ) : (
        <AttentionGrid
          tokens={heads.tokens}
          weights={heads.weights[layer]![head]!}
          masked={heads.masked}
          settings={settings}
          kind="character"
          hint="Rows are queries (the character doing the looking), columns are keys (the character looked at); every row sums to 1. Hover over a cell or focus it (arrow keys move between cells) to read its weight."
        />
      )}
    </div>
  );
}
