// Reference: look up each token's row, add the row of its position.
function embed(tokens: number[], tokenEmbedding: number[][], positionEmbedding: number[][]): number[][] {
  return tokens.map((token, i) => tokenEmbedding[token].map((v, j) => v + positionEmbedding[i][j]));
}
