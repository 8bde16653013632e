/**
 * The item browser: every item of the course with the learner's state,
 * searchable (r<0.9, s>21, is:leech… see domain/item-query.ts) and filterable,
 * with suspend, unsuspend, forget and "review now". Plain GET forms and POST
 * forms that redirect back: everything works without JavaScript.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { getCourse } from "~/content/course.server";
import { browseItems, forgetItem, setSuspended, type BrowseResult } from "~/items/items.server";
import { filterFromParams, readBrowseParams } from "~/items/browse-params";
import { checkWrite, retryAfter } from "~/limits/write-caps.server";
import { pageTitle } from "~/utils/meta";
import { readForm } from "~/utils/http.server";
import { clock } from "~/utils/clock.server";
import itemsStyles from "~/styles/items.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: itemsStyles }];

export const meta: MetaFunction = () => pageTitle("Items", "Every card, question and exercise with your memory of it: search, suspend, forget, review now.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const topics = getCourse().course.topics.map((t) => ({ slug: t.slug, title: t.title }));
  const params = readBrowseParams(url.searchParams);
  const filter = params.ok ? filterFromParams(params.params) : params;
  if (!params.ok || !filter.ok) {
    const error = !params.ok ? params.error : !filter.ok ? filter.error : "";
    return data({ topics, error, result: null as BrowseResult | null, done: null as string | null }, { status: 400 });
  }
  const result = await browseItems(user.id, filter.filter, params.params.page, clock());
  return { topics, error: null as string | null, result, done: url.searchParams.get("done") };
}

const ItemId = z.string().min(1).max(100);
const ActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("suspend"), itemId: ItemId }),
    z.object({ intent: z.literal("unsuspend"), itemId: ItemId }),
    z.object({ intent: z.literal("forget"), itemId: ItemId, clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "clientId must be 8 to 64 letters, digits, dashes or underscores") }),
  ],
  { errorMap: () => ({ message: "intent must be suspend, unsuspend or forget" }) },
);
/** Where to go back to: this page's own query string, nothing else. */
const Back = z.string().max(2000).regex(/^(\?[^\s#]*)?$/).catch("");

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const cap = await checkWrite(user.id, "review");
  if (!cap.allowed) return data({ error: cap.message }, { status: 429, headers: retryAfter(cap) });
  const form = await readForm(request);
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  const parsed = ActionSchema.safeParse(fields);
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message }, { status: 400 });
  const back = Back.parse(fields.back ?? "");
  const a = parsed.data;
  const res = a.intent === "forget" ? await forgetItem(user.id, a.itemId, a.clientId, clock()) : await setSuspended(user.id, [a.itemId], a.intent === "suspend", clock());
  if (res.status === "not-found") return data({ error: `No item "${res.itemId}" in this course.` }, { status: 404 });
  const sep = back ? "&" : "?";
  return redirect(`/items${back}${sep}done=${a.intent}`, 303);
}

const STATE_LABEL = { new: "new", learning: "learning", review: "review", relearning: "relearning" } as const;
const DONE_LABEL: Record<string, string> = { suspend: "Suspended.", unsuspend: "Unsuspended.", forget: "Reset to a new card." };

function formatDue(row: { dueInDays: number | null; due: string | null }) {
  if (row.dueInDays === null || row.due === null) return "–";
  if (row.dueInDays <= 0) return "now";
  if (row.dueInDays < 1) return "today";
  return `in ${Math.round(row.dueInDays)} d`;
}

type Option = readonly [value: string, label: string];
const KIND_OPTIONS: readonly Option[] = [
  ["", "All kinds"],
  ["card", "Flashcards"],
  ["quiz", "Questions"],
  ["exercise", "Exercises"],
];
const STATE_OPTIONS: readonly Option[] = [
  ["", "Any state"],
  ["new", "New"],
  ["learning", "Learning"],
  ["review", "Review"],
  ["relearning", "Relearning"],
  ["leech", "Leeches"],
  ["suspended", "Suspended"],
];

