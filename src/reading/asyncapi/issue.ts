/** A problem the AsyncAPI rules find, addressed by its JSON path in the document. */
export interface AsyncApiIssue {
  /** The parser's rule name (`asyncapi-document-resolved`, `asyncapi2-channel-parameters`, ...). */
  code: string;
  message: string;
  path: ReadonlyArray<string | number>;
  /** The problem is the key at the end of `path` itself (an unknown key), not its value. */
  key?: boolean;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectEntries(value: unknown): Array<[string, unknown]> {
  return isObject(value) ? Object.entries(value) : [];
}

/** `{a}/{b}` -> `['a', 'b']`, the parser's `parseUrlVariables`. */
export function urlVariables(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return (text.match(/{(.+?)}/g) ?? []).map((v) => v.slice(1, -1));
}

/** The parser's `getMissingProps`: an empty object means every variable is missing. */
export function missingProps(names: string[], obj: Json): string[] {
  if (Object.keys(obj).length === 0) return names;
  return names.filter((n) => !Object.prototype.hasOwnProperty.call(obj, n));
}

/** The parser's `getRedundantProps`. */
export function redundantProps(names: string[], obj: Json): string[] {
  if (names.length === 0) return Object.keys(obj);
  return Object.keys(obj).filter((k) => !names.includes(k));
}
