function attention(q: number[][], k: number[][], v: number[][], causal: boolean): number[][] {
  // q: nq rows of length dk   (one query per row)
  // k: nk rows of length dk   (one key per row)
  // v: nk rows of length dv   (one value per row, same order as the keys)
  // Return nq rows of length dv.
  //
  // For each query row i:
  // 1. score[j] = dot(q[i], k[j]) for every key j
  // 2. divide every score by Math.sqrt(dk)
  // 3. if causal is true, set score[j] = -Infinity for every j > i
  // 4. softmax the scores (subtract the row maximum before Math.exp)
  // 5. output row i = sum over j of weight[j] * v[j]
  //
  // This placeholder returns a zero matrix of the right shape so the tests can run.
  const dv = v[0].length;
  return q.map(() => new Array(dv).fill(0));
}
