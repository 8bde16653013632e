/**
 * A lesson's quiz, one question at a time, graded on the server so it works
 * without JavaScript. Feedback follows every answer; the result page lists
 * what was missed. Choices are shuffled per attempt; correct answers never
 * reach the page before the learner has answered.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { z } from "zod";
import { formNumber } from "~/utils/fields";
import { getOptionalUser, requireUser } from "~/auth/session.server";
import { getTopic, renderInline } from "~/content/course.server";
import { enrolInLesson } from "~/lessons/enrolment.server";
import { activeAttempt, answerQuestion, getAttempt, startAttempt } from "~/quiz/lesson-quiz.server";
import { OVERRULE_WINDOW_MS, overruleLessonAnswer } from "~/review/overrule.server";
import { feedbackFor, publicQuestion, rawAnswerFromForm, storedAnswer } from "~/quiz/present.server";
import { quizScoresByTopic } from "~/quiz/quiz.server";
import { actionRetryAfter, checkWrite, retryAfter } from "~/limits/write-caps.server";
import { notFound, readForm } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import { clock } from "~/utils/clock.server";
import { QuestionFields } from "~/components/question-fields";
import { OverruleForm } from "~/components/overrule-form";
import { QuizFeedback } from "~/components/quiz-feedback";

export const headers = actionRetryAfter;
export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data ? `Quiz: ${data.title}` : "Quiz");

function signUpFirst(request: Request): never {
  const url = new URL(request.url);
  throw redirect(`/signup?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  // A visitor without an account is sent to sign up (with a link to log in there), and back here after.
  const user = (await getOptionalUser(request)) ?? signUpFirst(request);
  const topic = getTopic(params.slug ?? "");
  if (!topic) notFound(`There is no lesson called "${params.slug}".`);
  const url = new URL(request.url);
  const base = { slug: topic.slug, title: topic.title, total: topic.questions.length };

  const resultId = url.searchParams.get("result");
  if (resultId) {
    const attempt = await getAttempt(user.id, resultId);
    if (!attempt || attempt.topicId !== topic.slug || !attempt.finishedAt) notFound("No finished quiz attempt here.");
    const missed = attempt.answers
      .filter((a) => !a.correct)
      .map((a) => ({ a, q: topic.questions.find((q) => q.id === a.itemId) }))
      .filter((x): x is { a: (typeof x)["a"]; q: NonNullable<(typeof x)["q"]> } => x.q !== undefined)
      .map(({ a, q }) => ({ id: q.id, promptHtml: renderInline(q.prompt), ...feedbackFor(q, topic.slug, false, storedAnswer(a.answer)) }));
    return { ...base, mode: "result" as const, correct: attempt.correct, answered: attempt.answers.length, missed };
  }

  const attempt = await activeAttempt(user.id, topic.slug);
  const feedbackId = url.searchParams.get("feedback");
  if (feedbackId) {
    const attemptId = url.searchParams.get("attempt") ?? "";
    const fbAttempt = attempt?.id === attemptId ? attempt : await getAttempt(user.id, attemptId);
    const answer = fbAttempt?.answers.find((a) => a.itemId === feedbackId);
    const question = topic.questions.find((q) => q.id === feedbackId);
    if (fbAttempt && answer && question) {
      const last = fbAttempt.answers[fbAttempt.answers.length - 1];
      return {
        canOverrule:
          !answer.correct && question.kind === "text" && last?.id === answer.id && answer.createdAt.getTime() >= Date.now() - OVERRULE_WINDOW_MS,
        rerated: url.searchParams.has("rerated"),
        ...base,
        mode: "feedback" as const,
        attemptId: fbAttempt.id,
        questionId: question.id,
        finished: fbAttempt.finishedAt !== null,
        position: fbAttempt.answers.findIndex((a) => a.itemId === feedbackId) + 1,
        promptHtml: renderInline(question.prompt),
        feedback: feedbackFor(question, topic.slug, answer.correct, storedAnswer(answer.answer)),
      };
    }
  }

  if (!attempt) {
    const scores = await quizScoresByTopic(user.id);
    return { ...base, mode: "intro" as const, score: scores[topic.slug] ?? null };
  }
  const answered = new Set(attempt.answers.map((a) => a.itemId));
  const next = topic.questions.find((q) => !answered.has(q.id));
  if (!next) return { ...base, mode: "intro" as const, score: null };
  return {
    ...base,
    mode: "question" as const,
    attemptId: attempt.id,
    position: attempt.answers.length + 1,
    question: publicQuestion(next, attempt.id),
    shownAt: clock().getTime(),
  };
}

const StartSchema = z.object({ intent: z.literal("start") });
const OverruleSchema = z.object({ intent: z.literal("overrule"), attemptId: z.string().min(1).max(64), questionId: z.string().min(1).max(100) });
const AnswerSchema = z.object({
  intent: z.literal("answer"),
  attemptId: z.string().min(1).max(64),
  questionId: z.string().min(1).max(100),
  shownAt: formNumber(z.number().int().nonnegative().optional()),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const topic = getTopic(params.slug ?? "");
  if (!topic) notFound(`There is no lesson called "${params.slug}".`);
  const cap = await checkWrite(user.id, "quiz");
  if (!cap.allowed) return data({ error: cap.message }, { status: 429, headers: retryAfter(cap) });
  let form: FormData;
  try {
    form = await readForm(request);
  } catch {
    return data({ error: "The form could not be read." }, { status: 400 });
  }
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  if (StartSchema.safeParse(fields).success) {
    if (topic.questions.length === 0) return data({ error: "This lesson has no quiz yet." }, { status: 400 });
    const now = clock();
    await startAttempt(user.id, topic, now);
    await enrolInLesson(user.id, topic.slug, now); // starting the quiz is studying the lesson (ADR 021)
    return redirect(`/lessons/${topic.slug}/quiz`, 303);
  }
  if (fields.intent === "overrule") {
    const overrule = OverruleSchema.safeParse(fields);
    if (!overrule.success) return data({ error: "That request could not be read." }, { status: 400 });
    const res = await overruleLessonAnswer(user.id, overrule.data.attemptId, overrule.data.questionId);
    if (res.status === "refused") return data({ error: res.reason }, { status: 409 });
    const q = new URLSearchParams({ attempt: overrule.data.attemptId, feedback: overrule.data.questionId, rerated: "1" });
    return redirect(`/lessons/${topic.slug}/quiz?${q}`, 303);
  }
  const parsed = AnswerSchema.safeParse(fields);
  if (!parsed.success) return data({ error: "That answer could not be read. Please answer again." }, { status: 400 });
  const now = clock().getTime();
  const timeMs = parsed.data.shownAt && parsed.data.shownAt <= now ? now - parsed.data.shownAt : 0;
  const result = await answerQuestion(user.id, topic, {
    attemptId: parsed.data.attemptId,
    questionId: parsed.data.questionId,
    raw: rawAnswerFromForm(form),
    timeMs,
  }, new Date(now));
  if (!result.ok) return data({ error: result.error }, { status: result.status });
  const q = new URLSearchParams({ attempt: parsed.data.attemptId, feedback: parsed.data.questionId });
  return redirect(`/lessons/${topic.slug}/quiz?${q}`, 303);
}

/** Enter continues from the feedback wherever the focus is (unless on another link or button, which Enter activates). */
function EnterContinues({ to }: { to: string }) {
  const navigate = useNavigate();
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const t = e.target as HTMLElement | null;
      if (e.key !== "Enter" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (t && ["A", "BUTTON", "INPUT", "TEXTAREA", "SELECT"].includes(t.tagName)) return;
      e.preventDefault();
      navigate(to);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate, to]);
  return null;
}

