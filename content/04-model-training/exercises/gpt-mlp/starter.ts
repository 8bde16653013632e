// y = gelu(x · wFc + bFc) · wProj + bProj, row by row.
//
// Right now this uses ReLU (max(0, v)) instead of GELU: close, but not what
// GPT-2 computes, so the numbers differ.
function linearRows(x: number[][], w: number[][], b: number[]): number[][] {
  return x.map((row) => b.map((bias, o) => row.reduce((sum, v, k) => sum + v * w[k][o], bias)));
}

function mlp(x: number[][], wFc: number[][], bFc: number[], wProj: number[][], bProj: number[]): number[][] {
  // TODO: replace the ReLU with GELU in its tanh form.
  const hidden = linearRows(x, wFc, bFc).map((row) => row.map((v) => Math.max(0, v)));
  return linearRows(hidden, wProj, bProj);
}
