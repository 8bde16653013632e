// Sample one token index with temperature and top-k.
//
// Steps:
// 1. Divide every logit by the temperature.
// 2. Sort the token indices by scaled logit, largest first; break ties by
//    putting the lower index first. Keep the first k of them.
// 3. Softmax over the kept tokens only (subtract the largest kept logit first).
// 4. Walk the kept tokens in that order, adding up their probabilities, and
//    return the first index where the running total becomes greater than u.
//
// Right now this always returns the most likely token (greedy decoding),
// which is only correct when k = 1 or u is small.
function sampleTopK(logits: number[], temperature: number, k: number, u: number): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) {
    if (logits[i] > logits[best]) best = i;
  }
  // TODO: replace this with temperature, top-k, softmax and the walk with u.
  return best;
}
