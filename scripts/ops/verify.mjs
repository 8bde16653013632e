/**
 * Checks the review data after a load with crashes, read-only:
 *  - every acknowledged clientId is in ReviewLog exactly once (per learner);
 *  - per (learner, item), the logs form a chain (each stateBefore is the
 *    previous stateAfter, versions count up by one from 0), and ItemState is
 *    the stateAfter of the latest log (which is never an undone review);
 *  - replaying each review with the scheduler and the learner's Settings gives
 *    its stateAfter (an undo's stateAfter is the rollback of the review it undid),
 *    but for a due date load balancing moved within the rating's fuzz range.
 * The scheduler is the app's own app/domain/scheduler.ts (through tsx) when
 * tsx can be loaded, else the same ts-fsrs calls written out here.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./proc.mjs";
import { toMs } from "./db.mjs";

// --- The scheduler --------------------------------------------------------------

export async function loadScheduler() {
  // Always the app's own scheduler: a second copy here could drift and hide a mismatch.
  const { register } = await import("tsx/esm/api");
  register();
  const mod = await import(pathToFileURL(path.join(root, "app", "domain", "scheduler.ts")).href);
  return { source: "app/domain/scheduler.ts (through tsx)", State: mod.State, stateFromJson: mod.stateFromJson, createScheduler: mod.createScheduler };
}

// --- Comparing states ---------------------------------------------------------------

const FIELDS = ["stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state"];

/** Differences between two MemoryState-like objects (dates compared as ms). */
function diff(a, b) {
  const out = [];
  if (toMs(a.due) !== toMs(b.due)) out.push(`due ${fmtDate(a.due)} != ${fmtDate(b.due)}`);
  if (toMs(a.lastReview) !== toMs(b.lastReview)) out.push(`lastReview ${fmtDate(a.lastReview)} != ${fmtDate(b.lastReview)}`);
  for (const f of FIELDS) if (Number(a[f]) !== Number(b[f])) out.push(`${f} ${a[f]} != ${b[f]}`);
  return out;
}

const fmtDate = (v) => (v === null || v === undefined ? "null" : new Date(toMs(v)).toISOString());

// --- The checks ---------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Load balancing (ADR 027) may move a review's due date to another day of the
 * fuzz range the rating drew from, by whole days: the replay then differs in
 * due and scheduledDays only, by the same number of days, inside that range.
 */
function movedByLoadBalancing(sched, reviewState, before, log, expected, after) {
  if (Number(expected.state) !== reviewState || Number(after.state) !== reviewState) return false;
  const rest = diff({ ...expected, due: after.due, scheduledDays: after.scheduledDays }, after);
  if (rest.length) return false;
  const range = sched.fuzzRange(before, new Date(toMs(log.reviewedAt)), Number(log.rating));
  if (!range) return false;
  const days = Number(after.scheduledDays);
  if (days < Math.min(range.min, range.max) || days > Math.max(range.min, range.max)) return false;
  return toMs(after.due) - toMs(expected.due) === (days - Number(expected.scheduledDays)) * DAY_MS;
}

/**
 * @param reader from openReader()
 * @param acks [{ username, clientId }] acknowledged with a 2xx
 */
