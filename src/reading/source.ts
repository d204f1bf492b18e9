/**
 * A spec file read once: its text, its plain value and the syntax tree that maps a JSON path
 * back to a line and column. Parsed with @stoplight/yaml and the options @asyncapi/parser's
 * Spectral uses, so YAML and JSON are read exactly as the parser reads them (duplicate keys are
 * errors, `<<` merge keys apply) at a fraction of the `yaml` package's cost.
 */
import { getLocationForJsonPath, parseWithPointers } from '@stoplight/yaml';
import { type Diagnostic, type SourceLocation, error } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';

export type JsonPath = ReadonlyArray<string | number>;

type Parsed = ReturnType<typeof parseWithPointers<unknown>>;

export interface SpecSource {
  /** Absolute path. */
  path: string;
  /** As shown in diagnostics: relative to the working directory. */
  display: string;
  text: string;
  parsed: Parsed;
  /** Plain value of the document; undefined when it has syntax errors. */
  value: unknown;
  syntaxErrors: Diagnostic[];
}

export function parseSource(path: string, display: string, text: string): SpecSource {
  const parsed = parseWithPointers<unknown>(text, {
    ignoreDuplicateKeys: false,
    mergeKeys: true,
    // Spectral keeps integer-like keys in written order; no AsyncAPI verdict depends on it and it is costly.
    preserveKeyOrder: false,
    attachComments: false,
  });
  const syntaxErrors = firstSyntaxError(parsed, text, display);
  return { path, display, text, parsed, value: syntaxErrors.length === 0 ? parsed.data : undefined, syntaxErrors };
}

/**
 * One diagnostic for a file's syntax: the first mistake. The parser recovers and reports what
 * follows from it too (a mis-indented key gives four errors, some at columns past the end of the
 * line), so only the first is kept, placed inside its line and explained for the common cases.
 */
function firstSyntaxError(parsed: Parsed, text: string, display: string): Diagnostic[] {
  const first = parsed.diagnostics
    .filter((d) => d.severity === 0)
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)[0];
  if (!first) return [];
  // A tab in the indentation is only a warning to the parser, but it is the mistake behind the error.
  // (JSON may indent with tabs.)
  const json = isJsonText(display, text);
  const tab = json ? undefined : parsed.diagnostics.find((d) => /tabs/i.test(d.message) && d.range.start.line <= first.range.start.line);
  if (tab) {
    return [error(CODES.syntax, 'YAML syntax: a tab in the indentation; YAML indents with spaces only', { file: display, line: tab.range.start.line + 1, col: tab.range.start.character + 1 })];
  }
  const line = first.range.start.line + 1;
  const written = text.split(/\r?\n/)[line - 1] ?? '';
  let col = Math.min(first.range.start.character + 1, Math.max(written.trimEnd().length, 1));
  let message = first.message;
  if (/^bad indentation/.test(message)) {
    // The mistake is the indentation of this line: point at its first character.
    col = written.length - written.trimStart().length + 1;
    message += ': align this key with the keys above it in the same block';
  } else if (json && JSON_WORDS[message]) {
    message = JSON_WORDS[message];
  } else if (/a key node is missed|multiline key may not be an implicit key/.test(message)) {
    message += ' (a value that contains ": " must be quoted)';
  }
  return [error(CODES.syntax, `${json ? 'JSON' : 'YAML'} syntax: ${message}`, { file: display, line, col })];
}

/** A `.json` or `.avsc` file, or any text that opens as JSON does (a schema file named otherwise). */
function isJsonText(display: string, text: string): boolean {
  return /\.(json|avsc)$/i.test(display) || /^\s*[[{]/.test(text);
}

/** The YAML parser's words for JSON mistakes, said in JSON's terms. */
const JSON_WORDS: Record<string, string> = {
  'missed comma between flow collection entries': 'a comma is missing before this entry',
  'unexpected end of the stream within a flow collection': 'the file ends inside an object or list: a closing } or ] is missing',
  'invalid mixed usage of block and flow styles': 'a closing } or ] is missing before this line',
};

/**
 * Position of the node at `path`, or of its deepest existing ancestor (e.g. the object missing a
 * field). With `key`, or when the node is a block (an operation, a channel), the position of
 * its key: the line that names it.
 */
export function locate(source: SpecSource, path: JsonPath, options?: { key?: boolean }): SourceLocation {
  const steps = path.map(String);
  const found = getLocationForJsonPath(source.parsed, steps, true);
  let start = found?.range.start ?? { line: 0, character: 0 };
  // The document itself: where its first node is written, past leading comments.
  const root = source.parsed.ast as AstNode | undefined;
  if (steps.length === 0 && root) start = positionOf(source, root.startPosition);
  if (steps.length > 0) {
    const value = valueAt(source.value, steps);
    if (options?.key || (value !== null && typeof value === 'object')) {
      const keyStart = keyPosition(source, steps);
      if (keyStart) start = keyStart;
    }
  }
  return { file: source.display, line: start.line + 1, col: start.character + 1 };
}

/** The plain value at a JSON path, or undefined. */
export function valueAt(root: unknown, steps: ReadonlyArray<string | number>): unknown {
  let node = root;
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(step)];
  }
  return node;
}

/** Where the mapping key of the last step is written (undefined for sequence items). */
function keyPosition(source: SpecSource, steps: string[]): { line: number; character: number } | undefined {
  const last = steps[steps.length - 1];
  const node = nodeAt(source.parsed.ast, steps.slice(0, -1));
  const mapping = node?.mappings?.find((m) => m.key?.value === last);
  if (!mapping?.key) return undefined;
  return positionOf(source, mapping.key.startPosition);
}

interface AstNode {
  kind: number;
  value?: AstNode | string | null;
  key?: { value: string; startPosition: number };
  mappings?: AstNode[];
  items?: Array<AstNode | null>;
  startPosition: number;
}

function nodeAt(ast: unknown, steps: string[]): AstNode | undefined {
  let node = ast as AstNode | undefined;
  for (const step of steps) {
    node = deref(node);
    if (!node) return undefined;
    if (node.mappings) {
      const mapping = node.mappings.find((m) => m.key?.value === step);
      node = (mapping?.value ?? undefined) as AstNode | undefined;
    } else if (node.items) {
      node = node.items[Number(step)] ?? undefined;
    } else {
      return undefined;
    }
  }
  return deref(node);
}

/** Anchor references (`*x`) point at the anchored node. */
function deref(node: AstNode | undefined): AstNode | undefined {
  return node && node.kind === 4 && typeof node.value === 'object' && node.value !== null ? node.value : node;
}

function positionOf(source: SpecSource, offset: number): { line: number; character: number } {
  const lines = source.parsed.lineMap;
  let lo = 0;
  let hi = lines.length - 1;
  // lineMap holds the offset just past each line's end.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid] > offset) hi = mid;
    else lo = mid + 1;
  }
  const lineStart = lo === 0 ? 0 : lines[lo - 1];
  return { line: lo, character: offset - lineStart };
}
