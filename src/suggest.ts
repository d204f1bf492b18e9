/** "Did you mean" for names a user typed: the nearest known name by edit distance, when near enough to be a typo. */
import leven from 'leven';

/**
 * Edit distance up to which a name counts as a typo of another: 2, or a third of its length for
 * long names. For dotted names (product ids, topics) the length of the last segment counts: the
 * shared prefix `acme.retail.orders._public.` must not make `order_cancelled` a typo of `order_placed`.
 */
function tolerance(word: string): number {
  return Math.max(2, Math.floor(word.slice(word.lastIndexOf('.') + 1).length / 3));
}

/**
 * The candidate nearest to `word` (case-insensitive; ties go to the first) when it is a likely typo;
 * failing that (unless `abbreviations` is false), a candidate the word abbreviates
 * (`topicConfig` -> `topicConfiguration`); else undefined.
 */
export function nearest(word: string, candidates: Iterable<string>, { abbreviations = true } = {}): string | undefined {
  const lower = word.toLowerCase();
  const list = [...candidates];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const d = leven(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best !== undefined && bestDistance > 0 && bestDistance <= tolerance(word)) return best;
  if (!abbreviations || lower.length < 4) return undefined;
  return list.find((candidate) => candidate.length > word.length && candidate.toLowerCase().startsWith(lower));
}

/** For messages that quote names: `"owners"`. */
export const quoted = (name: string): string => `"${name}"`;

/** ` (did you mean <nearest>?)`, or '' when nothing is near; `show` writes the name as the message does. */
export function didYouMean(word: string, candidates: Iterable<string>, show: (candidate: string) => string = (c) => c): string {
  const best = nearest(word, candidates);
  return best === undefined ? '' : ` (did you mean ${show(best)}?)`;
}
