/** The mesh model: load specs from files and folders, check them, build the mesh. */
import { type Diagnostic, error, hasErrors, sortDiagnostics } from '../diagnostics';
import { CODES } from '../spec/codes';
import { discoverSpecFiles } from '../spec/files';
import type { ProductSpec } from '../spec/product-spec';
import { createLoader, displayPath, readSpec } from '../spec/read';
import { findRefs, refTarget } from '../spec/refs';
import { buildMesh } from './build';
import type { Mesh } from './types';

export * from './types';
export { buildMesh } from './build';

export interface LoadResult {
  /** Set only when there is no error. */
  mesh?: Mesh;
  /** Every problem in every file, sorted (see sortDiagnostics). */
  diagnostics: Diagnostic[];
  /** The spec files read, as displayed (relative to cwd). */
  files: string[];
  /** Ids of the products whose spec passed its own checks, sorted; also when other files have errors. */
  products: string[];
}

/**
 * @param paths files or folders (folders are searched recursively for *.yaml, *.yml, *.json).
 *   A file that another spec `$ref`s and that is not itself an AsyncAPI document is a shared
 *   fragment, not a spec.
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
  const load = createLoader(cwd);
  const diagnostics: Diagnostic[] = [];
  const discovery = discoverSpecFiles(paths, cwd);
  for (const missing of discovery.missing) diagnostics.push(error(CODES.fileRead, `${missing}: no such file or folder`));
  for (const folder of discovery.unreadable) {
    diagnostics.push(error(CODES.fileRead, `${displayPath(cwd, folder.path)}: cannot be read: ${folder.reason}`));
  }

  const sources = discovery.files.map((f) => ({ file: f, source: load(f.path) }));
  const fragments = new Set<string>();
  for (const { file, source } of sources) {
    for (const { ref } of findRefs(source?.value)) {
      const target = /^[a-z][a-z0-9+.-]*:/i.test(ref) ? undefined : refTarget(ref, file.path);
      if (target !== undefined) fragments.add(target);
    }
  }

  const specs: ProductSpec[] = [];
  const files: string[] = [];
  let checked = 0;
  let unreadableFiles = 0;
  for (const { file, source } of sources) {
    options?.onProgress?.(checked++, sources.length);
    if (!source) {
      unreadableFiles++;
      const where = { file: displayPath(cwd, file.path), line: 1, col: 1 };
      diagnostics.push(error(CODES.fileRead, `cannot read the file: ${load.failure(file.path) ?? 'unknown reason'}`, where));
      continue;
    }
    const isAsyncApi = typeof source.value === 'object' && source.value !== null && 'asyncapi' in source.value;
    if (fragments.has(file.path) && !isAsyncApi) continue;
    files.push(source.display);
    const result = await readSpec(source, file.root, load);
    diagnostics.push(...result.diagnostics);
    if (result.spec) specs.push(result.spec);
  }
  options?.onProgress?.(checked, sources.length);
  // Only when nothing else explains the empty result: a wrong path or an unreadable file already did.
  if (files.length === 0 && discovery.missing.length === 0 && discovery.unreadable.length === 0 && unreadableFiles === 0) {
    diagnostics.push(error(CODES.noSpecs, `no spec files (*.yaml, *.yml, *.json) in ${paths.join(', ') || '(no paths)'}`));
  }

  const built = buildMesh(specs);
  diagnostics.push(...built.diagnostics);
  const sorted = sortDiagnostics(diagnostics);
  return { mesh: hasErrors(sorted) ? undefined : built.mesh, diagnostics: sorted, files, products: built.mesh.products.map((p) => p.id) };
}
