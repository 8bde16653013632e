function countPairs(ids: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i + 1 < ids.length; i++) {
    const key = ids[i] + "," + ids[i + 1];
    counts[key] = (counts[key] || 0) + 1;
  }
  return counts;
}
