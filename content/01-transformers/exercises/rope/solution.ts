// Reference solution: rotate each pair (x[2i], x[2i+1]) by the angle
// position * base^(-2i/d), the interleaved layout of the RoFormer paper.
function applyRope(x: number[], position: number, base: number): number[] {
  const d = x.length;
  const out = new Array(d).fill(0);
  for (let i = 0; 2 * i < d; i++) {
    const theta = position * Math.pow(base, (-2 * i) / d);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    const a = x[2 * i];
    const b = x[2 * i + 1];
    out[2 * i] = a * c - b * s;
    out[2 * i + 1] = a * s + b * c;
  }
  return out;
}
