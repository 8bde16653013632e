// Reference: the stream plus the update, entry by entry, in a new matrix.
function residual(stream: number[][], update: number[][]): number[][] {
  return stream.map((row, i) => row.map((v, j) => v + update[i][j]));
}
