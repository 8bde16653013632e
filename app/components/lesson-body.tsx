import { lazy, Suspense } from "react";
import type { Segment } from "~/content/render.server";

const AttentionHeatmap = lazy(() => import("./widgets/attention-heatmap"));
const Tokenizer = lazy(() => import("./widgets/tokenizer"));
const TinyGpt = lazy(() => import("./widgets/tiny-gpt"));

const WIDGETS: Record<string, { component: React.LazyExoticComponent<() => JSX.Element>; label: string }> = {
  "attention-heatmap": { component: AttentionHeatmap, label: "Interactive attention heatmap" },
  tokenizer: { component: Tokenizer, label: "Tokenizer playground" },
  "tiny-gpt": { component: TinyGpt, label: "Tiny GPT in your browser" },
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
      <Suspense fallback={<p className="muted">Loading the {widget.label.toLowerCase()}…</p>}>
        <Component />
      </Suspense>
    </section>
  );
}
