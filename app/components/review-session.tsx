import { Form, Link, useRouteLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Presented } from "~/review/present.server";
import type { ReviewView } from "~/review/actions.server";
import type { Feedback } from "~/quiz/present.server";
import { Outbox, newClientId, type ServerReply } from "~/review/outbox";
import { QuestionFields, useHydrated } from "./question-fields";
import { OverruleForm } from "./overrule-form";
import { QuizFeedback } from "./quiz-feedback";
import { useOfflineReview } from "~/offline/use-offline-review";

const RATINGS = [
  { value: 1, label: "Again", key: "1" },
  { value: 2, label: "Hard", key: "2" },
  { value: 3, label: "Good", key: "3" },
  { value: 4, label: "Easy", key: "4" },
] as const;

interface Props {
  view: ReviewView;
  summary: { reviewed: number; accuracy: number | null; timeMs: number; session: number };
  reveal: string | null;
  feedback: (Feedback & { itemId: string; promptHtml: string; canOverrule: boolean; overruleClientId: string }) | null;
  undone: boolean;
  rerated?: boolean;
  /** A custom-study session (/review?topic=…): the refill asks for the same topic. */
  focus?: { topic: string } | { item: string } | null;
  suspended?: boolean;
}

type Left = { new: number; learning: number; review: number };

type HistoryEntry = { entry: Presented; clientId: string };
type ItemFeedback = Feedback & { itemId: string; canOverrule?: boolean; rerated?: boolean; overruleClientId?: string };

