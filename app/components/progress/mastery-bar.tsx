import { percent } from "./format";

const LEVELS = ["Not started", "Learning", "Familiar", "Proficient", "Mastered"] as const;

/**
 * The level as five steps, filled up to the learner's level, with the level
 * and the expected recall in text (the steps themselves are decoration).
 */
export function MasteryBar({ level, levelIndex, expectedRecall }: { level: string; levelIndex: number; expectedRecall: number }) {
  return (
    <div className="mastery">
      <div className={`mastery-steps level-${levelIndex}`} aria-hidden="true">
        {LEVELS.slice(1).map((l, i) => (
          <span key={l} className={i < levelIndex ? "mastery-step filled" : "mastery-step"} />
        ))}
      </div>
      <p className="mastery-text">
        <strong className={`level-name level-${levelIndex}`}>{level}</strong>
        <span className="muted"> · expected recall {percent(expectedRecall)}</span>
      </p>
    </div>
  );
}

/** A small inline bar for a share (0..1); the number is always in the text next to it. */
export function ShareBar({ value }: { value: number }) {
  return (
    <span className="share-bar" aria-hidden="true">
      <span className="share-bar-fill" style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }} />
    </span>
  );
}
