/**
 * Byte-level helpers for the tokenizer playground: the bytes behind each token id, grouping of
 * tokens into runs that decode to whole characters, and a display form for partial characters.
 */

export interface RankSource {
  bpe_ranks: string;
  special_tokens: Record<string, number>;
}

/** Id → bytes for one vocabulary, built lazily from the same ranks string js-tiktoken reads. */
export class TokenBytes {
  private base64: string[] | null = null;
  private cache = new Map<number, Uint8Array>();
  private special = new Map<number, string>();

  constructor(private readonly ranks: RankSource) {
    for (const [text, id] of Object.entries(ranks.special_tokens)) this.special.set(id, text);
  }

  /** Each line is "<prefix> <offset> <base64> <base64> …"; the k-th base64 string has rank offset + k. */
  private table(): string[] {
    if (this.base64) return this.base64;
    const out: string[] = [];
    for (const line of this.ranks.bpe_ranks.split("\n")) {
      if (!line) continue;
      const parts = line.split(" ");
      const offset = Number.parseInt(parts[1] ?? "", 10);
      for (let k = 2; k < parts.length; k++) out[offset + k - 2] = parts[k]!;
    }
    this.base64 = out;
    return out;
  }

  bytes(id: number): Uint8Array {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const special = this.special.get(id);
    let bytes: Uint8Array;
    if (special !== undefined) bytes = new TextEncoder().encode(special);
    else {
      const b64 = this.table()[id];
      bytes = b64 === undefined ? new Uint8Array() : base64ToBytes(b64);
    }
    this.cache.set(id, bytes);
    return bytes;
  }
}

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");
}

/** A token's bytes split into whole characters and bytes that are only part of a character. */
export type Piece = { kind: "text"; text: string } | { kind: "bytes"; bytes: number[] };

/** Length of the UTF-8 sequence a lead byte starts, or 0 if it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Splits bytes into decodable characters and leftover bytes (never producing U+FFFD). */
export function pieces(bytes: Uint8Array): Piece[] {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const out: Piece[] = [];
  const push = (p: Piece) => {
    const prev = out[out.length - 1];
    if (prev && prev.kind === "text" && p.kind === "text") prev.text += p.text;
    else if (prev && prev.kind === "bytes" && p.kind === "bytes") prev.bytes.push(...p.bytes);
    else out.push(p);
  };
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes[i]!);
    if (n > 0 && i + n <= bytes.length) {
      try {
        push({ kind: "text", text: decoder.decode(bytes.subarray(i, i + n)) });
        i += n;
        continue;
      } catch {
        // not a valid sequence: fall through and show the lead byte as hex
      }
    }
    push({ kind: "bytes", bytes: [bytes[i]!] });
    i += 1;
  }
  return out;
}

export interface TokenView {
  id: number;
  /** Position in the token sequence. */
  index: number;
  bytes: Uint8Array;
  pieces: Piece[];
}

export interface TokenGroup {
  /** The text the group's bytes decode to: always whole characters when the input was text. */
  text: string;
  tokens: TokenView[];
}

/**
 * Groups consecutive tokens until their combined bytes decode as UTF-8 without error, so a
 * character split across tokens (an emoji in GPT-2, say) is shown as one joined group.
 */
export function groupTokens(ids: number[], vocab: TokenBytes): TokenGroup[] {
  const fatal = new TextDecoder("utf-8", { fatal: true });
  const groups: TokenGroup[] = [];
  let pending: TokenView[] = [];
  let length = 0;
  const combined = () => {
    const all = new Uint8Array(length);
    let at = 0;
    for (const t of pending) {
      all.set(t.bytes, at);
      at += t.bytes.length;
    }
    return all;
  };
  ids.forEach((id, index) => {
    const bytes = vocab.bytes(id);
    pending.push({ id, index, bytes, pieces: pieces(bytes) });
    length += bytes.length;
    try {
      const text = fatal.decode(combined());
      groups.push({ text, tokens: pending });
      pending = [];
      length = 0;
    } catch {
      // an incomplete character: keep adding tokens
    }
  });
  if (pending.length > 0) {
    // Only reachable for id sequences that are not valid UTF-8; shown with the pieces as they are.
    const text = pending
      .flatMap((t) => t.pieces)
      .map((p) => (p.kind === "text" ? p.text : `<${hex(p.bytes)}>`))
      .join("");
    groups.push({ text, tokens: pending });
  }
  return groups;
}
