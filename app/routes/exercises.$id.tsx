/**
 * One code exercise: the task and the visible tests beside (on wide screens)
 * the editor and the results. The learner's code runs in the browser, in a
 * fresh runner worker per run with time limits, and a judge worker makes the
 * verdict (app/exercises/run-in-worker.ts, ADR 015); each run is then saved
 * (attempt + draft) and may rate the exercise for review; the status badge and
 * schedule follow the server's answer without a reload. ?review=1 (from the daily review)
 * starts from the starter code instead of the learner's draft.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { requireUser } from "~/auth/session.server";
import { getExercisePage, type ExerciseActionOutcome, type RatingNote } from "~/exercises/exercises.server";
import { CodeEditor, type CodeEditorHandle } from "~/exercises/code-editor";
import { ConfirmDialog } from "~/exercises/confirm-dialog";
import { runInWorker, RUN_TIME_LIMIT_MS, TEST_TIME_LIMIT_MS, type RunOutcome } from "~/exercises/run-in-worker";
import type { GradingSpec, TestResult } from "~/domain/grading/run";
import { newClientId } from "~/review/outbox";
import { notFound } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import exerciseStyles from "~/styles/exercises.css?url";
// Python track (app/python-runner/): language choice and the Python runner.
import { LanguagePicker, runPython, useExerciseLanguage } from "~/python-runner/language";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: exerciseStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? pageTitle(data.title, `Code exercise: ${data.title}.`) : pageTitle("Exercise not found"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const review = new URL(request.url).searchParams.get("review") === "1";
  const page = await getExercisePage(user.id, params.id ?? "", { review });
  if (!page) notFound(`There is no exercise called "${params.id}".`);
  return page;
}

type SaveState = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; text: string } | { kind: "error"; text: string };

const RATING_NAME: Record<number, string> = { 1: "Again", 2: "Hard", 3: "Good", 4: "Easy" };

function relative(iso: string | null): string {
  if (!iso) return "later";
  const minutes = Math.round((new Date(iso).getTime() - Date.now()) / 60_000);
  if (minutes <= 1) return "in a minute";
  if (minutes < 60) return `in ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `in ${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.round(hours / 24);
  return `in ${days} days`;
}

function savedText(note: RatingNote, rating: number | null, due: string | null): string {
  switch (note) {
    case "rated":
    case "duplicate":
      if (rating === 3) return `Saved. First pass this round: rated Good. It comes back for review ${relative(due)}.`;
      if (rating === 2) return `Saved. Passed after failed runs: rated Hard. It comes back for review ${relative(due)}.`;
      return rating ? `Saved. Rated ${RATING_NAME[rating]}.` : "Saved.";
    case "not-due":
      return "Saved as practice: this exercise is not due for review, so its schedule did not change.";
    case "revealed":
      return "Saved. You saw the solution this round, so this pass does not change the schedule.";
    case "stale":
      return "Saved. Its schedule changed in another tab since this page loaded, so this run was not rated; reload to rate the next one.";
    default:
      return "Saved.";
  }
}

function summaryOf(outcome: RunOutcome): string {
  const { report } = outcome;
  const counts = `${report.passed} of ${report.total} tests passed`;
  if (!report.ok) return `${counts}. ${report.error ?? "Your code did not run."}`;
  if (outcome.stopped) return `${counts}. The run was stopped.`;
  return report.passed === report.total ? `${counts}. Well done!` : `${counts}.`;
}

async function postForm(url: string, fields: Record<string, string>, attempts = 3): Promise<ExerciseActionOutcome> {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  let lastError = "the server could not be reached";
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await fetch(url, { method: "POST", body, headers: { Accept: "application/json" } });
      const json = (await res.json().catch(() => null)) as (ExerciseActionOutcome & { error?: string }) | null;
      if (json && (json.ok || res.status < 500)) return json.ok ? json : { ok: false, httpStatus: res.status as 400, error: json.error ?? `error ${res.status}` };
      lastError = `the server answered ${res.status}`;
    } catch {
      lastError = "the network is unavailable";
    }
    await new Promise((r) => setTimeout(r, 800 * (i + 1) ** 2));
  }
  return { ok: false, httpStatus: 400, error: lastError };
}

export default function Exercise() {
  const data = useLoaderData<typeof loader>();
  const spec = data.spec as GradingSpec;
  const editor = useRef<CodeEditorHandle>(null);
  const loadedAt = useRef(Date.now());
  const running = useRef(false);
  const pendingSave = useRef<Promise<unknown>>(Promise.resolve());
  const solutionHeading = useRef<HTMLHeadingElement>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string>("");
  const [announcement, setAnnouncement] = useState("");
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const [failedRuns, setFailedRuns] = useState(data.failedInCycle);
  const [solution, setSolution] = useState<string | null>(data.solution);
  const [revealedHere, setRevealedHere] = useState(false);
  const [dialog, setDialog] = useState<"reset" | "reveal" | null>(null);
  const [revealError, setRevealError] = useState<string | null>(null);
  // What the server said since the page loaded: the version to rate against
  // (a pass moves it on; sending the old one made the next pass look like
  // another tab's), the status badge and the schedule.
  const [version, setVersion] = useState(data.version);
  const [status, setStatus] = useState(data.status);
  const [due, setDue] = useState(data.due);
  const [nextReview, setNextReview] = useState<string | null>(null);
  const [runCount, setRunCount] = useState(0);
  const apiUrl = `/api/exercises/${encodeURIComponent(data.id)}`;
  const revealed = solution !== null || revealedHere;
  const lang = useExerciseLanguage(data, editor); // Python track
  const functionName = lang.language === "python" && data.python ? data.python.functionName : data.functionName;
  const [pythonSolution, setPythonSolution] = useState<string | null>(data.python?.solution ?? null); // Python track

  // A different exercise (client-side navigation): start over.
  useEffect(() => {
    loadedAt.current = Date.now();
    setOutcome(null);
    setSave({ kind: "idle" });
    setFailedRuns(data.failedInCycle);
    setSolution(data.solution);
    setPythonSolution(data.python?.solution ?? null); // Python track
    setRevealedHere(false);
    setAnnouncement("");
    setVersion(data.version);
    setStatus(data.status);
    setDue(data.due);
    setNextReview(null);
  }, [data.id, data.failedInCycle, data.solution, data.python, data.version, data.status, data.due]);

  /** The server moved the schedule: keep its version, and say when it comes back. */
  const scheduled = (res: { version: number | null; due: string | null; rating: number | null }) => {
    if (res.version !== null) setVersion(res.version);
    if (res.rating !== null && res.due) {
      setDue(false);
      setNextReview(res.due);
    }
  };

  const run = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setAnnouncement("Running the tests…");
    setProgress("Starting…");
    const code = editor.current?.getCode() ?? "";
    const runOptions = {
      onProgress: (done: number, total: number, current: string | null) => setProgress(current ? `Running test ${done + 1} of ${total}: ${current}` : `${done} of ${total} done`),
    };
    const result = lang.language === "python" && data.python ? await runPython(code, spec, data.python, runOptions) : await runInWorker(code, spec, runOptions); // Python track
    running.current = false;
    setBusy(false);
    setProgress("");
    setOutcome(result);
    setAnnouncement(summaryOf(result));
    setRunCount((n) => n + 1);
    const passed = result.report.ok && !result.stopped && result.report.passed === result.report.total;
    if (!passed) setFailedRuns((n) => n + 1);
    setSave({ kind: "saving" });
    const saving = postForm(apiUrl, {
      intent: "attempt",
      clientId: newClientId(),
      version: String(version),
      passed: String(passed),
      testsPassed: String(result.report.passed),
      testsTotal: String(result.report.total),
      durationMs: String(Math.min(Math.round(Date.now() - loadedAt.current), 86_400_000)),
      code,
      revealed: String(revealed),
      language: lang.language, // Python track
    }).then((res) => {
      if (res.ok) {
        setSave({ kind: "saved", text: savedText(res.note, res.rating, res.due) });
        if (res.intent === "attempt") {
          scheduled(res);
          if (res.stored) setStatus((s) => (passed ? "passed" : s === "not-started" ? "attempted" : s));
        }
      } else setSave({ kind: "error", text: `Not saved: ${res.error}. Your code is still here; run the tests again to retry.` });
    });
    pendingSave.current = saving;
    await saving;
  }, [apiUrl, version, revealed, spec, lang.language, data.python]);

  // After each run: the results come into view, and focus goes to them (the summary is also announced).
  useEffect(() => {
    if (runCount === 0) return;
    const heading = resultsHeading.current;
    if (!heading) return;
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start", behavior: "auto" });
  }, [runCount]);

  const reset = () => {
    setDialog(null);
    editor.current?.setCode(lang.starterFor(lang.language)); // Python track
    editor.current?.focus();
  };

  const reveal = async () => {
    setDialog(null);
    setRevealError(null);
    await pendingSave.current; // the failed run must reach the server first
    const res = await postForm(apiUrl, {
      intent: "reveal",
      clientId: newClientId(),
      version: String(version),
      durationMs: String(Math.min(Math.round(Date.now() - loadedAt.current), 86_400_000)),
    });
    if (!res.ok || res.intent !== "reveal") {
      setRevealError(res.ok ? "Unexpected answer from the server." : res.error);
      return;
    }
    scheduled(res);
    setSolution(res.solution);
    setPythonSolution(res.pythonSolution); // Python track
    setRevealedHere(true);
  };

  // Just revealed: take the learner to it.
  useEffect(() => {
    if (revealedHere && solution !== null) solutionHeading.current?.focus();
  }, [revealedHere, solution]);

  const canReveal = failedRuns > 0 && solution === null;
  const report = outcome?.report;

  return (
    <article className="exercise">
      <p className="muted breadcrumbs">
        <Link to="/exercises">Exercises</Link> / <Link to={`/exercises#topic-${data.topic.slug}`}>{data.topic.title}</Link>
      </p>
      <h1>{data.title}</h1>
      <p className="exercise-meta">
        <span className="badge difficulty">{data.difficulty}</span>{" "}
        <span className={`badge status-${status}`} data-testid="exercise-status">
          {status === "passed" ? (data.status === "passed" ? "Passed before" : "Passed") : status === "attempted" ? "Attempted" : "Not started"}
        </span>{" "}
        {due ? <span className="badge due">Due for review</span> : null}
        {nextReview ? <span className="badge later">Next review {relative(nextReview)}</span> : null}
      </p>
      {data.review ? (
        <p className="notice">Review: write it again from the starter code, from memory. Your earlier code is not loaded.</p>
      ) : data.fromDraft ? (
        <p className="hint">Your latest code is restored. Reset brings back the starter code.</p>
      ) : null}

      <div className="exercise-workspace">
        <div className="exercise-brief">
          <section aria-labelledby="task-title" className="exercise-task">
            <h2 id="task-title">Task</h2>
            <div className="prose exercise-prompt" dangerouslySetInnerHTML={{ __html: data.promptHtml }} />
            <p>
              <Link to={`/lessons/${data.topic.slug}#${data.section}`}>Read the lesson section</Link> this exercise comes from.
            </p>
          </section>

          <section aria-labelledby="tests-title">
            <h2 id="tests-title">Tests</h2>
            <p className="muted">
              {data.counts.visible} tests are shown here. {data.counts.hidden} hidden tests
              {data.counts.properties > 0 ? ` and ${data.counts.properties} property checks` : ""} also run. Numbers match within a small tolerance.
            </p>
            <ol className="test-cases">
              {data.tests.map((t, i) => (
                <li key={i} className="test-case">
                  <h3>{t.name}</h3>
                  <dl>
                    <dt>
                      Call <code>{functionName}</code> with
                    </dt>
                    <dd>
                      <pre className="data" tabIndex={0} role="group" aria-label={`Arguments of test ${i + 1}`}>
                        <code>{t.args.join(",\n")}</code>
                      </pre>
                    </dd>
                    <dt>Expected result</dt>
                    <dd>
                      <pre className="data" tabIndex={0} role="group" aria-label={`Expected result of test ${i + 1}`}>
                        <code>{t.expected}</code>
                      </pre>
                    </dd>
                  </dl>
                </li>
              ))}
            </ol>
          </section>
        </div>
        <div className="exercise-side">
          <section aria-labelledby="code-title" className="exercise-code">
            <h2 id="code-title">Your code</h2>
            {lang.hasPython ? <LanguagePicker language={lang.language} onChange={lang.choose} /> : null /* Python track */}
            <CodeEditor
              key={`${data.id}${data.review ? "-review" : ""}`}
              ref={editor}
              id="exercise-code" label={`Your implementation of ${functionName}`} initialCode={data.initialCode} describedBy="editor-help" onRun={run} language={lang.language} />
            <p id="editor-help" className="hint">
              {lang.language === "python" ? "Python 3 with its standard library (no numpy)." : "JavaScript or TypeScript."} <kbd>Ctrl</kbd>+<kbd>Enter</kbd> (<kbd>⌘</kbd>+<kbd>Enter</kbd> on a Mac) runs the tests. In the editor, Tab indents;
              press Esc, then Tab, to move on. Limits: {TEST_TIME_LIMIT_MS / 1000} s per test, {RUN_TIME_LIMIT_MS / 1000} s per run.
            </p>
            <div className="exercise-actions">
              <button type="button" onClick={() => void run()} aria-describedby="run-progress">
                {busy ? "Running…" : "Run tests"}
              </button>
              <button type="button" className="secondary" onClick={() => setDialog("reset")}>
                Reset
              </button>
              {canReveal ? (
                <button type="button" className="secondary" onClick={() => setDialog("reveal")}>
                  Show the solution
                </button>
              ) : null}
            </div>
            <p id="run-progress" className="hint run-progress">
              {progress}
            </p>
            <noscript>
              <p className="notice">The tests run in your browser, so running them needs JavaScript.</p>
            </noscript>
            {revealError ? (
              <p className="form-error" role="alert">
                {revealError}
              </p>
            ) : null}
          </section>

          <section aria-labelledby="results-title" className="exercise-results" data-total-ms={outcome ? Math.round(outcome.totalMs) : undefined}>
            <h2 id="results-title" ref={resultsHeading} tabIndex={-1}>
              Results
            </h2>
            <p role="status" aria-live="polite" className={`results-summary${report ? (report.ok && report.passed === report.total && !outcome?.stopped ? " all-passed" : " some-failed") : ""}`}>
              {announcement || "Run the tests to see how your code does."}
            </p>
            {outcome ? <Results outcome={outcome} /> : null}
            {save.kind === "saving" ? <p className="hint">Saving…</p> : null}
            {save.kind === "saved" ? <p className="hint save-note">{save.text}</p> : null}
            {save.kind === "error" ? (
              <p className="form-error" role="alert">
                {save.text}
              </p>
            ) : null}
          </section>

          {solution !== null ? (
            <section aria-labelledby="solution-title" className="exercise-solution">
              <h2 id="solution-title" ref={solutionHeading} tabIndex={-1}>
                Reference solution
              </h2>
              <p className="muted">Read-only. Compare it with your code, then write your own version: the exercise comes back for review soon.</p>
              <pre className="code solution" tabIndex={0} role="group" aria-label="Reference solution code">
                <code>{lang.language === "python" && pythonSolution !== null ? pythonSolution : solution}</code>
              </pre>
            </section>
          ) : null}
        </div>
      </div>

      <ConfirmDialog
        open={dialog === "reset"}
        title="Reset the code?"
        confirmLabel="Reset to the starter"
        onConfirm={reset}
        onCancel={() => setDialog(null)}
      >
        <p>The editor goes back to the starter code. What you wrote is replaced (your last run stays saved until you run again).</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "reveal"}
        title="Show the reference solution?"
        confirmLabel="Show the solution"
        onConfirm={() => void reveal()}
        onCancel={() => setDialog(null)}
      >
        <p>Seeing the solution counts as not remembering it: the exercise is rated Again and comes back for review soon. Your code stays as it is.</p>
      </ConfirmDialog>
    </article>
  );
}

