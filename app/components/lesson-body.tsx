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

type Part = Segment | { type: "section-end"; anchor: string; heading: string };

/** The segments with a marker after each section (an h2 and what follows it, up to the next h2). */
export function withSectionEnds(segments: Segment[]): Part[] {
  const out: Part[] = [];
  let current: { anchor: string; heading: string } | null = null;
  for (const s of segments) {
    if (s.type !== "html") {
      out.push(s);
      continue;
    }
    for (const piece of s.html.split(/(?=<h2 id=")/)) {
      const m = /^<h2 id="([^"]+)"[^>]*>([\s\S]*?)<\/h2>/.exec(piece);
      if (m) {
        if (current) out.push({ type: "section-end", ...current });
        current = { anchor: m[1]!, heading: m[2]!.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim() };
      }
      if (piece.trim()) out.push({ type: "html", html: piece });
    }
  }
  if (current) out.push({ type: "section-end", ...current });
  return out;
}

/** Server-rendered lesson HTML, with interactive widgets where the lesson places them (and, if given, something at the end of each section). */
export function LessonBody({ segments, sectionEnd }: { segments: Segment[]; sectionEnd?: (anchor: string, heading: string) => React.ReactNode }) {
  const parts: Part[] = sectionEnd ? withSectionEnds(segments) : segments;
  return (
    <>
      {parts.map((s, i) =>
        s.type === "html" ? (
          <div key={i} dangerouslySetInnerHTML={{ __html: s.html }} />
        ) : s.type === "widget" ? (
          <Widget key={i} name={s.name} />
        ) : (
          <div key={i}>{sectionEnd?.(s.anchor, s.heading)}</div>
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
