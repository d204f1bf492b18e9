/**
 * A spec file read once: its text, its plain value and the syntax tree that maps a JSON path
 * back to a line and column.
 *
 * The text is parsed by @stoplight/yaml-ast-parser, the parser @asyncapi/parser's Spectral uses,
 * so what is a syntax error is decided by the same code. The tree becomes a value here, with the
 * meaning @stoplight/yaml's `parseWithPointers` gives it under Spectral's options (duplicate keys
 * are errors, `<<` merge keys apply, an alias inside its own anchor reads as null one level down;
 * `test/reading/source-differential.test.ts` holds the two equal), but in one linear pass that
 * stops at the reader's limits: duplicate keys are found with a set, not a list searched per key,
 * and aliases are expanded within a budget, not copied without bound.
 */
import { Parser as CstParser } from 'yaml';
import type { CollectionItem, Token } from 'yaml/dist/parse/cst';
import {
  Kind,
  ScalarType,
  type YAMLAnchorReference,
  type YAMLMapping,
  type YAMLNode,
  type YAMLScalar,
  type YAMLSequence,
  type YamlMap,
  determineScalarType,
  load as loadYamlAst,
  parseYamlBigInteger,
  parseYamlBoolean,
  parseYamlFloat,
} from '@stoplight/yaml-ast-parser';
import { type Diagnostic, type SourceLocation, error } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { DEFAULT_LIMITS, type LimitName, LIMIT_WORDS, type ReaderLimits } from './limits';

export type JsonPath = ReadonlyArray<string | number>;

/** The syntax tree with the offsets of its lines, for locating paths. */
interface Parsed {
  ast: YAMLNode | undefined;
  /** The offset just past each line's end (its `\n`), then one past the text's end. */
  lineMap: number[];
  /** The last path `locate` walked (see Walked). */
  walked?: Walked;
}

/**
 * The steps of the last path located in a file that were found, the node each reached and the
 * map entry it named: a file's locations come in runs under one channel, so the next path
 * walks on from where it parts from this one.
 */
interface Walked {
  /** How many steps were found (the arrays' entries past it are left over, never read). */
  found: number;
  steps: string[];
  nodes: YAMLNode[];
  mappings: Array<YAMLMapping | undefined>;
}

export interface SpecSource {
  /** Absolute path. */
  path: string;
  /** As shown in diagnostics: relative to the working directory. */
  display: string;
  text: string;
  parsed: Parsed;
  /** Plain value of the document; undefined when it has syntax errors or is past a limit. */
  value: unknown;
  /** Why the file has no value: its first syntax error, or the limit it is past. */
  syntaxErrors: Diagnostic[];
  /** The limits it was read with; resolving its `$ref`s keeps to them too. */
  limits: ReaderLimits;
}

/** A problem of the parser, as `parseWithPointers` reports it (zero-based). */
interface YamlProblem {
  message: string;
  warning: boolean;
  line: number;
  character: number;
}

const LIMIT_CODES: Readonly<Record<LimitName, string>> = {
  maxFileBytes: CODES.limitSize,
  maxDepth: CODES.limitDepth,
  maxKeys: CODES.limitKeys,
  maxAliases: CODES.limitAliases,
  maxAliasExpansion: CODES.limitAliasExpansion,
  maxResolvedValues: CODES.limitResolved,
};

/** A located error for a file past one of the reader's limits. */
export function limitError(limit: LimitName, limits: ReaderLimits, where: SourceLocation, detail?: string): Diagnostic {
  const setting = `limits.${limit}`;
  return error(
    LIMIT_CODES[limit],
    `${detail ?? 'the file'} is past the reader's limit of ${limits[limit].toLocaleString('en-US')} ${LIMIT_WORDS[limit]} (${setting} in meshform.yaml; see "Limits" in docs/spec-reference.md)`,
    where,
  );
}

/** A file too large to read: its size alone decides, before a byte is read. */
export function oversizedSource(path: string, display: string, limits: ReaderLimits): SpecSource {
  const diagnostic = limitError('maxFileBytes', limits, { file: display, line: 1, col: 1 });
  return { path, display, text: '', parsed: { ast: undefined, lineMap: [1] }, value: undefined, syntaxErrors: [diagnostic], limits };
}

