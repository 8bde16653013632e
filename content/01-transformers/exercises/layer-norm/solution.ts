function layerNorm(x: number[], gamma: number[], beta: number[], eps: number): number[] {
  const d = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= d;
  let variance = 0;
  for (const v of x) variance += (v - mean) * (v - mean);
  variance /= d; // biased variance: divide by d, not d - 1
  const denom = Math.sqrt(variance + eps);
  return x.map((v, j) => gamma[j] * ((v - mean) / denom) + beta[j]);
}
