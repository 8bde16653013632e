/**
 * Line-level reading of a lesson's Markdown: front matter, headings (with their
 * anchors), directives, links and images, each with its line number, so the
 * checker can point at the exact line. No rendering here.
 */
import { slugify } from "./slug";

export interface Located<T> {
  line: number;
  value: T;
}
export interface Heading {
  line: number;
  depth: number;
  text: string;
  anchor: string;
}
export interface LessonSource {
  frontMatter: string | null;
  frontMatterLine: number; // line of the first front-matter line
  body: string;
  bodyLine: number; // line of the first body line
  headings: Heading[];
  resources: Located<string>[];
  widgets: Located<string>[];
  links: Located<string>[];
  images: Located<{ alt: string; src: string }>[];
}

export const DIRECTIVE = /^::(resource|widget)\[([^\]]*)\]\s*$/;

export function readLessonSource(text: string): LessonSource {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let frontMatter: string | null = null;
  let start = 0;
  if (lines[0]?.trim() === "---") {
    const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
    if (end > 0) {
      frontMatter = lines.slice(1, end).join("\n");
      start = end + 1;
    }
  }
  const out: LessonSource = {
    frontMatter,
    frontMatterLine: 2,
    body: lines.slice(start).join("\n"),
    bodyLine: start + 1,
    headings: [],
    resources: [],
    widgets: [],
    links: [],
    images: [],
  };
  let fence: string | null = null;
  let inMath = false;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    const fenceMatch = /^\s*(```+|~~~+)/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1]!.slice(0, 3);
      else if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    if (fence !== null) continue;
    if (line.trim() === "$$") {
      inMath = !inMath;
      continue;
    }
    if (inMath) continue;
    const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      const text = heading[2]!;
      out.headings.push({ line: lineNo, depth: heading[1]!.length, text, anchor: slugify(text) });
    }
    const directive = DIRECTIVE.exec(line.trim());
    if (directive) {
      const list = directive[1] === "resource" ? out.resources : out.widgets;
      list.push({ line: lineNo, value: directive[2]!.trim() });
      continue;
    }
    const withoutCode = line.replace(/`[^`]*`/g, "");
    for (const m of withoutCode.matchAll(/(!?)\[([^\]]*)\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
      if (m[1] === "!") out.images.push({ line: lineNo, value: { alt: m[2]!.trim(), src: m[3]! } });
      else out.links.push({ line: lineNo, value: m[3]! });
    }
  }
  return out;
}
