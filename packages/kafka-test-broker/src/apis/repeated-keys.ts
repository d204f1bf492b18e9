/** The keys a request names more than once: Kafka refuses every entry with such a key, the first one too. */
export function repeatedKeys<T>(entries: readonly T[], keyOf: (entry: T) => string): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
  }
  return repeated;
}
