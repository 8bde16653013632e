/**
 * Lesson Markdown to HTML, on the server: heading anchors, syntax highlighting
 * (highlight.js), KaTeX math, resource cards placed by ::resource[id], citation
 * links (res:id), diagrams as <img> with their alt text. Widgets are left as
 * segments for React to render, so the page stays readable without JavaScript.
 */
import hljs from "highlight.js/lib/core";
import javascript from "highlight.js/lib/languages/javascript";
import typescript from "highlight.js/lib/languages/typescript";
import python from "highlight.js/lib/languages/python";
import bash from "highlight.js/lib/languages/bash";
import plaintext from "highlight.js/lib/languages/plaintext";
import katex from "katex";
import { Marked, type Tokens, type TokenizerAndRendererExtension } from "marked";
import type { Resource } from "./schema";
import { slugify } from "./slug";
import { DIRECTIVE } from "./lesson-source";

hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("python", python);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("plaintext", plaintext);
hljs.registerAliases(["js"], { languageName: "javascript" });
hljs.registerAliases(["ts"], { languageName: "typescript" });
hljs.registerAliases(["py"], { languageName: "python" });
hljs.registerAliases(["sh", "shell"], { languageName: "bash" });
hljs.registerAliases(["text", "txt"], { languageName: "plaintext" });

export type Segment = { type: "html"; html: string } | { type: "widget"; name: string };

export interface RenderContext {
  /** The lesson's own slug, or null for the overview page. */
  slug: string | null;
  /** Resources of every lesson by id, with the slug of the lesson that holds them. */
  resources: Map<string, { resource: Resource; slug: string }>;
  /** URL prefix for diagrams of this page, e.g. /diagrams/attention/ */
  diagramBase: string;
  /** How math is written out; KaTeX unless said. */
  math?: MathOutput;
}

export interface RenderedPage {
  segments: Segment[];
  toc: { anchor: string; text: string }[];
}

// Widget placeholders use a private-use character that cannot appear in lesson text.
const WIDGET_MARK = "\uE000widget:";
const WIDGET_END = "\uE001";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** KaTeX HTML for the site; MathJax delimiters \( \) and \[ \] for Anki, which renders them itself. */
export type MathOutput = "katex" | "mathjax";

function mathExtensions(output: MathOutput = "katex"): TokenizerAndRendererExtension[] {
  return [
    {
      name: "blockMath",
      level: "block",
      start: (src) => src.match(/^\$\$/m)?.index,
      tokenizer(src) {
        const m = /^\$\$\s*\n([\s\S]+?)\n\s*\$\$(?:\n|$)/.exec(src);
        if (m) return { type: "blockMath", raw: m[0], text: m[1]!.trim() };
        return undefined;
      },
      renderer: (token) =>
        output === "mathjax"
          ? `<div>\\[${escapeHtml(token.text as string)}\\]</div>\n`
          : `<div class="math-display" tabindex="0" role="group" aria-label="Formula">${katex.renderToString(token.text as string, { displayMode: true, throwOnError: false, output: "htmlAndMathml" })}</div>\n`,
    },
    {
      name: "inlineMath",
      level: "inline",
      start: (src) => src.indexOf("$"),
      tokenizer(src) {
        const m = /^\$(?!\s)((?:\\\$|[^$\n])+?)(?<!\s)\$(?!\d)/.exec(src);
        if (m) return { type: "inlineMath", raw: m[0], text: m[1]! };
        return undefined;
      },
      renderer: (token) =>
        output === "mathjax"
          ? `\\(${escapeHtml(token.text as string)}\\)`
          : katex.renderToString(token.text as string, { throwOnError: false, output: "htmlAndMathml" }),
    },
  ];
}

const KIND_LABEL: Record<Resource["kind"], string> = {
  article: "Article",
  video: "Video",
  repository: "Repository",
  tool: "Tool",
  book: "Book",
};

/** The card for one resource: what it is, who made it, what you get, when to use it. */
export function renderResourceCard(r: Resource, inline: (md: string) => string): string {
  const meta = [KIND_LABEL[r.kind], r.authors.join(", ")];
  if (r.kind === "book") meta.push(`${r.publisher}, ${r.year}`);
  let html = `<aside class="resource resource-${r.kind}" id="res-${r.id}" aria-label="${escapeHtml(`${KIND_LABEL[r.kind]}: ${r.title}`)}">`;
  html += `<p class="resource-meta"><span class="resource-kind">${escapeHtml(meta[0]!)}</span> · ${escapeHtml(meta.slice(1).join(" · "))}</p>`;
  html += `<p class="resource-title"><a href="${escapeHtml(r.url)}" rel="noopener noreferrer">${escapeHtml(r.title)}</a></p>`;
  html += `<p>${inline(r.summary)}</p>`;
  html += `<p class="resource-when"><strong>When:</strong> ${inline(r.when)}</p>`;
  if (r.kind === "book") {
    html += `<p class="resource-isbn">ISBN ${escapeHtml(r.isbn ?? "")}</p>`;
    if (r.chapters?.length) {
      html += `<ul class="resource-chapters">${r.chapters
        .map((c) => `<li><strong>Chapter ${c.number}, ${escapeHtml(c.title)}</strong>: ${inline(c.note)}</li>`)
        .join("")}</ul>`;
    }
  }
  return html + "</aside>\n";
}