export async function verifyReviewData(reader, acks, scheduler) {
  const users = await reader.all(`SELECT "id", "usernameKey" FROM "User"`);
  const userByKey = new Map(users.map((u) => [String(u.usernameKey), String(u.id)]));
  const logs = await reader.all(
    `SELECT "id", "userId", "itemId", "clientId", "kind", "rating", "reviewedAt", "stateBefore", "stateAfter", "undoesId", "undone" FROM "ReviewLog" ORDER BY "id"`,
  );
  const states = await reader.all(
    `SELECT "userId", "itemId", "due", "stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses", "state", "lastReview", "version" FROM "ItemState"`,
  );
  const settingsRows = await reader.all(`SELECT * FROM "Settings"`);
  const settingsOf = new Map(
    settingsRows.map((s) => [
      String(s.userId),
      {
        desiredRetention: Number(s.desiredRetention),
        maximumInterval: Number(s.maximumInterval),
        learningSteps: String(s.learningSteps),
        relearningSteps: String(s.relearningSteps),
        weights: s.weights ? JSON.parse(s.weights) : null,
      },
    ]),
  );
  const schedulers = new Map();
  const schedulerOf = (userId) => {
    let s = schedulers.get(userId);
    if (!s) {
      // A learner without a Settings row is scheduled with the defaults.
      s = scheduler.createScheduler(settingsOf.get(userId) ?? { desiredRetention: 0.9, maximumInterval: 36500, learningSteps: "1m 10m", relearningSteps: "10m", weights: null });
      schedulers.set(userId, s);
    }
    return s;
  };

  const problems = [];
  const note = (msg) => {
    if (problems.length < 20) problems.push(msg);
  };

  // 1. Acknowledged clientIds: stored exactly once.
  const countByClient = new Map();
  for (const l of logs) {
    const k = `${l.userId}\u0000${l.clientId}`;
    countByClient.set(k, (countByClient.get(k) ?? 0) + 1);
  }
  let stored = 0;
  let lost = 0;
  let duplicated = 0;
  const ackedKeys = new Set();
  for (const a of acks) {
    const userId = userByKey.get(a.username.toLowerCase());
    const k = `${userId}\u0000${a.clientId}`;
    if (ackedKeys.has(k)) continue; // acknowledged twice (a retry answered "duplicate"): one review
    ackedKeys.add(k);
    const n = userId ? (countByClient.get(k) ?? 0) : 0;
    if (n === 0) {
      lost++;
      note(`lost: ${a.username} clientId=${a.clientId}`);
    } else stored++;
    if (n > 1) {
      duplicated++;
      note(`duplicated ${n}x: ${a.username} clientId=${a.clientId}`);
    }
  }
  let unacknowledgedStored = 0;
  for (const k of countByClient.keys()) if (!ackedKeys.has(k)) unacknowledgedStored++;

  // 2. Chains, ItemState, replay.
  const byItem = new Map();
  for (const l of logs) {
    const k = `${l.userId}\u0000${l.itemId}`;
    let list = byItem.get(k);
    if (!list) byItem.set(k, (list = []));
    list.push(l);
  }
  const logById = new Map(logs.map((l) => [Number(l.id), l]));
  const stateByItem = new Map(states.map((s) => [`${s.userId}\u0000${s.itemId}`, s]));
  let chainBreaks = 0;
  let itemStateMismatches = 0;
  let replayMismatches = 0;
  let replayed = 0;
  let balanced = 0;
  for (const [k, list] of byItem) {
    const [userId, itemId] = k.split("\u0000");
    let prev = null;
    for (const l of list) {
      const before = JSON.parse(l.stateBefore);
      const after = JSON.parse(l.stateAfter);
      if (prev === null) {
        if (before.version !== 0 || before.state !== scheduler.State.New) {
          chainBreaks++;
          note(`chain: first log ${l.id} of ${userId}/${itemId} starts at version ${before.version}, state ${before.state}`);
        }
      } else {
        const d = diff(before, prev);
        if (d.length || before.version !== prev.version) {
          chainBreaks++;
          note(`chain: log ${l.id} of ${userId}/${itemId}: stateBefore != previous stateAfter (${[...d, `version ${before.version} != ${prev.version}`].join("; ")})`);
        }
      }
      if (after.version !== before.version + 1) {
        chainBreaks++;
        note(`chain: log ${l.id}: version ${before.version} -> ${after.version}`);
      }
      // Replay.
      const sched = schedulerOf(userId);
      let expected = null;
      if (l.kind === "review") {
        expected = sched.next(scheduler.stateFromJson(before), new Date(toMs(l.reviewedAt)), Number(l.rating));
      } else if (l.kind === "undo") {
        const undid = logById.get(Number(l.undoesId));
        if (!undid) {
          replayMismatches++;
          note(`undo ${l.id}: the review it undoes (${l.undoesId}) is missing`);
        } else {
          const ub = JSON.parse(undid.stateBefore);
          const ua = JSON.parse(undid.stateAfter);
          expected =
            ub.state === scheduler.State.New
              ? scheduler.stateFromJson(ub)
              : sched.rollback(scheduler.stateFromJson(ua), scheduler.stateFromJson(ub), Number(undid.rating), new Date(toMs(undid.reviewedAt)));
          if (!Number(undid.undone)) {
            replayMismatches++;
            note(`undo ${l.id}: review ${undid.id} is not marked undone`);
          }
        }
      }
      if (expected) {
        replayed++;
        const d = diff(expected, after);
        if (d.length && l.kind === "review" && movedByLoadBalancing(sched, scheduler.State.Review, scheduler.stateFromJson(before), l, expected, after)) {
          balanced++;
          d.length = 0;
        }
        if (d.length) {
          replayMismatches++;
          note(`replay: log ${l.id} (${l.kind}, rating ${l.rating}) of ${userId}/${itemId}: ${d.join("; ")}`);
        }
      }
      prev = after;
    }
    const last = list[list.length - 1];
    const row = stateByItem.get(k);
    if (!row) {
      itemStateMismatches++;
      note(`ItemState missing for ${userId}/${itemId} (has ${list.length} logs)`);
      continue;
    }
    const d = diff(row, prev);
    if (Number(last.undone)) d.push(`latest log ${last.id} is an undone review`);
    if (Number(row.version) !== prev.version) d.push(`version ${row.version} != ${prev.version}`);
    if (d.length) {
      itemStateMismatches++;
      note(`ItemState ${userId}/${itemId} != stateAfter of log ${last.id}: ${d.join("; ")}`);
    }
  }
  for (const [k, row] of stateByItem) {
    if (!byItem.has(k) && Number(row.version) !== 0) {
      itemStateMismatches++;
      note(`ItemState ${k.replace("\u0000", "/")} at version ${row.version} has no log`);
    }
  }

  return {
    acknowledged: ackedKeys.size,
    stored,
    lost,
    duplicated,
    unacknowledgedStored,
    logs: logs.length,
    undos: logs.filter((l) => l.kind === "undo").length,
    items: byItem.size,
    replayed,
    balanced,
    chainBreaks,
    itemStateMismatches,
    replayMismatches,
    stateMismatches: chainBreaks + itemStateMismatches + replayMismatches,
    problems,
  };
}
