/** The own-card form's three actions (add, save, delete), validated with zod; the route only maps the outcome to HTTP. */
import { z } from "zod";
import { createOwnCard, deleteOwnCard, OwnCardError, updateOwnCard } from "./own-cards.server";
import { CreateSchema, DeleteSchema, UpdateSchema } from "./schema";

export type OwnCardOutcome = { ok: true; intent: "add" | "save" | "delete"; id: string } | { ok: false; status: number; error: string; intent: string };

const Intent = z.object({ intent: z.enum(["add", "save", "delete"], { errorMap: () => ({ message: "Unknown action for a card." }) }) });
const firstError = (e: z.ZodError) => e.issues[0]!.message;

export async function applyOwnCardAction(userId: string, form: FormData): Promise<OwnCardOutcome> {
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const intent = Intent.safeParse(fields);
  if (!intent.success) return { ok: false, status: 400, error: firstError(intent.error), intent: "" };
  const which = intent.data.intent;
  try {
    if (which === "add") {
      const p = CreateSchema.safeParse(fields);
      if (!p.success) return { ok: false, status: 400, error: firstError(p.error), intent: which };
      const card = await createOwnCard(userId, p.data);
      return { ok: true, intent: which, id: card.id };
    }
    if (which === "save") {
      const p = UpdateSchema.safeParse(fields);
      if (!p.success) return { ok: false, status: 400, error: firstError(p.error), intent: which };
      const card = await updateOwnCard(userId, p.data.id, p.data);
      return card ? { ok: true, intent: which, id: card.id } : { ok: false, status: 404, error: "You have no such card (it may have been deleted).", intent: which };
    }
    const p = DeleteSchema.safeParse(fields);
    if (!p.success) return { ok: false, status: 400, error: firstError(p.error), intent: which };
    return (await deleteOwnCard(userId, p.data.id))
      ? { ok: true, intent: which, id: p.data.id }
      : { ok: false, status: 404, error: "You have no such card (it may have been deleted already).", intent: which };
  } catch (e) {
    if (e instanceof OwnCardError) return { ok: false, status: e.status, error: e.message, intent: which };
    throw e;
  }
}