/**
 * The way on after feedback, focused when it appears, so Enter or Tab continue from it: the
 * answer's form (and the focus in it) is gone. React's autoFocus does nothing for a link
 * rendered in the browser (it only works on the server-rendered first page), hence the effect.
 */
function ContinueLink({ to, children }: { to: string; children: ReactNode }) {
  const ref = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, [to]);
  return (
    <Link ref={ref} className="button" to={to} autoFocus>
      {children}
    </Link>
  );
}

export default function LessonQuiz() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="quiz">
      <p className="muted">
        <Link to={`/lessons/${d.slug}`}>{d.title}</Link> / Quiz
      </p>
      <h1>Quiz: {d.title}</h1>
      {actionData && "error" in actionData ? (
        <p className="form-error" role="alert">
          {actionData.error}
        </p>
      ) : null}

      {d.mode === "intro" ? (
        <section>
          <p className="lede">
            {d.total} questions, one at a time, each explained after you answer. Your first answer to each question also schedules it: it comes back in
            your daily review, sooner if you missed it.
          </p>
          {d.score ? (
            <p>
              Your scores so far: latest {d.score.latest}%, best {d.score.best}% ({d.score.attempts} attempt{d.score.attempts === 1 ? "" : "s"}).
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <button type="submit" disabled={busy || d.total === 0}>
              {d.score ? "Take the quiz again" : "Start the quiz"}
            </button>
          </Form>
        </section>
      ) : null}

      {d.mode === "question" ? (
        <section aria-labelledby="quiz-progress">
          <p id="quiz-progress" className="muted">
            Question {d.position} of {d.total}
          </p>
          <progress max={d.total} value={d.position - 1} aria-label={`Question ${d.position} of ${d.total}`} className="review-progress" />
          <Form method="post" className="review-card" key={d.question.id}>
            <input type="hidden" name="intent" value="answer" />
            <input type="hidden" name="attemptId" value={d.attemptId} />
            <input type="hidden" name="questionId" value={d.question.id} />
            <input type="hidden" name="shownAt" value={d.shownAt} />
            <QuestionFields question={d.question} />
            <div className="actions">
              <button type="submit" disabled={busy}>
                Check answer
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {d.mode === "feedback" ? (
        <section className="review-card" aria-labelledby="fb-title">
          <p className="muted">
            Question {d.position} of {d.total}
          </p>
          <h2 id="fb-title" className="card-front" dangerouslySetInnerHTML={{ __html: d.promptHtml }} />
          <QuizFeedback feedback={d.feedback}>
            <OverruleForm
              fields={{ attemptId: d.attemptId, questionId: d.questionId }}
              canOverrule={d.canOverrule}
              rerated={d.rerated}
              reratedMessage="Marked right: it counts as a right answer in your score and your reviews."
              busy={busy}
            />
          </QuizFeedback>
          <EnterContinues to={d.finished ? `/lessons/${d.slug}/quiz?result=${d.attemptId}` : `/lessons/${d.slug}/quiz`} />
          <p className="cta-row">
            {d.finished ? (
              <ContinueLink to={`/lessons/${d.slug}/quiz?result=${d.attemptId}`}>
                See your result <kbd className="key-hint">Enter</kbd>
              </ContinueLink>
            ) : (
              <ContinueLink to={`/lessons/${d.slug}/quiz`}>
                Next question <kbd className="key-hint">Enter</kbd>
              </ContinueLink>
            )}
          </p>
        </section>
      ) : null}

      {d.mode === "result" ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">
            Your score: {d.correct} of {d.answered} ({d.answered ? Math.round((100 * d.correct) / d.answered) : 0}%)
          </h2>
          {d.missed.length === 0 ? (
            <p className="success">Every answer right. These questions will still come back for review, spaced further apart.</p>
          ) : (
            <>
              <p>The questions you missed come back in your next review session. Here is what to remember:</p>
              <ol className="missed">
                {d.missed.map((m) => (
                  <li key={m.id} className="review-card">
                    <p className="card-front" dangerouslySetInnerHTML={{ __html: m.promptHtml }} />
                    {m.yourAnswerHtml !== null ? (
                      <div>
                        <strong>You answered:</strong> <span dangerouslySetInnerHTML={{ __html: m.yourAnswerHtml }} />
                      </div>
                    ) : null}
                    <div>
                      <strong>Answer:</strong> <span dangerouslySetInnerHTML={{ __html: m.answerHtml }} />
                    </div>
                    <div dangerouslySetInnerHTML={{ __html: m.explanationHtml }} />
                    <p>
                      <a href={m.sectionHref}>Read the lesson section</a>
                    </p>
                  </li>
                ))}
              </ol>
            </>
          )}
          <div className="cta-row">
            <Link className="button" to="/review">
              Go to review
            </Link>
            <Link className="button secondary" to={`/lessons/${d.slug}/quiz`}>
              Back to the quiz page
            </Link>
          </div>
        </section>
      ) : null}
    </div>
  );
}