export function createRenderer(ctx: RenderContext) {
  const marked = new Marked({ gfm: true });
  const toc: { anchor: string; text: string }[] = [];
  const inline = (md: string) => marked.parseInline(md, { async: false }) as string;

  const directive: TokenizerAndRendererExtension = {
    name: "directive",
    level: "block",
    start: (src) => src.match(/^::(resource|widget)\[/m)?.index,
    tokenizer(src) {
      const m = /^::(resource|widget)\[([^\]]*)\][ \t]*(?:\n|$)/.exec(src);
      if (!m || !DIRECTIVE.test(m[0].trim())) return undefined;
      return { type: "directive", raw: m[0], kind: m[1], id: m[2]!.trim() };
    },
    renderer(token) {
      if (token.kind === "widget") return `${WIDGET_MARK}${token.id}${WIDGET_END}`;
      const found = ctx.resources.get(token.id as string);
      return found ? renderResourceCard(found.resource, inline) : "";
    },
  };

  marked.use({
    extensions: [...mathExtensions(ctx.math), directive],
    renderer: {
      heading({ tokens, depth, text }: Tokens.Heading) {
        const anchor = slugify(text);
        const inner = this.parser.parseInline(tokens);
        if (depth === 2) toc.push({ anchor, text: inner.replace(/<[^>]+>/g, "") });
        return `<h${depth} id="${anchor}" tabindex="-1"><a class="heading-anchor" href="#${anchor}">${inner}</a></h${depth}>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        const language = (lang ?? "").split(/\s/)[0] || "plaintext";
        const known = hljs.getLanguage(language);
        const html = known ? hljs.highlight(text, { language, ignoreIllegals: true }).value : escapeHtml(text);
        return `<pre class="code" tabindex="0" role="group" aria-label="Code"><code class="hljs language-${escapeHtml(language)}">${html}</code></pre>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        let target = href;
        let cls = "";
        if (href.startsWith("res:")) {
          const found = ctx.resources.get(href.slice(4));
          target = found ? (found.slug === ctx.slug ? `#res-${href.slice(4)}` : `/lessons/${found.slug}#res-${href.slice(4)}`) : "#";
          cls = ' class="citation"';
        }
        const external = /^https?:/.test(target) ? ' rel="noopener noreferrer"' : "";
        const t = title ? ` title="${escapeHtml(title)}"` : "";
        return `<a href="${escapeHtml(target)}"${cls}${t}${external}>${inner}</a>`;
      },
      image({ href, title, text }: Tokens.Image) {
        const src = ctx.diagramBase + href.replace(/^(\.\/)?/, "").replace(/^diagrams\//, "").replace(/^overview-diagrams\//, "");
        const caption = title ? `<figcaption>${escapeHtml(title)}</figcaption>` : "";
        return `<figure class="diagram"><img src="${escapeHtml(src)}" alt="${escapeHtml(text)}" loading="lazy">${caption}</figure>`;
      },
    },
  });

  return {
    inline,
    render(body: string): RenderedPage {
      toc.length = 0;
      const html = marked.parse(body, { async: false }) as string;
      const segments: Segment[] = [];
      const parts = html.split(/(?:<p>)?\uE000widget:([a-z0-9-]+)\uE001(?:<\/p>)?/);
      parts.forEach((part, i) => {
        if (i % 2 === 1) segments.push({ type: "widget", name: part });
        else if (part.trim()) segments.push({ type: "html", html: part });
      });
      return { segments, toc: [...toc] };
    },
  };
}

/**
 * Markdown a learner wrote (their own cards), to HTML that cannot carry markup
 * of its own: raw HTML is shown as text, links go only to http(s) addresses,
 * images become their alt text, and there are no widgets or resource cards.
 * Math as on the site (KaTeX, `trust` off) or left for Anki's MathJax.
 */
export function renderUntrusted(md: string, math: MathOutput = "katex"): string {
  const marked = new Marked({ gfm: true });
  marked.use({
    extensions: mathExtensions(math),
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(text);
      },
      heading({ tokens }: Tokens.Heading) {
        return `<p><strong>${this.parser.parseInline(tokens)}</strong></p>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        const language = (lang ?? "").split(/\s/)[0] || "plaintext";
        const html = hljs.getLanguage(language) ? hljs.highlight(text, { language, ignoreIllegals: true }).value : escapeHtml(text);
        return `<pre class="code" tabindex="0"><code class="hljs">${html}</code></pre>\n`;
      },
      link({ href, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        return /^https?:\/\//i.test(href) ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${inner}</a>` : inner;
      },
      image({ text }: Tokens.Image) {
        return escapeHtml(text);
      },
    },
  });
  return marked.parse(md, { async: false }) as string;
}
