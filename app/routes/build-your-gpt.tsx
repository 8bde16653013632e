/**
 * "Build your GPT" (issue 17, ADR 031): the learner's eight stage exercises assembled into the
 * tiny GPT's forward pass, run in the exercise runner worker on the shipped weights, each stage
 * compared with the reference forward pass (app/gpt/chain.ts) here in the page, and, when every
 * stage matches, text generated with the learner's code. Without JavaScript the page lists the
 * stages and says the chain needs it.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useId, useMemo, useState } from "react";
import { requireUser } from "~/auth/session.server";
import { useHydrated } from "~/components/question-fields";
import { findExercise } from "~/exercises/exercises.server";
import {
  CHAIN_FUNCTION,
  CHAIN_PROMPT,
  GENERATE_FUNCTION,
  SAMPLING_CHECKS,
  STAGES,
  chainProgram,
  chainWeights,
  compareTraces,
  promptTokens,
  readSteps,
  referenceTrace,
  stageOfLine,
  type ChainReport,
  type GenerationStep,
} from "~/gpt/chain";
import { runChainCall } from "~/gpt/chain-runner";
import { chainCode } from "~/gpt/chain.server";
import { decode } from "~/gpt/characters";
import { seededRandom } from "~/gpt/random";
import { loadTinyGpt, nameChar, showChar } from "~/gpt/shipped";
import type { WeightsFile } from "~/gpt/weights";
import weightsFile from "~/gpt/tiny-gpt.weights.json";
import { pageTitle } from "~/utils/meta";
import chainStyles from "~/styles/build-your-gpt.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chainStyles }];

export const meta: MetaFunction = () => pageTitle("Build your GPT", "Your own code for each stage of a tiny GPT, checked against the reference and run on its trained weights.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const stages = await chainCode(user.id);
  return {
    stages: stages.map((s) => ({ ...s, title: findExercise(s.exerciseId)?.exercise.title ?? s.exerciseId })),
  };
}

const model = loadTinyGpt(weightsFile as WeightsFile);
const CHAIN_LIMIT_MS = 10_000;
const GENERATE_LIMIT_MS = 20_000;
const GENERATE_COUNT = 40;
const SHOWN = 5;

type RunState =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "problem"; message: string }
  | { kind: "checked"; report: ChainReport; references: number[]; ms: number };

type GenState = { kind: "idle" } | { kind: "running" } | { kind: "problem"; message: string } | { kind: "done"; steps: GenerationStep[]; references: number[]; ms: number };

function stageList(stages: number[]): string {
  if (stages.length === 1) return `stage ${stages[0]}`;
  return `stages ${stages.slice(0, -1).join(", ")} and ${stages[stages.length - 1]}`;
}

function when(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

export default function BuildYourGpt() {
  const data = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
  const id = useId();
  const [useReference, setUseReference] = useState<Record<number, boolean>>(() => Object.fromEntries(data.stages.map((s) => [s.stage, s.code === null])));
  const [run, setRun] = useState<RunState>({ kind: "idle" });
  const [gen, setGen] = useState<GenState>({ kind: "idle" });
  const [temperature, setTemperature] = useState(0.8);
  const [topK, setTopK] = useState(10);
  const [seed, setSeed] = useState(1);

  const weights = useMemo(() => chainWeights(model.config, model.params), []);
  const tokens = useMemo(() => promptTokens(model.vocab), []);

  const references = STAGES.filter((s) => useReference[s.stage] || data.stages[s.stage - 1]!.code === null).map((s) => s.stage);
  const program = () => {
    const code: Record<number, string> = {};
    for (const s of data.stages) if (s.code !== null && !references.includes(s.stage)) code[s.stage] = s.code;
    return chainProgram(code);
  };
  const chainMatches = run.kind === "checked" && run.report.firstDifference === null;
  const runKey = references.join(",");
  const checkedKey = run.kind === "checked" ? run.references.join(",") : null;

  async function check() {
    setRun({ kind: "running" });
    setGen({ kind: "idle" });
    const used = references;
    const p = program();
    const result = await runChainCall(p.code, CHAIN_FUNCTION, [weights, tokens, SAMPLING_CHECKS], CHAIN_LIMIT_MS);
    if (result.problem !== null) {
      const line = /line (\d+)/i.exec(result.problem);
      const stage = line ? stageOfLine(p, Number(line[1])) : null;
      const local = stage !== null && line ? result.problem.replace(/line \d+/i, `line ${Number(line[1]) - p.lines[stage]![0] + 1}`) : result.problem;
      setRun({ kind: "problem", message: stage !== null ? `Your code for stage ${stage} (${STAGES[stage - 1]!.name}) does not compile: ${local}` : result.problem });
      return;
    }
    const expected = referenceTrace(model.config, model.params, tokens);
    setRun({ kind: "checked", report: compareTraces(result.value, expected, model.vocab, (s) => used.includes(s)), references: used, ms: result.ms });
  }

  async function generate() {
    setGen({ kind: "running" });
    const used = references;
    const random = seededRandom(seed);
    const us = Array.from({ length: GENERATE_COUNT }, () => random.next());
    const result = await runChainCall(program().code, GENERATE_FUNCTION, [weights, tokens, GENERATE_COUNT, temperature, topK, us, SHOWN], GENERATE_LIMIT_MS);
    const steps = result.problem === null ? readSteps(result.value, model.config.vocabSize) : null;
    if (!steps) {
      setGen({ kind: "problem", message: result.problem ?? "Your code returned something that is not a list of generated characters." });
      return;
    }
    setGen({ kind: "done", steps, references: used, ms: result.ms });
    setSeed((s) => s + 1);
  }

  const verdictOf = (stage: number) => (run.kind === "checked" && checkedKey === runKey ? run.report.stages.find((v) => v.stage === stage) : undefined);
  const validTemperature = temperature >= 0.1 && temperature <= 3;
  const validTopK = Number.isInteger(topK) && topK >= 1 && topK <= model.config.vocabSize;

  return (
    <article className="byg">
      <p className="muted breadcrumbs">
        <Link to="/lessons/training#build-your-gpt">Model training</Link> / Build your GPT
      </p>
      <h1>Build your GPT</h1>
      <p>
        Your code for each of the eight stages below is put together into the tiny GPT of the{" "}
        <Link to="/lessons/training#try-it-a-tiny-gpt-in-your-browser">Model training lesson</Link> and run on its trained weights, in the same sandbox
        that runs your exercises. Every stage is checked against our reference forward pass on the same input, the line{" "}
        <q className="byg-prompt">{CHAIN_PROMPT.replace("\n", " ")}</q> ({tokens.length} characters). When every stage matches, you can generate text with
        your code.
      </p>
      {!hydrated ? (
        <p className="notice" data-testid="needs-js">
          Running the chain needs JavaScript: your code runs in your browser, not on our server. The list below still shows which stages you have written.
        </p>
      ) : null}

      <section aria-labelledby={`${id}-stages`}>
        <h2 id={`${id}-stages`}>The stages</h2>
        <ol className="byg-stages">
          {data.stages.map((s) => {
            const stage = STAGES[s.stage - 1]!;
            const verdict = verdictOf(s.stage);
            const forced = s.code === null;
            return (
              <li key={s.stage} className="byg-stage" data-stage={s.stage}>
                <div className="byg-stage-head">
                  <span className="byg-stage-title">
                    Stage {s.stage}: <Link to={`/exercises/${s.exerciseId}`}>{s.title.replace(/^Build your GPT, stage \d+: /, "")}</Link>
                  </span>
                  {verdict ? (
                    <span className={`badge ${verdict.ok ? "byg-ok" : "byg-differs"}`}>{verdict.ok ? "Matches" : "Differs"}</span>
                  ) : null}
                </div>
                <p className="muted byg-source">
                  {s.source === "accepted"
                    ? `Your code that passed its tests, ${when(s.at!)}.`
                    : s.source === "saved"
                      ? `Your latest saved code, ${when(s.at!)} (it has not passed its tests yet).`
                      : "You have not written this stage yet: the reference runs in its place."}
                </p>
                {!forced ? (
                  <label className="byg-ref">
                    <input
                      type="checkbox"
                      checked={useReference[s.stage] ?? false}
                      disabled={!hydrated}
                      onChange={(e) => setUseReference((u) => ({ ...u, [s.stage]: e.target.checked }))}
                    />{" "}
                    Use the reference for the {stage.name} instead of my code
                  </label>
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby={`${id}-check`}>
        <h2 id={`${id}-check`}>Check the chain</h2>
        <p className="muted">
          {references.length === 0
            ? "All eight stages run your code."
            : references.length === STAGES.length
              ? "Every stage runs the reference: this shows where you are going."
              : `Stage${references.length === 1 ? "" : "s"} ${references.join(", ")} run${references.length === 1 ? "s" : ""} the reference; the others run your code.`}
        </p>
        <button type="button" onClick={() => void check()} disabled={!hydrated || run.kind === "running"}>
          {run.kind === "running" ? "Running…" : "Run the chain"}
        </button>
        <div role="status" aria-live="polite" className="byg-result" data-testid="chain-result">
          {run.kind === "problem" ? <p className="byg-problem">{run.message}</p> : null}
          {run.kind === "checked" ? (
            run.report.firstDifference ? (
              <p className="byg-problem">
                <strong>Stage {run.report.firstDifference.stage} differs.</strong> {run.report.firstDifference.message}. Stages after it were not checked.
              </p>
            ) : (
              <p className="byg-match">
                <strong>All 8 stages match the reference</strong> (within 10⁻⁵){run.references.length > 0 ? `, with the reference for ${stageList(run.references)}` : ""}.
              </p>
            )
          ) : null}
        </div>
      </section>

      <section aria-labelledby={`${id}-gen`}>
        <h2 id={`${id}-gen`}>Generate text</h2>
        {!chainMatches || checkedKey !== runKey ? (
          <p className="muted">Run the chain first: text is generated once every stage matches.</p>
        ) : (
          <>
            <div className="byg-controls">
              <label htmlFor={`${id}-t`}>Temperature</label>
              <input
                id={`${id}-t`}
                type="number"
                min={0.1}
                max={3}
                step={0.1}
                value={temperature}
                onChange={(e) => setTemperature(Number(e.target.value))}
                aria-describedby={`${id}-t-hint`}
              />
              <span id={`${id}-t-hint`} className="hint">
                0.1 to 3
              </span>
              <label htmlFor={`${id}-k`}>Top-k</label>
              <input
                id={`${id}-k`}
                type="number"
                min={1}
                max={model.config.vocabSize}
                step={1}
                value={topK}
                onChange={(e) => setTopK(Number(e.target.value))}
                aria-describedby={`${id}-k-hint`}
              />
              <span id={`${id}-k-hint`} className="hint">
                1 to {model.config.vocabSize}
              </span>
            </div>
            <button type="button" onClick={() => void generate()} disabled={gen.kind === "running" || !validTemperature || !validTopK}>
              {gen.kind === "running" ? "Generating…" : `Generate ${GENERATE_COUNT} characters`}
            </button>
            {!validTemperature || !validTopK ? <p className="byg-problem">Choose a temperature from 0.1 to 3 and a whole top-k from 1 to {model.config.vocabSize}.</p> : null}
          </>
        )}
        <div role="status" aria-live="polite" data-testid="generation">
          {gen.kind === "problem" ? <p className="byg-problem">{gen.message}</p> : null}
          {gen.kind === "done" ? (
            <>
              <p className="muted">
                {gen.references.length === 0
                  ? "Generated with your code alone"
                  : gen.references.length === STAGES.length
                    ? "Generated with the reference for every stage"
                    : `Generated with your code, and the reference for ${stageList(gen.references)}`}
                , {GENERATE_COUNT} characters in {Math.round(gen.ms)} ms.
              </p>
              <pre className="byg-text" tabIndex={0} aria-label="Generated text" data-testid="generated-text">
                <span className="byg-given">{CHAIN_PROMPT}</span>
                {decode(
                  gen.steps.map((s) => s.token),
                  model.vocab,
                )}
              </pre>
              <details className="byg-steps">
                <summary>Each step’s next-character distribution</summary>
                <ol>
                  {gen.steps.map((s, i) => (
                    <li key={i}>
                      <span className="byg-chosen">{showChar(model.vocab.chars[s.token]!)}</span>{" "}
                      <span className="visually-hidden">chose {nameChar(model.vocab.chars[s.token]!)}; most likely: </span>
                      {s.top.map(([t, p]) => (
                        <span key={t} className={`byg-option${t === s.token ? " byg-picked" : ""}`}>
                          {showChar(model.vocab.chars[t]!)} {(p * 100).toFixed(1)}%
                        </span>
                      ))}
                    </li>
                  ))}
                </ol>
              </details>
            </>
          ) : null}
        </div>
      </section>
    </article>
  );
}
