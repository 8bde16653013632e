/**
 * Reading notes from a file in Anki's text-import format (pure). What the
 * format says, from Anki's manual ("Importing: Text files"): optional header
 * lines at the top, each "#key:value": `separator` (Tab, Comma, Semicolon,
 * Space, Pipe, Colon, or the character itself), `html` (true: fields are
 * HTML), `tags` (tags for every note), `columns` (the column names, split by
 * the separator), `deck`, `notetype`, and `<name> column` (1-based) for the
 * guid, deck, notetype and tags columns. Fields may be quoted with double
 * quotes ("" inside a quoted field is one quote; a quoted field may span
 * lines). Without a separator header Anki guesses one; so do we (tab, then
 * semicolon, then comma, from the first data line).
 */

export interface CsvCard {
  line: number; // 1-based line of the file where the row starts
  front: string;
  back: string;
  deck: string | null;
  tags: string[];
  guid: string | null;
}

export type CsvParse = { ok: true; cards: CsvCard[]; html: boolean } | { ok: false; error: string };

const SEPARATORS: Record<string, string> = { tab: "\t", comma: ",", semicolon: ";", space: " ", pipe: "|", colon: ":" };

/** Decodes bytes as UTF-8 (a BOM is dropped), or says why it cannot. */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, error: "This file is in UTF-16; save it as UTF-8 (Anki's own exports are) and import it again. Nothing was imported." };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { ok: true, text: text.startsWith("\uFEFF") ? text.slice(1) : text };
  } catch {
    return { ok: false, error: "This file is not valid UTF-8 text; save it as UTF-8 and import it again. Nothing was imported." };
  }
}

/** Splits text into rows of fields, honouring quotes; each row keeps the line it starts on. */
function splitRows(text: string, sep: string, startLine: number): { line: number; fields: string[] }[] | { error: string } {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let atFieldStart = true;
  let line = startLine;
  let rowLine = startLine;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      continue;
    }
    if (c === sep) {
      fields.push(field);
      field = "";
      atFieldStart = true;
      continue;
    }
    if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.length > 1 || fields[0]!.trim() !== "") rows.push({ line: rowLine, fields });
      fields = [];
      field = "";
      atFieldStart = true;
      line++;
      rowLine = line;
      continue;
    }
    field += c;
    atFieldStart = false;
  }
  if (quoted) return { error: `A quoted field that starts on line ${rowLine} is never closed (the file may be cut short). Nothing was imported.` };
  fields.push(field);
  if (fields.length > 1 || fields[0]!.trim() !== "") rows.push({ line: rowLine, fields });
  return rows;
}

