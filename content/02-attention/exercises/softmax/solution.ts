function softmax(logits: number[]): number[] {
  // Shift by the maximum so the largest exponent is e^0 = 1: nothing can overflow.
  let max = -Infinity;
  for (const x of logits) {
    if (x > max) max = x;
  }
  const exps = logits.map((x) => Math.exp(x - max));
  let sum = 0;
  for (const e of exps) sum += e;
  return exps.map((e) => e / sum);
}
