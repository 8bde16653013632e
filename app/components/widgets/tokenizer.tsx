import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Tiktoken, type TiktokenBPE } from "js-tiktoken/lite";
import { groupTokens, hex, TokenBytes, type Piece, type TokenView } from "./token-bytes";

type VocabId = "gpt2" | "cl100k_base";

interface Vocab {
  id: VocabId;
  label: string;
  size: string;
  /** What the learner downloads on first use (the built chunk before compression, rounded). */
  download: string;
  /** Dynamic imports: Vite puts each vocabulary in its own chunk, fetched only when chosen. */
  load: () => Promise<{ default: TiktokenBPE }>;
}

const VOCABS: Vocab[] = [
  { id: "gpt2", label: "GPT-2 (r50k/gpt2)", size: "50,257 tokens", download: "a 0.5 MB download", load: () => import("js-tiktoken/ranks/gpt2") },
  { id: "cl100k_base", label: "cl100k_base (GPT-3.5/GPT-4)", size: "100,256 tokens", download: "a 1.1 MB download", load: () => import("js-tiktoken/ranks/cl100k_base") },
];

interface Loaded {
  encoder: Tiktoken;
  bytes: TokenBytes;
}

/** Loaded vocabularies survive navigation between lessons. */
const loaded = new Map<VocabId, Loaded>();
const loading = new Map<VocabId, Promise<Loaded>>();

function loadVocab(vocab: Vocab): Promise<Loaded> {
  const ready = loaded.get(vocab.id);
  if (ready) return Promise.resolve(ready);
  let promise = loading.get(vocab.id);
  if (!promise) {
    promise = vocab
      .load()
      .then((module) => {
        const result = { encoder: new Tiktoken(module.default), bytes: new TokenBytes(module.default) };
        loaded.set(vocab.id, result);
        return result;
      })
      .finally(() => loading.delete(vocab.id));
    loading.set(vocab.id, promise);
  }
  return promise;
}

const EXAMPLE = "Tokenizers cut text into pieces: unbelievable, 1234567, 🦄 and the Russian word Кошка.";

const CHIP_COLOURS = 5;

/** Spaces, tabs and newlines made visible inside a chip. */
function visible(text: string): string {
  return text.replace(/ /g, "␣").replace(/\t/g, "⇥").replace(/\r?\n/g, "↵");
}

function pieceText(pieces: Piece[]): string {
  return pieces.map((p) => (p.kind === "text" ? p.text : `<${hex(p.bytes)}>`)).join("");
}

function describe(t: TokenView, total: number): string {
  const whole = t.pieces.every((p) => p.kind === "text");
  const shown = whole ? JSON.stringify(pieceText(t.pieces)) : `${pieceText(t.pieces)} (part of a character)`;
  return `Token ${t.index + 1} of ${total}: ${shown}, id ${t.id}, ${t.bytes.length} byte${t.bytes.length === 1 ? "" : "s"} (${hex(t.bytes)})`;
}

/**
 * Type text, see it cut into tokens of a real OpenAI vocabulary, with ids and counts.
 * The vocabulary is a download of its own (a dynamic import), fetched only once the
 * learner uses the widget (focus, typing, a choice, the button), never with the page.
 */
