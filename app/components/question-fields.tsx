import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from "react";
import type { PublicQuestion } from "~/quiz/present.server";

/** True once React runs in the browser: keys and the reorderable list exist only then. */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function isTyping(el: EventTarget | null) {
  const t = el as HTMLElement | null;
  if (!t) return false;
  if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
  return t.tagName === "INPUT" && !["radio", "checkbox", "hidden", "submit", "button"].includes((t as HTMLInputElement).type);
}

/**
 * The answer controls of one question. Without JavaScript they are plain form
 * fields (an ordering is one select per position). With it, one keyboard flow
 * for every kind: number keys pick (or toggle) a choice, Enter checks, a text or
 * number field has focus, and an ordering is one list reordered with the keys
 * or by dragging. Key hints show only when keys work and never on touch screens
 * (CSS: .key-hint under hover: none / pointer: coarse).
 */
export function QuestionFields({ question }: { question: PublicQuestion }) {
  const id = `q-${question.id}`;
  const hydrated = useHydrated();
  const rootRef = useRef<HTMLFieldSetElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (question.kind === "numeric" || question.kind === "text") inputRef.current?.focus({ preventScroll: true });
  }, [question.id, question.kind]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const root = rootRef.current;
      const form = root?.form ?? root?.closest("form");
      if (!root || !form || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      if (e.key === "Enter" && !e.shiftKey) {
        if (target && (target.tagName === "BUTTON" || target.tagName === "A" || target.tagName === "TEXTAREA")) return;
        if (target && target !== document.body && !form.contains(target) && !target.contains(form)) return;
        e.preventDefault();
        form.requestSubmit();
        return;
      }
      if ((question.kind === "single" || question.kind === "multiple") && /^[1-9]$/.test(e.key) && !isTyping(target)) {
        const inputs = root.querySelectorAll<HTMLInputElement>("input.choice-input");
        const input = inputs[Number(e.key) - 1];
        if (!input) return;
        e.preventDefault();
        if (question.kind === "single") input.checked = true;
        else input.checked = !input.checked;
        input.focus({ preventScroll: true });
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [question.kind]);

  return (
    <fieldset className="question" ref={rootRef}>
      <legend id={`${id}-prompt`}>
        <span dangerouslySetInnerHTML={{ __html: question.promptHtml }} />
      </legend>
      {question.kind === "single" || question.kind === "multiple" ? (
        <>
          <p className="hint">
            {question.kind === "single" ? "Choose one." : "Choose every answer that applies."}
            {hydrated ? (
              <span className="key-hint">
                {" "}
                Keys: <kbd>1</kbd>–<kbd>{Math.min(question.choices.length, 9)}</kbd> {question.kind === "single" ? "choose" : "tick or untick"},{" "}
                <kbd>Enter</kbd> checks.
              </span>
            ) : null}
          </p>
          <ul className="choices">
            {question.choices.map((c, i) => (
              <li key={c.id}>
                <label className="choice">
                  <input
                    className="choice-input"
                    type={question.kind === "single" ? "radio" : "checkbox"}
                    name={question.kind === "single" ? "choice" : "choices"}
                    value={c.id}
                    required={question.kind === "single"}
                  />
                  <span className="choice-text" dangerouslySetInnerHTML={{ __html: c.html }} />
                  {hydrated && i < 9 ? (
                    <kbd className="key-hint choice-key" aria-hidden="true">
                      {i + 1}
                    </kbd>
                  ) : null}
                </label>
              </li>
            ))}
          </ul>
        </>
      ) : question.kind === "numeric" ? (
        <div className="field">
          <label htmlFor={`${id}-value`}>Your answer{question.unit ? ` (${question.unit})` : ""}</label>
          <input ref={inputRef} id={`${id}-value`} name="value" type="text" inputMode="decimal" autoComplete="off" required />
          {hydrated ? (
            <p className="hint key-hint">
              <kbd>Enter</kbd> checks.
            </p>
          ) : null}
        </div>
      ) : question.kind === "text" ? (
        <div className="field">
          <label htmlFor={`${id}-value`}>Your answer</label>
          <input ref={inputRef} id={`${id}-value`} name="value" type="text" autoComplete="off" autoCapitalize="off" spellCheck={false} required />
          {hydrated ? (
            <p className="hint key-hint">
              <kbd>Enter</kbd> checks.
            </p>
          ) : null}
        </div>
      ) : hydrated ? (
        <OrderList question={question} />
      ) : (
        <>
          <p className="hint">Choose which step comes at each position.</p>
          <ol className="order-steps">
            {question.steps.map((_, position) => (
              <li key={position}>
                <label htmlFor={`${id}-pos-${position}`}>Position {position + 1}</label>
                <select id={`${id}-pos-${position}`} name="order" required defaultValue="">
                  <option value="" disabled>
                    Choose a step
                  </option>
                  {question.steps.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.text}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ol>
        </>
      )}
    </fieldset>
  );
}

/**
 * An ordering as one list. Keys on a focused step: ↑/↓ move the focus,
 * Alt+↑/↓ (or Shift+↑/↓) move the step, a number key puts it at that position.
 * Each step also has Move up / Move down buttons, and a handle to drag it on a
 * touch screen. The hidden inputs carry the order to the form.
 */
function OrderList({ question }: { question: PublicQuestion }) {
  const [steps, setSteps] = useState(question.steps);
  const [announce, setAnnounce] = useState("");
  const itemRefs = useRef(new Map<string, HTMLLIElement>());
  const listRef = useRef<HTMLOListElement>(null);
  const dragging = useRef<string | null>(null);
  const focusAfter = useRef<string | null>(null);

  useEffect(() => setSteps(question.steps), [question.steps]);
  useEffect(() => {
    if (focusAfter.current) {
      itemRefs.current.get(focusAfter.current)?.focus({ preventScroll: false });
      focusAfter.current = null;
    }
  });

  const move = useCallback((stepId: string, to: number, focus = true) => {
    setSteps((list) => {
      const from = list.findIndex((s) => s.id === stepId);
      const target = Math.max(0, Math.min(list.length - 1, to));
      if (from < 0 || from === target) return list;
      const next = [...list];
      const [step] = next.splice(from, 1);
      next.splice(target, 0, step!);
      setAnnounce(`${step!.text}: now position ${target + 1} of ${list.length}.`);
      return next;
    });
    if (focus) focusAfter.current = stepId;
  }, []);

  function onKeyDown(e: ReactKeyboardEvent<HTMLLIElement>, index: number, stepId: string) {
    if (e.target !== e.currentTarget) return; // the Move buttons handle their own keys
    const moving = e.altKey || e.shiftKey;
    if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      e.preventDefault();
      const to = index + (e.key === "ArrowUp" ? -1 : 1);
      if (moving) move(stepId, to);
      else itemRefs.current.get(steps[Math.max(0, Math.min(steps.length - 1, to))]!.id)?.focus();
    } else if (/^[1-9]$/.test(e.key) && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      move(stepId, Number(e.key) - 1);
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      if (moving) move(stepId, e.key === "Home" ? 0 : steps.length - 1);
      else itemRefs.current.get(steps[e.key === "Home" ? 0 : steps.length - 1]!.id)?.focus();
    }
  }

  function onPointerDown(e: ReactPointerEvent<HTMLSpanElement>, stepId: string) {
    dragging.current = stepId;
    e.currentTarget.setPointerCapture(e.pointerId);
  }
  function onPointerMove(e: ReactPointerEvent<HTMLSpanElement>) {
    const stepId = dragging.current;
    if (!stepId) return;
    const rows = steps.map((s) => itemRefs.current.get(s.id)?.getBoundingClientRect());
    const over = rows.findIndex((r) => r && e.clientY >= r.top && e.clientY <= r.bottom);
    if (over >= 0) move(stepId, over, false);
  }
  function onPointerUp() {
    dragging.current = null;
  }

  return (
    <>
      <p className="hint" id={`q-${question.id}-order-hint`}>
        Put the steps in order, first at the top.
        <span className="key-hint">
          {" "}
          Keys on a step: <kbd>↑</kbd> <kbd>↓</kbd> go to a step, <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> move it, <kbd>1</kbd>–<kbd>{Math.min(steps.length, 9)}</kbd> put
          it at that place, <kbd>Enter</kbd> checks.
        </span>
      </p>
      <ol className="order-list" ref={listRef} aria-describedby={`q-${question.id}-order-hint`}>
        {steps.map((s, i) => (
          <li
            key={s.id}
            ref={(el) => {
              if (el) itemRefs.current.set(s.id, el);
              else itemRefs.current.delete(s.id);
            }}
            tabIndex={0}
            className="order-item"
            aria-label={`Position ${i + 1} of ${steps.length}: ${s.text}`}
            onKeyDown={(e) => onKeyDown(e, i, s.id)}
          >
            <input type="hidden" name="order" value={s.id} />
            <span className="order-handle" aria-hidden="true" onPointerDown={(e) => onPointerDown(e, s.id)} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerCancel={onPointerUp}>
              ⠿
            </span>
            <span className="order-position" aria-hidden="true">
              {i + 1}
            </span>
            <span className="order-text" dangerouslySetInnerHTML={{ __html: s.html }} />
            <span className="order-moves">
              <button type="button" className="secondary small" aria-label={`Move up: ${s.text}`} disabled={i === 0} onClick={() => move(s.id, i - 1, false)}>
                ↑
              </button>
              <button type="button" className="secondary small" aria-label={`Move down: ${s.text}`} disabled={i === steps.length - 1} onClick={() => move(s.id, i + 1, false)}>
                ↓
              </button>
            </span>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </>
  );
}
