function causalMask(n: number): number[][] {
  const mask: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(j <= i ? 0 : -Infinity);
    mask.push(row);
  }
  return mask;
}