function fnv(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

function formatDuration(ms: number) {
  const minutes = Math.round(ms / 60000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatWhen(iso: string) {
  const d = new Date(iso);
  return d.toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit", month: "short", day: "numeric" });
}

export function ReviewSession({ view, summary, reveal, feedback: serverFeedback, undone, rerated = false, focus = null, suspended = false }: Props) {
  const hydrated = useHydrated();
  const [entries, setEntries] = useState<Presented[]>(view.entries);
  const [index, setIndex] = useState(0);
  const [revealed, setRevealed] = useState(reveal !== null && view.entries[0]?.itemId === reveal);
  const [feedback, setFeedback] = useState<ItemFeedback | null>(null);
  const [doneHere, setDoneHere] = useState(0);
  const [pending, setPending] = useState(0);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(
    undone ? "Last review undone." : rerated ? "Marked right: the question was rated again as a right answer." : suspended ? "Suspended: it will not come back until you unsuspend it in Items." : null,
  );
  // What is left, as Anki shows it: new, learning and due reviews, each counted separately.
  const [left, setLeft] = useState<Left>(view.counts);
  const leave = useCallback((kind: Presented["queue"], by: number) => setLeft((l) => ({ ...l, [kind]: Math.max(0, l[kind] + by) })), []);
  const [answerError, setAnswerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refilling, setRefilling] = useState(false);
  const [remainingOnServer, setRemainingOnServer] = useState(view.remaining);
  const history = useRef<HistoryEntry[]>([]);
  const refilledFor = useRef<number | null>(null);
  const shownAt = useRef(Date.now());
  const cardRef = useRef<HTMLDivElement>(null);
  const keyMark = useRef<number | null>(null);
  const answerClientId = useRef(newClientId());

  // The signed-in learner's own outbox: ratings made here by another learner on this device wait for them.
  const learner = useRouteLoaderData<{ user: { id: string } | null }>("root")?.user?.id ?? null;
  const outbox = useMemo(
    () =>
      typeof window === "undefined" || !learner
        ? null
        : new Outbox(learner, (_entry, reply: ServerReply) => {
            if (!reply.ok && reply.status !== "duplicate" && reply.error) setNotice(reply.error);
          }),
    [learner],
  );
  useEffect(() => {
    if (!outbox) return;
    const unsubscribe = outbox.subscribe((n, err) => {
      setPending(n);
      setSaveError(err);
    });
    void outbox.flush();
    const online = () => void outbox.flush();
    window.addEventListener("online", online);
    return () => {
      unsubscribe();
      window.removeEventListener("online", online);
    };
  }, [outbox]);

  // Offline (a page from the device): the day's queue kept on the device, less what was rated here (ADR 024).
  const countLeft = (list: Presented[]): Left => ({
    new: list.filter((e) => e.queue === "new").length,
    learning: list.filter((e) => e.queue === "learning").length,
    review: list.filter((e) => e.queue === "review").length,
  });
  const offline = useOfflineReview(view.entries, (list) => {
    setEntries(list);
    setIndex(0);
    setLeft(countLeft(list));
    setRevealed(false);
  });

  const current = entries[index] ?? null;

  // A new card: restart its timer, move focus to it, and record keypress-to-card time.
  useLayoutEffect(() => {
    shownAt.current = Date.now();
    answerClientId.current = newClientId();
    if (keyMark.current !== null) {
      // bench:review reads these. From the key event to the new card in the DOM,
      // ready for the coming frame; and to the start of that frame (which adds
      // the wait for the display's next refresh).
      const start = keyMark.current;
      keyMark.current = null;
      performance.measure("review:key-to-card", { start, end: performance.now() });
      requestAnimationFrame(() => performance.measure("review:key-to-frame", { start, end: performance.now() }));
    }
  }, [current?.itemId, index]);
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) cardRef.current?.focus({ preventScroll: true });
  }, [index, revealed]);

  // The local queue ran out: once every rating is saved, ask the server what is due now.
  useEffect(() => {
    if (current || !outbox || refilling) return;
    if (remainingOnServer === 0 && doneHere === 0) return;
    if (pending > 0) {
      // Offline: what the device kept for today, once per run-out.
      if (refilledFor.current === -doneHere - 1) return;
      refilledFor.current = -doneHere - 1;
      void offline.more().then((list) => {
        if (!list?.length) return;
        setEntries(list);
        setLeft(countLeft(list));
        setIndex(0);
      });
      return;
    }
    // Once per run-out: an empty answer means the summary, not another request.
    if (refilledFor.current === doneHere) return;
    refilledFor.current = doneHere;
    setRefilling(true);
    fetch(focus && "topic" in focus ? `/api/review?topic=${encodeURIComponent(focus.topic)}` : "/api/review", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => r.json() as Promise<{ view?: ReviewView }>)
      .then((r) => {
        if (r.view) {
          setEntries(r.view.entries);
          setLeft(r.view.counts);
          setIndex(0);
          setRemainingOnServer(r.view.remaining);
        }
      })
      .catch(() => undefined)
      .finally(() => setRefilling(false));
  }, [current, outbox, pending, refilling, remainingOnServer, doneHere, focus, offline]);

  const advance = useCallback(() => {
    setIndex((i) => i + 1);
    setRevealed(false);
    setFeedback(null);
    setAnswerError(null);
  }, []);

  const rate = useCallback(
    (rating: number) => {
      if (!current || current.kind !== "card" || !outbox) return;
      const clientId = newClientId();
      outbox.add({
        clientId,
        itemId: current.itemId,
        rating,
        version: current.version,
        durationMs: Date.now() - shownAt.current,
        reviewedAt: Date.now(),
      });
      history.current.push({ entry: current, clientId });
      offline.rated(current);
      setDoneHere((n) => n + 1);
      leave(current.queue, -1);
      setNotice(null);
      advance();
    },
    [current, outbox, advance, leave, offline],
  );

  const undoLast = useCallback(async () => {
    const last = history.current.pop();
    if (!last || !outbox) {
      setNotice("Nothing to undo.");
      return;
    }
    const putBack = (entry: Presented) => {
      setEntries((list) => [...list.slice(0, index), entry, ...list.slice(index)]);
      setRevealed(false);
      setFeedback(null);
      setDoneHere((n) => Math.max(0, n - 1));
      leave(entry.queue, +1);
      setNotice("Last review undone.");
    };
    if (await outbox.takeBack(last.clientId)) {
      offline.unrated(last.entry);
      putBack(last.entry);
      return;
    }
    try {
      const res = await fetch("/api/review", {
        method: "POST",
        body: new URLSearchParams({ intent: "undo", clientId: newClientId() }),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const reply = (await res.json()) as ServerReply;
      if (reply.ok && reply.status === "undone" && reply.itemId === last.entry.itemId) {
        putBack({ ...last.entry, version: reply.version ?? last.entry.version + 2 });
      } else {
        setNotice(reply.error ?? "Nothing to undo.");
      }
    } catch {
      history.current.push(last);
      setNotice("Can't reach the server to undo; try again in a moment.");
    }
  }, [index, outbox, leave, offline]);

  const undoing = useRef(false);
  const undo = useCallback(async () => {
    if (undoing.current) return; // one undo at a time: a second U while one is on its way is ignored
    undoing.current = true;
    try {
      await undoLast();
    } finally {
      undoing.current = false;
    }
  }, [undoLast]);

  const submitAnswer = useCallback(
    async (form: HTMLFormElement) => {
      if (!current || current.kind !== "quiz") return;
      const body = new URLSearchParams();
      for (const [k, v] of new FormData(form).entries()) if (typeof v === "string") body.append(k, v);
      body.set("durationMs", String(Date.now() - shownAt.current));
      body.set("clientId", answerClientId.current);
      setBusy(true);
      try {
        const res = await fetch("/api/review", { method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin" });
        const reply = (await res.json()) as ServerReply & { feedback?: ItemFeedback };
        if (reply.ok && reply.feedback) {
          setFeedback(reply.feedback);
          setDoneHere((n) => n + 1);
          leave(current.queue, -1);
        } else if (res.status === 409) {
          setNotice(reply.error ?? "Already answered elsewhere.");
          leave(current.queue, -1);
          advance();
        } else setAnswerError(reply.error ?? "That answer could not be checked.");
      } catch {
        setAnswerError("Can't reach the server: your answer was not saved yet. Check your connection and try again.");
      } finally {
        setBusy(false);
      }
    },
    [current, advance, leave],
  );

  const overruleId = useRef(newClientId());
  const overrule = useCallback(async () => {
    if (!feedback) return;
    setBusy(true);
    try {
      const res = await fetch("/api/review", {
        method: "POST",
        body: new URLSearchParams({ intent: "overrule", itemId: feedback.itemId, clientId: overruleId.current }),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const reply = (await res.json()) as ServerReply;
      if (reply.ok) {
        setFeedback({ ...feedback, canOverrule: false, rerated: true });
        overruleId.current = newClientId();
      } else setNotice(reply.error ?? "That answer could not be changed.");
    } catch {
      setNotice("Can't reach the server; try again in a moment.");
    } finally {
      setBusy(false);
    }
  }, [feedback]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
      if ((e.key === "z" && (e.ctrlKey || e.metaKey)) || (!typing && (e.key === "u" || e.key === "U") && !e.ctrlKey && !e.metaKey && !e.altKey)) {
        e.preventDefault();
        void undo();
        return;
      }
      if (typing || e.ctrlKey || e.metaKey || e.altKey || !current) return;
      if (current.kind === "card") {
        if (!revealed && (e.key === " " || e.key === "Enter")) {
          if (target?.tagName === "BUTTON" || target?.tagName === "A") return; // let the focused control act
          e.preventDefault();
          setRevealed(true);
        } else if (revealed && ["1", "2", "3", "4"].includes(e.key)) {
          e.preventDefault();
          keyMark.current = e.timeStamp;
          rate(Number(e.key));
        }
      } else if (current.kind === "quiz" && feedback && (e.key === "Enter" || e.key === " ")) {
        if (target?.tagName === "BUTTON" || target?.tagName === "A") return;
        e.preventDefault();
        advance();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, revealed, feedback, rate, undo, advance]);

  const done = summary.session + doneHere;
  const toGo = left.new + left.learning + left.review;
  const total = done + toGo;
  const [dismissed, setDismissed] = useState(false);
  const pageFeedback = serverFeedback && !dismissed ? serverFeedback : null;

  return (
    <div className="review">
      <div className="review-status">
        <progress className="review-progress" max={Math.max(total, 1)} value={done} aria-label={`${done} done this session, ${toGo} to go`} />
        <p className="muted review-counts">
          <span className="count-new" title="New items not seen before">
            {left.new} new
          </span>{" "}
          ·{" "}
          <span className="count-learning" title="Items in their learning steps">
            {left.learning} learning
          </span>{" "}
          ·{" "}
          <span className="count-due" title="Reviews due today">
            {left.review} due
          </span>{" "}
          · {done} done this session
          {pending > 0 ? (
            <span className="unsaved" role="status">
              {" "}
              · {pending} unsaved review{pending === 1 ? "" : "s"}
            </span>
          ) : null}
        </p>
        {saveError ? (
          <p className="notice" role="status">
            {saveError}
          </p>
        ) : null}
        {notice ? (
          <p className="muted" role="status">
            {notice}
          </p>
        ) : null}
        {offline.heldBack > 0 ? (
          <p className="muted" role="status">
            Offline: {offline.heldBack} {offline.heldBack === 1 ? "question or exercise waits" : "questions or exercises wait"} for a connection (the server checks those answers).
          </p>
        ) : null}
      </div>

      {pageFeedback ? (
        <div className="review-card">
          <div className="card-front" dangerouslySetInnerHTML={{ __html: pageFeedback.promptHtml }} />
          <QuizFeedbackBlock feedback={pageFeedback} onContinue={() => setDismissed(true)} onOverrule={null} busy={busy} />
        </div>
      ) : current ? (
        <div className="review-card" ref={cardRef} tabIndex={-1} aria-live="polite" aria-atomic="false">
          <p className="review-topic">
            {current.topic} · {current.queue === "new" ? "new" : current.queue === "learning" ? "learning" : "review"} ·{" "}
            {current.kind === "card" ? "flashcard" : current.kind === "quiz" ? "question" : "exercise"}
          </p>
          {current.leech ? <LeechNote itemId={current.itemId} leech={current.leech} /> : null}
          {current.kind === "card" ? (
            <CardView entry={current} revealed={revealed} onReveal={() => setRevealed(true)} onRate={rate} />
          ) : current.kind === "quiz" ? (
            feedback && feedback.itemId === current.itemId ? (
              <>
                <div className="card-front" dangerouslySetInnerHTML={{ __html: current.question.promptHtml }} />
                <QuizFeedbackBlock feedback={feedback} onContinue={advance} onOverrule={() => void overrule()} busy={busy} />
              </>
            ) : (
              <Form
                method="post"
                className="quiz-question"
                onSubmit={(e) => {
                  if (!outbox) return;
                  e.preventDefault();
                  void submitAnswer(e.currentTarget);
                }}
              >
                <input type="hidden" name="intent" value="answer" />
                <input type="hidden" name="itemId" value={current.itemId} />
                <input type="hidden" name="version" value={current.version} />
                <input type="hidden" name="clientId" value={answerClientId.current} />
                <QuestionFields question={current.question} />
                {answerError ? (
                  <p className="form-error" role="alert">
                    {answerError}
                  </p>
                ) : null}
                <div className="actions">
                  <button type="submit" disabled={busy}>
                    Check answer
                  </button>
                </div>
              </Form>
            )
          ) : (
            <div className="exercise-due">
              <p className="card-front">
                Implement <strong>{current.title}</strong> again, from the starter code.
              </p>
              <div className="cta-row">
                <Link className="button" to={current.href}>
                  Open the exercise
                </Link>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    leave(current.queue, -1);
                    advance();
                  }}
                >
                  Later
                </button>
              </div>
            </div>
          )}
        </div>
      ) : refilling ? (
        <p role="status">Checking what is due…</p>
      ) : (
        <section className="review-summary" aria-labelledby="summary-title">
          <h2 id="summary-title">{summary.reviewed + doneHere > 0 ? "All done for now" : "Nothing is due"}</h2>
          <dl className="stats">
            <div>
              <dt>Reviewed today</dt>
              <dd>{summary.reviewed + doneHere}</dd>
            </div>
            <div>
              <dt>Accuracy</dt>
              <dd>{summary.accuracy === null ? "–" : `${Math.round(summary.accuracy * 100)}%`}</dd>
            </div>
            <div>
              <dt>Time spent</dt>
              <dd>{formatDuration(summary.timeMs)}</dd>
            </div>
            <div>
              <dt>Next due</dt>
              <dd>{view.nextDue ? formatWhen(view.nextDue) : "when you study a new lesson"}</dd>
            </div>
          </dl>
          <p>
            {pending > 0 ? "Your last reviews are still being saved. " : ""}
            New flashcards join your reviews from the lessons you choose to study. <Link to="/lessons">Go to the lessons</Link>.
          </p>
        </section>
      )}

      <Form
        method="post"
        className="undo-form"
        onSubmit={(e) => {
          if (!outbox) return;
          e.preventDefault();
          void undo();
        }}
      >
        <input type="hidden" name="intent" value="undo" />
        <input type="hidden" name="clientId" value={answerClientId.current} />
        <button type="submit" className="secondary">
          Undo last review <kbd>U</kbd>
        </button>
      </Form>
      {hydrated && current && !pageFeedback ? (
        <p className="hint keys-hint">
          Keys:{" "}
          {current.kind === "card" ? (
            revealed ? (
              <>
                <kbd>1</kbd>–<kbd>4</kbd> rate,{" "}
              </>
            ) : (
              <>
                <kbd>Space</kbd> or <kbd>Enter</kbd> show the answer,{" "}
              </>
            )
          ) : current.kind === "quiz" ? (
            feedback ? (
              <>
                <kbd>Enter</kbd> continues,{" "}
              </>
            ) : current.question.kind === "single" || current.question.kind === "multiple" ? (
              <>
                <kbd>1</kbd>–<kbd>{Math.min(current.question.choices.length, 9)}</kbd> {current.question.kind === "single" ? "choose" : "tick"}, <kbd>Enter</kbd> checks,{" "}
              </>
            ) : current.question.kind === "order" ? (
              <>
                <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> move a step, <kbd>Enter</kbd> checks,{" "}
              </>
            ) : (
              <>
                type, then <kbd>Enter</kbd> checks,{" "}
              </>
            )
          ) : null}
          <kbd>U</kbd> undo.
        </p>
      ) : null}
    </div>
  );
}

function CardView({
  entry,
  revealed,
  onReveal,
  onRate,
}: {
  entry: Extract<Presented, { kind: "card" }>;
  revealed: boolean;
  onReveal: () => void;
  onRate: (rating: number) => void;
}) {
  return (
    <>
      <div className="card-front" dangerouslySetInnerHTML={{ __html: entry.frontHtml }} />
      {revealed ? (
        <>
          <div className="card-back">
            <h2 className="visually-hidden">Answer</h2>
            <div dangerouslySetInnerHTML={{ __html: entry.backHtml }} />
          </div>
          <Form method="post" className="rating-buttons" aria-label="How well did you remember?">
            <input type="hidden" name="intent" value="rate" />
            <input type="hidden" name="itemId" value={entry.itemId} />
            <input type="hidden" name="version" value={entry.version} />
            {/* Without JavaScript: stable per item and version, so a double submit is stored once. */}
            <input type="hidden" name="clientId" value={`form-${fnv(entry.itemId)}-v${entry.version}`} />
            {RATINGS.map((r) => (
              <button
                key={r.value}
                type="submit"
                name="rating"
                value={r.value}
                className={`rating rating-${r.label.toLowerCase()}`}
                onClick={(e) => {
                  if (typeof window === "undefined") return;
                  e.preventDefault();
                  onRate(r.value);
                }}
              >
                <span className="rating-label">
                  {r.label} <kbd>{r.key}</kbd>
                </span>
                <span className="rating-interval">{entry.previews[r.value]}</span>
              </button>
            ))}
          </Form>
        </>
      ) : (
        <Form
          method="get"
          onSubmit={(e) => {
            e.preventDefault();
            onReveal();
          }}
        >
          <input type="hidden" name="reveal" value={entry.itemId} />
          <button type="submit" className="reveal">
            Show answer <kbd>Space</kbd>
          </button>
        </Form>
      )}
    </>
  );
}

function QuizFeedbackBlock({
  feedback,
  onContinue,
  onOverrule,
  busy,
}: {
  feedback: ItemFeedback;
  onContinue: () => void;
  onOverrule: (() => void) | null;
  busy: boolean;
}) {
  // Without JavaScript a double submit posts the same id, so it is stored once.
  const overruleClientId = feedback.overruleClientId ?? "overrule-js-path";
  // The answer's form (and the focus in it) is gone: Continue takes the focus, so Enter or Tab go on from
  // the feedback. React's autoFocus does nothing for a link rendered in the browser, hence the effect.
  const continueRef = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    continueRef.current?.focus({ preventScroll: true });
  }, [feedback.itemId]);
  return (
    <QuizFeedback feedback={feedback}>
      <OverruleForm
        fields={{ itemId: feedback.itemId, clientId: overruleClientId }}
        canOverrule={feedback.canOverrule === true}
        rerated={feedback.rerated === true}
        reratedMessage="Marked right: rated again as a right answer."
        busy={busy}
        onOverrule={onOverrule}
      />
      <p>
        {/* A link without JavaScript (back to the queue), a button-like dismiss with it. */}
        <a
          ref={continueRef}
          className="button"
          href="/review"
          autoFocus
          onClick={(e) => {
            e.preventDefault();
            onContinue();
          }}
        >
          Continue <kbd>Enter</kbd>
        </a>
      </p>
    </QuizFeedback>
  );
}

/** A leech on the review card: how often it was forgotten, its lesson section, and a way to set it aside (ADR 027). */
function LeechNote({ itemId, leech }: { itemId: string; leech: NonNullable<Presented["leech"]> }) {
  return (
    <div className="leech-note" role="note">
      <p>
        <strong>Leech: forgotten {leech.lapses === 1 ? "once" : `${leech.lapses} times`}.</strong> <Link to={leech.href}>Reread its lesson section</Link>, or suspend it until you have.
      </p>
      {/* A full-page post: the session then reloads without it, with or without JavaScript. */}
      <Form method="post" reloadDocument>
        <input type="hidden" name="intent" value="suspend" />
        <input type="hidden" name="itemId" value={itemId} />
        <button type="submit" className="secondary">
          Suspend this item
        </button>
      </Form>
    </div>
  );
}
