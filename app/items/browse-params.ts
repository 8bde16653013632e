/**
 * The /items page's URL: a search (`q`, domain/item-query.ts) plus the form's
 * selects, combined into one filter. Pure, shared by the loader and the tests.
 */
import { z } from "zod";
import { parseItemQuery, type ItemFilter, type ParseResult } from "~/domain/item-query";

export const BrowseParams = z.object({
  q: z.string().max(500, "A search is at most 500 characters.").default(""),
  topic: z.string().regex(/^[a-z0-9-]{0,100}$/, "Unknown topic.").default(""),
  kind: z.enum(["", "card", "quiz", "exercise"], { errorMap: () => ({ message: "Kind is card, quiz or exercise." }) }).default(""),
  state: z.enum(["", "new", "learning", "review", "relearning", "leech", "suspended"], { errorMap: () => ({ message: "Unknown state." }) }).default(""),
  page: z.coerce.number({ invalid_type_error: "Page is a number." }).int("Page is a whole number.").min(1, "Pages start at 1.").max(100_000).default(1),
});
export type BrowseParams = z.infer<typeof BrowseParams>;

export function filterFromParams(p: BrowseParams): ParseResult {
  const parsed = parseItemQuery(p.q);
  if (!parsed.ok) return parsed;
  const f: ItemFilter = parsed.filter;
  if (p.topic) f.topics.push(p.topic);
  if (p.kind) f.kinds.push(p.kind);
  if (p.state === "leech") f.leech = true;
  else if (p.state === "suspended") f.suspended = true;
  else if (p.state) f.states.push(p.state);
  return { ok: true, filter: f };
}

export function readBrowseParams(search: URLSearchParams): { ok: true; params: BrowseParams } | { ok: false; error: string } {
  const raw: Record<string, string> = {};
  for (const key of ["q", "topic", "kind", "state", "page"]) {
    const v = search.get(key);
    if (v !== null && v !== "") raw[key] = v;
  }
  const parsed = BrowseParams.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  return { ok: true, params: parsed.data };
}
