function causalMask(n: number): number[][] {
  // Build an n x n matrix (an array of n rows, each with n numbers).
  // Row i is the query position, column j the key position.
  // Entry [i][j] is 0 when j <= i (allowed: the token itself or earlier)
  // and -Infinity when j > i (blocked: a future token).
  //
  // This placeholder returns all zeros, which blocks nothing.
  const mask: number[][] = [];
  for (let i = 0; i < n; i++) {
    mask.push(new Array(n).fill(0));
  }
  return mask;
}
