/** What an exercise page needs to offer its Python variant (null when it has none). */
import type { ExerciseContent } from "~/content/load.server";
import { pyodideFiles } from "../../pyodide-files.mjs";

import type { ExerciseLanguage, PythonVariantPage } from "./types";

export type { ExerciseLanguage, PythonVariantPage };

export function pythonVariantPage(exercise: ExerciseContent, revealed: boolean): PythonVariantPage | null {
  if (!exercise.python) return null;
  return {
    functionName: exercise.python.function,
    starter: exercise.python.starter,
    solution: revealed ? exercise.python.solution : null,
    indexURL: pyodideFiles().urlPath,
  };
}

export function draftLanguage(exercise: ExerciseContent, stored: string | undefined): ExerciseLanguage {
  return stored === "python" && exercise.python ? "python" : "javascript";
}
