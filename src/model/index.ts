/** The mesh model: load specs from files and folders, check them, build the mesh. */
import { type Diagnostic, error, formatDiagnostic, hasErrors, sortDiagnostics, warning } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { isRecord } from '../reading/extension';
import { type SpecFile, discoverSpecFiles } from '../reading/files';
import type { ProductSpec } from '../reading/product-spec';
import { displayPath } from '../reading/read';
import type { SpecSource } from '../reading/source';
import { realPathOf } from '../reading/refs';
import { availableParallelism } from 'node:os';
import { workerCount, workerPool, workersAsked } from '../parallel';
import { buildMesh } from './build';
import { type CheckContext, type CheckTask, type FileOutcome, checkContext, checkSource, checkSpecFile, placeSpec } from './check-file';
import { type GovernedSpec, govern, governedSpec } from '../governance';
import { locate } from '../reading/source';
import * as path from 'node:path';
import type { Mesh } from '../vocabulary/mesh';

export * from '../vocabulary/mesh';
export { searchStop } from './check-file';
export { effectiveSettings } from './settings';
export { buildMesh } from './build';

export interface LoadResult {
  /** Set only when there is no error. */
  mesh?: Mesh;
  /**
   * The mesh built from every spec that passed its own checks, even when the mesh as a whole has
   * errors (for comparisons such as `meshform breaking`, never for provisioning).
   */
  built: Mesh;
  /** Every problem in every file, sorted (see sortDiagnostics). */
  diagnostics: Diagnostic[];
  /** The spec files read, as displayed (relative to cwd). */
  files: string[];
  /** By product id: the governance rules its mesh file holds it to (absent: none). */
  rules: Record<string, string[]>;
}

/**
 * A file without `asyncapi` that is still meant as a spec (its version field forgotten), not a
 * schema or some other YAML/JSON that lives next to the specs.
 */
function looksLikeSpec(value: unknown): boolean {
  // An empty file is a spec not written yet (MF-ASYNCAPI-VERSION says it is empty).
  if (value === null || value === undefined) return true;
  if (!isRecord(value)) return false;
  return ['channels', 'operations', 'info', 'servers', 'x-meshform'].some((k) => k in value) || (typeof value.id === 'string' && value.id.startsWith('urn:'));
}

/**
 * Below this many spec files a run checks them in this thread: starting a worker thread (loading
 * the reader and the AsyncAPI validators) costs about as much as checking a few hundred specs.
 */
export const MIN_FILES_FOR_THREADS = 500;
/**
 * On two cores the one worker thread beside the main thread pays only on very large meshes: each
 * outcome is copied back and the worker loads its own reader, ~30% more CPU in all. Measured with
 * `validate` (2026-12-07, quiet, 10 channels per spec), wall time without / with the thread: 1,000
 * specs 1.5 / 1.8-1.9 s, 3,000 specs 3.3 / 3.6-3.8 s, 10,000 specs 9.9-10.5 / 9.2-10.6 s.
 */
export const MIN_FILES_FOR_THREADS_ON_TWO_CORES = 5000;

/**
 * From how many spec files a run checks them in threads: MIN_FILES_FOR_THREADS when
 * `MESHFORM_WORKERS` is set (asked for) or there are more than two cores, else
 * MIN_FILES_FOR_THREADS_ON_TWO_CORES.
 */
export function minFilesForThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  return workersAsked(env) || cores > 2 ? MIN_FILES_FOR_THREADS : MIN_FILES_FOR_THREADS_ON_TWO_CORES;
}
/** Files per batch: few messages to the threads, yet an even spread over them. */
const FILES_PER_TASK = 50;
/**
 * Batches handed to each thread at once (piscina's concurrentTasksPerWorker): one is checked while
 * the next waits in the thread, so the thread never waits for this one to pass it on.
 */
