/**
 * One spec file through the checks, cheapest first, stopping at the first stage with errors:
 * syntax -> AsyncAPI version -> `$ref` policy -> refs resolve -> AsyncAPI validation ->
 * document model -> meshform's per-file rules. Every file is read once per run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Diagnostic, error } from '../vocabulary/diagnostics';
import type { AsyncApiIssue } from './asyncapi/issue';
import { asyncApiVersionIssue, validateAsyncApi } from './asyncapi/validate';
import { CODES } from '../vocabulary/codes';
import { type ExtractResult, extractProduct } from './extract';
import { describeFsError } from './files';
import type { MeshFile } from './mesh-file';
import { type SpecDocument, specDocument } from './document';
import { schemaDiagnosticsAt } from './message-schemas';
import { type SourceLoader, guardRefs, resolveRefs } from './refs';
import { DEFAULT_LIMITS, type ReaderLimits } from './limits';
import { type SpecSource, locate, oversizedSource, parseSource } from './source';
import { domainIdOf, isProductUrn, reservedSegment } from './urn';

/** The AsyncAPI versions meshform reads (the parser also knows 3.1.0, which meshform does not yet). */
export const SUPPORTED_VERSIONS: readonly string[] = ['2.0.0', '2.1.0', '2.2.0', '2.3.0', '2.4.0', '2.5.0', '2.6.0', '3.0.0'];

/** A loader that can also say why a file it returned nothing for could not be read. */
export interface SpecLoader extends SourceLoader {
  /** @param limits what reading the file may cost, when it is read now (a file is read once per run) */
  (absolutePath: string, limits?: ReaderLimits): SpecSource | undefined;
  failure(absolutePath: string): string | undefined;
}

/** The same loader, reading every file it reads first with `limits` (those of a spec's mesh file). */
export function withLimits(load: SpecLoader, limits: ReaderLimits): SpecLoader {
  return Object.assign((absolutePath: string) => load(absolutePath, limits), { failure: load.failure });
}

/** Reads and parses each file at most once per run, specs and `$ref` targets alike. */
export function createLoader(cwd: string, defaultLimits: ReaderLimits = DEFAULT_LIMITS): SpecLoader {
  const cache = new Map<string, SpecSource | undefined>();
  const failures = new Map<string, string>();
  const load = (absolutePath: string, limits: ReaderLimits = defaultLimits): SpecSource | undefined => {
    if (cache.has(absolutePath)) return cache.get(absolutePath);
    let source: SpecSource | undefined;
    try {
      const display = displayPath(cwd, absolutePath);
      if (fs.statSync(absolutePath).size > limits.maxFileBytes) {
        source = oversizedSource(absolutePath, display, limits);
      } else {
        // A byte order mark is not part of the document; left in, it shifts every column by one.
        const text = fs.readFileSync(absolutePath, 'utf8').replace(/^\uFEFF/, '');
        source = parseSource(absolutePath, display, text, limits);
      }
    } catch (e) {
      failures.set(absolutePath, describeFsError(e));
      source = undefined;
    }
    cache.set(absolutePath, source);
    return source;
  };
  return Object.assign(load, { failure: (absolutePath: string) => failures.get(absolutePath) });
}

export function displayPath(cwd: string, absolutePath: string): string {
  const rel = path.relative(cwd, absolutePath);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolutePath;
}

export type SpecResult = ExtractResult;

/** The AsyncAPI verdict on a file, as `new Parser()` would give it, plus the document model. */
export interface AsyncApiResult {
  document?: SpecDocument;
  diagnostics: Diagnostic[];
}

/**
 * AsyncAPI-level checks of one file: syntax -> `$ref` policy -> refs resolve -> validation ->
 * document model. Accepts and rejects what the default parser does (the `$ref` policy aside,
 * which is stricter by design).
 *
 * @param root the folder `$ref`s must stay inside: the folder given on the command line that
 *   holds the spec, or the spec's own folder when a file was given.
 */
