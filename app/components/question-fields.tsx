import type { PublicQuestion } from "~/quiz/present.server";

/** The answer controls of one question, as plain form fields (they work without JavaScript). */
export function QuestionFields({ question }: { question: PublicQuestion }) {
  const id = `q-${question.id}`;
  return (
    <fieldset className="question">
      <legend id={`${id}-prompt`}>
        <span dangerouslySetInnerHTML={{ __html: question.promptHtml }} />
      </legend>
      {question.kind === "single" || question.kind === "multiple" ? (
        <>
          <p className="hint">{question.kind === "single" ? "Choose one." : "Choose every answer that applies."}</p>
          <ul className="choices">
            {question.choices.map((c) => (
              <li key={c.id}>
                <label className="choice">
                  <input
                    type={question.kind === "single" ? "radio" : "checkbox"}
                    name={question.kind === "single" ? "choice" : "choices"}
                    value={c.id}
                    required={question.kind === "single"}
                  />
                  <span dangerouslySetInnerHTML={{ __html: c.html }} />
                </label>
              </li>
            ))}
          </ul>
        </>
      ) : question.kind === "numeric" ? (
        <div className="field">
          <label htmlFor={`${id}-value`}>Your answer{question.unit ? ` (${question.unit})` : ""}</label>
          <input id={`${id}-value`} name="value" type="text" inputMode="decimal" autoComplete="off" required />
        </div>
      ) : question.kind === "text" ? (
        <div className="field">
          <label htmlFor={`${id}-value`}>Your answer</label>
          <input id={`${id}-value`} name="value" type="text" autoComplete="off" required />
        </div>
      ) : (
        <>
          <p className="hint">Choose which step comes at each position.</p>
          <ol className="order-steps">
            {question.steps.map((_, position) => (
              <li key={position}>
                <label htmlFor={`${id}-pos-${position}`}>Position {position + 1}</label>
                <select id={`${id}-pos-${position}`} name="order" required defaultValue="">
                  <option value="" disabled>
                    Choose a step
                  </option>
                  {question.steps.map((s) => (
                    <option key={s.index} value={s.index}>
                      {s.text}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ol>
        </>
      )}
    </fieldset>
  );
}
