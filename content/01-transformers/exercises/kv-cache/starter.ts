// One decoding step of single-head causal attention with a KV cache.
//
// keys, values: the cached key and value rows of the earlier tokens (may be empty).
// x: the new token's input row. wq, wk, wv: projection matrices, applied on the
// right (row vector times matrix): q = x·wq, k = x·wk, v = x·wv.
//
// 1. Project the new token only: q, k, v.
// 2. Append k to keys and v to values (return new arrays; do not change the inputs).
// 3. Score q against every cached key: (q · key) / sqrt(length of q).
// 4. Softmax the scores (subtract the largest first) and mix the cached values.
// Return [[output], newKeys, newValues].
function decodeStep(
  keys: number[][],
  values: number[][],
  x: number[],
  wq: number[][],
  wk: number[][],
  wv: number[][],
): number[][][] {
  const times = (row: number[], w: number[][]) =>
    w[0].map((_, col) => row.reduce((sum, a, r) => sum + a * w[r][col], 0));
  const k = times(x, wk);
  const v = times(x, wv);
  // TODO: this attends only to the new token and forgets the cache.
  return [[v], [k], [v]];
}
