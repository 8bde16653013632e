function multiHeadCausalSelfAttention(
  x: number[][],
  wq: number[][],
  wk: number[][],
  wv: number[][],
  wo: number[][],
  nHeads: number,
): number[][] {
  // x is seqLen x dModel (one row per token); every weight matrix is dModel x dModel.
  //
  // Suggested steps:
  //   1. Q = x · wq, K = x · wk, V = x · wv        (each seqLen x dModel)
  //   2. headDim = dModel / nHeads. Head h owns columns h*headDim .. (h+1)*headDim - 1.
  //   3. For each head and each token i:
  //        score[j] = (Q[i] · K[j]) / sqrt(headDim), using only that head's columns,
  //                   for j = 0 .. i  (causal mask: later tokens are left out)
  //        weights = softmax(scores)  (subtract the max score first for stability)
  //        head output for token i = sum over j of weights[j] * V[j] (head's columns)
  //   4. Put each head's output into its own columns of a seqLen x dModel matrix.
  //   5. Return that matrix multiplied by wo.
  //
  // For now this returns zeros of the right shape.
  const dModel = wq.length;
  return x.map(() => new Array(dModel).fill(0));
}
