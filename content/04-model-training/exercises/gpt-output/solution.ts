// Reference: one dot product per position and vocabulary entry.
function outputProjection(x: number[][], wOut: number[][]): number[][] {
  return x.map((row) => wOut[0].map((_, v) => row.reduce((sum, value, k) => sum + value * wOut[k][v], 0)));
}