export async function checkAsyncApi(source: SpecSource, root: string, load: SourceLoader): Promise<AsyncApiResult> {
  if (source.syntaxErrors.length > 0) return { diagnostics: source.syntaxErrors };
  const versionIssue = asyncApiVersionIssue(source.value);
  if (versionIssue) return { diagnostics: [error(versionIssue.code, versionIssue.message, locate(source, versionIssue.path))] };

  const guard = guardRefs(source, root, load);
  if (guard.diagnostics.length > 0) return { diagnostics: guard.diagnostics };

  let resolved = source.value;
  if (guard.hasRefs) {
    const resolution = resolveRefs(source, root, load);
    if (resolution.diagnostics.length > 0) return { diagnostics: resolution.diagnostics };
    resolved = resolution.resolved;
  }

  const issues = validateAsyncApi(source.value, resolved, guard.hasRefs);
  if (issues.length > 0) return { diagnostics: inOwnWords(issues, source, root, load) };

  try {
    return { document: specDocument(resolved, guard.hasRefs), diagnostics: [] };
  } catch (e) {
    // A shape the validation let through and the model cannot read: a finding, never a crash.
    return { diagnostics: [error(CODES.parser, `the AsyncAPI document model could not be built: ${e instanceof Error ? e.message : String(e)}`, locate(source, []))] };
  }
}

/**
 * The AsyncAPI issues as diagnostics; those inside a message's payload or key schema are replaced
 * by meshform's own check of that schema when it finds the problem (at the field, in the schema's
 * own file, with what was meant), so one mistake is one diagnostic.
 */
function inOwnWords(issues: readonly AsyncApiIssue[], source: SpecSource, root: string, load: SourceLoader): Diagnostic[] {
  const v3 = String((source.value as { asyncapi?: unknown }).asyncapi).startsWith('3.');
  const own = new Map<string, Diagnostic[]>();
  const diagnostics: Diagnostic[] = [];
  for (const issue of issues) {
    const schema = schemaPlace(issue.path);
    if (schema) {
      const key = `${schema.role}\0${schema.message.join('\0')}`;
      if (!own.has(key)) own.set(key, schemaDiagnosticsAt(source, schema.message, schema.role, v3, root, load));
      if (own.get(key)!.length > 0) continue;
    }
    diagnostics.push(error(issue.code, issue.message, locate(source, issue.path, { key: issue.key })));
  }
  return [...diagnostics, ...[...own.values()].flat()];
}

/** The message whose payload (or Kafka key) schema a path runs into, or undefined. */
function schemaPlace(path: ReadonlyArray<string | number>): { message: Array<string | number>; role: 'payload' | 'key' } | undefined {
  for (let i = 1; i < path.length; i++) {
    if (path[i] === 'payload') return { message: path.slice(0, i), role: 'payload' };
    if (path[i] === 'bindings' && path[i + 1] === 'kafka' && path[i + 2] === 'key') return { message: path.slice(0, i), role: 'key' };
  }
  return undefined;
}

/**
 * One spec file: syntax, the versions meshform reads, the AsyncAPI checks, then meshform's per-file rules.
 * @param meshFile the mesh file that applies to the spec, if any
 */
export async function readSpec(source: SpecSource, root: string, load: SourceLoader, meshFile?: MeshFile): Promise<SpecResult> {
  if (source.syntaxErrors.length > 0) return { diagnostics: source.syntaxErrors };
  const version = (source.value as { asyncapi?: unknown } | null)?.asyncapi;
  if (!SUPPORTED_VERSIONS.includes(version as string)) {
    const empty = source.value === null || source.value === undefined;
    const message = typeof version === 'string'
      ? `unsupported AsyncAPI version "${version}"; meshform reads ${SUPPORTED_VERSIONS.join(', ')}`
      : empty
        ? 'the file is empty (or only comments); a spec is an AsyncAPI document'
        : 'not an AsyncAPI document: the "asyncapi" version field (string) is missing';
    const where = empty ? { file: source.display, line: 1, col: 1 } : locate(source, typeof version === 'string' ? ['asyncapi'] : []);
    return { diagnostics: [error(CODES.version, message, where)] };
  }
  const checked = await checkAsyncApi(source, root, load);
  if (!checked.document) return { diagnostics: checked.diagnostics, productId: writtenProductId(source.value) };
  return extractProduct(source, checked.document, { root, load }, meshFile);
}

/** The product id a spec names, read from the plain value: for a spec that fails before its facts are extracted. */
function writtenProductId(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' && isProductUrn(id) && !reservedSegment(id) ? domainIdOf(id) : undefined;
}
