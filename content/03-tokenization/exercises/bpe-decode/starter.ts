// Decode ids to text: build the byte string of every id (0..255 are single bytes,
// 256 + i is the bytes of merges[i][0] followed by those of merges[i][1]),
// concatenate, and decode as UTF-8.
function bpeDecode(ids: number[], merges: number[][]): string {
  // TODO: build the vocabulary from merges, then expand every id.
  return String.fromCharCode(...ids.filter((id) => id < 256));
}
