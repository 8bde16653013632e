import type { ReactNode } from "react";
import type { ChoiceFeedback, Feedback } from "~/quiz/present.server";

function choiceMark(c: ChoiceFeedback): { className: string; label: string } | null {
  if (c.picked && c.correct) return { className: "pick-right", label: "your pick, right" };
  if (c.picked) return { className: "pick-wrong", label: "your pick, wrong" };
  if (c.correct) return { className: "pick-missed", label: "missed: this one is right too" };
  return null;
}

/**
 * The answer to a quiz question, as the lesson quiz and the review session both
 * show it: the verdict, what the learner answered next to the right answer
 * (every choice marked: right picks, wrong picks and missed ones, with why a
 * wrong pick is wrong when the content says), why, and where the lesson
 * explains it. `children` go at the end of the block (the review session's
 * Continue and "I was right").
 */
export function QuizFeedback({ feedback, children }: { feedback: Feedback; children?: ReactNode }) {
  const showChoices = feedback.choices !== null && (!feedback.correct || feedback.choices.some((c) => c.picked && c.whyHtml));
  return (
    <div className={feedback.correct ? "feedback correct" : "feedback wrong"} role="status">
      <p className="feedback-verdict">{feedback.correct ? (feedback.typoOf ? "Correct, allowing for a typo." : "Correct.") : "Not quite."}</p>
      {showChoices ? (
        <ul className="feedback-choices" aria-label="The choices, marked">
          {feedback.choices!.map((c, i) => {
            const mark = choiceMark(c);
            return (
              <li key={i} className={mark ? mark.className : "pick-none"}>
                <span className="pick-mark" aria-hidden="true">
                  {mark?.className === "pick-right" ? "✓" : mark?.className === "pick-wrong" ? "✗" : mark?.className === "pick-missed" ? "!" : ""}
                </span>
                <span>
                  <span dangerouslySetInnerHTML={{ __html: c.html }} />
                  {mark ? <span className="pick-label"> ({mark.label})</span> : null}
                  {c.picked && c.whyHtml ? <span className="pick-why" dangerouslySetInnerHTML={{ __html: c.whyHtml }} /> : null}
                </span>
              </li>
            );
          })}
        </ul>
      ) : null}
      {feedback.yourAnswerHtml !== null && (!feedback.correct || feedback.typoOf) ? (
        <div className="feedback-yours">
          <strong>You answered:</strong>{" "}
          {feedback.order ? (
            <ol className="feedback-order">
              {feedback.order.map((o, i) => (
                <li key={i} className={o.right ? "pick-right" : "pick-wrong"}>
                  <span dangerouslySetInnerHTML={{ __html: o.html }} />
                  <span className="pick-label"> ({o.right ? "right place" : "wrong place"})</span>
                </li>
              ))}
            </ol>
          ) : (
            <span className="your-answer" dangerouslySetInnerHTML={{ __html: feedback.yourAnswerHtml }} />
          )}
        </div>
      ) : null}
      <div className="feedback-answer">
        <strong>Answer:</strong> <span dangerouslySetInnerHTML={{ __html: feedback.answerHtml }} />
      </div>
      <div className="feedback-explanation" dangerouslySetInnerHTML={{ __html: feedback.explanationHtml }} />
      <p>
        <a href={feedback.sectionHref}>Read the lesson section</a>
      </p>
      {children}
    </div>
  );
}