/** One labelled filter of the search form; the first option (value "") means "any". */
function FilterSelect({ label, name, value, options }: { label: string; name: string; value: string | null; options: readonly Option[] }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export default function Items() {
  const { topics, error, result, done } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const keep = new URLSearchParams(search);
  keep.delete("done");
  const back = keep.toString() ? `?${keep.toString()}` : "";
  const pageHref = (p: number) => {
    const s = new URLSearchParams(keep);
    s.set("page", String(p));
    return `/items?${s.toString()}`;
  };
  return (
    <div className="items-page">
      <h1>Items</h1>
      <p className="lede">
        Every card, question and exercise of the course, and the cards you wrote yourself, with your memory of each. Search words, or conditions such as <code>r&lt;0.9</code> (recall below 90%), <code>s&gt;21</code> (stability over 21 days),{" "}
        <code>due&lt;7</code>, <code>lapses&gt;=3</code>, <code>is:leech</code>, <code>is:suspended</code>, <code>is:own</code>, <code>kind:card</code>.
      </p>
      <Form method="get" className="items-filters" role="search" aria-label="Filter items">
        <label>
          Search
          <input type="search" name="q" defaultValue={search.get("q") ?? ""} maxLength={500} placeholder="r<0.9 softmax" />
        </label>
        <FilterSelect label="Topic" name="topic" value={search.get("topic")} options={[["", "All topics"], ...topics.map((t): Option => [t.slug, t.title])]} />
        <FilterSelect label="Kind" name="kind" value={search.get("kind")} options={KIND_OPTIONS} />
        <FilterSelect label="State" name="state" value={search.get("state")} options={STATE_OPTIONS} />
        <button type="submit">Filter</button>
      </Form>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {done && DONE_LABEL[done] ? (
        <p className="muted" role="status">
          {DONE_LABEL[done]}
        </p>
      ) : null}
      {result ? (
        <>
          <p role="status" className="items-count">
            {result.total} of {result.courseTotal} items{result.pages > 1 ? `, page ${result.page} of ${result.pages}` : ""}.
          </p>
          <div className="items-table-wrap" role="region" aria-label="Items" tabIndex={0}>
            <table className="items-table">
              <caption className="visually-hidden">Items matching the filter, with their state</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Topic</th>
                  <th scope="col">State</th>
                  <th scope="col">Due</th>
                  <th scope="col">Recall</th>
                  <th scope="col">Stability</th>
                  <th scope="col">Lapses</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((r) => (
                  <tr key={r.id} data-item={r.id}>
                    <th scope="row">
                      <Link to={r.sectionHref}>{r.label}</Link>
                      <span className="muted"> · {r.own ? "your own flashcard" : r.kind === "card" ? "flashcard" : r.kind === "quiz" ? "question" : "exercise"}</span>
                      {r.leech ? <span className="badge leech"> leech</span> : null}
                    </th>
                    <td>{r.topicTitle}</td>
                    <td>{r.suspended ? `${STATE_LABEL[r.state]}, suspended` : STATE_LABEL[r.state]}</td>
                    <td>{formatDue(r)}</td>
                    <td>{r.retrievability === null ? "–" : `${Math.round(r.retrievability * 100)}%`}</td>
                    <td>{r.stability === null ? "–" : `${r.stability < 10 ? r.stability.toFixed(1) : Math.round(r.stability)} d`}</td>
                    <td>{r.lapses}</td>
                    <td className="item-actions">
                      {!r.suspended ? (
                        <Link to={`/review?item=${encodeURIComponent(r.id)}`} aria-label={`Review now: ${r.label}`}>
                          Review now
                        </Link>
                      ) : null}
                      <Form method="post" reloadDocument>
                        <input type="hidden" name="itemId" value={r.id} />
                        <input type="hidden" name="back" value={back} />
                        <button type="submit" name="intent" value={r.suspended ? "unsuspend" : "suspend"} className="secondary" aria-label={`${r.suspended ? "Unsuspend" : "Suspend"}: ${r.label}`}>
                          {r.suspended ? "Unsuspend" : "Suspend"}
                        </button>
                      </Form>
                      {r.state !== "new" ? (
                        <Form method="post" reloadDocument>
                          <input type="hidden" name="itemId" value={r.id} />
                          <input type="hidden" name="back" value={back} />
                          <input type="hidden" name="clientId" value={`forget-${r.version}-${r.id.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, 64)} />
                          <button type="submit" name="intent" value="forget" className="secondary" aria-label={`Forget (reset to new): ${r.label}`}>
                            Forget
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {result.pages > 1 ? (
            <nav aria-label="Pages" className="items-pages">
              {result.page > 1 ? <Link to={pageHref(result.page - 1)}>Previous page</Link> : null}
              {result.page < result.pages ? <Link to={pageHref(result.page + 1)}>Next page</Link> : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
