// Sample one token index with temperature and top-p (nucleus) sampling.
//
// 1. Divide every logit by the temperature and softmax over ALL tokens
//    (subtract the largest first).
// 2. Sort the token indices by probability, largest first; ties put the lower
//    index first.
// 3. Keep tokens in that order until their probabilities add up to at least p:
//    this is the nucleus, the smallest such set.
// 4. Renormalise: divide each kept probability by the kept total.
// 5. Walk the kept tokens in order, adding up the renormalised probabilities,
//    and return the first index where the running total becomes greater than u.
//
// Right now this samples from the whole distribution: it forgets step 3.
function sampleTopP(logits: number[], temperature: number, p: number, u: number): number {
  const scaled = logits.map((z) => z / temperature);
  const m = Math.max(...scaled);
  const weights = scaled.map((z) => Math.exp(z - m));
  const total = weights.reduce((s, w) => s + w, 0);
  const order = weights.map((_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
  let cumulative = 0;
  for (const i of order) {
    cumulative += weights[i] / total;
    if (cumulative > u) return i;
  }
  return order[order.length - 1];
}
