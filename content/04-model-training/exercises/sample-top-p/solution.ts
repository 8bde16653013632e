// Reference solution: temperature, softmax over all tokens, keep the smallest
// set of most likely tokens whose probabilities add up to at least p (ties:
// lower index first), renormalise, then inverse-CDF sampling with u.
function sampleTopP(logits: number[], temperature: number, p: number, u: number): number {
  const scaled = logits.map((z) => z / temperature);
  const m = Math.max(...scaled);
  const weights = scaled.map((z) => Math.exp(z - m));
  const total = weights.reduce((s, w) => s + w, 0);
  const probs = weights.map((w) => w / total);
  const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  const kept: number[] = [];
  let mass = 0;
  for (const i of order) {
    kept.push(i);
    mass += probs[i];
    if (mass >= p) break;
  }
  let cumulative = 0;
  for (const i of kept) {
    cumulative += probs[i] / mass;
    if (cumulative > u) return i;
  }
  return kept[kept.length - 1];
}
