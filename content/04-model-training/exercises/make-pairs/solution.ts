// Reference solution: slide a window of length blockSize over the stream.
// The target window is the input window shifted one position to the right.
function makePairs(tokens: number[], blockSize: number): number[][][] {
  const pairs: number[][][] = [];
  for (let i = 0; i + blockSize < tokens.length; i++) {
    const x = tokens.slice(i, i + blockSize);
    const y = tokens.slice(i + 1, i + blockSize + 1);
    pairs.push([x, y]);
  }
  return pairs;
}
