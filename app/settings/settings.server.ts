import { getDb } from "~/db/client.server";
import type { SettingsInput } from "./schema";

export async function getSettings(userId: string) {
  const db = getDb();
  return (await db.settings.findUnique({ where: { userId } })) ?? db.settings.create({ data: { userId } });
}

/**
 * Saves the learner's settings. A new time zone or day start moves every day's boundaries, and
 * reviews made meanwhile were clamped to the new zone's day, which may lie on a day the old zone
 * keeps: the kept past days (ADR 014) are invalidated in the same transaction, so a learner who
 * moves and moves back never reads a kept day that missed a review.
 */
export async function updateSettings(userId: string, input: Omit<SettingsInput, "intent">) {
  return getDb().$transaction(async (tx) => {
    const before = await tx.settings.findUnique({ where: { userId }, select: { timeZone: true, dayStartHour: true } });
    const saved = await tx.settings.upsert({ where: { userId }, create: { userId, ...input }, update: input });
    if (before && (before.timeZone !== saved.timeZone || before.dayStartHour !== saved.dayStartHour)) {
      await tx.reviewDayEpoch.upsert({ where: { userId }, create: { userId, epoch: 1 }, update: { epoch: { increment: 1 } } });
    }
    return saved;
  });
}
