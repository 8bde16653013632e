import { Link } from "@remix-run/react";
import type { DashboardData } from "~/progress/dashboard.server";

export function Dashboard({ data }: { data: DashboardData }) {
  return (
    <>
      <h1>Today</h1>
      <section aria-labelledby="due-title" className="lesson-card">
        <h2 id="due-title">Reviews</h2>
        <p>
          {data.dueNow === 0 ? "Nothing is due right now." : `${data.dueNow} item${data.dueNow === 1 ? " is" : "s are"} due.`}
        </p>
        <Link className="button" to="/review">
          Start the review
        </Link>
      </section>
      <section aria-labelledby="next-title" className="lesson-card">
        <h2 id="next-title">Next lesson</h2>
        {data.nextLesson ? (
          <p>
            <Link to={`/lessons/${data.nextLesson.slug}`}>{data.nextLesson.title}</Link>
          </p>
        ) : (
          <p>You have opened every lesson. Keep reviewing to make it stick.</p>
        )}
        <p className="muted">
          {data.lessonsOpened} of {data.lessonsTotal} lessons opened.
        </p>
      </section>
    </>
  );
}
