import { useEffect, useId, useMemo, useRef, useState } from "react";
import { nextLogits } from "~/domain/tiny-gpt-next";
import { encode } from "~/gpt/characters";
import { forward } from "~/gpt/model";
import { seededRandom, type Random } from "~/gpt/random";
import { contextWindow, drawToken, nextTokenDistribution } from "~/gpt/sampling";
import { loadTinyGpt, nameChar, showChar } from "~/gpt/shipped";
import type { WeightsFile } from "~/gpt/weights";
import weightsFile from "~/gpt/tiny-gpt.weights.json";
import { ExampleButtons } from "./example-buttons";

const EXAMPLES = ["First Citizen:\n", "MENENIUS:\nWhat ", "The gods ", "Rome"];
/** Rows of the probability chart; the rest of the kept characters are summed in one line. */
const SHOWN = 10;
/** The attention grid shows the last this many characters, so it fits a 360 px screen. */
const GRID = 12;
const SAMPLING_SEED = 2026;

const model = loadTinyGpt(weightsFile as WeightsFile);

/** Deep indigo for weight 1, the panel colour for 0 (linear in the weight). */
function shade(weight: number): string {
  const w = Math.min(1, Math.max(0, weight));
  return `color-mix(in srgb, var(--accent) ${Math.round(w * 100)}%, transparent)`;
}

/**
 * The tiny GPT that ships with the app, running in the browser: a prompt, the next-character
 * distribution (temperature, top-k), generation one character at a time, and the attention
 * weights of every head for the prompt.
 */
