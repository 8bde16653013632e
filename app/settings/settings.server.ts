import { getDb } from "~/db/client.server";
import type { SettingsInput } from "./schema";

export async function getSettings(userId: string) {
  const db = getDb();
  return (await db.settings.findUnique({ where: { userId } })) ?? db.settings.create({ data: { userId } });
}

export async function updateSettings(userId: string, input: Omit<SettingsInput, "intent">) {
  return getDb().settings.upsert({ where: { userId }, create: { userId, ...input }, update: input });
}
