/**
 * How long the .apkg takes to build for a heavy learner: every course-sized
 * deck (360 cards) with a long review history, built and zipped in memory.
 * Prints figures; asserts nothing. `npx tsx scripts/bench-anki.ts [reviews]`
 */
import { buildCollection, type ExportNote } from "../app/data-transfer/anki.server";
import { zip } from "../app/data-transfer/zip.server";

const REVIEWS = Number(process.argv[2] ?? 50_000);
const CARDS = 360;
const now = new Date("2026-12-01T12:00:00Z");
const start = now.getTime() - 365 * 86_400_000;
const notes: ExportNote[] = Array.from({ length: CARDS }, (_, i) => ({
  itemId: `card-${i}`,
  guid: `attention-span:card-${i}`,
  front: `What is \\(x_{${i}}\\) in <code>softmax</code>?`,
  back: `It is the ${i}th logit, \\(\\frac{e^{x_i}}{\\sum_j e^{x_j}}\\).`,
  deck: `Attention Span::Topic ${i % 5}`,
  deckId: 1_600_000_000_100 + (i % 5),
  tags: [`attention-span::topic-${i % 5}`, `concept::c${i % 17}`],
  state: { due: new Date(now.getTime() + 86_400_000), stability: 10, difficulty: 5, scheduledDays: 10, reps: 10, lapses: 1, state: 2, lastReview: now },
  reviews: [],
}));
for (let r = 0; r < REVIEWS; r++) {
  const at = new Date(start + Math.floor((r / REVIEWS) * 365 * 86_400_000));
  notes[r % CARDS]!.reviews.push({ reviewedAt: at, rating: 1 + (r % 4), prevState: 2, durationMs: 5000, before: { due: at, scheduledDays: 5, state: 2 }, after: { due: at, scheduledDays: 9, state: 2 } });
}
const settings = { desiredRetention: 0.9, dayStartHour: 4, newPerDay: 20, reviewCap: 200, maximumInterval: 36500 };
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  const col = buildCollection(notes, settings, now);
  const t1 = performance.now();
  const pkg = zip([{ name: "collection.anki2", data: col }, { name: "media", data: Buffer.from("{}") }], now);
  const t2 = performance.now();
  console.log(`run ${run + 1}: ${CARDS} cards, ${REVIEWS} reviews: collection ${(t1 - t0).toFixed(0)} ms (${(col.length / 1024).toFixed(0)} KiB), zip ${(t2 - t1).toFixed(0)} ms (${(pkg.length / 1024).toFixed(0)} KiB)`);
}
