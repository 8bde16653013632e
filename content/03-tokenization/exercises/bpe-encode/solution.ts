function mergePair(ids: number[], pair: number[], newId: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < ids.length) {
    if (i + 1 < ids.length && ids[i] === pair[0] && ids[i + 1] === pair[1]) {
      out.push(newId);
      i += 2;
    } else {
      out.push(ids[i]);
      i += 1;
    }
  }
  return out;
}

function bpeEncode(bytes: number[], merges: number[][]): number[] {
  const rank: Record<string, number> = {};
  for (let i = 0; i < merges.length; i++) {
    const key = merges[i][0] + "," + merges[i][1];
    if (!(key in rank)) rank[key] = i;
  }
  let ids = bytes.slice();
  while (ids.length >= 2) {
    let best = -1;
    for (let j = 0; j + 1 < ids.length; j++) {
      const r = rank[ids[j] + "," + ids[j + 1]];
      if (r !== undefined && (best === -1 || r < best)) best = r;
    }
    if (best === -1) break;
    ids = mergePair(ids, merges[best], 256 + best);
  }
  return ids;
}