export default function Tokenizer() {
  const id = useId();
  const [text, setText] = useState(EXAMPLE);
  const [vocabId, setVocabId] = useState<VocabId>("gpt2");
  const [view, setView] = useState<"tokens" | "ids">("tokens");
  const [ready, setReady] = useState<Partial<Record<VocabId, Loaded>>>({});
  const [failed, setFailed] = useState<VocabId | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Set by the first use of the widget; until then no vocabulary is fetched.
  const [wanted, setWanted] = useState(() => loaded.size > 0);
  const [active, setActive] = useState(0);
  const [shown, setShown] = useState<number | null>(null);
  const chips = useRef(new Map<number, HTMLSpanElement>());

  const vocab = VOCABS.find((v) => v.id === vocabId)!;
  const current = ready[vocabId];

  useEffect(() => {
    if (!wanted || ready[vocabId]) return;
    let live = true;
    setFailed(null);
    loadVocab(VOCABS.find((v) => v.id === vocabId)!).then(
      (result) => {
        if (live) setReady((r) => ({ ...r, [vocabId]: result }));
      },
      () => {
        if (live) setFailed(vocabId);
      },
    );
    return () => {
      live = false;
    };
  }, [wanted, vocabId, ready, attempt]);
  const use = () => setWanted(true);

  const deferredText = useDeferredValue(text);
  const tokenised = useMemo(() => {
    if (!current) return null;
    // disallowedSpecial = []: text such as "<|endoftext|>" is tokenised as ordinary text.
    const ids = current.encoder.encode(deferredText, [], []);
    return { ids, groups: groupTokens(ids, current.bytes) };
  }, [current, deferredText]);

  const characters = useMemo(() => Array.from(deferredText).length, [deferredText]);
  const count = tokenised?.ids.length ?? 0;
  const activeIndex = Math.min(active, Math.max(0, count - 1));
  const flat = useMemo(() => tokenised?.groups.flatMap((g) => g.tokens) ?? [], [tokenised]);
  const readout = shown !== null && shown < flat.length ? flat[shown] : undefined;

  function onChipKeyDown(event: KeyboardEvent<HTMLSpanElement>, index: number) {
    let next: number;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = Math.min(count - 1, index + 1);
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = Math.max(0, index - 1);
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = count - 1;
    else return;
    event.preventDefault();
    setActive(next);
    chips.current.get(next)?.focus();
  }

  return (
    <div className="widget-body tok" onFocus={use} onPointerDown={use}>
      <label htmlFor={`${id}-text`}>Text to tokenise</label>
      <textarea id={`${id}-text`} rows={4} value={text} onChange={(e) => {
          setText(e.target.value);
          use();
        }} spellCheck={false} data-testid="tok-input" />

      <fieldset className="widget-radios">
        <legend>Vocabulary</legend>
        {VOCABS.map((v) => (
          <label key={v.id} className="widget-check">
            <input type="radio" name={`${id}-vocab`} value={v.id} checked={vocabId === v.id} onChange={() => setVocabId(v.id)} />
            {v.label}
          </label>
        ))}
      </fieldset>

      <fieldset className="widget-radios">
        <legend>Show</legend>
        <label className="widget-check">
          <input type="radio" name={`${id}-view`} value="tokens" checked={view === "tokens"} onChange={() => setView("tokens")} />
          Tokens
        </label>
        <label className="widget-check">
          <input type="radio" name={`${id}-view`} value="ids" checked={view === "ids"} onChange={() => setView("ids")} />
          Token ids
        </label>
      </fieldset>

      <p className="visually-hidden" aria-live="polite" data-testid="tok-live">
        {tokenised ? `${count} ${count === 1 ? "token" : "tokens"} with ${vocab.label}` : ""}
      </p>

      {failed === vocabId ? (
        <div className="widget-note" role="alert">
          <p>The {vocab.label} vocabulary could not be loaded.</p>
          <button type="button" className="secondary widget-small-button" onClick={() => setAttempt((a) => a + 1)}>
            Try again
          </button>
        </div>
      ) : !wanted ? (
        <div className="widget-note" data-testid="tok-idle">
          <p className="js-only">
            The {vocab.label} vocabulary ({vocab.size}, {vocab.download}) loads when you use the playground: type in the box, choose a vocabulary, or
            press the button.
          </p>
          <p className="js-only">
            <button type="button" className="secondary widget-small-button" onClick={use}>
              Show the tokens
            </button>
          </p>
          <p className="no-js-only" data-testid="tok-needs-js">
            This playground tokenises text in your browser, so it needs JavaScript, which is turned off or has not loaded here.
          </p>
        </div>
      ) : !tokenised ? (
        <p className="widget-note" data-testid="tok-loading" aria-busy="true">
          Loading the {vocab.label} vocabulary ({vocab.size})…
        </p>
      ) : (
        <div data-testid="tok-result" data-vocab={vocabId}>
          <dl className="tok-stats">
            <div>
              <dt>Tokens</dt>
              <dd data-testid="tok-count">{count}</dd>
            </div>
            <div>
              <dt>Characters</dt>
              <dd data-testid="tok-chars">{characters}</dd>
            </div>
            <div>
              <dt>Characters per token</dt>
              <dd data-testid="tok-ratio">{count > 0 ? (characters / count).toFixed(2) : "–"}</dd>
            </div>
          </dl>

          {view === "ids" ? (
            <p className="tok-ids" data-testid="tok-ids">
              {count > 0 ? `[${tokenised.ids.join(", ")}]` : "No tokens."}
            </p>
          ) : count === 0 ? (
            <p className="muted">Type some text to see its tokens.</p>
          ) : (
            <>
              <p className="hint" id={`${id}-chips-hint`}>
                Each chip is one token, with its id underneath; ␣ marks a space and ↵ a new line. Bytes in angle brackets are part of a character
                that continues in the next token. Arrow keys move between tokens.
              </p>
              <ol className="tok-chips" aria-label={`Tokens (${vocab.label})`} aria-describedby={`${id}-chips-hint`} data-testid="tok-chips">
                {tokenised.groups.map((group) => {
                  const joined = group.tokens.length > 1;
                  return (
                    <li key={group.tokens[0]!.index} className={joined ? "tok-group tok-joined" : "tok-group"} data-testid="tok-group" data-text={group.text}>
                      <span className="tok-group-parts">
                        {group.tokens.map((t) => (
                          <span
                            key={t.index}
                            ref={(el) => {
                              if (el) chips.current.set(t.index, el);
                              else chips.current.delete(t.index);
                            }}
                            className={`tok-chip tok-c${t.index % CHIP_COLOURS}`}
                            tabIndex={t.index === activeIndex ? 0 : -1}
                            title={`id ${t.id} · bytes ${hex(t.bytes)}`}
                            data-testid="tok-chip"
                            data-id={t.id}
                            onMouseEnter={() => setShown(t.index)}
                            onMouseLeave={() => setShown(null)}
                            onFocus={() => {
                              setActive(t.index);
                              setShown(t.index);
                            }}
                            onBlur={() => setShown(null)}
                            onKeyDown={(e) => onChipKeyDown(e, t.index)}
                          >
                            <span className="tok-chip-text">
                              {t.pieces.map((p, k) =>
                                p.kind === "text" ? (
                                  <span key={k}>{visible(p.text)}</span>
                                ) : (
                                  <span key={k} className="tok-bytes">{`<${hex(p.bytes)}>`}</span>
                                ),
                              )}
                            </span>
                            <span className="tok-chip-id">
                              <span className="visually-hidden">id </span>
                              {t.id}
                            </span>
                          </span>
                        ))}
                      </span>
                      {joined ? (
                        <span className="tok-group-text">
                          <span className="visually-hidden">together: </span>
                          {visible(group.text)}
                        </span>
                      ) : null}
                    </li>
                  );
                })}
              </ol>
              <p className="tok-readout" aria-hidden="true" data-testid="tok-readout">
                {readout ? describe(readout, count) : "Hover over or focus a token for its bytes."}
              </p>
            </>
          )}
        </div>
      )}
    </div>
  );
}