export function parseAnkiText(text: string): CsvParse {
  const lines = text.split(/\r\n|\n|\r/);
  const headers = new Map<string, string>();
  let n = 0;
  while (n < lines.length && lines[n]!.startsWith("#")) {
    const m = /^#([^:]+):(.*)$/.exec(lines[n]!);
    if (m) headers.set(m[1]!.trim().toLowerCase(), m[2]!);
    n++;
  }
  const body = lines.slice(n).join("\n");
  const rawSep = headers.get("separator");
  let sep: string;
  if (rawSep !== undefined) {
    const named = SEPARATORS[rawSep.trim().toLowerCase()];
    if (named) sep = named;
    else if (rawSep.length === 1) sep = rawSep;
    else return { ok: false, error: `The separator "${rawSep}" is not one Anki knows (Tab, Comma, Semicolon, Space, Pipe or Colon). Nothing was imported.` };
  } else {
    const first = lines.slice(n).find((l) => l.trim() !== "") ?? "";
    sep = first.includes("\t") ? "\t" : first.includes(";") ? ";" : ",";
  }
  const html = (headers.get("html") ?? "false").trim().toLowerCase() === "true";
  const rows = splitRows(body, sep, n + 1);
  if ("error" in rows) return { ok: false, error: rows.error };
  if (rows.length === 0) return { ok: false, error: "This file has no cards in it (only headers or blank lines). Nothing was imported." };

  const columnIndex = (key: string): number | null => {
    const v = headers.get(`${key} column`);
    if (v === undefined) return null;
    const i = Number(v.trim());
    return Number.isInteger(i) && i >= 1 ? i - 1 : -1;
  };
  const names = headers.get("columns")?.split(sep).map((s) => s.trim().toLowerCase()) ?? null;
  let front = 0;
  let back = 1;
  let tagsCol = columnIndex("tags");
  let deckCol = columnIndex("deck");
  let guidCol = columnIndex("guid");
  for (const [key, i] of [["tags", tagsCol], ["deck", deckCol], ["guid", guidCol]] as const) {
    if (i === -1) return { ok: false, error: `The "#${key} column" header is not a column number. Nothing was imported.` };
  }
  if (names) {
    front = names.indexOf("front");
    back = names.indexOf("back");
    const missing = [front < 0 ? "Front" : null, back < 0 ? "Back" : null].filter(Boolean);
    if (missing.length) {
      return { ok: false, error: `The #columns header names no ${missing.join(" or ")} column (it has: ${names.join(", ")}). Each card needs a front and a back. Nothing was imported.` };
    }
    tagsCol ??= names.indexOf("tags") >= 0 ? names.indexOf("tags") : null;
    deckCol ??= names.indexOf("deck") >= 0 ? names.indexOf("deck") : null;
    guidCol ??= names.indexOf("guid") >= 0 ? names.indexOf("guid") : null;
  } else {
    // Without names, the front and back are the first two columns that are not the guid, deck or tags.
    const taken = new Set([tagsCol, deckCol, guidCol].filter((i): i is number => i !== null));
    const free = [0, 1, 2, 3, 4, 5].filter((i) => !taken.has(i));
    front = free[0]!;
    back = free[1]!;
  }
  const need = Math.max(front, back) + 1;
  const everyTag = (headers.get("tags") ?? "").split(/\s+/).filter(Boolean);
  const cards: CsvCard[] = [];
  for (const r of rows) {
    if (r.fields.length < need) {
      return {
        ok: false,
        error: `Line ${r.line} has ${r.fields.length} column${r.fields.length === 1 ? "" : "s"}, but each card needs a front and a back (column ${front + 1} and ${back + 1}, split by ${sepName(sep)}). Nothing was imported.`,
      };
    }
    const at = (i: number | null) => (i === null ? null : (r.fields[i] ?? null));
    cards.push({
      line: r.line,
      front: r.fields[front]!,
      back: r.fields[back]!,
      deck: at(deckCol)?.trim() || headers.get("deck")?.trim() || null,
      tags: [...everyTag, ...(at(tagsCol) ?? "").split(/\s+/).filter(Boolean)],
      guid: at(guidCol)?.trim() || null,
    });
  }
  return { ok: true, cards, html };
}

function sepName(sep: string): string {
  return sep === "\t" ? "tabs" : sep === "," ? "commas" : sep === ";" ? "semicolons" : `"${sep}"`;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: " " };

/**
 * An HTML field (as Anki exports it, `#html:true`) to the Markdown our cards
 * hold: line breaks kept, tags dropped, entities decoded, MathJax delimiters
 * back to dollars. Code blocks become fenced code.
 */
export function htmlFieldToMarkdown(html: string): string {
  return html
    .replace(/<pre[^>]*>\s*<code[^>]*>([\s\S]*?)<\/code>\s*<\/pre>/gi, (_, code: string) => `\n\`\`\`\n${code.replace(/<[^>]+>/g, "")}\n\`\`\`\n`)
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h[1-6])>/gi, "\n")
    .replace(/<code[^>]*>([\s\S]*?)<\/code>/gi, (_, c: string) => `\`${c.replace(/<[^>]+>/g, "")}\``)
    .replace(/<[^>]+>/g, "")
    .replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e.toLowerCase()] ?? (e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1).replace(/^x/i, "0x")) || 32) : m))
    .replace(/\\\[([\s\S]*?)\\\]/g, (_, m: string) => `\n$$\n${m.trim()}\n$$\n`)
    .replace(/\\\(([\s\S]*?)\\\)/g, (_, m: string) => `$${m.trim()}$`)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
