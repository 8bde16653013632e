const PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+`;

function encodeChunk(bytes: number[], rank: Map<string, number>): number[] {
  let ids = bytes;
  for (;;) {
    let best = -1;
    let pair: number[] = [];
    for (let j = 0; j + 1 < ids.length; j++) {
      const r = rank.get(ids[j] + "," + ids[j + 1]);
      if (r !== undefined && (best === -1 || r < best)) {
        best = r;
        pair = [ids[j], ids[j + 1]];
      }
    }
    if (best === -1) return ids;
    const out: number[] = [];
    for (let j = 0; j < ids.length; j++) {
      if (j + 1 < ids.length && ids[j] === pair[0] && ids[j + 1] === pair[1]) {
        out.push(256 + best);
        j++;
      } else out.push(ids[j]);
    }
    ids = out;
  }
}

function regexEncode(text: string, merges: number[][]): number[] {
  const rank = new Map<string, number>();
  merges.forEach((m, i) => {
    if (!rank.has(m[0] + "," + m[1])) rank.set(m[0] + "," + m[1], i);
  });
  const ids: number[] = [];
  for (const chunk of text.match(new RegExp(PATTERN, "g")) ?? []) {
    ids.push(...encodeChunk(Array.from(new TextEncoder().encode(chunk)), rank));
  }
  return ids;
}
