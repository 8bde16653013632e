/**
 * npx tsx scripts/bench-items.ts [requests]   (npm run bench:items; needs npm run build)
 * TEST_DATABASE=postgres DATABASE_URL_PG=postgresql://… npx tsx scripts/bench-items.ts
 *
 * The item browser (/items) at 5,000 items (issue 15), through the real route:
 * the production server (node server.mjs) on a fresh database (a SQLite file,
 * or a new PostgreSQL database dropped at the end), the real course synced
 * into it, and a learner whose items are the course's plus their own cards up
 * to 5,000, every one with a learner state (new, learning, review, some
 * suspended, some leeches). Requests the page over HTTP, one at a time, for a
 * few filters and pages, and prints p50/p99 of the whole request (session,
 * query, filter, render). Baselines in the same run: /healthz (the HTTP and
 * process floor) and /items for a learner with no state at all.
 * Prints figures; asserts nothing.
 */
import path from "node:path";
import { Client, signUp, startServer, userIdOf } from "../tests/integration/harness";

const ITEMS = 5000;
const REQUESTS = Number(process.argv[2] ?? 60);
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().replace("Z", "+00:00");

const server = await startServer();
try {
  const learner = new Client(server.url);
  await signUp(learner);
  const userId = await userIdOf(learner);
  const empty = new Client(server.url);
  await signUp(empty);

  const course = await server.all<{ id: string; topicId: string }>("SELECT id, topicId FROM Item WHERE retiredAt IS NULL ORDER BY id");
  const topics = [...new Set(course.map((c) => c.topicId))];
  const ownCount = ITEMS - course.length;
  const now = Date.now();
  const ownIds: string[] = [];
  for (let i = 0; i < ownCount; i += 250) {
    const n = Math.min(250, ownCount - i);
    const rows: unknown[] = [];
    for (let j = 0; j < n; j++) {
      const k = i + j;
      const id = `benchown${String(k).padStart(5, "0")}`;
      ownIds.push(`own:${id}`);
      rows.push(id, userId, topics[k % topics.length], "", `What does softmax do to attention score ${k} in layer ${k % 24}?`, `It turns scores into weights that sum to one (${k}).`, iso(now), iso(now));
    }
    await server.exec(`INSERT INTO OwnCard (id, userId, topicId, section, front, back, createdAt, updatedAt) VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`, ...rows);
  }
  const flag = (b: boolean) => (server.provider === "postgresql" ? b : b ? 1 : 0); // a boolean column
  const all = [...course.map((c) => c.id), ...ownIds];
  for (let i = 0; i < all.length; i += 250) {
    const batch = all.slice(i, i + 250);
    const rows: unknown[] = [];
    batch.forEach((itemId, j) => {
      const k = i + j;
      const state = k % 10 === 0 ? 0 : k % 10 === 1 ? 1 : 2; // mostly in review
      const stability = state === 0 ? 0 : 1 + ((k * 37) % 200);
      const last = now - ((k * 13) % 90) * DAY;
      rows.push(userId, itemId, iso(state === 0 ? now : last + stability * DAY), stability, state === 0 ? 0 : 5, 0, Math.round(stability), 0, state === 0 ? 0 : 4, k % 17 === 0 ? 9 : k % 5, state, state === 0 ? null : iso(last), 1, flag(k % 23 === 0));
    });
    await server.exec(
      `INSERT INTO ItemState (userId, itemId, due, stability, difficulty, elapsedDays, scheduledDays, learningSteps, reps, lapses, state, lastReview, version, suspended) VALUES ${batch.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      ...rows,
    );
  }
  const counted = await server.one<{ n: number }>("SELECT count(*) AS n FROM ItemState WHERE userId = ?", userId);
  console.log(`items: ${all.length} (${course.length} course items, ${ownCount} own cards), learner states: ${counted!.n}, ${server.provider}, ${REQUESTS} requests each`);

  const time = async (client: Client, url: string) => {
    const t: number[] = [];
    for (let i = 0; i < REQUESTS + 5; i++) {
      const s = performance.now();
      const res = await client.get(url);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
      if (i >= 5) t.push(performance.now() - s); // the first few warm the route
    }
    t.sort((a, b) => a - b);
    return { p50: t[Math.floor(t.length / 2)]!, p99: t[Math.min(t.length - 1, Math.floor(t.length * 0.99))]! };
  };
  const fmt = (x: number) => x.toFixed(1).padStart(6);
  const line = (name: string, r: { p50: number; p99: number }) => console.log(`${name.padEnd(44)} p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms`);
  line("baseline /healthz", await time(learner, "/healthz"));
  line("baseline /items, learner with no state", await time(empty, "/items"));
  for (const [name, url] of [
    ["/items (page 1, no filter)", "/items"],
    ["/items page 100 (the last)", "/items?page=100"],
    ["/items?q=r<0.9", `/items?q=${encodeURIComponent("r<0.9")}`],
    ["/items?q=s>21 kind:card", `/items?q=${encodeURIComponent("s>21 kind:card")}`],
    ["/items?q=is:leech", `/items?q=${encodeURIComponent("is:leech")}`],
    ["/items?q=softmax layer (words)", `/items?q=${encodeURIComponent("softmax layer")}`],
    ["/items?q=due<7 lapses>=3 page 2", `/items?q=${encodeURIComponent("due<7 lapses>=3")}&page=2`],
  ] as const) {
    line(name, await time(learner, url));
  }
  // The route's own work in this process (no HTTP, no render): browseItems on the same database.
  process.env.DATABASE_URL = server.databaseUrl ?? `file:${path.join(server.dataDir, "attention-span.db")}`;
  const { browseItems } = await import("../app/items/items.server");
  const { parseItemQuery } = await import("../app/domain/item-query");
  const { closeSql } = await import("../app/db/sql.server");
  const { disconnectDb } = await import("../app/db/client.server");
  // CPU time of this process per call (user + system): the figure that load on a shared machine inflates least.
  const emptyId = await userIdOf(empty);
  for (const [who, id] of [["learner with no state", emptyId], ["5,000 items", userId]] as const) {
    for (const q of ["", "r<0.9", "s>21 kind:card"]) {
      const parsed = parseItemQuery(q);
      if (!parsed.ok) throw new Error(parsed.error);
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < REQUESTS + 5; i++) {
        const s = performance.now();
        const c = process.cpuUsage();
        await browseItems(id, parsed.filter, 1);
        const d = process.cpuUsage(c);
        if (i >= 5) {
          wall.push(performance.now() - s);
          cpu.push((d.user + d.system) / 1000);
        }
      }
      const mid = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
      console.log(`${`browseItems("${q}"), ${who}`.padEnd(44)} p50 ${fmt(mid(wall))} ms  cpu p50 ${fmt(mid(cpu))} ms (in process)`);
    }
  }
  await closeSql();
  await disconnectDb();
  console.log(`\ncommand: ${server.provider === "postgresql" ? "TEST_DATABASE=postgres DATABASE_URL_PG=… " : ""}npx tsx scripts/bench-items.ts ${REQUESTS}`);
} finally {
  await server.stop();
}
