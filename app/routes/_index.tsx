import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCourse } from "~/content/course.server";
import { getOptionalUser } from "~/auth/session.server";
import { pageTitle } from "~/utils/meta";
import { clock } from "~/utils/clock.server";
import { getDashboard } from "~/progress/dashboard.server";
import { Dashboard } from "~/components/dashboard";
import progressStyles from "~/styles/progress.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: progressStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data?.signedIn
    ? pageTitle("Today")
    : pageTitle("Learn how large language models work", "A spaced-repetition course on transformers, attention, tokenization and training.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const { course } = getCourse();
  const lessons = course.topics.map((t) => ({ slug: t.slug, title: t.title, summary: t.summary }));
  if (!user) return { signedIn: false as const, lessons, deleted: new URL(request.url).searchParams.has("deleted") };
  return { signedIn: true as const, lessons, dashboard: await getDashboard(user.id, clock()) };
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  if (data.signedIn) return <Dashboard data={data.dashboard} />;
  return (
    <>
      {data.deleted ? (
        <p className="success" role="status">
          Your account and all of its data were deleted.
        </p>
      ) : null}
      <h1>Learn how large language models work, and keep it learned</h1>
      <p className="lede">
        Attention Span turns a curated reading list on the working principles of LLMs into a course you can finish: lessons in plain words, quizzes
        that explain every answer, small code exercises graded in your browser, and daily reviews scheduled by FSRS so that what you learn comes back
        just before you would forget it.
      </p>
      <div className="cta-row">
        <Link className="button" to="/signup">
          Create a free account
        </Link>
        <Link className="button secondary" to="/lessons">
          Browse the lessons
        </Link>
      </div>
      <h2>The course</h2>
      <ol className="lesson-list">
        {data.lessons.map((l) => (
          <li key={l.slug} className="lesson-card">
            <h3>
              <Link to={`/lessons/${l.slug}`}>{l.title}</Link>
            </h3>
            <p>{l.summary}</p>
          </li>
        ))}
      </ol>
    </>
  );
}
