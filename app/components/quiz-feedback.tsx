import type { ReactNode } from "react";
import type { Feedback } from "~/quiz/present.server";

/**
 * The answer to a quiz question, as the lesson quiz and the review session both
 * show it: the verdict, the right answer, why, and where the lesson explains it.
 * `children` go at the end of the block (the review session's Continue).
 */
export function QuizFeedback({ feedback, children }: { feedback: Feedback; children?: ReactNode }) {
  return (
    <div className={feedback.correct ? "feedback correct" : "feedback wrong"} role="status">
      <p className="feedback-verdict">{feedback.correct ? "Correct." : "Not quite."}</p>
      <p>
        <strong>Answer:</strong> <span dangerouslySetInnerHTML={{ __html: feedback.answerHtml }} />
      </p>
      <div className="feedback-explanation" dangerouslySetInnerHTML={{ __html: feedback.explanationHtml }} />
      <p>
        <a href={feedback.sectionHref}>Read the lesson section</a>
      </p>
      {children}
    </div>
  );
}
