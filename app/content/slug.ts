/**
 * Heading text to anchor: lowercase, accents and punctuation (including math
 * delimiters and underscores) dropped, spaces to single dashes.
 * "Scaled dot-product attention" -> "scaled-dot-product-attention".
 */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, "")
    .trim()
    .replace(/[\s-]+/g, "-")
    .replace(/^-|-$/g, "");
}
