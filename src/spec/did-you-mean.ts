/** Near-miss suggestions for unknown keys (`retention.msec` -> `retention.ms`), by edit distance. */
import leven from 'leven';

/**
 * The known word closest to `word`, if it is close enough to be a likely typo: at most a third of
 * the word's length away (at least 2 edits), case-insensitively, ties to the first candidate.
 * Failing that, a candidate the word abbreviates (`topicConfig` -> `topicConfiguration`).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = leven(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3))) return best;
  if (lower.length < 4) return undefined;
  for (const candidate of candidates) if (candidate.toLowerCase().startsWith(lower)) return candidate;
  return undefined;
}

/** ` (did you mean "x"?)`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = closest(word, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
