// Rotary position embedding (RoPE) of one query or key vector.
//
// x has an even length d. Split it into pairs (x[0], x[1]), (x[2], x[3]), ...
// Pair i (made of x[2i] and x[2i+1]) is rotated by the angle
//   theta_i = position * base ** (-2 * i / d)
// like a point in the plane:
//   out[2i]     = x[2i] * cos(theta_i) - x[2i+1] * sin(theta_i)
//   out[2i + 1] = x[2i] * sin(theta_i) + x[2i+1] * cos(theta_i)
//
// Math.cos, Math.sin and Math.pow are available.
function applyRope(x: number[], position: number, base: number): number[] {
  // TODO: rotate every pair. Returning x unchanged is only right at position 0.
  return x.slice();
}
