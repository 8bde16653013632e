/**
 * The Python half of the runner, shared by the browser worker and by the
 * content check in Node: it runs the learner's module in a fresh namespace,
 * calls their function, and turns what it returns into plain data (lists,
 * dicts with string keys, numbers including NaN and infinities, strings,
 * booleans, None) within size caps, so nothing huge or odd leaves Python.
 * Errors come back as one line with the learner's line number.
 */
import type { PyodideInterface } from "pyodide";
import type { RunRequest, WorkerMessage } from "~/exercise-worker/protocol";
import { ERROR_MAX_CHARS, VALUE_MAX_CHARS, VALUE_MAX_ITEMS } from "./protocol";

export const HARNESS_PY = String.raw`
import sys as _sys
import traceback as _traceback

_LEARNER_FILE = "<exercise>"
_MAX_ITEMS = ${VALUE_MAX_ITEMS}
_MAX_CHARS = ${VALUE_MAX_CHARS}
_MAX_ERROR = ${ERROR_MAX_CHARS}


class _Refused(Exception):
    pass


def _cut(text):
    text = str(text)
    return text if len(text) <= _MAX_ERROR else text[:_MAX_ERROR] + "…"


def _learner_line(tb):
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _LEARNER_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(error):
    if isinstance(error, RecursionError):
        head = "RecursionError: maximum recursion depth exceeded"
        hint = ": check that your recursion has a base case"
    else:
        try:
            message = str(error)
        except Exception:
            message = "(a message that cannot be shown)"
        head = type(error).__name__ + (": " + _cut(message) if message else "")
        hint = ""
    if isinstance(error, SyntaxError) and error.lineno:
        return _cut("SyntaxError: " + str(error.msg) + " (line " + str(error.lineno) + ")")
    line = _learner_line(error.__traceback__)
    return _cut(head + (" (line " + str(line) + ")" if line else "") + hint)


def _plain(value):
    budget = [_MAX_ITEMS, _MAX_CHARS]

    def walk(v, depth):
        budget[0] -= 1
        if budget[0] < 0:
            raise _Refused("your function returned more than " + str(_MAX_ITEMS) + " items")
        if depth > 64:
            raise _Refused("your function returned a value nested more than 64 levels deep")
        if v is None or isinstance(v, (bool, float)):
            return v
        if isinstance(v, int):
            return v if -(2**53) <= v <= 2**53 else float(v)
        if isinstance(v, str):
            budget[1] -= len(v)
            if budget[1] < 0:
                raise _Refused("your function returned more than " + str(_MAX_CHARS) + " characters of text")
            return v
        if isinstance(v, (list, tuple)):
            return [walk(x, depth + 1) for x in v]
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                if not isinstance(k, (str, int)) or isinstance(k, bool):
                    raise _Refused("dict keys must be strings or ints, got a " + type(k).__name__ + " key")
                out[str(k)] = walk(x, depth + 1)
            return out
        if isinstance(v, (bytes, bytearray)):
            budget[0] -= len(v)
            if budget[0] < 0:
                raise _Refused("your function returned more than " + str(_MAX_ITEMS) + " items")
            return list(v)
        if isinstance(v, (set, frozenset)):
            raise _Refused("your function returned a " + type(v).__name__ + "; return a list instead")
        raise _Refused("your function returned a " + type(v).__name__ + ", which is not plain data (lists, dicts, numbers, strings, True/False, None)")

    return walk(value, 0)


class _Module:
    def __init__(self):
        self.fn = None


_current = _Module()


def _as_load(code, function_name):
    """Runs the learner's module in a fresh namespace; returns an error message or None."""
    _current.fn = None
    namespace = {"__name__": "exercise", "__builtins__": __builtins__}
    try:
        compiled = compile(code, _LEARNER_FILE, "exec")
    except SyntaxError as e:
        return _cut("SyntaxError: " + str(e.msg) + (" (line " + str(e.lineno) + ")" if e.lineno else ""))
    try:
        exec(compiled, namespace)
    except BaseException as e:
        if isinstance(e, (KeyboardInterrupt,)):
            raise
        return "Your code raised an error while loading: " + _describe(e)
    finally:
        _flush()
    fn = namespace.get(function_name)
    if not callable(fn):
        return "Define a function named " + function_name + "."
    _current.fn = fn
    return None


def _as_call(args, return_args=False):
    """Calls the learner's function: (True, plain value, plain args after the call or None) or (False, message, None)."""
    try:
        result = _current.fn(*args)
    except BaseException as e:
        return (False, _describe(e), None)
    finally:
        _flush()
    try:
        return (True, _plain(result), _plain(list(args)) if return_args else None)
    except _Refused as e:
        return (False, _cut(str(e)), None)
    except RecursionError:
        return (False, "your function returned a value nested too deeply", None)


def _flush():
    try:
        _sys.stdout.flush()
        _sys.stderr.flush()
    except Exception:
        pass
`;

/**
 * Pyodide turns None into `undefined`; plain data says `null` (as JSON and the
 * JavaScript references do). The harness already bounded the value's size.
 */
export function noneToNull(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = noneToNull(value[i]);
    return value;
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) obj[k] = noneToNull(obj[k]);
  }
  return value;
}

type PyResult = { toJs: (o: object) => [boolean, unknown, unknown]; destroy: () => void };

/**
 * One run on an interpreter that has HARNESS_PY loaded, for the browser worker
 * and for Node alike: load the module, make each planned call, post what came
 * out in the JavaScript runner's message shape (app/exercise-worker/protocol.ts),
 * so the same judge (app/domain/grading/run.ts) grades both languages. No
 * expected value is here and no verdict is made.
 */
export function pythonRunner(py: PyodideInterface): (request: RunRequest, post: (message: WorkerMessage) => void) => void {
  const load = py.globals.get("_as_load") as (code: string, name: string) => string | undefined;
  const call = py.globals.get("_as_call") as (args: unknown, returnArgs: boolean) => PyResult;
  return (request, post) => {
    const error = load(String(request.code), String(request.functionName));
    if (error) {
      post({ type: "compile-error", error });
      post({ type: "done" });
      return;
    }
    for (const { id, args, returnArgs } of request.calls) {
      post({ type: "start", id });
      const pyArgs = py.toPy(args);
      const res = call(pyArgs, returnArgs === true);
      pyArgs.destroy();
      const [ok, value, after] = res.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
      res.destroy();
      if (!ok) post({ type: "call", id, ok: false, error: String(value) });
      else if (returnArgs) post({ type: "call", id, ok: true, value: noneToNull(value), argsAfter: noneToNull(after) as unknown[] });
      else post({ type: "call", id, ok: true, value: noneToNull(value) });
    }
    post({ type: "done" });
  };
}
