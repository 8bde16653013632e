function positionalEncoding(seqLen: number, dModel: number): number[][] {
  const pe: number[][] = [];
  for (let pos = 0; pos < seqLen; pos++) {
    const row: number[] = [];
    for (let j = 0; j < dModel; j++) {
      // Dimensions 2i and 2i + 1 share the frequency 1 / 10000^(2i / dModel).
      const pairStart = j - (j % 2);
      const angle = pos / Math.pow(10000, pairStart / dModel);
      row.push(j % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
    }
    pe.push(row);
  }
  return pe;
}
