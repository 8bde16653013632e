/**
 * How an answered item (a quiz question) is scheduled, as opposed to a rated
 * flashcard. See docs/decisions/017-quiz-to-review-handoff.md.
 *
 * A flashcard's first rating comes after a first look at the answer, so FSRS's
 * short-term learning steps ("1m 10m") check that it stuck. A question's first
 * rating comes from a real retrieval: the learner produced the answer, or
 * failed to. So an answered item gets ONE learning step, the learner's last:
 * - right (Good or Easy) on a new question graduates at once to a review
 *   interval of a day or more, so it does not come back the same learning day;
 * - wrong (Again) comes back once, one step later (10 minutes by default), and
 *   a right answer then graduates it.
 * Relearning after a lapse uses the learner's relearning steps unchanged.
 */
import { parseSteps, type SchedulerSettings } from "./scheduler";

export type SchedulingKind = "rated" | "answered";

/** The learning steps for answered items: the learner's last step alone ("1m 10m" -> "10m"). */
export function answeredLearningSteps(learningSteps: string): string {
  const steps = parseSteps(learningSteps);
  return steps.length ? steps[steps.length - 1]! : "";
}

/** The scheduler settings for an item of this kind, from the learner's settings. */
export function settingsForKind(settings: SchedulerSettings, kind: SchedulingKind): SchedulerSettings {
  return kind === "answered" ? { ...settings, learningSteps: answeredLearningSteps(settings.learningSteps) } : settings;
}
