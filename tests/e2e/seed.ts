/** The syllabus (a copy of shared/seed) read the simple way: sections and the links under each. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface SeedSection {
  title: string;
  links: string[];
}

export function readSeed(): SeedSection[] {
  const text = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "seed.md"), "utf8");
  const sections: SeedSection[] = [];
  let current: SeedSection | null = null;
  for (const line of text.split("\n")) {
    const h3 = /^### (.+)$/.exec(line);
    const books = /^## :blue_book: Books/.test(line);
    if (h3 || books) {
      current = { title: h3 ? h3[1]!.trim() : "Books", links: [] };
      sections.push(current);
      continue;
    }
    if (!current) continue;
    for (const m of line.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)) {
      if (/\.(png|jpg)$/.test(m[1]!)) continue;
      if (!current.links.includes(m[1]!)) current.links.push(m[1]!);
    }
  }
  return sections;
}
