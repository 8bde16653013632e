function layerNorm(x: number[], gamma: number[], beta: number[], eps: number): number[] {
  // 1. mean = average of the values in x
  // 2. variance = average of (x[j] - mean)^2   (divide by x.length, not x.length - 1)
  // 3. normalised[j] = (x[j] - mean) / Math.sqrt(variance + eps)
  // 4. output[j] = gamma[j] * normalised[j] + beta[j]
  //
  // For now this only applies the scale and shift, skipping the normalisation.
  return x.map((v, j) => gamma[j] * v + beta[j]);
}
