/** Account vocabulary, shared by every form that asks for it. */
import { z } from "zod";
import { text } from "~/utils/fields";

export const UsernameSchema = z
  .string({ required_error: "Choose a username" })
  .trim()
  .min(3, "A username has at least 3 characters")
  .max(32, "A username has at most 32 characters")
  .regex(/^[A-Za-z0-9_.-]+$/, "Use letters, digits, dots, dashes and underscores only");

export const PasswordSchema = text(
  z.string({ required_error: "Enter a password" }).min(10, "A password has at least 10 characters").max(200, "A password has at most 200 characters"),
);

export const LoginSchema = z.object({
  username: text(z.string({ required_error: "Enter your username" }).trim().min(1, "Enter your username").max(64)),
  password: text(z.string({ required_error: "Enter your password" }).min(1, "Enter your password").max(200)),
  redirectTo: text(z.string().max(500)).optional(),
});

export const SignupSchema = z
  .object({
    username: UsernameSchema,
    password: PasswordSchema,
    confirm: text(z.string({ required_error: "Repeat the password" })),
    redirectTo: text(z.string().max(500)).optional(),
    timeZone: text(z.string().max(64)).optional(),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });

export const ChangePasswordSchema = z
  .object({
    intent: z.literal("change-password"),
    current: text(z.string({ required_error: "Enter your current password" }).min(1, "Enter your current password").max(200)),
    password: PasswordSchema,
    confirm: z.string({ required_error: "Repeat the new password" }),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });

export type FieldErrors = Partial<Record<string, string>>;

/** zod's first message per field, for a form to show beside each control. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
