/** A write cap: at most `max` writes per fixed window of `windowMs`. */
export interface Cap {
  max: number;
  windowMs: number;
}

/**
 * "600/60,10000/86400" = 600 per minute and 10,000 per day. Null when the text
 * is missing or not of that form (every count and window a positive integer).
 */
export function parseCaps(text: string | undefined): Cap[] | null {
  if (!text) return null;
  const caps: Cap[] = [];
  for (const part of text.split(",")) {
    const m = /^\s*([1-9]\d{0,8})\/([1-9]\d{0,8})\s*$/.exec(part);
    if (!m) return null;
    caps.push({ max: Number(m[1]), windowMs: Number(m[2]) * 1000 });
  }
  return caps;
}
