import { describe, expect, it } from "vitest";
import { retentionEffect, retentionEffects } from "~/domain/retention";
import { DEFAULT_SETTINGS } from "~/domain/scheduler";
import { NUMERIC_SETTINGS, SettingsSchema } from "~/settings/schema";

const START = new Date("2026-03-02T09:00:00.000Z");

describe("what a desired retention means for a typical card", () => {
  it("at 0.90 with the default weights: 2 days, then 11, six ratings in the first year", () => {
    expect(retentionEffect(DEFAULT_SETTINGS, 0.9, START)).toEqual({ retention: 0.9, firstInterval: 2, secondInterval: 11, ratingsFirstYear: 6 });
  });

  it("a lower retention gives longer intervals", () => {
    const at85 = retentionEffect(DEFAULT_SETTINGS, 0.85, START);
    expect(at85.firstInterval).toBeGreaterThan(2);
    expect(at85.secondInterval).toBeGreaterThan(11);
  });

  it("workload grows steeply above 0.95: more ratings per step of 0.01 than below", () => {
    const effects = retentionEffects(DEFAULT_SETTINGS, { min: 0.7, max: 0.99, step: 0.01 }, START);
    expect(effects).toHaveLength(30);
    expect(effects.map((e) => e.retention)).toContain(0.85);
    const at = (r: number) => effects.find((e) => e.retention === r)!.ratingsFirstYear;
    expect(at(0.99) - at(0.95)).toBeGreaterThan(3 * (at(0.95) - at(0.85)));
  });

  it("uses the learner's weights", () => {
    const w = [0.2, 1.2, 2.3, 8.3, 6.4, 0.83, 3.0, 0.001, 1.87, 0.167, 0.796, 1.48, 0.061, 0.262, 1.648, 0.6, 1.873, 0.543, 0.091, 0.066, 0.154];
    const slowForgetter = [...w];
    slowForgetter[2] = 10; // initial stability after Good: ten days
    expect(retentionEffect({ ...DEFAULT_SETTINGS, weights: slowForgetter }, 0.9, START).firstInterval).toBeGreaterThan(retentionEffect({ ...DEFAULT_SETTINGS, weights: w }, 0.9, START).firstInterval);
  });
});

describe("the settings schema and the form agree", () => {
  const form = (desiredRetention: string) => ({
    intent: "settings",
    desiredRetention,
    newPerDay: "20",
    reviewCap: "200",
    dayStartHour: "4",
    timeZone: "UTC",
    maximumInterval: "36500",
    learningSteps: "1m 10m",
    relearningSteps: "10m",
  });
  it("accepts every step of 0.01 from 0.70 to 0.99, and nothing between or beyond", () => {
    const { min, max, step } = NUMERIC_SETTINGS.desiredRetention;
    for (let i = 0; i <= Math.round((max - min) / step); i++) expect(SettingsSchema.safeParse(form((min + i * step).toFixed(2))).success).toBe(true);
    for (const bad of ["0.69", "1", "0.855", "0.999", "abc"]) expect(SettingsSchema.safeParse(form(bad)).success, bad).toBe(false);
  });
});
