// Gradient of the cross-entropy loss of one position with respect to its logits.
//
//   p = softmax(logits)          (subtract the largest logit before Math.exp)
//   gradient[i] = p[i] - (i === target ? 1 : 0)
//
// Return a new array; leave logits unchanged.
function crossEntropyGradient(logits: number[], target: number): number[] {
  // TODO: compute the softmax, then subtract 1 at the target.
  return logits.map(() => 0);
}