export function parseSource(path: string, display: string, text: string, limits: ReaderLimits = DEFAULT_LIMITS): SpecSource {
  if (Buffer.byteLength(text, 'utf8') > limits.maxFileBytes) return oversizedSource(path, display, limits);
  const lineMap = computeLineMap(text);
  const empty = (diagnostic: Diagnostic): SpecSource => ({ path, display, text, parsed: { ast: undefined, lineMap }, value: undefined, syntaxErrors: [diagnostic], limits });
  let ast: YAMLNode | undefined;
  try {
    ast = loadYamlAst(text, { ignoreDuplicateKeys: true }) as YAMLNode | undefined;
  } catch (e) {
    // The parser recurses once per level: a document nested deep enough overflows the stack
    // before any tree exists. Say where it passes the limit (found without recursion).
    if (!(e instanceof RangeError)) throw e;
    const offset = deepestOffset(text, limits.maxDepth);
    return empty(limitError('maxDepth', limits, { file: display, ...lineAndCol(lineMap, offset ?? 0) }, 'this value'));
  }
  const parsed: Parsed = { ast, lineMap };
  if (!ast) return { path, display, text, parsed, value: undefined, syntaxErrors: [], limits };

  const walk = new ValueWalk(limits, lineMap, display);
  let value: unknown;
  try {
    value = walk.value(ast, 1, undefined);
  } catch (e) {
    if (!(e instanceof LimitReached)) throw e;
    return { path, display, text, parsed, value: undefined, syntaxErrors: [e.diagnostic], limits };
  }
  // Sorted by line only, as parseWithPointers does: the first tab warning is found in that order.
  const problems = [...walk.duplicates, ...yamlProblems(ast.errors ?? [])].sort((a, b) => a.line - b.line);
  const syntaxErrors = firstSyntaxError(problems, text, display);
  return { path, display, text, parsed, value: syntaxErrors.length === 0 ? value : undefined, syntaxErrors, limits };
}

class LimitReached extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * The tree as a plain value, in `parseWithPointers`' meaning, counting what the limits bound.
 * Recursion is bounded by `maxDepth` (the tree itself is known to fit the stack: the parser built it).
 */
class ValueWalk {
  readonly duplicates: YamlProblem[] = [];
  private keys = 0;
  private readonly aliases = new Set<YAMLNode>();
  private expanded = 0;
  /** The alias written in the document whose expansion is being walked, if any. */
  private expanding: YAMLNode | undefined;
  /**
   * The keys of the maps being walked, each map's own keys together above those of the maps that
   * hold it: a small map looks for a duplicate among its few keys here instead of making a set.
   */
  private readonly keyStack: string[] = [];
  /** How many of keyStack's entries are in use (the rest are left over, never read). */
  private keyTop = 0;

  constructor(
    private readonly limits: ReaderLimits,
    private readonly lineMap: number[],
    private readonly display: string,
  ) {}

  private fail(limit: LimitName, node: YAMLNode, detail: string): never {
    // An alias node starts at its name: point at the `*` that begins it.
    const offset = node.kind === Kind.ANCHOR_REF && node.startPosition > 0 ? node.startPosition - 1 : node.startPosition;
    throw new LimitReached(limitError(limit, this.limits, { file: this.display, ...lineAndCol(this.lineMap, offset) }, detail));
  }

  /** One more value; inside an alias's expansion, one more the alias adds. */
  private count(): void {
    if (this.expanding && ++this.expanded > this.limits.maxAliasExpansion) {
      this.fail('maxAliasExpansion', this.expanding, 'expanding the aliases from here');
    }
  }

  /**
   * @param depth the nesting level of `node` (the document's top collection is 1)
   * @param nulled inside an alias's expansion: the anchor whose aliases read as null there
   *   (`dereferenceAnchor`), so a node that contains an alias to itself is unrolled once
   */
  value(node: YAMLNode | null | undefined, depth: number, nulled: string | undefined): unknown {
    if (!node) return node;
    switch (node.kind) {
      case Kind.MAP:
        return this.map(node as YamlMap, depth, nulled);
      case Kind.SEQ: {
        this.enter(node, depth);
        const items = (node as YAMLSequence).items;
        const out = new Array<unknown>(items.length);
        for (let i = 0; i < items.length; i++) out[i] = items[i] === null ? null : this.value(items[i], depth + 1, nulled);
        return out;
      }
      case Kind.SCALAR: {
        this.count();
        const value = scalarValue(node as YAMLScalar);
        return typeof value === 'bigint' ? Number(value) : value;
      }
      case Kind.ANCHOR_REF:
        return this.alias(node as YAMLAnchorReference, depth, nulled);
      default:
        return null;
    }
  }

