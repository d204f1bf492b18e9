import { sortDiagnostics } from '../vocabulary/diagnostics';
import { effectiveSettings } from '../model';
import { diagnosticCounts, loadMeshOrExit, type StrictOption } from './inputs';
import { EXIT, type Io } from './io';

import type { JsonOptions } from './options';

export interface ValidateOptions extends JsonOptions, StrictOption {}

/** `meshform validate [paths..] [--strict] [--json]` */
export async function runValidate(paths: string[], options: ValidateOptions, io: Io): Promise<number> {
  // With --json the diagnostics go to stdout as data; stderr stays quiet.
  const quiet: Io = options.json ? { ...io, err: () => undefined, status: undefined } : io;
  const loaded = await loadMeshOrExit(quiet, paths, { strict: options.strict });
  const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').length;
  if (options.json) {
    io.out(
      JSON.stringify({
        ok: loaded.ok,
        // Always both: on errors, the files read and the products whose spec passed its own checks.
        files: loaded.ok ? loaded.value.files : (loaded.partial?.files ?? []),
        products: loaded.ok ? loaded.value.mesh.products.map((p) => p.id) : (loaded.partial?.products ?? []),
        effective: loaded.ok ? effectiveSettings(loaded.value.mesh) : undefined,
        diagnostics: sortDiagnostics(loaded.diagnostics),
      }),
    );
  } else if (loaded.ok) {
    const { mesh, files } = loaded.value;
    io.err(
      `ok: ${mesh.products.length} product(s) in ${files.length} file(s)` + (warnings ? `, ${warnings} warning(s)` : ''),
    );
  } else {
    io.err(diagnosticCounts(loaded.diagnostics, options.strict));
  }
  return loaded.ok ? EXIT.OK : loaded.exit;
}
