/** The mesh model: load specs from files and folders, check them, build the mesh. */
import { type Diagnostic, error, formatDiagnostic, hasErrors, sortDiagnostics, warning } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { isRecord } from '../reading/extension';
import { type SpecFile, discoverSpecFiles } from '../reading/files';
import { MeshFiles } from '../reading/mesh-file';
import type { ProductSpec } from '../reading/product-spec';
import { createLoader, displayPath, readSpec, withLimits } from '../reading/read';
import { findRefs, isInside, realPathOf, refPolicyProblem, refTarget } from '../reading/refs';
import { buildMesh } from './build';
import { type GovernedSpec, govern } from '../governance';
import { locate } from '../reading/source';
import * as path from 'node:path';
import type { Mesh } from '../vocabulary/mesh';

export * from '../vocabulary/mesh';
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
 * How far up a mesh file is searched for: the spec root or the working directory, whichever is
 * higher, so `validate specs/a/x.yaml` finds `specs/meshform.yaml` as `validate specs` does.
 */
export function searchStop(file: SpecFile, cwd: string): string {
  return isInside(cwd, file.root) && isInside(cwd, file.path) ? cwd : file.root;
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
  const load = createLoader(cwd);
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

  const meshFiles = new MeshFiles(load, (p) => displayPath(cwd, p));
  const sources = discovery.files.map((f) => {
    const meshFile = meshFiles.forSpec(f.path, searchStop(f, cwd));
    // A mesh file marks the root of its mesh: refs may reach anywhere below it.
    const root = meshFile && isInside(meshFile.dir, f.root) ? meshFile.dir : f.root;
    // A spec and the files it refers to are read within its mesh file's limits.
    const specLoad = meshFile ? withLimits(load, meshFile.limits) : load;
    return { file: { ...f, root }, meshFile, load: specLoad, source: specLoad(f.path) };
  });
  const fragments = new Set<string>();
  // A mesh file's Spectral rulesets may sit among the specs: they are rules, not specs.
  for (const { meshFile } of sources) for (const r of meshFile?.rulesets ?? []) fragments.add(r.path);
  for (const { file, source } of sources) {
    for (const { ref } of findRefs(source?.value)) {
      if (refPolicyProblem(ref, file.path, file.root)) continue;
      const target = refTarget(ref, file.path, file.root);
      // By real path: a fragment reached through a link (inside the root) is the file it links to.
      if (target !== undefined) fragments.add(realPathOf(target));
    }
  }

  const specs: ProductSpec[] = [];
  const governed = new Map<string, GovernedSpec>();
  const failedIds = new Set<string>();
  const files: string[] = [];
  let checked = 0;
  let unreadableFiles = 0;
  for (const { file, meshFile, load: specLoad, source } of sources) {
    options?.onProgress?.(checked++, sources.length);
    if (!source) {
      unreadableFiles++;
      const where = { file: displayPath(cwd, file.path), line: 1, col: 1 };
      diagnostics.push(error(CODES.fileRead, `cannot read the file: ${load.failure(file.path) ?? 'unknown reason'}`, where));
      continue;
    }
    const isAsyncApi = isRecord(source.value) && 'asyncapi' in source.value;
    if (!isAsyncApi && fragments.has(realPathOf(file.path))) continue;
    if (!isAsyncApi && source.syntaxErrors.length === 0 && !looksLikeSpec(source.value)) {
      diagnostics.push(warning(CODES.notASpec, 'not a spec (no "asyncapi" field) and no spec references it: ignored', { file: source.display, line: 1, col: 1 }));
      continue;
    }
    files.push(source.display);
    const result = await readSpec(source, file.root, specLoad, meshFile);
    diagnostics.push(...result.diagnostics);
    if (result.spec) {
      specs.push(result.spec);
      governed.set(result.spec.product.id, { source, root: file.root, meshFile });
    }
    else if (result.productId) failedIds.add(result.productId);
  }
  for (const meshFile of meshFiles.all()) diagnostics.push(...meshFile.diagnostics);
  options?.onProgress?.(checked, sources.length);
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
  return { mesh: hasErrors(sorted) ? undefined : built.mesh, built: built.mesh, diagnostics: sorted, files, rules: governance.rules };
}
