function bpeEncodeBytes(bytes: number[], rank: Map<string, number>): number[] {
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

function encodeWithSpecial(text: string, merges: number[][], special: Record<string, number>): number[] {
  const rank = new Map<string, number>();
  merges.forEach((m, i) => {
    if (!rank.has(m[0] + "," + m[1])) rank.set(m[0] + "," + m[1], i);
  });
  const names = Object.keys(special).sort((a, b) => b.length - a.length);
  const ids: number[] = [];
  let plain = "";
  const flush = () => {
    if (plain) ids.push(...bpeEncodeBytes(Array.from(new TextEncoder().encode(plain)), rank));
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const hit = names.find((name) => name.length > 0 && text.startsWith(name, i));
    if (hit !== undefined) {
      flush();
      ids.push(special[hit]);
      i += hit.length;
    } else {
      plain += text[i];
      i += 1;
    }
  }
  flush();
  return ids;
}
