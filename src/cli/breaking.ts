/**
 * `meshform breaking [paths..] --against <git-ref | folder> [--stack <name>] [--json]`: what changed
 * in the mesh since the older one, and which changes break a consumer (src/breaking/compare.ts).
 * Exit 1 when anything breaks, so it works as a CI check; 2 for a usage problem.
 */
import { AgainstError, resolveAgainst } from '../breaking/against';
import { compareMeshes, type Finding } from '../breaking/compare';
import { type Diagnostic, formatDiagnostic } from '../vocabulary/diagnostics';
import { loadMesh } from '../model';
import { DEFAULT_COMPATIBILITY, type Compatibility } from '../schemas/types';
import { CODES } from '../vocabulary/codes';
import { DEFAULT_SPEC_PATHS, diagnosticCounts, loadStackOrExit, printDiagnostics } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions } from './options';
import { specProgress } from './progress';

export interface BreakingOptions extends JsonOptions {
  against: string;
  stack?: string;
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
  const now = await loadMesh(paths, { cwd, onProgress: specProgress(io) });
  const blocking = now.diagnostics.filter((d) => d.severity === 'error' && !ACCESS_CODES.includes(d.code));
  printDiagnostics(io, now.diagnostics.filter((d) => !ACCESS_CODES.includes(d.code)));
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
    const findings = compareMeshes(then?.built ?? { products: [] }, now.built, {
      defaultCompatibility: level,
      describeOld: (l) => `${against.describe(l.file)}:${l.line}`,
    });
    const breaking = findings.filter((f) => f.breaking).length;
    if (options.json) {
      io.out(JSON.stringify({ against: options.against, breaking, compatible: findings.length - breaking, findings }, null, 2));
    } else {
      for (const f of findings) io.out(formatFinding(f));
      io.out(`${breaking} breaking change(s), ${findings.length - breaking} compatible change(s) against ${options.against}`);
    }
    return breaking > 0 ? EXIT.FAILED : EXIT.OK;
  } finally {
    against.cleanup();
  }
}

export function formatFinding(f: Finding): string {
  const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.col}: ` : '';
  return `${where}${f.breaking ? 'breaking' : 'compatible'} ${f.code}: ${f.message}`;
}

function formatOld(d: Diagnostic, describe: (file: string) => string): string {
  return formatDiagnostic(d.location ? { ...d, location: { ...d.location, file: describe(d.location.file) } } : d);
}
