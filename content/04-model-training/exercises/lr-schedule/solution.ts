// Reference solution: nanoGPT-style linear warmup, cosine decay, then a floor.
function learningRate(step: number, warmupSteps: number, maxSteps: number, maxLr: number, minLr: number): number {
  if (step < warmupSteps) {
    return (maxLr * (step + 1)) / (warmupSteps + 1);
  }
  if (step > maxSteps) {
    return minLr;
  }
  const ratio = (step - warmupSteps) / (maxSteps - warmupSteps);
  const coeff = 0.5 * (1 + Math.cos(Math.PI * ratio));
  return minLr + coeff * (maxLr - minLr);
}
