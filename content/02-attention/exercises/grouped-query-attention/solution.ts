// Reference solution: causal grouped-query attention. Query head h reads the
// key/value head floor(h / groupSize), where groupSize = nHeads / nKvHeads.
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
  const groupSize = nHeads / nKvHeads;
  const q = matMul(x, wq);
  const k = matMul(x, wk);
  const v = matMul(x, wv);
  const concat: number[][] = x.map(() => new Array(dModel).fill(0));
  for (let h = 0; h < nHeads; h++) {
    const qStart = h * headDim;
    const kvStart = Math.floor(h / groupSize) * headDim;
    for (let i = 0; i < x.length; i++) {
      const scores: number[] = [];
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let c = 0; c < headDim; c++) dot += q[i][qStart + c] * k[j][kvStart + c];
        scores.push(dot / Math.sqrt(headDim));
      }
      const m = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - m));
      const total = exps.reduce((a, b) => a + b, 0);
      for (let j = 0; j <= i; j++) {
        for (let c = 0; c < headDim; c++) concat[i][qStart + c] += (exps[j] / total) * v[j][kvStart + c];
      }
    }
  }
  return matMul(concat, wo);
}