export default function TinyGptWidget() {
  const id = useId();
  const [ready, setReady] = useState(false);
  const [prompt, setPrompt] = useState(EXAMPLES[0]!);
  const [temperature, setTemperature] = useState(1);
  const [topK, setTopK] = useState(10);
  const [layer, setLayer] = useState(0);
  const [head, setHead] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const random = useRef<Random>(seededRandom(SAMPLING_SEED));
  useEffect(() => setReady(true), []);

  const { config, vocab } = model;
  const encoded = useMemo(() => encode(prompt, vocab), [prompt, vocab]);
  const context = useMemo(() => contextWindow(encoded.tokens, config), [encoded, config]);
  const result = useMemo(() => (context.length > 0 ? forward(context, config, model.params) : null), [context, config]);
  const distribution = useMemo(() => {
    if (!result) return [];
    const last = result.logits.slice((context.length - 1) * config.vocabSize, context.length * config.vocabSize);
    return nextTokenDistribution(last, temperature, topK);
  }, [result, context.length, config, temperature, topK]);

  function append(count: number, greedy: boolean) {
    let tokens = encoded.tokens;
    if (tokens.length === 0) return;
    const added: { ch: string; p: number }[] = [];
    for (let i = 0; i < count; i++) {
      // Only the last position's scores: the same numbers as the forward pass's last row, in
      // about half the work (ADR 032).
      const dist = nextTokenDistribution(nextLogits(tokens, config, model.params), temperature, topK);
      const token = greedy ? dist[0]!.token : drawToken(dist, random.current.next());
      added.push({ ch: vocab.chars[token]!, p: dist.find((d) => d.token === token)!.probability });
      tokens = [...tokens, token];
    }
    setPrompt((p) => p + added.map((a) => a.ch).join(""));
    setAnnouncement(
      count === 1 ? `Added ${nameChar(added[0]!.ch)}, which had probability ${added[0]!.p.toFixed(2)}.` : `Added ${count} characters: ${added.map((a) => a.ch).join("")}`,
    );
  }

  const shown = distribution.slice(0, SHOWN);
  const rest = distribution.slice(SHOWN);
  const restMass = rest.reduce((s, d) => s + d.probability, 0);
  const gridTokens = context.slice(-GRID);
  const gridStart = context.length - gridTokens.length;
  const weights = result?.attention[layer]?.[head];
  const settings = `temperature ${temperature.toFixed(1)}, top-k ${topK}`;

  return (
    <div className="widget-body tgpt">
      <p className="widget-intro">
        A real, tiny GPT that runs in your browser: {config.nLayers} layers, {config.nHeads} heads, width {config.dModel}, a context of{" "}
        {config.contextLength} characters, {model.figures.parameters.toLocaleString("en")} parameters, trained for a few minutes on the first act of
        Shakespeare’s <cite>Coriolanus</cite> (validation loss {model.figures.validationLoss.toFixed(2)} nats per character, against{" "}
        {Math.log(config.vocabSize).toFixed(2)} for a uniform guess over its {config.vocabSize} characters). It has learned the look of the text, not
        its meaning.
      </p>
      <noscript>
        <p className="widget-note">This widget needs JavaScript: the model runs in your browser.</p>
      </noscript>

      <label htmlFor={`${id}-prompt`}>Prompt</label>
      <textarea
        id={`${id}-prompt`}
        className="tgpt-prompt"
        rows={4}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        spellCheck={false}
        aria-describedby={`${id}-prompt-hint`}
        disabled={!ready}
        data-testid="tgpt-prompt"
      />
      <p className="hint" id={`${id}-prompt-hint`}>
        The model reads the last {config.contextLength} characters. It knows only the {config.vocabSize} characters that appear in its text;
        anything else is left out.
      </p>
      {encoded.unknown > 0 ? (
        <p className="widget-note" data-testid="tgpt-unknown">
          {encoded.unknown === 1 ? "1 character" : `${encoded.unknown} characters`} of your prompt never appear in the text and are left out.
        </p>
      ) : null}

      <ExampleButtons id={id} examples={EXAMPLES} onPick={setPrompt} disabled={!ready} />

      <div className="tgpt-controls">
        <label htmlFor={`${id}-temperature`}>
          Temperature <output htmlFor={`${id}-temperature`}>{temperature.toFixed(1)}</output>
        </label>
        <input
          id={`${id}-temperature`}
          type="range"
          min={0.1}
          max={2}
          step={0.1}
          value={temperature}
          onChange={(e) => setTemperature(Number(e.target.value))}
          disabled={!ready}
          data-testid="tgpt-temperature"
        />
        <label htmlFor={`${id}-topk`}>Top-k (1 to {config.vocabSize})</label>
        <input
          id={`${id}-topk`}
          type="number"
          inputMode="numeric"
          min={1}
          max={config.vocabSize}
          value={topK}
          onChange={(e) => {
            const k = Math.round(Number(e.target.value));
            if (Number.isFinite(k)) setTopK(Math.min(config.vocabSize, Math.max(1, k)));
          }}
          disabled={!ready}
          data-testid="tgpt-topk"
        />
      </div>

      <div className="widget-examples">
        <button type="button" onClick={() => append(1, false)} disabled={!ready || context.length === 0} data-testid="tgpt-step">
          Sample the next character
        </button>
        <button type="button" className="secondary" onClick={() => append(1, true)} disabled={!ready || context.length === 0}>
          Take the most likely
        </button>
        <button type="button" className="secondary" onClick={() => append(40, false)} disabled={!ready || context.length === 0} data-testid="tgpt-forty">
          Sample 40 characters
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite" data-testid="tgpt-announcement">
        {announcement}
      </p>

      {context.length === 0 ? (
        <p className="widget-note">Type at least one character the model knows to see what it predicts.</p>
      ) : (
        <>
          <table className="tgpt-probs" data-testid="tgpt-probs">
            <caption>
              Next character after your prompt ({settings}): the {distribution.length === 1 ? "only kept character" : `${distribution.length} kept characters`}, most likely
              first
            </caption>
            <thead>
              <tr>
                <th scope="col">Character</th>
                <th scope="col">Probability</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => {
                const ch = vocab.chars[d.token]!;
                return (
                  <tr key={d.token} data-char={ch}>
                    <th scope="row">
                      <span aria-hidden="true" className="tgpt-char">
                        {showChar(ch)}
                      </span>
                      <span className="visually-hidden">{nameChar(ch)}</span>
                    </th>
                    <td>
                      <span className="tgpt-bar" style={{ width: `${(d.probability * 100).toFixed(1)}%` }} aria-hidden="true" />
                      <span className="tgpt-value" data-testid="tgpt-p">
                        {d.probability.toFixed(3)}
                      </span>
                    </td>
                  </tr>
                );
              })}
              {rest.length > 0 ? (
                <tr>
                  <th scope="row">{rest.length} more</th>
                  <td>
                    <span className="tgpt-value">{restMass.toFixed(3)}</span>
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>

          <h3 className="tgpt-heading">What each head attends to</h3>
          <div className="tgpt-controls">
            <label htmlFor={`${id}-layer`}>Layer</label>
            <select id={`${id}-layer`} value={layer} onChange={(e) => setLayer(Number(e.target.value))} disabled={!ready} data-testid="tgpt-layer">
              {Array.from({ length: config.nLayers }, (_, l) => (
                <option key={l} value={l}>
                  {l + 1}
                </option>
              ))}
            </select>
            <label htmlFor={`${id}-head`}>Head</label>
            <select id={`${id}-head`} value={head} onChange={(e) => setHead(Number(e.target.value))} disabled={!ready} data-testid="tgpt-head">
              {Array.from({ length: config.nHeads }, (_, h) => (
                <option key={h} value={h}>
                  {h + 1}
                </option>
              ))}
            </select>
          </div>
          {weights ? (
            // Focusable, so keyboard users can scroll it when it is wider than the screen.
            <div className="tgpt-scroll" tabIndex={0} role="region" aria-label={`Attention grid, layer ${layer + 1}, head ${head + 1}`}>
              <table className="tgpt-attn" data-testid="tgpt-attn" data-size={gridTokens.length}>
                <caption>
                  Layer {layer + 1}, head {head + 1}: the attention weights of the last {gridTokens.length} characters of the context. Each row is
                  a character looking back (its weights over all earlier characters sum to 1); later characters are masked.
                </caption>
                <thead>
                  <tr>
                    <td />
                    {gridTokens.map((t, j) => (
                      <th scope="col" key={j}>
                        <span aria-hidden="true">{showChar(vocab.chars[t]!)}</span>
                        <span className="visually-hidden">{nameChar(vocab.chars[t]!)}</span>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {gridTokens.map((t, i) => (
                    <tr key={i}>
                      <th scope="row">
                        <span aria-hidden="true">{showChar(vocab.chars[t]!)}</span>
                        <span className="visually-hidden">{nameChar(vocab.chars[t]!)}</span>
                      </th>
                      {gridTokens.map((_, j) => {
                        const w = j > i ? null : weights[(gridStart + i) * context.length + gridStart + j]!;
                        return (
                          <td
                            key={j}
                            className={w === null ? "tgpt-masked" : undefined}
                            style={w === null ? undefined : { backgroundColor: shade(w) }}
                            title={w === null ? "masked" : w.toFixed(2)}
                            data-weight={w === null ? "" : String(w)}
                          >
                            <span className="visually-hidden">{w === null ? "masked" : w.toFixed(2)}</span>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <p className="hint">
            Darker is more attention. Rows cover only the shown characters, so a row can sum to less than 1 when it also looks further back.
          </p>
        </>
      )}
    </div>
  );
}
