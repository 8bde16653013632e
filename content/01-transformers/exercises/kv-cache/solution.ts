// Reference solution: one decoding step of single-head attention with a KV cache.
// Project only the new token, append its key and value to the cache, and let its
// query attend over every cached position (all of them are in its past).
function rowTimes(x: number[], w: number[][]): number[] {
  return w[0].map((_, col) => x.reduce((sum, v, k) => sum + v * w[k][col], 0));
}

function decodeStep(
  keys: number[][],
  values: number[][],
  x: number[],
  wq: number[][],
  wk: number[][],
  wv: number[][],
): number[][][] {
  const q = rowTimes(x, wq);
  const newKeys = [...keys.map((r) => r.slice()), rowTimes(x, wk)];
  const newValues = [...values.map((r) => r.slice()), rowTimes(x, wv)];
  const scale = Math.sqrt(q.length);
  const scores = newKeys.map((k) => k.reduce((s, kc, c) => s + kc * q[c], 0) / scale);
  const m = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - m));
  const total = exps.reduce((a, b) => a + b, 0);
  const out = new Array(newValues[0].length).fill(0);
  newValues.forEach((v, j) => v.forEach((vc, c) => (out[c] += (exps[j] / total) * vc)));
  return [[out], newKeys, newValues];
}
