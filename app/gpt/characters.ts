/**
 * The tiny GPT's tokenizer: one token per character. The vocabulary is the sorted set of
 * characters in the training text, so token ids are stable for a given text.
 */
export interface CharVocab {
  chars: string[];
  index: Map<string, number>;
}

export function buildVocab(text: string): CharVocab {
  const chars = [...new Set(text)].sort();
  return vocabFromChars(chars);
}

export function vocabFromChars(chars: string[]): CharVocab {
  return { chars, index: new Map(chars.map((ch, i) => [ch, i])) };
}

/** Token ids of text; characters the model never saw are dropped (and counted). */
export function encode(text: string, vocab: CharVocab): { tokens: number[]; unknown: number } {
  const tokens: number[] = [];
  let unknown = 0;
  for (const ch of text) {
    const id = vocab.index.get(ch);
    if (id === undefined) unknown++;
    else tokens.push(id);
  }
  return { tokens, unknown };
}

export function decode(tokens: readonly number[], vocab: CharVocab): string {
  return tokens.map((t) => vocab.chars[t] ?? "").join("");
}
