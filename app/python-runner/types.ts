/** Shared by the server (page data) and the page. */
export type ExerciseLanguage = "javascript" | "python";

export interface PythonVariantPage {
  functionName: string;
  starter: string;
  /** Shown once revealed, like the JavaScript solution. */
  solution: string | null;
  /** Where the Python worker loads Pyodide from (server.mjs serves it there). */
  indexURL: string;
}