function kindLabel(kind: TestResult["kind"]) {
  return kind === "hidden" ? "hidden test" : kind === "property" ? "property check" : "test";
}

function Results({ outcome }: { outcome: RunOutcome }) {
  const { report } = outcome;
  // Failures first (in run order), then passes.
  const ordered = [...report.results.filter((r) => !r.passed), ...report.results.filter((r) => r.passed)];
  return (
    <>
      {outcome.stopped ? (
        <p className="result-stopped">
          <strong>Stopped.</strong> {outcome.stopped}
        </p>
      ) : null}
      {!report.ok && report.error && report.error !== outcome.stopped ? (
        <div className="result-error">
          <p>
            <strong>Your code did not run.</strong>
          </p>
          <pre>
            <code>{report.error}</code>
          </pre>
        </div>
      ) : null}
      {report.results.length > 0 ? (
        <ol className="results" aria-label="Test results">
          {ordered.map((r, i) => (
            <li key={i} className={`result ${r.passed ? "pass" : "fail"}`}>
              <p className="result-head">
                <span className="verdict">{r.passed ? "✓ Passed" : "✗ Failed"}</span> <span className="result-name">{r.name}</span>{" "}
                <span className="muted">({kindLabel(r.kind)})</span>
              </p>
              {!r.passed && r.args !== undefined ? (
                <p className="result-args">
                  {r.kind === "property" ? "Checked with" : "Called with"} <code>{r.args}</code>
                </p>
              ) : null}
              {r.message ? <p className="result-message">{r.message}</p> : null}
              {!r.passed && r.actual !== undefined && r.kind !== "property" ? (
                <p className="result-actual">
                  Your result: <code>{r.actual}</code>
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {outcome.console.length > 0 ? (
        <div className="console-output">
          <h3 id="console-title">Console output</h3>
          <pre tabIndex={0} role="group" aria-labelledby="console-title">
            <code>{outcome.console.join("\n")}</code>
          </pre>
          {outcome.consoleTruncated ? <p className="hint">Output cut short: at most 50 lines and 5,000 characters are kept.</p> : null}
        </div>
      ) : null}
    </>
  );
}
