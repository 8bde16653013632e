// Row i of the result: row tokens[i] of tokenEmbedding plus row i of positionEmbedding.
//
// Right now this only looks up the token rows: the model cannot tell the
// positions apart.
function embed(tokens: number[], tokenEmbedding: number[][], positionEmbedding: number[][]): number[][] {
  // TODO: add the position rows.
  return tokens.map((token) => [...tokenEmbedding[token]]);
}