const TASKS_IN_FLIGHT = 2;
/** This thread takes the threads' answers after this many files of its own batch (and after the batch). */
const FILES_BETWEEN_ANSWERS = 10;

/**
 * Every file's outcome, in file order. On a large mesh, when threads are allowed, the files are
 * checked in batches by worker threads (src/parallel.ts; one fewer than the cores) and by this
 * thread, each taking the next batch when it is free; else all in this thread. The outcomes are the
 * same either way: a file's check depends on no other file's, and batches are put back in order.
 */
async function checkFiles(context: CheckContext, files: SpecFile[], onProgress?: (checked: number, total: number) => void): Promise<FileOutcome[]> {
  let checked = 0;
  const progress = (n: number) => {
    for (let i = 0; i < n; i++) onProgress?.(checked++, files.length);
  };
  const threads = Math.min(workerCount(), Math.max(1, availableParallelism() - 1));
  const pool = files.length >= minFilesForThreads() ? workerPool(__dirname, 'check-worker', threads, TASKS_IN_FLIGHT) : undefined;
  const batches: SpecFile[][] = [];
  for (let start = 0; start < files.length; start += pool ? FILES_PER_TASK : files.length) batches.push(files.slice(start, start + (pool ? FILES_PER_TASK : files.length)));
  const done: FileOutcome[][] = [];
  let next = 0;
  const here = async () => {
    while (next < batches.length) {
      const index = next++;
      const outcomes: FileOutcome[] = [];
      for (const file of batches[index]) {
        progress(1);
        outcomes.push(await checkSpecFile(context, file));
        // Lets the threads' answers in, and their next batches out, every few files: a thread
        // that waited for this one to finish a whole batch sat idle (a fifth of its time).
        if (pool && outcomes.length % FILES_BETWEEN_ANSWERS === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      done[index] = outcomes;
    }
  };
  const there = async (running: NonNullable<typeof pool>) => {
    while (next < batches.length) {
      const index = next++;
      done[index] = (await running.run({ cwd: context.cwd, files: batches[index] } satisfies CheckTask)) as FileOutcome[];
      progress(done[index].length);
    }
  };
  try {
    // Batches in flight per thread: a thread starts its next one while this thread takes its answer.
    await Promise.all([...(pool ? Array.from({ length: TASKS_IN_FLIGHT * threads }, () => there(pool)) : []), here()]);
  } finally {
    await pool?.destroy();
  }
  onProgress?.(checked, files.length);
  return done.flat();
}

/**
 * @param paths files or folders (folders are searched recursively for *.yaml, *.yml, *.json).
 *   A file that another spec `$ref`s and that is not itself an AsyncAPI document is a shared
 *   fragment, not a spec; `meshform.yaml` files are mesh files (`spec/mesh-file.ts`), not specs.
 */
export async function loadMesh(
  paths: string[],
  options?: {
    cwd?: string;
    /** Called after each spec file is checked, for progress on large meshes; keep it cheap. */
    onProgress?: (checked: number, total: number) => void;
  },
): Promise<LoadResult> {
  const cwd = options?.cwd ?? process.cwd();
  const diagnostics: Diagnostic[] = [];
  const discovery = discoverSpecFiles(paths, cwd);
  for (const missing of discovery.missing) diagnostics.push(error(CODES.fileRead, `${missing}: no such file or folder`));
  for (const folder of discovery.unreadable) {
    diagnostics.push(error(CODES.fileRead, `${displayPath(cwd, folder.path)}: cannot be read: ${folder.reason}`));
  }
  for (const link of discovery.escapes) {
    const where = { file: displayPath(cwd, link.path), line: 1, col: 1 };
    diagnostics.push(error(CODES.linkEscape, `a symbolic link to outside ${displayPath(cwd, link.root) || '.'}: not read (specs and the files they refer to must lie inside the folder given)`, where));
  }

  const context = checkContext(cwd);
  const { load, meshFiles } = context;
  const sources = discovery.files.map((f) => placeSpec(context, f));

  // Specs are checked one at a time (in worker threads on a large mesh) and their syntax trees let
  // go once checked, so memory holds the facts of thousands of specs, not their trees. A file
  // without `asyncapi` waits until every file's refs are known: only then can it be told apart
  // from a shared fragment. Outcomes are taken in file order, whatever thread checked them.
  const fragments = new Set<string>();
  // A mesh file's Spectral rulesets may sit among the specs: they are rules, not specs.
  for (const { meshFile } of sources) for (const r of meshFile?.rulesets ?? []) fragments.add(r.path);
  const outcomes = await checkFiles(context, discovery.files, options?.onProgress);
  for (const outcome of outcomes) for (const ref of outcome.refs) fragments.add(ref);

  const specs: ProductSpec[] = [];
  const governed = new Map<string, GovernedSpec>();
  const failedIds = new Set<string>();
  const files: Array<{ index: number; display: string }> = [];
  const notAsyncApi: number[] = [];
  let unreadableFiles = 0;
  const take = (index: number, checked: NonNullable<FileOutcome['checked']>) => {
    files.push({ index, display: checked.display });
    diagnostics.push(...checked.diagnostics);
    if (checked.spec) {
      specs.push(checked.spec);
      // Governance keeps the mesh file, and the text only for a mesh file's Spectral rulesets.
      governed.set(checked.spec.product.id, governedSpec(sources[index].file.path, checked.text, sources[index].meshFile));
    } else if (checked.failedId) failedIds.add(checked.failedId);
  };
  outcomes.forEach((outcome, index) => {
    if (outcome.unreadable) {
      unreadableFiles++;
      diagnostics.push(error(CODES.fileRead, `cannot read the file: ${outcome.unreadable.reason}`, { file: outcome.unreadable.where, line: 1, col: 1 }));
    } else if (outcome.notAsyncApi) notAsyncApi.push(index);
    else if (outcome.checked) take(index, outcome.checked);
  });
  for (const index of notAsyncApi) {
    const { file, load: specLoad } = sources[index];
    if (fragments.has(realPathOf(file.path))) continue;
    const source = specLoad(file.path) as SpecSource;
    if (source.syntaxErrors.length === 0 && !looksLikeSpec(source.value)) {
      diagnostics.push(warning(CODES.notASpec, 'not a spec (no "asyncapi" field) and no spec references it: ignored', { file: source.display, line: 1, col: 1 }));
      continue;
    }
    take(index, await checkSource(sources[index]));
  }
  for (const meshFile of meshFiles.all()) diagnostics.push(...meshFile.diagnostics);
  // Only when nothing else explains the empty result: a wrong path or an unreadable file already did.
  if (files.length === 0 && discovery.missing.length === 0 && discovery.unreadable.length === 0 && discovery.escapes.length === 0 && unreadableFiles === 0) {
    diagnostics.push(error(CODES.noSpecs, `no spec files (*.yaml, *.yml, *.json) in ${paths.join(', ') || '(no paths)'}`));
  }

  const built = buildMesh(specs, failedIds);
  diagnostics.push(...built.diagnostics);
  const governance = await govern(built.mesh, governed, {
    cwd,
    locateIn: (file, at, locateOptions) => {
      const source = load(path.resolve(cwd, file));
      return source?.value !== undefined ? locate(source, at, locateOptions) : { file, line: 1, col: 1 };
    },
  });
  diagnostics.push(...governance.diagnostics);
  // A shared schema file with a mistake is reported by every spec that refers to it: once is enough.
  const sorted = sortDiagnostics([...new Map(diagnostics.map((d) => [formatDiagnostic(d), d])).values()]);
  const displayed = files.sort((a, b) => a.index - b.index).map((f) => f.display);
  return { mesh: hasErrors(sorted) ? undefined : built.mesh, built: built.mesh, diagnostics: sorted, files: displayed, rules: governance.rules };
}
