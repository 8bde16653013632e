/**
 * The exercise editor. The server renders a plain, labelled <textarea>: it
 * works at once, and without JavaScript. After hydration CodeMirror is loaded
 * with a dynamic import() and takes over, starting from whatever the textarea
 * holds at that moment (the textarea stays the source of truth until then, and
 * the fallback if CodeMirror cannot load). Ctrl/Cmd+Enter runs the tests in both.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import type { CodeMirrorHandle } from "./codemirror";

export interface CodeEditorHandle {
  getCode(): string;
  setCode(code: string): void;
  focus(): void;
}

interface Props {
  id: string;
  label: string;
  initialCode: string;
  describedBy?: string;
  onRun: () => void;
  /** Syntax mode (Python track); JavaScript/TypeScript by default. */
  language?: "javascript" | "python";
}

export const CodeEditor = forwardRef<CodeEditorHandle, Props>(function CodeEditor({ id, label, initialCode, describedBy, onRun, language = "javascript" }, ref) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const cm = useRef<CodeMirrorHandle | null>(null);
  const onRunRef = useRef(onRun);
  const languageRef = useRef(language);
  const [mode, setMode] = useState<"textarea" | "loading" | "codemirror" | "failed">("textarea");
  const labelId = `${id}-label`;

  useEffect(() => {
    onRunRef.current = onRun;
  }, [onRun]);

  useEffect(() => {
    languageRef.current = language;
    cm.current?.setLanguage(language);
  }, [language]);

  useImperativeHandle(
    ref,
    () => ({
      getCode: () => cm.current?.getCode() ?? textarea.current?.value ?? "",
      setCode: (code: string) => {
        if (textarea.current) textarea.current.value = code;
        cm.current?.setCode(code);
      },
      focus: () => (cm.current ? cm.current.focus() : textarea.current?.focus()),
    }),
    [],
  );

  useEffect(() => {
    let cancelled = false;
    let handle: CodeMirrorHandle | null = null;
    setMode("loading");
    import("./codemirror")
      .then(({ createCodeMirror }) => {
        const ta = textarea.current;
        if (cancelled || !host.current || !ta) return;
        const hadFocus = document.activeElement === ta;
        handle = createCodeMirror(host.current, ta.value, {
          onRun: () => onRunRef.current(),
          onChange: (code) => {
            ta.value = code;
          },
          labelledBy: labelId,
          describedBy,
          language: languageRef.current,
        });
        cm.current = handle;
        setMode("codemirror");
        if (hadFocus) requestAnimationFrame(() => handle?.focus());
      })
      .catch(() => {
        if (!cancelled) setMode("failed");
      });
    return () => {
      cancelled = true;
      handle?.destroy();
      cm.current = null;
    };
  }, [labelId, describedBy]);

  return (
    <div className="code-editor" data-editor={mode}>
      <label id={labelId} htmlFor={id} onClick={() => cm.current?.focus()}>
        {label}
      </label>
      <textarea
        ref={textarea}
        id={id}
        name="code"
        className="code-textarea"
        defaultValue={initialCode}
        rows={Math.min(30, Math.max(12, initialCode.split("\n").length + 2))}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        aria-describedby={describedBy}
        hidden={mode === "codemirror"}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            onRunRef.current();
          }
        }}
      />
      <div ref={host} className="cm-host" hidden={mode !== "codemirror"} />
      {mode === "failed" ? <p className="hint">The code editor could not load; this plain text box works the same way.</p> : null}
    </div>
  );
});
