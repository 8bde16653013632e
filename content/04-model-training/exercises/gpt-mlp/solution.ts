// Reference: widen, GELU (tanh form), narrow.
function gelu(v: number): number {
  return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
}

function linearRows(x: number[][], w: number[][], b: number[]): number[][] {
  return x.map((row) => b.map((bias, o) => row.reduce((sum, v, k) => sum + v * w[k][o], bias)));
}

function mlp(x: number[][], wFc: number[][], bFc: number[], wProj: number[][], bProj: number[]): number[][] {
  const hidden = linearRows(x, wFc, bFc).map((row) => row.map(gelu));
  return linearRows(hidden, wProj, bProj);
}
