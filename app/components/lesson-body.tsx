import { lazy, Suspense } from "react";
import type { Segment } from "~/content/render.server";

const AttentionHeatmap = lazy(() => import("./widgets/attention-heatmap"));
const Tokenizer = lazy(() => import("./widgets/tokenizer"));

const WIDGETS: Record<string, { component: React.LazyExoticComponent<() => JSX.Element>; label: string }> = {
  "attention-heatmap": { component: AttentionHeatmap, label: "Interactive attention heatmap" },
  tokenizer: { component: Tokenizer, label: "Tokenizer playground" },
};

/** Server-rendered lesson HTML, with interactive widgets where the lesson places them. */
export function LessonBody({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.type === "html" ? (
          <div key={i} dangerouslySetInnerHTML={{ __html: s.html }} />
        ) : (
          <Widget key={i} name={s.name} />
        ),
      )}
    </>
  );
}

function Widget({ name }: { name: string }) {
  const widget = WIDGETS[name];
  if (!widget) return null;
  const Component = widget.component;
  return (
    <section className="widget" aria-label={widget.label}>
      <Suspense
        fallback={
          <>
            <p className="muted js-only">Loading the {widget.label.toLowerCase()}…</p>
            <p className="widget-note no-js-only">The {widget.label.toLowerCase()} runs in your browser, so it needs JavaScript, which is turned off or has not loaded here.</p>
          </>
        }
      >
        <Component />
      </Suspense>
    </section>
  );
}
