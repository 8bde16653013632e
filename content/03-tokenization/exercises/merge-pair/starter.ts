// Replace every occurrence of pair[0] followed by pair[1] with newId.
// Scan left to right; occurrences do not overlap.
function mergePair(ids: number[], pair: number[], newId: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < ids.length) {
    // TODO: if there is a next element and (ids[i], ids[i + 1]) equals the pair,
    // push newId and skip both (i += 2). Otherwise push ids[i] and move on by one.
    out.push(ids[i]);
    i += 1;
  }
  return out;
}
