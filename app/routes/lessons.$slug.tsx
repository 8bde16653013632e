import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getCourse, getTopic, renderTopic } from "~/content/course.server";
import { getOptionalUser, requireUser } from "~/auth/session.server";
import { enrolInLesson, isEnrolled } from "~/lessons/enrolment.server";
import { notFound, readForm } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import { clock } from "~/utils/clock.server";
import { LessonBody } from "~/components/lesson-body";
import attentionWidgetStyles from "~/components/widgets/attention-heatmap.css?url";
import tinyGptStyles from "~/components/widgets/tiny-gpt.css?url";
import { AddOwnCard } from "~/own-cards/own-card-form";
import { listOwnCards, presentOwnCard } from "~/own-cards/own-cards.server";

// The widgets are loaded lazily, but their styles come with the page: a side-effect import in a lazy
// chunk arrives only once JavaScript has fetched it, so the server-rendered widget (and the page
// without JavaScript) would have none, and at 320 px its tables widened the page.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: attentionWidgetStyles },
  { rel: "stylesheet", href: tinyGptStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageTitle(data.title, data.summary) : pageTitle("Lesson not found");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const topic = getTopic(params.slug ?? "");
  if (!topic) notFound(`There is no lesson called "${params.slug}".`);
  const user = await getOptionalUser(request);
  // Opening the page is a glance: it enrols nothing (ADR 021). The learner chooses to study the flashcards below.
  const enrolled = user ? await isEnrolled(user.id, topic.slug) : false;
  const page = renderTopic(topic);
  const topics = getCourse().course.topics;
  const index = topics.indexOf(topic);
  const neighbour = (t: (typeof topics)[number] | undefined) => (t ? { slug: t.slug, title: t.title } : null);
  return {
    slug: topic.slug,
    title: topic.title,
    summary: topic.summary,
    minutes: topic.minutes,
    position: topic.position,
    counts: { cards: topic.cards.length, questions: topic.questions.length, exercises: topic.exercises.length, resources: topic.resources.length },
    page,
    signedIn: user !== null,
    enrolled,
    // The learner's own cards in this lesson, by section (ADR 025).
    ownCards: user ? (await listOwnCards(user.id, topic.slug)).map(presentOwnCard).map(({ id, section, frontHtml, backHtml }) => ({ id, section, frontHtml, backHtml })) : [],
    previous: neighbour(topics[index - 1]),
    next: neighbour(topics[index + 1]),
  };
}

const StudySchema = z.object({ intent: z.literal("study") });

/** "Study these flashcards": the lesson's new cards may now enter the learner's review (ADR 021). */
export async function action({ request, params }: ActionFunctionArgs) {
  const topic = getTopic(params.slug ?? "");
  if (!topic) notFound(`There is no lesson called "${params.slug}".`);
  const user = await requireUser(request, { redirectTo: `/lessons/${topic.slug}` });
  let form: FormData;
  try {
    form = await readForm(request);
  } catch {
    return data({ error: "The form could not be read." }, { status: 400 });
  }
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  if (!StudySchema.safeParse(fields).success) return data({ error: "That request could not be read." }, { status: 400 });
  if (topic.cards.length === 0) return data({ error: "This lesson has no flashcards." }, { status: 400 });
  await enrolInLesson(user.id, topic.slug, clock());
  return redirect("/review", 303);
}

export default function Lesson() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <article className="lesson">
      <p className="muted">
        <Link to="/lessons">Lessons</Link> / Lesson {data.position}
      </p>
      <h1>{data.title}</h1>
      <p className="lede">{data.summary}</p>
      <p className="lesson-meta">
        {data.minutes ? `About ${data.minutes} minutes · ` : ""}
        {data.counts.resources} resources · {data.counts.cards} flashcards · {data.counts.questions} quiz questions · {data.counts.exercises}{" "}
        exercises
      </p>
      {!data.signedIn && data.counts.cards > 0 ? (
        <p className="notice">
          <Link to={`/signup?redirectTo=/lessons/${data.slug}`}>Create an account</Link> to keep what you learn: this lesson's flashcards join your daily
          review when you choose to study them.
        </p>
      ) : null}
      <div className="lesson-layout">
        {data.page.toc.length > 0 ? (
          <nav className="lesson-toc" aria-label="In this lesson">
            <h2>In this lesson</h2>
            <ol>
              {data.page.toc.map((t) => (
                <li key={t.anchor}>
                  <a href={`#${t.anchor}`}>{t.text}</a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <div className="prose">
          <LessonBody
            segments={data.page.segments}
            sectionEnd={
              data.signedIn
                ? (anchor, heading) => <AddOwnCard topic={data.slug} section={anchor} heading={heading} cards={data.ownCards.filter((c) => c.section === anchor)} />
                : undefined
            }
          />
          {data.counts.cards > 0 ? (
            <section className="lesson-study" id="flashcards" aria-labelledby="flashcards-title">
              <h2 id="flashcards-title">This lesson's flashcards</h2>
              {!data.signedIn ? (
                <p>
                  <Link to={`/signup?${new URLSearchParams({ redirectTo: `/lessons/${data.slug}#flashcards` })}`}>Sign up to study its {data.counts.cards} flashcards</Link>{" "}
                  in a daily review.
                </p>
              ) : data.enrolled ? (
                <p>
                  Its {data.counts.cards} flashcards are in your review: new ones come a few a day, up to your daily limit.{" "}
                  <Link to="/review">Go to the review</Link>.
                </p>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="study" />
                  <p>
                    Opening a lesson does not add its flashcards to your review; choose to study them when you are ready. New ones then come a few a day
                    (up to your daily limit), each coming back just before you would forget it. Starting the quiz or an exercise of this lesson adds them
                    too.
                  </p>
                  {actionData && "error" in actionData ? (
                    <p className="form-error" role="alert">
                      {actionData.error}
                    </p>
                  ) : null}
                  <button type="submit" disabled={busy}>
                    Study these {data.counts.cards} flashcards
                  </button>
                </Form>
              )}
            </section>
          ) : null}
          <section className="lesson-end" aria-labelledby="lesson-end-title">
            <h2 id="lesson-end-title">Check what you learned</h2>
            <div className="cta-row">
              {data.counts.questions > 0 ? (
                // Anonymous: sign up first (not log in: most visitors here are new), then straight back to the quiz.
                <Link className="button" to={data.signedIn ? `/lessons/${data.slug}/quiz` : `/signup?${new URLSearchParams({ redirectTo: `/lessons/${data.slug}/quiz` })}`}>
                  {data.signedIn ? `Take the quiz (${data.counts.questions} questions)` : `Sign up to take the quiz (${data.counts.questions} questions)`}
                </Link>
              ) : null}
              {data.counts.exercises > 0 ? (
                <Link className="button secondary" to={`/exercises#topic-${data.slug}`}>
                  Code exercises ({data.counts.exercises})
                </Link>
              ) : null}
              <Link className="button secondary" to="/review">
                Review due cards
              </Link>
            </div>
            <nav aria-label="Lesson order" className="cta-row">
              {data.previous ? <Link to={`/lessons/${data.previous.slug}`}>← {data.previous.title}</Link> : null}
              {data.next ? <Link to={`/lessons/${data.next.slug}`}>{data.next.title} →</Link> : null}
            </nav>
          </section>
        </div>
      </div>
    </article>
  );
}
