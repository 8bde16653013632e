/**
 * Leeches: items the learner keeps forgetting. Anki's rule, on FSRS's lapse
 * count (a lapse is an Again on an item in the Review state): an item is a
 * leech once its lapses reach the threshold (a setting, default 8). Pure.
 */
export const DEFAULT_LEECH_THRESHOLD = 8;

export function isLeech(lapses: number, threshold: number = DEFAULT_LEECH_THRESHOLD): boolean {
  return threshold > 0 && lapses >= threshold;
}
