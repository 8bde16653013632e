/**
 * Pyodide in Node, for the content check: loaded once per process from the
 * same package the app serves, running the same harness as the browser worker.
 * Only our own reference and starter code runs here, so there is no sandbox.
 */
import path from "node:path";
import type { PyodideInterface } from "pyodide";
import { pyodideFiles } from "../../pyodide-files.mjs";
import { HARNESS_PY, noneToNull } from "./harness";
import type { PythonCaller } from "./grade";
import type { CallOutcome } from "./protocol";

let loading: Promise<PyodideInterface> | null = null;

export function nodePyodide(): Promise<PyodideInterface> {
  loading ??= (async () => {
    const { loadPyodide } = (await import("pyodide")) as typeof import("pyodide");
    const py = await loadPyodide({ indexURL: pyodideFiles().dir + path.sep, stdout: () => {}, stderr: () => {} });
    py.runPython(HARNESS_PY);
    return py;
  })();
  return loading;
}

/** A caller for gradePython that runs `code` in the shared Node interpreter (fresh namespace). */
export async function nodeCaller(code: string, functionName: string): Promise<PythonCaller> {
  const py = await nodePyodide();
  const load = py.globals.get("_as_load") as (code: string, name: string) => string | undefined;
  const callFn = py.globals.get("_as_call") as { (args: unknown): { toJs: (o: object) => [boolean, unknown]; destroy: () => void } };
  return async (calls) => {
    // Each batch loads the module afresh: callers may interleave, and our reference code is cheap to run.
    const loadError = load(code, functionName);
    if (loadError) return { error: loadError };
    const outcomes = new Map<string, CallOutcome>();
    for (const c of calls) {
      const args = py.toPy(c.args);
      const res = callFn(args);
      args.destroy();
      const [ok, value] = res.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
      res.destroy();
      outcomes.set(c.id, ok ? { id: c.id, ok: true, value: noneToNull(value) } : { id: c.id, ok: false, error: String(value) });
    }
    return { outcomes };
  };
}
