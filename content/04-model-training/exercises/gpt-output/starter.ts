// x · wOut: entry [i][v] is row i of x dotted with column v of wOut.
//
// Right now this multiplies by row v of wOut instead of column v, which only
// works when wOut happens to be symmetric.
function outputProjection(x: number[][], wOut: number[][]): number[][] {
  // TODO: use column v of wOut.
  return x.map((row) => wOut[0].map((_, v) => row.reduce((sum, value, k) => sum + value * (wOut[v]?.[k] ?? 0), 0)));
}