  private enter(node: YAMLNode, depth: number): void {
    this.count();
    if (depth > this.limits.maxDepth) this.fail('maxDepth', node, 'this value');
  }

  private map(node: YamlMap, depth: number, nulled: string | undefined): Record<string, unknown> {
    this.enter(node, depth);
    const container: Record<string, unknown> = {};
    const mappings = node.mappings as YAMLMapping[];
    // A large map's keys go in a set (linear), a small one's on the shared stack (a few comparisons).
    const seen = mappings.length > SMALL_MAP ? new Set<string>() : undefined;
    const keyStack = this.keyStack;
    const base = this.keyTop;
    for (const mapping of mappings) {
      // A key that is not a scalar (a map or a list) is skipped, as JSON-mode parseWithPointers does.
      if (!mapping.key || mapping.key.kind !== Kind.SCALAR) continue;
      const key = String(scalarValue(mapping.key));
      if (++this.keys > this.limits.maxKeys) this.fail('maxKeys', mapping.key, 'this key');
      if (key === '<<') {
        Object.assign(container, mergedKeys(this.value(mapping.value, depth + 1, nulled)));
        continue;
      }
      let duplicate = false;
      if (seen) {
        duplicate = seen.has(key);
        if (!duplicate) seen.add(key);
      } else {
        for (let i = base; i < this.keyTop && !duplicate; i++) duplicate = keyStack[i] === key;
        if (!duplicate) keyStack[this.keyTop++] = key;
      }
      if (duplicate) this.duplicates.push({ message: 'duplicate key', warning: false, ...lineAndCol0(this.lineMap, mapping.key.startPosition) });
      // Plain assignment, `__proto__` included: the parser's value has the same shape.
      container[key] = this.value(mapping.value, depth + 1, nulled);
    }
    this.keyTop = base;
    return container;
  }

  private alias(node: YAMLAnchorReference, depth: number, nulled: string | undefined): unknown {
    if (nulled !== undefined && (node.referencesAnchor === nulled || (isNode(node.value) && insideOwnAnchor(node)))) return null;
    if (!this.aliases.has(node)) {
      this.aliases.add(node);
      if (this.aliases.size > this.limits.maxAliases) this.fail('maxAliases', node, 'this alias');
    }
    if (!isNode(node.value)) return this.value(node.value, depth, nulled);
    const outer = this.expanding;
    this.expanding ??= node;
    try {
      return this.value(node.value, depth, node.referencesAnchor);
    } finally {
      this.expanding = outer;
    }
  }
}

/** Up to this many entries a map's duplicate keys are looked for by comparing them (see ValueWalk.keyStack). */
const SMALL_MAP = 16;

function isNode(value: unknown): value is YAMLNode {
  return value !== null && typeof value === 'object';
}

/** An alias written inside the node its anchor names (`&a [*a]`). */
function insideOwnAnchor(node: YAMLAnchorReference): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.anchorId === node.referencesAnchor) return true;
  }
  return false;
}

/** What `<<: value` adds: a map, or the maps of a list with the first one winning. */
function mergedKeys(value: unknown): object | null {
  if (Array.isArray(value)) {
    const merged: Record<string, unknown> = {};
    for (let i = value.length - 1; i >= 0; i--) Object.assign(merged, value[i]);
    return merged;
  }
  return typeof value !== 'object' || value === null ? null : Object(value);
}

/** A scalar's value as YAML 1.2's core schema reads it, with the parser's own functions. */
function scalarValue(node: YAMLScalar): unknown {
  // A scalar that begins with a letter other than those of null, true and false (n, t, f in any
  // case) is a string whatever its style: most keys and values, read without the type's tests.
  const text: unknown = node.value;
  if (typeof text === 'string' && text.length > 0 && STRING_START.test(text)) return text;
  switch (determineScalarType(node)) {
    case ScalarType.null:
      return null;
    case ScalarType.string:
      return String(node.value);
    case ScalarType.bool:
      return parseYamlBoolean(node.value);
    case ScalarType.int:
      return parseYamlBigInteger(node.value);
    case ScalarType.float:
      return parseYamlFloat(node.value);
  }
  return undefined;
}

