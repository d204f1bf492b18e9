/**
 * Compiled validators of the AsyncAPI JSON Schemas, kept on disk as ajv standalone code.
 * Compiling one AsyncAPI schema costs 0.3-1 s; loading its generated code costs a few ms. The
 * cache is never needed for correctness: a missing, unreadable or corrupt file is compiled
 * again (and rewritten when the folder is writable). Files are keyed by a hash of everything
 * that shapes the code: the ajv, ajv-formats and @asyncapi/specs versions, the ajv options and
 * the prepared schema itself.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { AJV_OPTIONS, createAjv } from './ajv';

const PACKAGES = ['ajv', 'ajv-formats', '@asyncapi/specs'].map((name) => `${name}@${(require(`${name}/package.json`) as { version: string }).version}`);

/** `node_modules/.cache/meshform`, next to the ajv that generated code runs against. */
export const DEFAULT_CACHE_DIR = path.join(path.dirname(require.resolve('ajv/package.json')), '..', '.cache', 'meshform');

export interface CacheStats {
  /** Validators loaded from generated code on disk. */
  loaded: number;
  /** Validators compiled in this process (cache missing, stale or corrupt). */
  compiled: number;
  /** Time spent compiling, ms. */
  compileMs: number;
}

const stats: CacheStats = { loaded: 0, compiled: 0, compileMs: 0 };
/** By file: identical schemas (2.x documents resolved and as written) share one validator. */
const inProcess = new Map<string, ValidateFunction>();

export function validatorCacheStats(): CacheStats {
  return { ...stats };
}

/**
 * The validator of `schema`, from `dir` when a matching file is there, otherwise compiled (and
 * written there for the next process).
 *
 * @param name readable part of the file name, e.g. `asyncapi-3.0.0-resolved`
 * @param allErrors see `createAjv`
 */
export function cachedValidator(name: string, schema: object, allErrors: boolean, dir: string = DEFAULT_CACHE_DIR): ValidateFunction {
  const key = createHash('sha256')
    .update(JSON.stringify({ packages: PACKAGES, options: AJV_OPTIONS, allErrors }))
    .update(JSON.stringify(schema))
    .digest('hex')
    .slice(0, 16);
  const prefix = `${name}-${allErrors ? 'all-errors' : 'verdict'}-`;
  const file = path.join(dir, `${prefix}${key}.js`);
  const known = inProcess.get(file);
  if (known) return known;

  const loaded = loadValidator(file);
  if (loaded) {
    stats.loaded++;
    inProcess.set(file, loaded);
    return loaded;
  }
  const started = performance.now();
  const ajv = createAjv({ allErrors, source: true });
  const validate = ajv.compile(schema);
  stats.compiled++;
  stats.compileMs += performance.now() - started;
  writeValidator(dir, file, prefix, standaloneCode(ajv, validate));
  inProcess.set(file, validate);
  return validate;
}

function loadValidator(file: string): ValidateFunction | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const exported: unknown = require(file);
    return typeof exported === 'function' ? (exported as ValidateFunction) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Atomic (write, then rename), so a concurrent process never reads half a file. The generated
 * code's `require`s of ajv's runtime and ajv-formats are made absolute: the cache folder may sit
 * where those packages do not resolve. Stale files of the same validator are removed.
 */
function writeValidator(dir: string, file: string, prefix: string, code: string): void {
  const absolute = code.replace(/require\("((?:ajv|ajv-formats)\/[^"]+)"\)/g, (_all, request: string) => `require(${JSON.stringify(require.resolve(request))})`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, absolute);
    fs.renameSync(temporary, file);
    for (const other of fs.readdirSync(dir)) {
      if (other.startsWith(prefix) && other.endsWith('.js') && path.join(dir, other) !== file) fs.rmSync(path.join(dir, other), { force: true });
    }
  } catch {
    // A read-only install still works: it compiles in every process.
  }
}
