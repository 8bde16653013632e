// Reference solution: the softmax of the logits (largest logit subtracted first),
// minus 1 at the target: p - y.
function crossEntropyGradient(logits: number[], target: number): number[] {
  const m = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - m));
  const total = exps.reduce((s, e) => s + e, 0);
  return exps.map((e, i) => e / total - (i === target ? 1 : 0));
}
