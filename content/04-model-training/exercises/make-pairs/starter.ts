// Build every (input, target) training pair from a token stream.
//
// For each start position i = 0, 1, ..., tokens.length - blockSize - 1:
//   x = the blockSize tokens starting at i
//   y = the blockSize tokens starting at i + 1   (x shifted by one)
// and collect [x, y].
//
// Hints:
// - tokens.slice(a, b) returns the elements at indices a .. b - 1.
// - A stream of length N gives N - blockSize pairs; if N <= blockSize there are none.
function makePairs(tokens: number[], blockSize: number): number[][][] {
  const pairs: number[][][] = [];
  // TODO: loop over the start positions and push [x, y] for each one.
  return pairs;
}
