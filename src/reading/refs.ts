/**
 * `$ref` policy and resolution. The policy runs on the plain value before the AsyncAPI parser
 * sees the spec, because the parser would fetch http(s) refs and read any file: only `#/...`
 * refs, relative file refs and root-relative ones (`/schema/x.avsc`, read from the spec root, as
 * SpecMesh writes them) that stay inside the spec root are allowed, and nothing is fetched.
 *
 * `refTarget` is the one place a ref becomes a file path: anything that follows a spec's refs
 * (payload schemas too) resolves them through it, so it cannot disagree with the policy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Diagnostic, error } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { type JsonPath, type SpecSource, limitError, locate } from './source';

/** Loads (and caches) another spec-tree file for a relative ref; undefined when it cannot be read. */
export type SourceLoader = (absolutePath: string) => SpecSource | undefined;

interface RefSite { ref: string; path: JsonPath }

/** Per document: specs are searched for refs twice (shared fragments, then the policy). */
const refsByValue = new WeakMap<object, readonly RefSite[]>();

/** Every string `$ref` in the value with its JSON path. */
export function findRefs(value: unknown): readonly RefSite[] {
  if (value === null || typeof value !== 'object') return [];
  let found = refsByValue.get(value);
  if (!found) {
    found = walkRefs(value);
    refsByValue.set(value, found);
  }
  return found;
}

function walkRefs(value: object): RefSite[] {
  const found: RefSite[] = [];
  // One mutable path, copied only for a hit: specs are walked once per run, so this is hot.
  const at: Array<string | number> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        at.push(i);
        walk(node[i]);
        at.pop();
      }
    } else if (node !== null && typeof node === 'object') {
      for (const key in node) {
        const child = (node as Record<string, unknown>)[key];
        if (key === '$ref' && typeof child === 'string') {
          found.push({ ref: child, path: [...at, key] });
        } else if (child !== null && typeof child === 'object') {
          at.push(key);
          walk(child);
          at.pop();
        }
      }
    }
  };
  walk(value);
  return found;
}

function splitRef(ref: string): { file: string; pointer: string } {
  const hash = ref.indexOf('#');
  return hash < 0 ? { file: ref, pointer: '' } : { file: ref.slice(0, hash), pointer: ref.slice(hash + 1) };
}

/** Whether `target` is `root` or below it. */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The path with every symbolic link in it resolved; for a path that does not exist (yet), its
 * nearest existing folder resolved and the rest kept as written.
 */
export function realPathOf(target: string): string {
  const missing: string[] = [];
  for (let at = target; ; at = path.dirname(at)) {
    try {
      return path.join(fs.realpathSync.native(at), ...missing.reverse());
    } catch {
      if (path.dirname(at) === at) return target;
      missing.push(path.basename(at));
    }
  }
}

/** Whether `target` is inside `root` once both are real paths (a link out of the root is outside). */
export function isReallyInside(root: string, target: string): boolean {
  return isInside(root, target) && isInside(realPathOf(root), realPathOf(target));
}

/** Why a ref breaks the policy, or undefined when it is allowed. */
export function refPolicyProblem(ref: string, fromFile: string, root: string): { code: string; message: string } | undefined {
  const { file } = splitRef(ref);
  if (file === '') return undefined;
  // `//host/x` is a network-path reference: a URL without its scheme.
  if (/^https?:/i.test(file) || /^[/\\]{2}/.test(file)) {
    return { code: CODES.refRemote, message: `remote $ref "${ref}" is not allowed; meshform never fetches: copy the definition into the spec tree` };
  }
  if (!isRootRelative(file) && (/^[a-z][a-z0-9+.-]*:/i.test(file) || path.isAbsolute(file) || path.win32.isAbsolute(file))) {
    return { code: CODES.refAbsolute, message: `absolute $ref "${ref}" is not allowed; use a path relative to the spec, or to the spec root with a leading "/"` };
  }
  const target = refTarget(ref, fromFile, root) as string;
  if (!isInside(root, target)) return { code: CODES.refEscape, message: `$ref "${ref}" leaves the spec root ${root}` };
  // Nothing outside the root is read, whatever a link inside it points at (its target is not named).
  if (!isReallyInside(root, target)) return { code: CODES.refEscape, message: `$ref "${ref}" leads through a symbolic link out of the spec root ${root}` };
  return undefined;
}

