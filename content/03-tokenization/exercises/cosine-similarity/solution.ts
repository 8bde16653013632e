// Reference solution: scale each vector by its largest absolute component
// (cosine is unchanged by positive scaling) so that squares neither overflow
// nor underflow, then dot product over the product of the norms.
function cosineSimilarity(a: number[], b: number[]): number {
  const largest = (v: number[]) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const sa = largest(a);
  const sb = largest(b);
  let dot = 0;
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] / sa;
    const y = b[i] / sb;
    dot += x * y;
    sumA += x * x;
    sumB += y * y;
  }
  return dot / (Math.sqrt(sumA) * Math.sqrt(sumB));
}
