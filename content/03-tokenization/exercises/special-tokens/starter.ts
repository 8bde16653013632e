// Find the special strings first (longest first where two start at the same place)
// and emit their ids; encode each stretch of ordinary text in between with BPE.
function encodeWithSpecial(text: string, merges: number[][], special: Record<string, number>): number[] {
  // TODO: handle the special strings. This treats everything as ordinary bytes.
  return Array.from(new TextEncoder().encode(text));
}
