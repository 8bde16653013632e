const PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+`;

// Split the text into chunks with PATTERN, encode each chunk's UTF-8 bytes with
// the merges (lowest rank first, as in bpeEncode), and concatenate the ids.
function regexEncode(text: string, merges: number[][]): number[] {
  // TODO: split first. This encodes the whole text at once, so merges cross chunks.
  return Array.from(new TextEncoder().encode(text));
}
