/** What a learner may write on their own card, checked with zod (the same rules for the form and the CSV import). */
import { z } from "zod";

export const MAX_SIDE_CHARS = 2_000;
export const MAX_OWN_CARDS = 5_000;

const side = (name: string) =>
  z
    .string({ required_error: `Write the card's ${name}.` })
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(1, `Write the card's ${name}.`)
        .max(MAX_SIDE_CHARS, `The ${name} is too long: at most ${MAX_SIDE_CHARS.toLocaleString("en")} characters.`)
        // NUL and other control characters (tab and newline are fine) have no place in a card.
        .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32 && c !== "\n" && c !== "\t"), `The ${name} holds control characters; write plain text.`),
    );

export const CardText = z.object({ front: side("front"), back: side("back") });

export const CreateSchema = CardText.extend({
  topic: z.string({ required_error: "Say which lesson the card belongs to." }).min(1).max(100),
  section: z.string().max(200).default(""),
  returnTo: z.string().max(500).optional(),
});

export const UpdateSchema = CardText.extend({ id: z.string().min(1).max(100), returnTo: z.string().max(500).optional() });
export const DeleteSchema = z.object({ id: z.string().min(1).max(100), returnTo: z.string().max(500).optional() });

export const OWN_PREFIX = "own:";
export const ownItemId = (cardId: string) => `${OWN_PREFIX}${cardId}`;
export const isOwnItemId = (itemId: string) => itemId.startsWith(OWN_PREFIX);
export const ownCardIdOf = (itemId: string) => itemId.slice(OWN_PREFIX.length);

/** Only a path on this site (no scheme, no "//host"), so a form cannot send the learner elsewhere. */
export function safeReturnTo(to: string | undefined, fallback: string): string {
  return to && /^\/(?![/\\])[^\s]*$/.test(to) ? to : fallback;
}
