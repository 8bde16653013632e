// Encode byte values into token ids by replaying a merge table.
// merges[i] = [a, b] means: the pair (a, b) becomes id 256 + i, with rank i.
function bpeEncode(bytes: number[], merges: number[][]): number[] {
  let ids = bytes.slice();
  // TODO 1: build a lookup from the key "a,b" to its rank i.
  // TODO 2: loop while ids has at least two elements:
  //   - find the adjacent pair with the lowest rank (skip pairs with no rule),
  //   - if there is none, stop,
  //   - otherwise replace all its occurrences with 256 + rank (left to right, no overlaps).
  return ids;
}
