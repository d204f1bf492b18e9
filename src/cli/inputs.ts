/**
 * The front half every command shares: specs -> mesh (+ stack -> plan), with diagnostics printed
 * once in the standard format. Commands get either their inputs or the exit code to return.
 */
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../vocabulary/diagnostics';
import { loadMesh } from '../model';
import { gcpNameProblems } from '../model/gcp-names';
import { CODES } from '../vocabulary/codes';
import type { Mesh } from '../vocabulary/mesh';
import { planMesh } from '../plan';
import type { Plan } from '../plan/types';
import { loadStack } from '../stack/load';
import type { StackConfig } from '../stack/types';
import { EXIT, type Io } from './io';
import { specProgress } from './progress';

export const DEFAULT_SPEC_PATHS = ['specs'];

export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): void {
  for (const d of sortDiagnostics(diagnostics)) io.err(formatDiagnostic(d));
}

/** `2 error(s), 1 warning(s)`: the closing line after a run's diagnostics (with `strict`, saying that warnings fail). */
export function diagnosticCounts(diagnostics: readonly Diagnostic[], strict = false): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} error(s), ${warnings} warning(s)${strict && errors === 0 && warnings > 0 ? '; --strict: warnings fail' : ''}`;
}

export type Loaded<T> =
  | { ok: true; value: T; diagnostics: Diagnostic[] }
  | { ok: false; exit: number; diagnostics: Diagnostic[]; /** What was read before the errors (specs only). */ partial?: { files: string[]; products: string[] } };

/** `--strict`: warnings fail the run (exit 1) as errors do. */
export interface StrictOption {
  strict?: boolean;
}

export async function loadMeshOrExit(io: Io, paths: string[], options: StrictOption = {}): Promise<Loaded<{ mesh: Mesh; files: string[] }>> {
  const result = await loadMesh(paths.length ? paths : DEFAULT_SPEC_PATHS, { onProgress: specProgress(io) });
  printDiagnostics(io, result.diagnostics);
  const failed = !result.mesh || hasErrors(result.diagnostics);
  if (failed || (options.strict && result.diagnostics.length > 0)) {
    return {
      ok: false,
      exit: failed && pathsWrong(result.diagnostics) ? EXIT.USAGE : EXIT.FAILED,
      diagnostics: result.diagnostics,
      partial: { files: result.files, products: result.built.products.map((p) => p.id) },
    };
  }
  return { ok: true, value: { mesh: result.mesh as Mesh, files: result.files }, diagnostics: result.diagnostics };
}

/** A path that does not exist, or holds no spec, is a mistake in the call (exit 2), not in a spec. */
function pathsWrong(diagnostics: readonly Diagnostic[]): boolean {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return errors.every((d) => d.code === CODES.fileRead || d.code === CODES.noSpecs);
}

export function loadStackOrExit(io: Io, stackName: string, root = process.cwd()): Loaded<StackConfig> {
  const { stack, diagnostics } = loadStack(stackName, { root });
  printDiagnostics(io, diagnostics);
  if (!stack || hasErrors(diagnostics)) return { ok: false, exit: EXIT.USAGE, diagnostics };
  return { ok: true, value: stack, diagnostics };
}

/**
 * Stack first (a wrong stack name is a usage error and needs no spec parsing), then specs, then the
 * plan. With `strict`, a warning in either fails the run (exit 1) before the plan is made.
 */
export async function loadPlanOrExit(
  io: Io,
  paths: string[],
  stackName: string,
  options: StrictOption = {},
): Promise<Loaded<{ plan: Plan; mesh: Mesh; stack: StackConfig; files: string[] }>> {
  const loaded = await loadPlanInputsOrExit(io, paths, stackName, options);
  if (!loaded.ok) return loaded;
  return { ...loaded, value: { ...loaded.value, plan: planMesh(loaded.value.mesh, loaded.value.stack) } };
}

/** What `loadPlanOrExit` checks before it makes the plan, for a caller that plans a product at a time (`meshPlanner`). */
export async function loadPlanInputsOrExit(
  io: Io,
  paths: string[],
  stackName: string,
  options: StrictOption = {},
): Promise<Loaded<{ mesh: Mesh; stack: StackConfig; files: string[] }>> {
  const stack = loadStackOrExit(io, stackName);
  if (!stack.ok) return stack;
  const mesh = await loadMeshOrExit(io, paths, options);
  if (!mesh.ok) {
    io.err(diagnosticCounts(mesh.diagnostics, options.strict));
    return mesh;
  }
  if (options.strict && stack.diagnostics.length > 0) {
    io.err(diagnosticCounts(stack.diagnostics, true));
    return { ok: false, exit: EXIT.FAILED, diagnostics: stack.diagnostics };
  }
  // GCP names made with {env} are checked now that the stack's environment is known.
  const names = gcpNameProblems(mesh.value.mesh.products, stack.value.environment);
  if (names.length > 0) {
    printDiagnostics(io, names);
    io.err(diagnosticCounts(names, options.strict));
    return { ok: false, exit: EXIT.FAILED, diagnostics: [...stack.diagnostics, ...mesh.diagnostics, ...names] };
  }
  return {
    ok: true,
    value: { mesh: mesh.value.mesh, stack: stack.value, files: mesh.value.files },
    diagnostics: [...stack.diagnostics, ...mesh.diagnostics],
  };
}
