/**
 * The item browser's search language (/items), pure. A query is words and
 * conditions separated by spaces, all of which must hold:
 *   attention            text: the item's id or text contains the word (any case)
 *   r<0.9  r>=0.5        retrievability now, 0 to 1
 *   s>21   s<=3          stability in days
 *   due<7  due<=0        due within N days from now (due<=0: due now or overdue)
 *   lapses>=3            times forgotten
 *   is:leech is:suspended is:own is:new is:learning is:review is:relearning
 *   kind:card|quiz|exercise   topic:<lesson slug>
 * Values are checked with zod; anything not understood is an error naming the
 * token, never a silent "no match".
 */
import { z } from "zod";

export type Comparison = "<" | "<=" | ">" | ">=" | "=";
export type NumericField = "r" | "s" | "due" | "lapses";
export type ItemStateName = "new" | "learning" | "review" | "relearning";
export type ItemKind = "card" | "quiz" | "exercise";

export interface ItemFilter {
  text: string[];
  numeric: { field: NumericField; op: Comparison; value: number }[];
  states: ItemStateName[];
  kinds: ItemKind[];
  topics: string[];
  leech?: boolean;
  suspended?: boolean;
  own?: boolean; // the learner's own cards (ADR 025)
}

/** What the browser knows about one item for one learner. */
export interface BrowsedItem {
  id: string;
  topic: string;
  kind: ItemKind;
  text: string; // lower-cased searchable text
  state: ItemStateName;
  retrievability: number; // 0 for new
  stability: number; // days, 0 for new
  dueInDays: number | null; // null for new
  lapses: number;
  suspended: boolean;
  leech: boolean;
  own: boolean;
}

export const emptyFilter = (): ItemFilter => ({ text: [], numeric: [], states: [], kinds: [], topics: [] });

const NUMBER = z.coerce.number({ invalid_type_error: "not a number" }).finite();
const RANGES: Record<NumericField, z.ZodType<number>> = {
  r: NUMBER.pipe(z.number().min(0, "r is 0 to 1").max(1, "r is 0 to 1")),
  s: NUMBER.pipe(z.number().min(0, "s is days, 0 or more")),
  due: NUMBER.pipe(z.number().min(-36500).max(36500)),
  lapses: NUMBER.pipe(z.number().int("lapses is a whole number").min(0)),
};
const STATE = z.enum(["new", "learning", "review", "relearning"]);
const KIND = z.enum(["card", "quiz", "exercise"]);
const SLUG = z.string().regex(/^[a-z0-9-]{1,100}$/, "a lesson slug");

export type ParseResult = { ok: true; filter: ItemFilter } | { ok: false; error: string };

const MAX_QUERY = 500;

export function parseItemQuery(query: string): ParseResult {
  if (query.length > MAX_QUERY) return { ok: false, error: `A search is at most ${MAX_QUERY} characters.` };
  const filter = emptyFilter();
  for (const token of query.trim().split(/\s+/).filter(Boolean)) {
    const cmp = /^(r|s|due|lapses)(<=|>=|<|>|=)(.*)$/i.exec(token);
    if (cmp) {
      const field = cmp[1]!.toLowerCase() as NumericField;
      if (cmp[3]!.trim() === "") return { ok: false, error: `"${token}": a number is missing` };
      const parsed = RANGES[field].safeParse(cmp[3]);
      if (!parsed.success) return { ok: false, error: `"${token}": ${parsed.error.issues[0]!.message}` };
      filter.numeric.push({ field, op: cmp[2] as Comparison, value: parsed.data });
      continue;
    }
    const kv = /^(is|kind|topic|state):(.*)$/i.exec(token);
    if (kv) {
      const key = kv[1]!.toLowerCase();
      const value = kv[2]!.toLowerCase();
      if (key === "is" && value === "leech") filter.leech = true;
      else if (key === "is" && value === "suspended") filter.suspended = true;
      else if (key === "is" && value === "own") filter.own = true;
      else if (key === "is" || key === "state") {
        const st = STATE.safeParse(value);
        if (!st.success) return { ok: false, error: `"${token}": use is:new, is:learning, is:review, is:relearning, is:leech, is:suspended or is:own` };
        filter.states.push(st.data);
      } else if (key === "kind") {
        const k = KIND.safeParse(value);
        if (!k.success) return { ok: false, error: `"${token}": kind is card, quiz or exercise` };
        filter.kinds.push(k.data);
      } else {
        const t = SLUG.safeParse(value);
        if (!t.success) return { ok: false, error: `"${token}": topic is ${t.error.issues[0]!.message}` };
        filter.topics.push(t.data);
      }
      continue;
    }
    if (/^[a-z]+[<>=:]/i.test(token)) return { ok: false, error: `"${token}": unknown condition (try r<0.9, s>21, due<7, lapses>=3, is:leech, kind:card, topic:…)` };
    filter.text.push(token.toLowerCase());
  }
  return { ok: true, filter };
}

function compare(x: number, op: Comparison, v: number): boolean {
  switch (op) {
    case "<":
      return x < v;
    case "<=":
      return x <= v;
    case ">":
      return x > v;
    case ">=":
      return x >= v;
    default:
      return Math.abs(x - v) < 1e-9;
  }
}

export function matchesFilter(f: ItemFilter, it: BrowsedItem): boolean {
  if (f.topics.length && !f.topics.includes(it.topic)) return false;
  if (f.kinds.length && !f.kinds.includes(it.kind)) return false;
  if (f.states.length && !f.states.includes(it.state)) return false;
  if (f.leech !== undefined && it.leech !== f.leech) return false;
  if (f.suspended !== undefined && it.suspended !== f.suspended) return false;
  if (f.own !== undefined && it.own !== f.own) return false;
  for (const c of f.numeric) {
    if (c.field === "due") {
      if (it.dueInDays === null || !compare(it.dueInDays, c.op, c.value)) return false;
    } else if (c.field === "r" || c.field === "s") {
      if (it.state === "new") return false; // a never-reviewed item has no memory to measure
      if (!compare(c.field === "r" ? it.retrievability : it.stability, c.op, c.value)) return false;
    } else if (!compare(it.lapses, c.op, c.value)) return false;
  }
  for (const w of f.text) if (!it.text.includes(w) && !it.id.toLowerCase().includes(w)) return false;
  return true;
}
