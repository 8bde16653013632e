/**
 * Rescheduling after a change of desired retention or weights (ADR 030): the
 * due date of every card in review is recomputed from its stability and its
 * last review with the new model. Nothing else about the card changes: its
 * memory state, its review history and (re)learning cards' steps stay as they
 * are. Pure and deterministic: the same cards and settings give the same dates,
 * so running it twice changes nothing the second time.
 *
 * As Anki does (rslib/src/scheduler/fsrs/memory_state.rs, update_memory_state
 * with `reschedule`): only cards in the review state move; the interval is
 * FSRS's next interval for the stability at the desired retention, fuzzed with
 * the card's own fuzz factor; the due date is the last review plus that
 * interval, even when that day has passed (the card is then simply due now).
 * Here the fuzz factor is the card's seeded one (scheduler.ts, fuzzKey), and
 * the day within the fuzz range is then load balanced (domain/load-balance.ts)
 * over the rescheduled cards themselves, so the dates spread as reviews do.
 */
import { fsrs, type FSRS } from "ts-fsrs";
import { balancedInterval, fuzzRange } from "./load-balance";
import { fsrsParameters, fuzzKey, fuzzSeed, State, type MemoryState, type SchedulerSettings } from "./scheduler";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RescheduleCard {
  itemId: string;
  state: MemoryState;
  /** Suspended cards move too (they keep an honest date for when they come back), but count in no day's load. */
  suspended: boolean;
}

export interface RescheduleContext {
  userId: string;
  settings: SchedulerSettings;
  /** Start of the learner's today (domain/day.ts), and its weekday (0 Sunday). Days before it count as today's load. */
  todayStart: Date;
  todayWeekday: number;
  lightDays: ReadonlySet<number>;
}

export interface Rescheduled {
  itemId: string;
  due: Date;
  scheduledDays: number;
}

function engines(settings: SchedulerSettings): { plain: FSRS; fuzzed: FSRS } {
  return { plain: fsrs(fsrsParameters(settings, false)), fuzzed: fsrs(fsrsParameters(settings, settings.enableFuzz ?? true)) };
}

/**
 * The new due date of each card in review whose date changes (cards whose
 * date stays are left out, so a repeat writes nothing). Cards are taken in a
 * fixed order (last review, then id) so that load balancing is deterministic.
 */
export function rescheduleCards(cards: readonly RescheduleCard[], ctx: RescheduleContext): Rescheduled[] {
  const { plain, fuzzed } = engines(ctx.settings);
  const fuzzOn = ctx.settings.enableFuzz ?? true;
  const todayStart = ctx.todayStart.getTime();
  const load = new Map<number, number>(); // day index from today (0 = today or earlier) -> cards due
  const dayIndex = (t: number) => Math.max(0, Math.floor((t - todayStart) / DAY_MS));
  const review = cards
    .filter((c) => c.state.state === State.Review && c.state.lastReview !== null && c.state.stability > 0)
    .sort((a, b) => a.state.lastReview!.getTime() - b.state.lastReview!.getTime() || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  const out: Rescheduled[] = [];
  for (const card of review) {
    const last = card.state.lastReview!.getTime();
    const interval = plain.next_interval(card.state.stability, 0);
    let chosen: number = interval;
    const range = fuzzOn ? fuzzRange(interval, 0, ctx.settings.maximumInterval) : null;
    if (range) {
      // The factor this card's last review drew (ts-fsrs seeds after counting that review): unchanged settings give its own interval back.
      fuzzed.seed = fuzzSeed(fuzzKey(ctx.userId, card.itemId), card.state.reps);
      const drawn = fuzzed.next_interval(card.state.stability, 0);
      const dayOf = (d: number) => dayIndex(last + d * DAY_MS);
      chosen = balancedInterval({
        range,
        drawn,
        loadOn: (d) => load.get(dayOf(d)) ?? 0,
        isLight: (d) => ctx.lightDays.has((ctx.todayWeekday + (dayOf(d) % 7)) % 7),
      });
    }
    const due = new Date(last + chosen * DAY_MS);
    if (!card.suspended) load.set(dayIndex(due.getTime()), (load.get(dayIndex(due.getTime())) ?? 0) + 1);
    if (due.getTime() !== card.state.due.getTime() || chosen !== card.state.scheduledDays) out.push({ itemId: card.itemId, due, scheduledDays: chosen });
  }
  return out;
}
