import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCourse, renderOverview } from "~/content/course.server";
import { notFound } from "~/utils/http.server";
import { pageTitle } from "~/utils/meta";
import { LessonBody } from "~/components/lesson-body";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data?.title ?? "Course overview", data?.summary);

export async function loader() {
  const overview = getCourse().course.overview;
  const page = renderOverview();
  if (!overview || !page) notFound("The course overview has not been written yet.");
  return { title: overview.title, summary: overview.summary, page };
}

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  return (
    <article className="prose">
      <h1>{data.title}</h1>
      <p className="lede">{data.summary}</p>
      <LessonBody segments={data.page.segments} />
      <p className="cta-row">
        <Link className="button" to="/lessons">
          Go to the lessons
        </Link>
      </p>
    </article>
  );
}