/** `/schema/x.avsc`: one leading `/`, read from the spec root (not a drive or network path). */
function isRootRelative(file: string): boolean {
  return file.startsWith('/') && !file.startsWith('//');
}

/**
 * The file a ref points into: relative refs from the referring file's folder, root-relative ones
 * (`/schema/x.avsc`) from the spec root; undefined for a ref within the same document (`#/...`).
 */
export function refTarget(ref: string, fromFile: string, root: string): string | undefined {
  const { file } = splitRef(ref);
  if (file === '') return undefined;
  const decoded = decodeURIComponentSafe(file);
  return isRootRelative(file) ? path.join(root, path.normalize(decoded)) : path.resolve(path.dirname(fromFile), decoded);
}

function decodeURIComponentSafe(text: string): string {
  // Nothing to decode without a `%` (the common case): the text as it is, without a try.
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Checks the refs of a spec and, transitively, of the files it references. Referenced files are
 * loaded only after their ref passed the policy.
 */
export function guardRefs(source: SpecSource, root: string, load: SourceLoader): { diagnostics: Diagnostic[]; hasRefs: boolean } {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>([source.path]);
  const queue: SpecSource[] = [source];
  let hasRefs = false;
  while (queue.length > 0) {
    const current = queue.shift() as SpecSource;
    for (const site of findRefs(current.value)) {
      hasRefs = true;
      const problem = refPolicyProblem(site.ref, current.path, root);
      if (problem) {
        diagnostics.push(error(problem.code, problem.message, locate(current, site.path)));
        continue;
      }
      const target = refTarget(site.ref, current.path, root);
      if (target === undefined || seen.has(target)) continue;
      seen.add(target);
      const loaded = load(target);
      if (loaded?.value !== undefined) queue.push(loaded);
    }
  }
  return { diagnostics, hasRefs };
}

/** The keys of a JSON pointer (`/a~1b/0` -> `a/b`, `0`), percent-decoded as a URI fragment. */
function pointerKeys(pointer: string): readonly string[] {
  let keys = keysByPointer.get(pointer);
  if (!keys) {
    // Specs name the same few pointers over and over (`#/components/messages/...`): a bounded memo.
    if (keysByPointer.size >= MAX_POINTERS_KEPT) keysByPointer.clear();
    keys = splitPointer(pointer);
    keysByPointer.set(pointer, keys);
  }
  return keys;
}
const keysByPointer = new Map<string, readonly string[]>();
const MAX_POINTERS_KEPT = 1024;

function splitPointer(pointer: string): string[] {
  const keys = pointer.split('/');
  keys.shift();
  for (let i = 0; i < keys.length; i++) {
    const key = decodeURIComponentSafe(keys[i]);
    keys[i] = key.includes('~') ? key.replace(/~1/g, '/').replace(/~0/g, '~') : key;
  }
  return keys;
}

function readPointer(value: unknown, pointer: string): { found: boolean; value?: unknown } {
  if (pointer === '' || pointer === '/') return { found: true, value };
  if (!pointer.startsWith('/')) return { found: false };
  let node = value;
  for (const key of pointerKeys(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return { found: false };
    node = (node as Record<string, unknown>)[key];
  }
  return { found: true, value: node };
}

/**
 * The document with every `$ref` replaced by its target, as the parser's resolver does:
 * siblings of `$ref` are dropped, a ref to an object shares that object (so an operation's
 * channel *is* the channel), and a ref that closes a cycle stays a `$ref`. Unresolvable refs
 * are reported with the parser's `invalid-ref` code.
 */
export function resolveRefs(source: SpecSource, root: string, load: SourceLoader, start?: Located): { resolved: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const syntaxReported = new Set<string>();
  const done = new Map<object, unknown>();
  const inProgress = new Set<object>();
  const limits = (start?.source ?? source).limits;
  /** Each followed ref: where it is written and what it became, to say which one a limit is passed at. */
  const sites: Array<{ file: SpecSource; path: Array<string | number>; value: unknown }> = [];
  let tooDeep = false;
  // A shared definition is one object in the result but is validated at every use: each object's
  // size (values) and depth as the tree it stands for, measured as it is built.
  // A map, not a weak one: it goes with this call, and weak tables cost every garbage collection.
  const measures = new Map<object, Measure>();
  const measureOf = (value: unknown): Measure => (value !== null && typeof value === 'object' ? measures.get(value) ?? LEAF_OBJECT : LEAF);

  // `at` is one mutable path per file being walked; copied only when a problem is reported.
  // `depth` bounds the recursion: refs chain files into one document deeper than any of them.
  const resolveNode = (node: unknown, file: SpecSource, at: Array<string | number>, depth: number): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const known = done.get(node);
    if (known !== undefined) return known;
    if (depth > limits.maxDepth) {
      if (!tooDeep) diagnostics.push(limitError('maxDepth', limits, locate(file, at), 'with its $refs resolved, this value'));
      tooDeep = true;
      return node;
    }
    let size = 1;
    let deepest = 0;
    const add = (child: unknown) => {
      const m = measureOf(child);
      size += m.size;
      if (m.depth > deepest) deepest = m.depth;
    };
    if (Array.isArray(node)) {
      const items = new Array<unknown>(node.length);
      for (let i = 0; i < node.length; i++) {
        at.push(i);
        items[i] = resolveNode(node[i], file, at, depth + 1);
        add(items[i]);
        at.pop();
      }
      measures.set(items, { size, depth: deepest + 1 });
      return items;
    }
    const obj = node as Record<string, unknown>;
    if (typeof obj.$ref === 'string') return resolveRef(obj, obj.$ref, file, at, depth);
    inProgress.add(obj);
    const out: Record<string, unknown> = {};
    for (const key in obj) {
      at.push(key);
      out[key] = resolveNode(obj[key], file, at, depth + 1);
      add(out[key]);
      at.pop();
    }
    inProgress.delete(obj);
    done.set(obj, out);
    measures.set(out, { size, depth: deepest + 1 });
    return out;
  };

  // Specs point many refs at the same target (a shared message): look each one up once.
  const targets = new Map<string, { targetSource?: SpecSource; pointer: string; hit: { found: boolean; value?: unknown }; targetPath: readonly string[] }>();
  const lookUp = (ref: string, file: SpecSource) => {
    const key = `${file.path}\0${ref}`;
    let known = targets.get(key);
    if (!known) {
      const { pointer } = splitRef(ref);
      const target = refTarget(ref, file.path, root);
      const targetSource = target === undefined ? file : load(target);
      const hit = targetSource?.value !== undefined ? readPointer(targetSource.value, pointer) : { found: false };
      const targetPath = pointerKeys(pointer);
      known = { targetSource, pointer, hit, targetPath };
      targets.set(key, known);
    }
    return known;
  };

  const resolveRef = (node: Record<string, unknown>, ref: string, file: SpecSource, at: Array<string | number>, depth: number): unknown => {
    const { targetSource, pointer, hit, targetPath } = lookUp(ref, file);
    if (targetSource && targetSource.syntaxErrors.length > 0) {
      // The referenced file cannot be read as YAML or JSON: say where in it, once.
      if (!syntaxReported.has(targetSource.path)) diagnostics.push(...targetSource.syntaxErrors);
      syntaxReported.add(targetSource.path);
      return node;
    }
    if (!targetSource || !hit.found) {
      const target = splitRef(ref).file;
      const fromRoot = isRootRelative(target) ? ` (read from the spec root ${root})` : '';
      const why = targetSource ? `'#${pointer}' does not exist in ${targetSource.display}` : `cannot read ${target}${fromRoot}`;
      diagnostics.push(error(CODES.refInvalid, `$ref "${ref}": ${why}`, locate(file, [...at, '$ref'])));
      return node;
    }
    const value = hit.value;
    if (value !== null && typeof value === 'object' && inProgress.has(value)) return node;
    // resolveNode extends the path while it walks: give it a copy.
    const resolved = resolveNode(value, targetSource, [...targetPath], depth);
    sites.push({ file, path: [...at, '$ref'], value: resolved });
    return resolved;
  };

  const resolved = start ? resolveNode(start.value, start.source, [...start.path], 1) : resolveNode(source.value, source, [], 1);
  if (diagnostics.length === 0 && sites.length > 0) {
    const whole = measureOf(resolved);
    const over = whole.depth > limits.maxDepth ? 'depth' : whole.size > limits.maxResolvedValues ? 'size' : undefined;
    if (over) {
      const worst = sites.reduce((a, b) => (measureOf(b.value)[over] > measureOf(a.value)[over] ? b : a));
      const where = locate(worst.file, worst.path);
      diagnostics.push(over === 'depth'
        ? limitError('maxDepth', limits, where, 'with its $refs resolved, the spec')
        : limitError('maxResolvedValues', limits, where, `with its $refs resolved (${whole.size.toExponential(1)} values), the spec`));
    }
  }
  return { resolved, diagnostics };
}

/** A resolved value as the tree it stands for: how many values, how deep. */
interface Measure {
  size: number;
  depth: number;
}
const LEAF: Measure = { size: 1, depth: 0 };
/** An object left as it was written (a `$ref` closing a cycle, an unresolvable one). */
const LEAF_OBJECT: Measure = { size: 1, depth: 1 };

/** A node of a spec-tree file: which file, where in it, and its plain value. */
export interface Located {
  source: SpecSource;
  path: Array<string | number>;
  value: unknown;
}

const MAX_REF_HOPS = 32;

/**
 * The node itself, or what its `$ref` (chain) points to. A whole file that is not YAML or JSON
 * (a `.proto`) is its text. Undefined when a ref cannot be followed (reported by `resolveRefs`).
 * Only call on specs whose refs passed `guardRefs`.
 */
export function followRef(at: Located, root: string, load: SourceLoader): Located | undefined {
  let current = at;
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    const ref = (current.value as { $ref?: unknown } | null)?.$ref;
    if (current.value === null || typeof current.value !== 'object' || typeof ref !== 'string') return current;
    const { pointer } = splitRef(ref);
    const target = refTarget(ref, current.source.path, root);
    const source = target === undefined ? current.source : load(target);
    if (!source) return undefined;
    if (target !== undefined && pointer === '' && TEXT_FILES.test(target)) return { source, path: [], value: source.text };
    const hit = readPointer(source.value, pointer);
    if (!hit.found) return undefined;
    current = { source, path: [...pointerKeys(pointer)], value: hit.value };
  }
  return undefined;
}

/** Files a `$ref` may name whose content is text, not a YAML/JSON document. */
const TEXT_FILES = /\.proto$/i;

/** The node at `steps` below `at`, following `$ref`s at every step (as the resolved document would hold it). */
export function followPath(at: Located, steps: ReadonlyArray<string | number>, root: string, load: SourceLoader): Located | undefined {
  let current = followRef(at, root, load);
  for (const step of steps) {
    if (!current || current.value === null || typeof current.value !== 'object') return undefined;
    const value = (current.value as Record<string, unknown>)[String(step)];
    if (value === undefined) return undefined;
    current = followRef({ source: current.source, path: [...current.path, step], value }, root, load);
  }
  return current;
}
