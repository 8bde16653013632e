// Causal grouped-query attention (GQA).
//
// x: seqLen × dModel. wq, wo: dModel × dModel. wk, wv: dModel × (nKvHeads · headDim),
// where headDim = dModel / nHeads. Matrices are applied on the right: Q = x·wq, etc.
//
// Query head h uses columns h·headDim … (h+1)·headDim − 1 of Q.
// The nHeads query heads are split into nKvHeads groups of groupSize = nHeads / nKvHeads
// consecutive heads; every head of group g uses key/value head g, that is columns
// g·headDim … (g+1)·headDim − 1 of K and V. So head h reads kv head floor(h / groupSize).
//
// For each head and token i: scores (Q_i · K_j) / sqrt(headDim) for j ≤ i only,
// softmax (subtract the max first), weighted sum of V rows. Put head h's output in
// columns h·headDim … of a seqLen × dModel matrix and return it times wo.
function matMul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, col) => row.reduce((sum, v, k) => sum + v * b[k][col], 0)));
}

function groupedQueryAttention(
  x: number[][],
  wq: number[][],
  wk: number[][],
  wv: number[][],
  wo: number[][],
  nHeads: number,
  nKvHeads: number,
): number[][] {
  const dModel = wq[0].length;
  const headDim = dModel / nHeads;
  const q = matMul(x, wq);
  const k = matMul(x, wk);
  const v = matMul(x, wv);
  const concat: number[][] = x.map(() => new Array(dModel).fill(0));
  // TODO: for every head h, find its key/value head, then do causal attention.
  // Right now every head copies the value row of its own token (as if it only saw itself).
  for (let h = 0; h < nHeads; h++) {
    for (let i = 0; i < x.length; i++) {
      for (let c = 0; c < headDim; c++) concat[i][h * headDim + c] = v[i][c];
    }
  }
  return matMul(concat, wo);
}
