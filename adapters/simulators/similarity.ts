/** String similarity for simulated verification verdicts (Dukcapil CALL_VERIFY_BY_ELEMEN). */

const normalise = (value: string) =>
  value
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, " ")
    .trim();

/** Levenshtein distance over two short strings, with two rolling rows. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

/**
 * 0–100: the better of normalised edit similarity and token overlap, so that "SITI NURHAYATI"
 * against "NURHAYATI SITI" scores high while "SITI" against "SRI" scores low.
 */
export function nameSimilarity(a: string, b: string): number {
  const x = normalise(a);
  const y = normalise(b);
  if (x === y) return 100;
  if (!x || !y) return 0;
  const edit = 1 - levenshtein(x, y) / Math.max(x.length, y.length);
  const tx = new Set(x.split(" "));
  const ty = new Set(y.split(" "));
  let shared = 0;
  for (const token of tx) if (ty.has(token)) shared++;
  const tokens = (2 * shared) / (tx.size + ty.size);
  return Math.round(Math.max(edit, tokens) * 100);
}
