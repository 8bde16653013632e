/** The reschedule checkbox as forms send it (ADR 030): absent, or "on". */
import { z } from "zod";
import type { RescheduleResult } from "./reschedule.server";

export const RescheduleFlagSchema = z.object({
  reschedule: z.literal("on", { errorMap: () => ({ message: 'reschedule is "on" or absent' }) }).optional(),
});

/** What the learner is told after a reschedule. */
export function rescheduleMessage({ cards, moved }: Pick<RescheduleResult, "cards" | "moved">): string {
  if (cards === 0) return "No cards in review to reschedule yet.";
  const n = (k: number) => `${k.toLocaleString("en-US")} ${k === 1 ? "card" : "cards"}`;
  return moved === 0 ? `Your ${n(cards)} in review already had the dates your model gives.` : `Rescheduled: ${n(moved)} of your ${n(cards)} in review moved to the dates your model gives now.`;
}
