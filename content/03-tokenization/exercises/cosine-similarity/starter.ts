// Cosine similarity: dot(a, b) / (|a| * |b|).
function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  // TODO: also accumulate the sums of squares of a and of b in the same loop.
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
  }
  // TODO: divide by the product of the two lengths (square roots of the sums of squares).
  return dot;
}
