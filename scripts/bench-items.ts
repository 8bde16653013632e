/**
 * bench:items: the item browser's filtering at 5,000 items (issue 15). Builds
 * 5,000 synthetic browsed items (the shape browseItems gives the filter) and
 * times parse + filter + one page for a few queries, against a baseline in the
 * same run: a pass that only copies each item (the work any listing does).
 * Prints figures; asserts nothing.
 */
import { matchesFilter, parseItemQuery, type BrowsedItem } from "../app/domain/item-query";

const N = Number(process.env.BENCH_ITEMS ?? 5000);
const RUNS = 200;
const kinds = ["card", "quiz", "exercise"] as const;
const states = ["new", "learning", "review", "relearning"] as const;
let seed = 7;
const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const items: BrowsedItem[] = Array.from({ length: N }, (_, i) => {
  const state = states[Math.floor(rand() * 4)]!;
  return {
    id: `item-${i}`,
    topic: `topic-${i % 12}`,
    kind: kinds[i % 3]!,
    text: `what does softmax do to the attention scores of token ${i} in layer ${i % 24}`.toLowerCase(),
    state,
    retrievability: state === "new" ? 0 : rand(),
    stability: state === "new" ? 0 : rand() * 100,
    own: i % 50 === 0,
    dueInDays: state === "new" ? null : rand() * 60 - 10,
    lapses: Math.floor(rand() * 10),
    suspended: rand() < 0.05,
    leech: rand() < 0.05,
  };
});

function time(fn: () => unknown): { p50: number; p99: number } {
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { p50: t[Math.floor(RUNS / 2)]!, p99: t[Math.floor(RUNS * 0.99)]! };
}

const fmt = (x: number) => x.toFixed(3);
const base = time(() => items.map((it) => ({ ...it })).slice(0, 50));
console.log(`baseline copy of ${N} items: p50 ${fmt(base.p50)} ms p99 ${fmt(base.p99)} ms`);
for (const q of ["", "r<0.9", "s>21 r<0.9 kind:card", "softmax layer", "is:leech", "due<7 lapses>=3 topic:topic-3"]) {
  const r = time(() => {
    const parsed = parseItemQuery(q);
    if (!parsed.ok) throw new Error(parsed.error);
    const out: BrowsedItem[] = [];
    for (const it of items) if (matchesFilter(parsed.filter, it)) out.push(it);
    return out.slice(0, 50);
  });
  console.log(`filter "${q}": p50 ${fmt(r.p50)} ms p99 ${fmt(r.p99)} ms`);
}
