// Reference solution: temperature, top-k (ties: lower index first),
// softmax over the kept tokens, then inverse-CDF sampling with u.
function sampleTopK(logits: number[], temperature: number, k: number, u: number): number {
  const scaled = logits.map((z) => z / temperature);
  const order = scaled.map((_, i) => i);
  order.sort((a, b) => (scaled[b] - scaled[a]) || (a - b));
  const kept = order.slice(0, Math.max(1, Math.min(k, order.length)));
  const m = scaled[kept[0]];
  const weights = kept.map((i) => Math.exp(scaled[i] - m));
  const total = weights.reduce((s, w) => s + w, 0);
  let cumulative = 0;
  for (let j = 0; j < kept.length; j++) {
    cumulative += weights[j] / total;
    if (cumulative > u) return kept[j];
  }
  return kept[kept.length - 1];
}
