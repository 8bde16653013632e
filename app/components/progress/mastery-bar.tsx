import { percent } from "./format";

const LEVELS = ["Not started", "Learning", "Familiar", "Proficient", "Mastered"] as const;

/**
 * The level as five steps, filled up to the learner's level, with the level,
 * coverage and memory in text, kept apart (the steps themselves are decoration).
 */
export function MasteryBar({ level, levelIndex, seen, items, memory }: { level: string; levelIndex: number; seen: number; items: number; memory: number | null }) {
  return (
    <div className="mastery">
      <div className={`mastery-steps level-${levelIndex}`} aria-hidden="true">
        {LEVELS.slice(1).map((l, i) => (
          <span key={l} className={i < levelIndex ? "mastery-step filled" : "mastery-step"} />
        ))}
      </div>
      <p className="mastery-text">
        <strong className={`level-name level-${levelIndex}`}>{level}</strong>
        <span className="muted">
          {" "}
          · seen {seen} of {items} · {memory === null ? "nothing seen yet" : `recall of what you have seen ${percent(memory)}`}
        </span>
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
