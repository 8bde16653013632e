/**
 * Field vocabulary shared by every form's zod schema: numbers read strictly
 * (a blank field is missing, not 0; "0x10", "1e3" and "Infinity" are not
 * numbers) and text without NUL characters (PostgreSQL cannot store them).
 */
import { z } from "zod";

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/** A form value as a number when it is written as a plain decimal; anything else is left for zod to refuse. */
export function strictNumber(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (text === "") return undefined;
  return DECIMAL.test(text) ? Number(text) : value;
}

/** A number field: `formNumber(z.number().int().min(0))`. Blank counts as missing, so `.optional()`/`.default()` apply. */
export const formNumber = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(strictNumber, schema);

export const NUL_MESSAGE = "must not contain NUL characters";
export const hasNul = (value: string) => value.includes("\u0000");

/** A text field that refuses NUL characters. */
export const text = (schema: z.ZodString = z.string()) => schema.refine((v) => !hasNul(v), NUL_MESSAGE);
