import { sortDiagnostics } from '../diagnostics';
import { effectiveSettings } from '../model';
import { parseCommandArgs } from './args';
import { diagnosticCounts, loadMeshOrExit } from './inputs';
import { EXIT, type Io } from './io';

/** `meshform validate [paths..] [--json]` */
export async function runValidate(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } });
  // With --json the diagnostics go to stdout as data; stderr stays quiet.
  const quiet: Io = values.json ? { ...io, err: () => undefined, status: undefined } : io;
  const loaded = await loadMeshOrExit(quiet, positionals);
  const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').length;
  if (values.json) {
    io.out(
      JSON.stringify({
        ok: loaded.ok,
        files: loaded.ok ? loaded.value.files : undefined,
        products: loaded.ok ? loaded.value.mesh.products.map((p) => p.id) : undefined,
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
    io.err(diagnosticCounts(loaded.diagnostics));
  }
  return loaded.ok ? EXIT.OK : loaded.exit;
}
