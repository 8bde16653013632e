/**
 * Turns whatever the learner's function returned into plain data the page can
 * receive without freezing: numbers, strings, booleans, null, undefined,
 * arrays and plain objects, within VALUE_MAX_UNITS and VALUE_MAX_DEPTH.
 * Anything else (a function, a Promise, a typed array, a Map, a value too big
 * or too deep) becomes an Unsendable that says what it was.
 *
 * Runs in the learner's realm, so it takes the built-ins it needs when it is
 * created, before any learner code ran: code that later replaces Array.isArray
 * or String.prototype.slice cannot make it send more. (It can make its own
 * results wrong, which only fails its own tests: the verdict is made elsewhere.)
 */
import { ERROR_MAX_CHARS, VALUE_MAX_DEPTH, VALUE_MAX_UNITS, type Unsendable } from "./protocol";

class TooBig extends Error {}

export interface Sendable {
  /** A copy of `value` that is safe to post, or an Unsendable. */
  copy(value: unknown): unknown;
  /** `text` cut to `max` characters, saying how long it was. */
  cap(text: string, max?: number): string;
}

export function createSendable(maxUnits = VALUE_MAX_UNITS, maxDepth = VALUE_MAX_DEPTH): Sendable {
  const isArray = Array.isArray;
  const isView = ArrayBuffer.isView;
  const keysOf = Object.keys;
  const protoOf = Object.getPrototypeOf;
  const call = Function.prototype.call;
  // Bound now: calling these later looks nothing up on Function.prototype.
  const sliceString = call.bind(String.prototype.slice) as (s: string, start: number, end?: number) => string;
  const tagOf = call.bind(Object.prototype.toString) as (v: unknown) => string;
  const toText = String;

  const unsendable = (what: string): Unsendable => ({ $unsendable: what });

  const cap = (text: string, max = ERROR_MAX_CHARS): string => {
    if (typeof text !== "string") text = toText(text);
    return text.length <= max ? text : `${sliceString(text, 0, max)}… (cut: ${text.length} characters in all)`;
  };

  function kind(v: object): string {
    const tag = sliceString(tagOf(v), 8, -1);
    return tag && tag !== "Object" ? `a ${tag}` : "an object with a class";
  }

  function copy(value: unknown): unknown {
    let units = 0;
    const walk = (v: unknown, depth: number): unknown => {
      switch (typeof v) {
        case "number":
        case "boolean":
        case "undefined":
        case "bigint":
          units += 1;
          return v;
        case "string":
          units += v.length + 1;
          if (units > maxUnits) throw new TooBig(`a string of ${v.length.toLocaleString("en")} characters`);
          return v;
        case "symbol":
          return unsendable("a Symbol");
        case "function":
          return unsendable("a function (call it and return its result)");
      }
      if (v === null) return null;
      if (depth >= maxDepth) throw new TooBig(`a value nested more than ${maxDepth} levels deep (or one that contains itself)`);
      const obj = v as Record<string | number, unknown>;
      if (isArray(obj)) {
        const n = obj.length;
        units += 1;
        if (units + n > maxUnits) throw new TooBig(`an array of ${n.toLocaleString("en")} items`);
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out[i] = walk(obj[i], depth + 1);
        return out;
      }
      if (isView(obj)) return unsendable(`${kind(obj)} (return a plain array: Array.from(...))`);
      if (typeof (obj as { then?: unknown }).then === "function") return unsendable("a Promise (the function must not be async)");
      const proto = protoOf(obj);
      // A plain object has Object.prototype (of any realm: CI runs code in a node:vm context) or null as its prototype.
      if (proto !== null && protoOf(proto) !== null) return unsendable(`${kind(obj)} (return plain arrays, objects, numbers or strings)`);
      const keys = keysOf(obj);
      units += 1;
      if (units + keys.length > maxUnits) throw new TooBig(`an object with ${keys.length.toLocaleString("en")} keys`);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        units += k.length;
        out[k] = walk(obj[k], depth + 1);
      }
      return out;
    };
    try {
      return walk(value, 0);
    } catch (e) {
      if (e instanceof TooBig) return unsendable(`${e.message}, too large to check (at most ${maxUnits.toLocaleString("en")} numbers or characters)`);
      return unsendable("a value that cannot be read");
    }
  }

  return { copy, cap };
}
