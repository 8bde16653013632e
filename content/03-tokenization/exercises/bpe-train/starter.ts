// Train BPE: repeat numMerges times (or until fewer than 2 ids are left):
// count adjacent pairs, take the most frequent (ties: the pair seen first),
// replace it by 256 + step, and record it in the merge table.
function trainBpe(text: string, numMerges: number): number[][] {
  const ids = Array.from(new TextEncoder().encode(text));
  const merges: number[][] = [];
  // TODO: the training loop.
  return merges;
}
