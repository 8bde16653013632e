/** The quiz-to-review handoff rule (ADR 017), with fixed dates and fuzz off. */
import { describe, expect, it } from "vitest";
import { dayWindow } from "~/domain/day";
import { answeredLearningSteps, settingsForKind } from "~/domain/handoff";
import { createScheduler, DEFAULT_SETTINGS, newMemoryState, Rating, State, type Grade, type MemoryState, type SchedulerSettings } from "~/domain/scheduler";

const MIN = 60_000;
// 14:00 in Berlin: the learning day (starting 04:00) ends at 04:00 the next morning.
const QUIZ_AT = new Date("2026-03-02T13:00:00.000Z");
const ZONE = "Europe/Berlin";
const day = dayWindow(QUIZ_AT, ZONE, 4);
const learner: SchedulerSettings = { ...DEFAULT_SETTINGS, enableFuzz: false };

/**
 * Plays the rest of the learning day as the review session would: whenever the
 * item is due before the day ends, the learner answers it (right, unless told
 * otherwise) and it counts as one more showing.
 */
function showingsToday(first: Grade, later: Grade[] = [], settings = learner) {
  const scheduler = createScheduler(settingsForKind(settings, "answered"));
  let state: MemoryState = scheduler.next(newMemoryState(QUIZ_AT), QUIZ_AT, first);
  const answers = [...later];
  let showings = 0;
  while (state.due < day.end && showings < 10) {
    showings++;
    state = scheduler.next(state, state.due, answers.shift() ?? Rating.Good);
  }
  return { showings, state };
}

describe("answered items take the learner's last learning step alone", () => {
  it("keeps only the last step", () => {
    expect(answeredLearningSteps("1m 10m")).toBe("10m");
    expect(answeredLearningSteps("30m")).toBe("30m");
    expect(answeredLearningSteps("1m 10m 1h")).toBe("1h");
    expect(answeredLearningSteps("")).toBe("");
  });

  it("leaves flashcards (rated items) on the learner's full steps", () => {
    expect(settingsForKind(learner, "rated")).toEqual(learner);
    expect(settingsForKind(learner, "answered")).toEqual({ ...learner, learningSteps: "10m" });
  });
});

describe("a lesson-quiz question's first answer", () => {
  it("right (Good) graduates at once and does not come back the same learning day", () => {
    const { showings, state } = showingsToday(Rating.Good);
    expect(showings).toBe(0);
    expect(state.state).toBe(State.Review);
    expect(state.due.getTime()).toBeGreaterThanOrEqual(day.end.getTime());
  });

  it("right and fast on an easy question (Easy) does not come back the same day either", () => {
    const { showings, state } = showingsToday(Rating.Easy);
    expect(showings).toBe(0);
    expect(state.due.getTime()).toBeGreaterThan(state.lastReview!.getTime() + 24 * 60 * MIN);
  });

  it("wrong (Again) comes back once, ten minutes later, and a right answer then graduates it", () => {
    const scheduler = createScheduler(settingsForKind(learner, "answered"));
    const missed = scheduler.next(newMemoryState(QUIZ_AT), QUIZ_AT, Rating.Again);
    expect(missed.state).toBe(State.Learning);
    expect(missed.due).toEqual(new Date(QUIZ_AT.getTime() + 10 * MIN));
    const { showings, state } = showingsToday(Rating.Again);
    expect(showings).toBe(1);
    expect(state.state).toBe(State.Review);
    expect(state.due.getTime()).toBeGreaterThanOrEqual(day.end.getTime());
  });

  it("wrong, then wrong again in the review, comes back a second time: a real second miss", () => {
    expect(showingsToday(Rating.Again, [Rating.Again]).showings).toBe(2);
  });

  it("with the flashcard steps instead, a wrong answer would come back twice and a right one once (the bug this rule fixes)", () => {
    const scheduler = createScheduler(learner);
    let state = scheduler.next(newMemoryState(QUIZ_AT), QUIZ_AT, Rating.Again);
    let showings = 0;
    while (state.due < day.end) {
      showings++;
      state = scheduler.next(state, state.due, Rating.Good);
    }
    expect(showings).toBe(2);
    expect(scheduler.next(newMemoryState(QUIZ_AT), QUIZ_AT, Rating.Good).due.getTime()).toBeLessThan(day.end.getTime());
  });

  it("follows the learner's own last step", () => {
    const scheduler = createScheduler(settingsForKind({ ...learner, learningSteps: "5m 1h" }, "answered"));
    expect(scheduler.next(newMemoryState(QUIZ_AT), QUIZ_AT, Rating.Again).due).toEqual(new Date(QUIZ_AT.getTime() + 60 * MIN));
  });
});
