// Learning rate at a given step: linear warmup, cosine decay, then a floor.
//
// 1. step < warmupSteps:  maxLr * (step + 1) / (warmupSteps + 1)
// 2. step > maxSteps:     minLr
// 3. otherwise:           ratio = (step - warmupSteps) / (maxSteps - warmupSteps)
//                         coeff = 0.5 * (1 + cos(pi * ratio))
//                         minLr + coeff * (maxLr - minLr)
//
// Math.cos and Math.PI are available.
function learningRate(step: number, warmupSteps: number, maxSteps: number, maxLr: number, minLr: number): number {
  // TODO: a constant learning rate is the baseline; implement the three phases.
  return maxLr;
}
