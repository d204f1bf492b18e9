/**
 * `meshform breaking [paths..] --against <git-ref | folder> [--mesh <file|url>] [--stack <name>] [--json]`:
 * what changed in the mesh since the older one, and which changes break a consumer
 * (src/breaking/compare.ts). With --mesh, products of other repositories (a mesh index) count as
 * consumers and grantees, so a product repository's CI sees what it breaks elsewhere.
 * Exit 1 when anything breaks, so it works as a CI check; 2 for a usage problem.
 */
import { AgainstError, resolveAgainst } from '../breaking/against';
import { compareMeshes, type Finding } from '../breaking/compare';
import { type Diagnostic, formatDiagnostic } from '../vocabulary/diagnostics';
import { loadMesh, type Mesh } from '../model';
import { compareText } from '../compare';
import type { MeshIndex } from '../mesh-index';
import { outsideProducts } from '../mesh-index';
import { loadMeshIndex, MeshIndexError } from '../mesh-index/load';
import { DEFAULT_COMPATIBILITY, type Compatibility } from '../schemas/types';
import { CODES } from '../vocabulary/codes';
import { DEFAULT_SPEC_PATHS, diagnosticCounts, loadStackOrExit, printDiagnostics } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions } from './options';
import { specProgress } from './progress';

export interface BreakingOptions extends JsonOptions {
  against: string;
  stack?: string;
  /** A mesh index (file or URL): consumers and grants of products outside this repository. */
  mesh?: string;
}

/** Mesh-wide access errors in the new mesh are exactly what a breaking change looks like: reported as findings. */
const ACCESS_CODES: readonly string[] = [CODES.consumePrivate, CODES.consumeNoGrant, CODES.sendNoGrant];

export async function runBreaking(givenPaths: string[], options: BreakingOptions, io: Io): Promise<number> {
  let level: Compatibility = DEFAULT_COMPATIBILITY;
  if (options.stack) {
    const stack = loadStackOrExit(io, options.stack);
    if (!stack.ok) return stack.exit;
    level = stack.value.schemas.compatibility;
  }
  const paths = givenPaths.length ? givenPaths : DEFAULT_SPEC_PATHS;
  const cwd = process.cwd();
  let index: MeshIndex | undefined;
  if (options.mesh) {
    try {
      index = await loadMeshIndex(options.mesh, cwd);
    } catch (e) {
      if (e instanceof MeshIndexError) throw new UsageError(e.message);
      throw e;
    }
  }
  const now = await loadMesh(paths, { cwd, onProgress: specProgress(io) });
  const blocking = now.diagnostics.filter((d) => d.severity === 'error' && !ACCESS_CODES.includes(d.code));
  printDiagnostics(io, now.diagnostics.filter((d) => !ACCESS_CODES.includes(d.code) && !(index && knownFromIndex(d, index))));
  if (blocking.length > 0) {
    io.err(`${diagnosticCounts(blocking)}: fix the specs before comparing`);
    return blocking.every((d) => d.code === CODES.fileRead || d.code === CODES.noSpecs) ? EXIT.USAGE : EXIT.FAILED;
  }

  let against;
  try {
    against = resolveAgainst(options.against, paths, cwd);
  } catch (e) {
    if (e instanceof AgainstError) throw new UsageError(e.message);
    throw e;
  }
  try {
    const then = against.paths.length > 0 ? await loadMesh(against.paths, { cwd: against.cwd }) : undefined;
    const oldErrors = then?.diagnostics.filter((d) => d.severity === 'error' && d.code !== CODES.noSpecs) ?? [];
    if (oldErrors.length > 0) {
      io.err(`meshform breaking: the mesh at ${options.against} has ${oldErrors.length} error(s); compared the specs that could be read:`);
      for (const d of oldErrors) io.err(`  ${formatOld(d, against.describe)}`);
    }
    const before = then?.built ?? { products: [] };
    // Products of other repositories, from the index: in both meshes, so only this repository's changes show.
    const local = new Set([...before.products, ...now.built.products].map((p) => p.id));
    const outside = index ? outsideProducts(index, local, `mesh index ${options.mesh}`) : [];
    const withOutside = (mesh: Mesh): Mesh => ({ products: [...mesh.products, ...outside].sort((a, b) => compareText(a.id, b.id)) });
    const findings = compareMeshes(withOutside(before), withOutside(now.built), {
      defaultCompatibility: level,
      describeOld: (l) => `${against.describe(l.file)}:${l.line}`,
      outside: new Set(outside.map((p) => p.id)),
    });
    const breaking = findings.filter((f) => f.breaking).length;
    if (options.json) {
      io.out(JSON.stringify({ against: options.against, ...(options.mesh && { mesh: options.mesh, outsideProducts: outside.length }), breaking, compatible: findings.length - breaking, findings }, null, 2));
    } else {
      for (const f of findings) io.out(formatFinding(f));
      io.out(`${breaking} breaking change(s), ${findings.length - breaking} compatible change(s) against ${options.against}${index ? ` (with ${outside.length} product(s) of other repositories from ${options.mesh})` : ''}`);
    }
    return breaking > 0 ? EXIT.FAILED : EXIT.OK;
  } finally {
    against.cleanup();
  }
}

/**
 * A warning that only says the repository does not hold another product's spec (a grant to a
 * product, a receive from a topic, of another repository), which the index answers.
 */
function knownFromIndex(d: Diagnostic, index: MeshIndex): boolean {
  if (d.code === CODES.grantUnknownProduct) return index.products.some((p) => d.message.startsWith(`grant to ${p.urn}:`) || d.message.startsWith(`grant to ${p.id}:`));
  if (d.code === CODES.consumeUndeclared) return index.products.some((p) => p.topics.some((t) => d.message.includes(` receives from ${t.name} but `)));
  return false;
}

export function formatFinding(f: Finding): string {
  const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.col}: ` : '';
  return `${where}${f.breaking ? 'breaking' : 'compatible'} ${f.code}: ${f.message}`;
}

function formatOld(d: Diagnostic, describe: (file: string) => string): string {
  return formatDiagnostic(d.location ? { ...d, location: { ...d.location, file: describe(d.location.file) } } : d);
}
