// Count how often each pair of adjacent ids occurs.
// Keys are "a,b" (for example "97,98"), values are counts.
function countPairs(ids: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  // TODO: walk over every position i that has a neighbour at i + 1,
  // build the key from ids[i] and ids[i + 1], and add 1 to its count
  // (a key seen for the first time starts from 0).
  return counts;
}
