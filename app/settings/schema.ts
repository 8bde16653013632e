import { z } from "zod";
import { formNumber } from "~/utils/fields";

const steps = z
  .string()
  .trim()
  .regex(/^(\d+[mhd])(\s+\d+[mhd])*$/, 'Write steps like "1m 10m" (m minutes, h hours, d days)')
  .refine((s) => s.split(/\s+/).length <= 8, "At most 8 steps");

/** The bounds of each numeric setting: the schema below and the form's min, max and step both read these. */
export const NUMERIC_SETTINGS = {
  desiredRetention: { min: 0.7, max: 0.99, step: 0.01 },
  newPerDay: { min: 0, max: 500, step: 1 },
  reviewCap: { min: 1, max: 5000, step: 1 },
  dayStartHour: { min: 0, max: 23, step: 1 },
  maximumInterval: { min: 1, max: 36500, step: 1 },
  dailyGoal: { min: 1, max: 1000, step: 1 },
  leechThreshold: { min: 0, max: 99, step: 1 },
} as const;
const N = NUMERIC_SETTINGS;

/** True when `x` is a whole number of `step`s (0.85 is, 0.855 is not), despite binary fractions. */
const onStep = (step: number) => (x: number) => Math.abs(x / step - Math.round(x / step)) < 1e-9;

export const SettingsSchema = z.object({
  intent: z.literal("settings"),
  desiredRetention: formNumber(
    z
      .number({ required_error: "Enter the desired retention", invalid_type_error: "Desired retention must be a number" })
      .min(N.desiredRetention.min, "Desired retention is at least 0.70")
      .max(N.desiredRetention.max, "Desired retention is at most 0.99")
      .refine(onStep(N.desiredRetention.step), "Desired retention goes in steps of 0.01, like 0.85"),
  ),
  newPerDay: formNumber(z.number({ required_error: "Enter a whole number", invalid_type_error: "Enter a whole number" }).int("Enter a whole number").min(N.newPerDay.min, "At least 0").max(N.newPerDay.max, "At most 500")),
  reviewCap: formNumber(z.number({ required_error: "Enter a whole number", invalid_type_error: "Enter a whole number" }).int("Enter a whole number").min(N.reviewCap.min, "At least 1").max(N.reviewCap.max, "At most 5000")),
  dayStartHour: formNumber(z.number({ required_error: "Enter an hour", invalid_type_error: "Enter an hour" }).int("Enter a whole hour").min(N.dayStartHour.min, "Between 0 and 23").max(N.dayStartHour.max, "Between 0 and 23")),
  timeZone: z.string().trim().min(1, "Choose a time zone").max(64),
  maximumInterval: formNumber(z.number({ required_error: "Enter a number of days", invalid_type_error: "Enter a whole number of days" }).int("Enter a whole number of days").min(N.maximumInterval.min, "At least 1 day").max(N.maximumInterval.max, "At most 36500 days")),
  learningSteps: steps,
  relearningSteps: steps,
  // Optional: older clients and scripts that do not send it keep the saved goal.
  dailyGoal: formNumber(z.number({ invalid_type_error: "Enter a whole number" }).int("Enter a whole number").min(N.dailyGoal.min, "At least 1").max(N.dailyGoal.max, "At most 1000").optional()),
  // Optional too (ADR 027): lapses that make a leech (0: never), and the light weekdays as "0,6" (0 Sunday).
  leechThreshold: formNumber(z.number({ invalid_type_error: "Enter a whole number" }).int("Enter a whole number").min(N.leechThreshold.min, "At least 0").max(N.leechThreshold.max, "At most 99").optional()),
  lightDays: z
    .string()
    .regex(/^([0-6](,[0-6])*)?$/, "Light days are weekdays 0 (Sunday) to 6")
    .refine((v) => v.split(",").filter(Boolean).length < 7, "At least one weekday must stay a normal day")
    .optional(),
});

/** The settings form sends light weekdays as checkboxes `light-0` … `light-6`, with `lightDaysSent` so that none ticked means none. */
export function lightDaysFromForm(form: Record<string, unknown>): Record<string, unknown> {
  if (form.lightDaysSent !== "1") return form;
  const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => form[`light-${d}`] === "on");
  return { ...form, lightDays: days.join(",") };
}
export type SettingsInput = z.infer<typeof SettingsSchema>;