/** A first character no other type's value begins with (see determineScalarType). */
const STRING_START = /^[a-eg-mo-su-zA-EG-MO-SU-Z_$]/;

/** The parser's errors as `parseWithPointers` reports them (a run of flow errors is one). */
function yamlProblems(errors: ReadonlyArray<{ reason: string; isWarning: boolean; mark: { line: number; column: number } }>): YamlProblem[] {
  const out: YamlProblem[] = [];
  let brokenFlow = -1;
  for (const e of errors) {
    const problem: YamlProblem = { message: e.reason, warning: e.isWarning, line: e.mark.line, character: e.mark.column };
    if (e.reason === 'missed comma between flow collection entries') {
      if (brokenFlow === -1) brokenFlow = out.length;
    } else if (brokenFlow !== -1) {
      out[brokenFlow].message = 'invalid mixed usage of block and flow styles';
      out.length = brokenFlow + 1;
      brokenFlow = -1;
    }
    out.push(problem);
  }
  return out;
}

/**
 * One diagnostic for a file's syntax: the first mistake. The parser recovers and reports what
 * follows from it too (a mis-indented key gives four errors, some at columns past the end of the
 * line), so only the first is kept, placed inside its line and explained for the common cases.
 */
function firstSyntaxError(problems: YamlProblem[], text: string, display: string): Diagnostic[] {
  const first = problems
    .filter((d) => !d.warning)
    .sort((a, b) => a.line - b.line || a.character - b.character)[0];
  if (!first) return [];
  // A tab in the indentation is only a warning to the parser, but it is the mistake behind the error.
  // (JSON may indent with tabs.)
  const json = isJsonText(display, text);
  const tab = json ? undefined : problems.find((d) => /tabs/i.test(d.message) && d.line <= first.line);
  if (tab) {
    return [error(CODES.syntax, 'YAML syntax: a tab in the indentation; YAML indents with spaces only', { file: display, line: tab.line + 1, col: tab.character + 1 })];
  }
  const line = first.line + 1;
  const written = lineText(text, first.line);
  let col = Math.min(first.character + 1, Math.max(written.trimEnd().length, 1));
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

/** Line `index` (zero-based) of the text, without its line break. */
function lineText(text: string, index: number): string {
  let start = 0;
  for (let i = 0; i < index; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/**
 * Where a document first nests deeper than `maxDepth`, found by `yaml`'s concrete syntax tree,
 * which is built without recursion; undefined when it does not.
 */
function deepestOffset(text: string, maxDepth: number): number | undefined {
  const stack: Array<{ token: Token | null | undefined; depth: number }> = [];
  for (const token of new CstParser().parse(text)) {
    if (token.type === 'document') stack.push({ token: token.value, depth: 1 });
    while (stack.length > 0) {
      const { token: node, depth } = stack.pop()!;
      if (!node) continue;
      if (node.type !== 'block-map' && node.type !== 'block-seq' && node.type !== 'flow-collection') continue;
      if (depth > maxDepth) return node.offset;
      for (const item of node.items as CollectionItem[]) {
        stack.push({ token: item.value, depth: depth + 1 });
        if (item.key) stack.push({ token: item.key, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

function computeLineMap(text: string): number[] {
  const lineMap: number[] = [];
  let i = text.indexOf('\n');
  while (i >= 0) {
    lineMap.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  lineMap.push(text.length + 1);
  return lineMap;
}

/** Zero-based line and character of an offset. */
function lineAndCol0(lineMap: number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = lineMap.length - 1;
  // lineMap holds the offset just past each line's end.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lineMap[mid] > offset) hi = mid;
    else lo = mid + 1;
  }
  const lineStart = lo === 0 ? 0 : lineMap[lo - 1];
  return { line: lo, character: offset - lineStart };
}

/** One-based line and column of an offset. */
function lineAndCol(lineMap: number[], offset: number): { line: number; col: number } {
  const { line, character } = lineAndCol0(lineMap, offset);
  return { line: line + 1, col: character + 1 };
}

/**
 * Position of the node at `path`, or of its deepest existing ancestor (e.g. the object missing a
 * field). With `key`, or when the node is a block (an operation, a channel), the position of
 * its key: the line that names it.
 */
export function locate(source: SpecSource, path: JsonPath, options?: { key?: boolean }): SourceLocation {
  const { ast, lineMap } = source.parsed;
  let offset = 0;
  // The document itself: where its first node is written, past leading comments.
  if (ast && path.length === 0) offset = ast.startPosition;
  else if (ast) {
    // One walk: the node at the path or the deepest one on the way to it, and the map entry the
    // last step names when every step before it was found; the steps it shares with the last
    // path located in this file are not walked again.
    const walked = (source.parsed.walked ??= { found: 0, steps: [], nodes: [], mappings: [] });
    const { steps, nodes, mappings } = walked;
    let shared = 0;
    while (shared < path.length && shared < walked.found && steps[shared] === String(path[shared])) shared++;
    walked.found = shared;
    let node = shared === 0 ? ast : nodes[shared - 1];
    for (let i = shared; i < path.length; i++) {
      const step = String(path[i]);
      const target = deref(node);
      let next: YAMLNode | undefined;
      let mapping: YAMLMapping | undefined;
      if (target.kind === Kind.MAP) {
        mapping = entryOf(target as YamlMap, step);
        next = mapping ? (mapping.value ?? mapping.key) : undefined;
      } else if (target.kind === Kind.SEQ) next = (target as YAMLSequence).items[Number(step)] ?? undefined;
      if (!next) break;
      steps[i] = step;
      nodes[i] = next;
      mappings[i] = mapping;
      walked.found = i + 1;
      node = next;
    }
    // The entry the last step names: found only when every step was.
    const named = walked.found === path.length ? mappings[path.length - 1] : undefined;
    offset = startOf(node);
    if (named?.key && (options?.key || isObject(valueAt(source.value, path)))) offset = named.key.startPosition;
  }
  return { file: source.display, ...lineAndCol(lineMap, offset) };
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object';
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

/** Where a node found by path is said to start (a block value: just past its key). */
function startOf(node: YAMLNode): number {
  const parent = node.parent;
  if (parent && parent.kind === Kind.MAPPING) {
    if (parent.value === null) return parent.endPosition;
    if (node.kind !== Kind.SCALAR) return (parent as YAMLMapping).key.endPosition + 1;
  }
  return node.startPosition;
}

/** Per map node: its entries by key (the last one written wins, merged keys before the map's own). */
const entriesByMap = new WeakMap<YAMLNode, Map<string, YAMLMapping>>();

function entriesOf(map: YamlMap): Map<string, YAMLMapping> {
  let entries = entriesByMap.get(map);
  if (!entries) {
    entries = new Map();
    const add = (mappings: YAMLMapping[]) => {
      for (const mapping of mappings) {
        if (!mapping?.key) continue;
        if (mapping.key.value === '<<') add(mergedMappings(mapping.value));
        else entries!.set(String(mapping.key.value), mapping);
      }
    };
    add(map.mappings as YAMLMapping[]);
    entriesByMap.set(map, entries);
  }
  return entries;
}

/**
 * The entry of a map that `key` names: `entriesOf(map).get(key)`, found in a small map without a
 * merge key by looking back from its last entry (no table made), else in the table.
 */
function entryOf(map: YamlMap, key: string): YAMLMapping | undefined {
  const mappings = map.mappings as YAMLMapping[];
  if (mappings.length <= SMALL_MAP) {
    for (let i = mappings.length - 1; i >= 0; i--) {
      const mapping = mappings[i];
      if (!mapping?.key) continue;
      if (mapping.key.value === '<<') return entriesOf(map).get(key);
      if (String(mapping.key.value) === key) return mapping;
    }
    return undefined;
  }
  return entriesOf(map).get(key);
}

/** The entries `<<: value` brings into a map: a map's, or a list's maps' with the first one winning. */
function mergedMappings(node: YAMLNode | null | undefined, hops = 0): YAMLMapping[] {
  if (!node || hops > 32) return [];
  switch (node.kind) {
    case Kind.SEQ:
      return (node as YAMLSequence).items.slice().reverse().flatMap((item) => mergedMappings(item, hops + 1));
    case Kind.MAP:
      return (node as YamlMap).mappings as YAMLMapping[];
    case Kind.ANCHOR_REF:
      return mergedMappings((node as YAMLAnchorReference).value, hops + 1);
    default:
      return [];
  }
}

/** Anchor references (`*x`) point at the anchored node. */
function deref(node: YAMLNode): YAMLNode {
  return node.kind === Kind.ANCHOR_REF && node.value !== null && typeof node.value === 'object' ? (node.value as YAMLNode) : node;
}
