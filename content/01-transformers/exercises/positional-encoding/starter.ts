function positionalEncoding(seqLen: number, dModel: number): number[][] {
  // Build one row per position (0 .. seqLen - 1), each with dModel numbers.
  //
  // For dimension j of position pos:
  //   - find the start of its pair: 2i = j rounded down to an even number
  //   - angle = pos / 10000^(2i / dModel)
  //   - even j gets Math.sin(angle), odd j gets Math.cos(angle)
  //
  // Right now every value is 0, which has the right shape but carries no
  // position information. Replace the 0 with the formula above.
  const pe: number[][] = [];
  for (let pos = 0; pos < seqLen; pos++) {
    const row: number[] = [];
    for (let j = 0; j < dModel; j++) {
      row.push(0);
    }
    pe.push(row);
  }
  return pe;
}
