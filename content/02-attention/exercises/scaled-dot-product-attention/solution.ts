function attention(q: number[][], k: number[][], v: number[][], causal: boolean): number[][] {
  const dk = k[0].length;
  const dv = v[0].length;
  const scale = 1 / Math.sqrt(dk);
  return q.map((qi, i) => {
    // 1-3. Scaled scores of query i against every key, with future keys masked.
    const scores = k.map((kj, j) => {
      if (causal && j > i) return -Infinity;
      let dot = 0;
      for (let m = 0; m < dk; m++) dot += qi[m] * kj[m];
      return dot * scale;
    });
    // 4. Numerically stable softmax over the row.
    let max = -Infinity;
    for (const s of scores) if (s > max) max = s;
    const exps = scores.map((s) => Math.exp(s - max));
    let sum = 0;
    for (const e of exps) sum += e;
    // 5. Weighted sum of the value rows.
    const out: number[] = new Array(dv).fill(0);
    for (let j = 0; j < v.length; j++) {
      const w = exps[j] / sum;
      if (w === 0) continue;
      for (let c = 0; c < dv; c++) out[c] += w * v[j][c];
    }
    return out;
  });
}
