import { fnv1a, mulberry32 } from "~/domain/random";

/** A small seeded generator (mulberry32): the same seed gives the same draws, on every machine. */
export const seededRandom = mulberry32;

/** A 32-bit seed from a string (FNV-1a), to seed by learner. */
export const seedOf = fnv1a;

/** Index drawn from weights that sum to 1 (the last index takes any rounding left). */
export function draw(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length - 1; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}
