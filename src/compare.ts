/** By UTF-16 code unit, not locale: plans, diffs and exports must come out in the same order on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
