// Mean cross-entropy loss from raw logits.
//
// For each row r:
//   loss_r = log(sum_j exp(logits[r][j])) - logits[r][targets[r]]
// and the answer is the mean of loss_r over all rows.
//
// Compute log(sum exp(...)) stably: find the row maximum m first and use
//   m + log(sum_j exp(logits[r][j] - m))
// so that logits around 1000 do not overflow to Infinity.
function crossEntropy(logits: number[][], targets: number[]): number {
  // TODO: loop over the rows, add up each row's loss, divide by the number of rows.
  return 0;
}
