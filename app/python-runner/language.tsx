/**
 * The language choice on an exercise page that offers JavaScript and Python:
 * a labelled radio group, remembered in this browser (localStorage) for the
 * next exercise. The editor's code is kept per language while the page is
 * open, so switching back and forth loses nothing; the server draft records
 * which language its code is in. Python's runner is imported only when a
 * Python run starts (or the Python variant is picked), so no other page ever
 * loads it.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { GradingSpec } from "~/domain/grading/run";
import type { RunOptions, RunOutcome } from "~/exercises/run-in-worker";
import type { ExerciseLanguage, PythonVariantPage } from "./types";

export type { ExerciseLanguage };

const STORAGE_KEY = "exercise-language";

export const LANGUAGE_NAME: Record<ExerciseLanguage, string> = { javascript: "JavaScript", python: "Python" };

function rememberedLanguage(): ExerciseLanguage | null {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return v === "python" || v === "javascript" ? v : null;
  } catch {
    return null;
  }
}

interface LanguageData {
  id: string;
  starter: string;
  initialCode: string;
  fromDraft: boolean;
  review: boolean;
  language: ExerciseLanguage;
  python: PythonVariantPage | null;
}

interface EditorLike {
  getCode(): string;
  setCode(code: string): void;
}

/** The current language, the code each language starts from, and a switch that keeps the editor's code per language. */
export function useExerciseLanguage(data: LanguageData, editor: React.RefObject<EditorLike>) {
  const [language, setLanguage] = useState<ExerciseLanguage>(data.language);
  const current = useRef<ExerciseLanguage>(data.language);
  const codes = useRef<Partial<Record<ExerciseLanguage, string>>>({});

  const starterFor = useCallback((l: ExerciseLanguage) => (l === "python" && data.python ? data.python.starter : data.starter), [data.python, data.starter]);

  const choose = useCallback(
    (next: ExerciseLanguage, remember = true) => {
      if (next === "python" && !data.python) return;
      if (remember) {
        try {
          window.localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // private mode: the choice lasts for this page only
        }
      }
      const was = current.current;
      if (was === next) return;
      if (editor.current) {
        codes.current[was] = editor.current.getCode();
        editor.current.setCode(codes.current[next] ?? starterFor(next));
      }
      current.current = next;
      setLanguage(next);
    },
    [data.python, editor, starterFor],
  );

  // A new exercise: its own draft decides; without one, the language this learner picked last time.
  // Only on a new exercise: a revalidated loader must not reset what is in the editor.
  const shownId = useRef<string | null>(null);
  useEffect(() => {
    if (shownId.current === data.id) return;
    shownId.current = data.id;
    codes.current = {};
    current.current = data.language;
    setLanguage(data.language);
    if (!data.python || data.fromDraft) return;
    const remembered = rememberedLanguage();
    if (remembered && remembered !== data.language) choose(remembered, false);
  }, [data.id, data.language, data.python, data.fromDraft, choose]);

  // Start Pyodide early on a Python page: the first run then finds it loaded (or loading).
  useEffect(() => {
    if (language !== "python" || !data.python) return;
    const indexURL = data.python.indexURL;
    void import("./run-python").then((m) => m.prewarmPython(indexURL));
  }, [language, data.python]);

  return { language, choose, starterFor, hasPython: data.python !== null };
}

/** Runs the Python variant (the JavaScript one goes through the page's own runner). */
export async function runPython(code: string, spec: GradingSpec, python: PythonVariantPage, options: RunOptions = {}): Promise<RunOutcome> {
  const { runPythonExercise } = await import("./run-python");
  return runPythonExercise(code, { ...spec, functionName: python.functionName }, { ...options, indexURL: python.indexURL });
}

export function LanguagePicker({ language, onChange }: { language: ExerciseLanguage; onChange: (l: ExerciseLanguage) => void }) {
  return (
    <fieldset className="language-picker">
      <legend>Language</legend>
      {(["javascript", "python"] as const).map((l) => (
        <label key={l}>
          <input type="radio" name="exercise-language" value={l} checked={language === l} onChange={() => onChange(l)} /> {LANGUAGE_NAME[l]}
        </label>
      ))}
    </fieldset>
  );
}
