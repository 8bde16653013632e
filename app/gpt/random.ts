/**
 * A seeded pseudo-random generator, so that training is the same on every run and machine.
 * Mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit state, a period of 2³², and good
 * enough statistics for initialising weights and picking training windows. Math.random cannot
 * be seeded, which is why it is never used here.
 */
import { mulberry32 } from "../domain/random";

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A draw from the standard normal distribution (Box–Muller). */
  normal(): number;
}

export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal() {
      // 1 - next() lies in (0, 1], so the logarithm is finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}
