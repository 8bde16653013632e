function bpeDecode(ids: number[], merges: number[][]): string {
  const vocab: number[][] = [];
  for (let b = 0; b < 256; b++) vocab.push([b]);
  for (const [a, b] of merges) vocab.push([...vocab[a], ...vocab[b]]);
  const bytes: number[] = [];
  for (const id of ids) bytes.push(...vocab[id]);
  return new TextDecoder().decode(new Uint8Array(bytes));
}
