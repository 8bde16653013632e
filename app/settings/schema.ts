import { z } from "zod";
import { formNumber } from "~/utils/fields";

const steps = z
  .string()
  .trim()
  .regex(/^(\d+[mhd])(\s+\d+[mhd])*$/, 'Write steps like "1m 10m" (m minutes, h hours, d days)')
  .refine((s) => s.split(/\s+/).length <= 8, "At most 8 steps");

export const SettingsSchema = z.object({
  intent: z.literal("settings"),
  desiredRetention: formNumber(
    z
      .number({ required_error: "Enter the desired retention", invalid_type_error: "Desired retention must be a number" })
      .min(0.7, "Desired retention is at least 0.70")
      .max(0.99, "Desired retention is at most 0.99"),
  ),
  newPerDay: formNumber(z.number({ required_error: "Enter a whole number", invalid_type_error: "Enter a whole number" }).int("Enter a whole number").min(0, "At least 0").max(500, "At most 500")),
  reviewCap: formNumber(z.number({ required_error: "Enter a whole number", invalid_type_error: "Enter a whole number" }).int("Enter a whole number").min(1, "At least 1").max(5000, "At most 5000")),
  dayStartHour: formNumber(z.number({ required_error: "Enter an hour", invalid_type_error: "Enter an hour" }).int("Enter a whole hour").min(0, "Between 0 and 23").max(23, "Between 0 and 23")),
  timeZone: z.string().trim().min(1, "Choose a time zone").max(64),
  maximumInterval: formNumber(z.number({ required_error: "Enter a number of days", invalid_type_error: "Enter a whole number of days" }).int("Enter a whole number of days").min(1, "At least 1 day").max(36500, "At most 36500 days")),
  learningSteps: steps,
  relearningSteps: steps,
});
export type SettingsInput = z.infer<typeof SettingsSchema>;
