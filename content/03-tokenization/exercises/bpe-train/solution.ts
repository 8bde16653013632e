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

function trainBpe(text: string, numMerges: number): number[][] {
  let ids = Array.from(new TextEncoder().encode(text));
  const merges: number[][] = [];
  for (let step = 0; step < numMerges && ids.length >= 2; step++) {
    // A Map keeps insertion order, so the first pair with the top count is the one seen first.
    const counts = new Map<string, number>();
    for (let j = 0; j + 1 < ids.length; j++) {
      const key = ids[j] + "," + ids[j + 1];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let bestKey = "";
    let bestCount = 0;
    for (const [key, count] of counts) {
      if (count > bestCount) {
        bestKey = key;
        bestCount = count;
      }
    }
    const pair = bestKey.split(",").map(Number);
    ids = mergePair(ids, pair, 256 + step);
    merges.push(pair);
  }
  return merges;
}
