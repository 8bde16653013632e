function cosineSimilarity(a: number[], b: number[]): number {
  let dot = 0;
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    sumA += a[i] * a[i];
    sumB += b[i] * b[i];
  }
  return dot / (Math.sqrt(sumA) * Math.sqrt(sumB));
}
