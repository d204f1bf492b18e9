/**
 * `meshform catalog [paths..] [--stack <s>] --out <dir> [--serve [--port n]] [--storage file] [--consumption file]`:
 * the mesh as a static site. Specs with mesh-level errors (a consumption without a grant) are
 * still shown, with the problem marked, and the command then exits 1 after writing the site.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCatalog, serveSite, SiteWriteError, writeSite } from '../catalog';
import type { CatalogInput } from '../catalog';
import { parseConsumptionReport, parseStorageReport, type ParsedReport } from '../adapters/kafka/reports/read';
import { hasErrors } from '../vocabulary/diagnostics';
import { loadMesh } from '../model';
import { CODES } from '../vocabulary/codes';
import { describeFsError } from '../reading/files';
import { meshIndex } from '../mesh-index';

/** Where the catalog puts the mesh index, beside index.html. */
export const MESH_INDEX_FILE = 'mesh.json';
import { DEFAULT_SPEC_PATHS, diagnosticCounts, loadStackOrExit, printDiagnostics } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import { specProgress } from './progress';

export interface CatalogOptions {
  stack?: string;
  out?: string;
  serve?: boolean;
  port?: number;
  storage?: string;
  consumption?: string;
  title?: string;
  /** Resolves when a `--serve` run should stop; default: SIGINT or SIGTERM. */
  untilStopped?: (url: string) => Promise<void>;
}

export async function runCatalog(paths: string[], options: CatalogOptions, io: Io): Promise<number> {
  if (!options.out && !options.serve) throw new UsageError('--out <dir> is required (or --serve to look at the catalog without keeping it)');
  if (options.port !== undefined && !options.serve) throw new UsageError('--port needs --serve');

  const input: Partial<CatalogInput> = { ...(options.title && { title: options.title }) };
  if (options.stack) {
    const stack = loadStackOrExit(io, options.stack);
    if (!stack.ok) return stack.exit;
    input.stack = stack.value;
  }
  for (const [kind, file, parse] of [
    ['storage', options.storage, parseStorageReport],
    ['consumption', options.consumption, parseConsumptionReport],
  ] as const) {
    if (!file) continue;
    const parsed = readReport(file, parse as (text: string) => ParsedReport<unknown>);
    if ('problem' in parsed) {
      io.err(`meshform catalog: --${kind} ${file}: ${parsed.problem}`);
      return EXIT.USAGE;
    }
    (input as Record<string, unknown>)[kind] = { report: parsed.report, file };
  }

  if (paths.length === 0) paths = DEFAULT_SPEC_PATHS;
  const loaded = await loadMesh(paths, { onProgress: specProgress(io) });
  printDiagnostics(io, loaded.diagnostics);
  const errors = hasErrors(loaded.diagnostics);
  const pathsWrong = loaded.diagnostics.some((d) => d.severity === 'error' && (d.code === CODES.fileRead || d.code === CODES.noSpecs) && !d.location);
  if (pathsWrong) {
    io.err(diagnosticCounts(loaded.diagnostics));
    return EXIT.USAGE;
  }
  const mesh = loaded.built;
  if (!mesh || mesh.products.length === 0) {
    io.err(`${diagnosticCounts(loaded.diagnostics)}; no product to show, no catalog written`);
    return errors ? EXIT.FAILED : EXIT.USAGE;
  }

  const files = await buildCatalog({
    ...input,
    mesh,
    files: loaded.files,
    diagnostics: loaded.diagnostics,
    rules: loaded.rules,
  });

  // The mesh index, for product repositories' `meshform breaking --mesh <site>/mesh.json`.
  files.set(MESH_INDEX_FILE, `${JSON.stringify(meshIndex(mesh), null, 2)}\n`);
  const out = options.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-catalog-'));
  try {
    const result = writeSite(out, files);
    const pages = [...files.keys()].filter((f) => f.endsWith('.html')).length;
    io.err(
      `meshform catalog: wrote ${pages} pages for ${mesh.products.length} product(s) to ${out}` +
        (result.removed.length ? `, removed ${result.removed.length} stale file(s)` : '') +
        (options.out ? `; open ${path.join(out, 'index.html')}` : ''),
    );
  } catch (e) {
    if (!(e instanceof SiteWriteError)) throw e;
    io.err(`meshform catalog: ${e.message}`);
    return EXIT.USAGE;
  }
  if (errors) io.err(`meshform catalog: ${diagnosticCounts(loaded.diagnostics)}: the catalog shows the mesh with its problems marked`);
  const exit = errors ? EXIT.FAILED : EXIT.OK;
  if (!options.serve) return exit;

  let server;
  try {
    server = await serveSite(out, options.port);
  } catch (e) {
    io.err(`meshform catalog: cannot serve on 127.0.0.1:${options.port ?? 0}: ${describeFsError(e)}`);
    return EXIT.USAGE;
  }
  io.out(server.url);
  io.err(`meshform catalog: serving ${out} at ${server.url} (loopback only); Ctrl-C stops`);
  try {
    await (options.untilStopped ?? untilSignal)(server.url);
  } finally {
    await server.close();
    if (!options.out) fs.rmSync(out, { recursive: true, force: true });
  }
  return exit;
}

function readReport<T>(file: string, parse: (text: string) => ParsedReport<T>): ParsedReport<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { problem: `cannot read it: ${describeFsError(e)}` };
  }
  return parse(text);
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
