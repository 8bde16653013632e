function matMul(a: number[][], b: number[][]): number[][] {
  return a.map((row) =>
    b[0].map((_, col) => row.reduce((sum, v, k) => sum + v * b[k][col], 0)),
  );
}

function multiHeadCausalSelfAttention(
  x: number[][],
  wq: number[][],
  wk: number[][],
  wv: number[][],
  wo: number[][],
  nHeads: number,
): number[][] {
  const seqLen = x.length;
  const dModel = wq.length;
  const headDim = dModel / nHeads;
  const q = matMul(x, wq);
  const k = matMul(x, wk);
  const v = matMul(x, wv);

  // concat[i] collects the outputs of all heads for token i, head by head.
  const concat: number[][] = x.map(() => new Array(dModel).fill(0));
  for (let h = 0; h < nHeads; h++) {
    const start = h * headDim;
    for (let i = 0; i < seqLen; i++) {
      // Scores against tokens 0..i only: the causal mask drops j > i.
      const scores: number[] = [];
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let c = start; c < start + headDim; c++) dot += q[i][c] * k[j][c];
        scores.push(dot / Math.sqrt(headDim));
      }
      const maxScore = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - maxScore));
      const total = exps.reduce((a, b) => a + b, 0);
      for (let j = 0; j <= i; j++) {
        const weight = exps[j] / total;
        for (let c = start; c < start + headDim; c++) concat[i][c] += weight * v[j][c];
      }
    }
  }
  return matMul(concat, wo);
}
