/**
 * Siblings: items from the same lesson section that test the same concept (a
 * shared tag). Remembering one primes the others, so, as Anki buries siblings:
 *  - a sibling of an item reviewed today is not shown again the same day
 *    (review and new items; learning steps are never held back);
 *  - two siblings are not introduced the same day while other new items are
 *    available to fill the day's new-item room.
 * Pure: `keysOf` gives an item's sibling keys, which two items share exactly
 * when they are siblings.
 */
export type SiblingKeys = (itemId: string) => readonly string[];

/** Sibling keys of an item from its lesson, section and concept tags. */
export function siblingKeys(topic: string, section: string, tags: readonly string[]): string[] {
  return tags.map((t) => `${topic}#${section}#${t}`);
}

/** Which keys another item reviewed today has claimed: key -> the items that claimed it. */
export function claimedKeys(touchedToday: Iterable<string>, keysOf: SiblingKeys): Map<string, Set<string>> {
  const claimed = new Map<string, Set<string>>();
  for (const id of touchedToday) {
    for (const k of keysOf(id)) {
      let set = claimed.get(k);
      if (!set) claimed.set(k, (set = new Set()));
      set.add(id);
    }
  }
  return claimed;
}

/** True when a sibling of `itemId` (another item) was reviewed today. */
export function isBuried(itemId: string, claimed: Map<string, Set<string>>, keysOf: SiblingKeys): boolean {
  for (const k of keysOf(itemId)) {
    const by = claimed.get(k);
    if (by && (by.size > 1 || !by.has(itemId))) return true;
  }
  return false;
}

/**
 * Today's new items: in course order, skipping an item whose sibling was
 * reviewed today or is already picked; skipped items fill the room left only
 * when nothing else is available (never a day with fewer new items than allowed).
 */
export function pickNew(candidates: readonly string[], room: number, claimed: Map<string, Set<string>>, keysOf: SiblingKeys): string[] {
  if (room <= 0) return [];
  const picked: string[] = [];
  const held: string[] = [];
  const taken = new Set<string>();
  for (const id of candidates) {
    if (picked.length >= room) break;
    const keys = keysOf(id);
    if (isBuried(id, claimed, keysOf) || keys.some((k) => taken.has(k))) {
      held.push(id);
      continue;
    }
    picked.push(id);
    for (const k of keys) taken.add(k);
  }
  for (const id of held) {
    if (picked.length >= room) break;
    picked.push(id);
  }
  // Course order, whichever pass picked them.
  const order = new Map(candidates.map((id, i) => [id, i]));
  return picked.sort((a, b) => order.get(a)! - order.get(b)!);
}
