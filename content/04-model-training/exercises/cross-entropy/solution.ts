// Reference solution: mean over rows of logsumexp(row) - row[target],
// with the row maximum subtracted before exponentiating.
function logSumExp(row: number[]): number {
  let m = -Infinity;
  for (const z of row) if (z > m) m = z;
  let s = 0;
  for (const z of row) s += Math.exp(z - m);
  return m + Math.log(s);
}

function crossEntropy(logits: number[][], targets: number[]): number {
  let total = 0;
  for (let r = 0; r < logits.length; r++) {
    total += logSumExp(logits[r]) - logits[r][targets[r]];
  }
  return total / logits.length;
}
