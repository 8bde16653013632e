/**
 * Seeded pseudo-random numbers, the same on every run and machine (Math.random
 * cannot be seeded). Used by the attention demo's word vectors, the optimizer's
 * simulator and synthetic learners, and the tiny GPT's training and sampling.
 */

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit state, a period
 * of 2³², uniform floats in [0, 1); statistics good enough for simulations,
 * weight initialisation and sampling, not for secrets.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a over the UTF-16 code units of a string: a seed from a word or a learner's id. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
