/**
 * One spec file read and checked on its own, the part of `loadMesh` that needs no other file's
 * result: the same function runs in this thread or in a worker thread (`check-worker.ts`), and
 * what it returns is plain data (structured-cloneable), so `loadMesh` assembles the same mesh and
 * the same diagnostics in file order whatever thread checked each file.
 */
import { type Diagnostic, error } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { isRecord } from '../reading/extension';
import type { SpecFile } from '../reading/files';
import { type MeshFile, MeshFiles } from '../reading/mesh-file';
import type { ProductSpec } from '../reading/product-spec';
import { type SpecLoader, createLoader, displayPath, readSpec, withLimits } from '../reading/read';
import { findRefs, isInside, realPathOf, refPolicyProblem, refTarget } from '../reading/refs';

/** What a run reads through: one loader (each file read once) and the mesh files found so far. */
export interface CheckContext {
  cwd: string;
  load: SpecLoader;
  meshFiles: MeshFiles;
}

export function checkContext(cwd: string): CheckContext {
  const load = createLoader(cwd);
  return { cwd, load, meshFiles: new MeshFiles(load, (p) => displayPath(cwd, p)) };
}

/**
 * How far up a mesh file is searched for: the spec root or the working directory, whichever is
 * higher, so `validate specs/a/x.yaml` finds `specs/meshform.yaml` as `validate specs` does.
 */
export function searchStop(file: SpecFile, cwd: string): string {
  return isInside(cwd, file.root) && isInside(cwd, file.path) ? cwd : file.root;
}

/** A spec file with its mesh file, the root its refs stay inside, and the loader within its limits. */
export interface PlacedSpec {
  file: SpecFile;
  meshFile?: MeshFile;
  load: SpecLoader;
}

export function placeSpec(context: CheckContext, f: SpecFile): PlacedSpec {
  const meshFile = context.meshFiles.forSpec(f.path, searchStop(f, context.cwd));
  // A mesh file marks the root of its mesh: refs may reach anywhere below it.
  const root = meshFile && isInside(meshFile.dir, f.root) ? meshFile.dir : f.root;
  // A spec and the files it refers to are read within its mesh file's limits.
  return { file: { ...f, root }, meshFile, load: meshFile ? withLimits(context.load, meshFile.limits) : context.load };
}

/** A worker thread's task (`check-worker.ts`): files checked in the given working directory. */
export interface CheckTask {
  cwd: string;
  files: SpecFile[];
}

/** One file's outcome: plain data. */
export interface FileOutcome {
  /** The file could not be read (and why). */
  unreadable?: { where: string; reason: string };
  /** Real paths of the files its `$ref`s name (they are fragments, not specs). */
  refs: string[];
  /** Not an AsyncAPI document: decided once every file's refs are known. */
  notAsyncApi?: boolean;
  /** Checked: how the file is displayed, its diagnostics, and its facts or the id of its failed product. */
  checked?: {
    display: string;
    diagnostics: Diagnostic[];
    spec?: ProductSpec;
    failedId?: string;
    /** The text, for a mesh file's Spectral rulesets (see GovernedSpec). */
    text?: string;
  };
}

/** Checks an AsyncAPI document, or says it is none (yet); the syntax tree is let go after. */
export async function checkSpecFile(context: CheckContext, f: SpecFile): Promise<FileOutcome> {
  const placed = placeSpec(context, f);
  const { file, load } = placed;
  const source = load(file.path);
  if (!source) {
    return { refs: [], unreadable: { where: displayPath(context.cwd, file.path), reason: context.load.failure(file.path) ?? 'unknown reason' } };
  }
  const refs: string[] = [];
  for (const { ref } of findRefs(source.value)) {
    if (refPolicyProblem(ref, source.path, file.root)) continue;
    const target = refTarget(ref, source.path, file.root);
    // By real path: a fragment reached through a link (inside the root) is the file it links to.
    if (target !== undefined) refs.push(realPathOf(target));
  }
  if (!(isRecord(source.value) && 'asyncapi' in source.value)) return { refs, notAsyncApi: true };
  const outcome = await checkSource(placed);
  // Read again (same file, same limits) should a later spec refer to it.
  context.load.forget(file.path);
  return { refs, checked: outcome };
}

/** The checks of one spec file already read (`placed.load` returns it from the cache). */
export async function checkSource(placed: PlacedSpec): Promise<NonNullable<FileOutcome['checked']>> {
  const { file, meshFile, load } = placed;
  const source = load(file.path);
  if (!source) return { display: file.path, diagnostics: [error(CODES.fileRead, 'cannot read the file', { file: file.path, line: 1, col: 1 })] };
  const result = await readSpec(source, file.root, load, meshFile);
  return {
    display: source.display,
    diagnostics: result.diagnostics,
    spec: result.spec,
    failedId: result.spec ? undefined : result.productId,
    text: result.spec && meshFile && meshFile.rulesets.length > 0 ? source.text : undefined,
  };
}
