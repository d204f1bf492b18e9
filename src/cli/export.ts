/**
 * `meshform export backstage [paths..] [--out dir]`: the mesh as Backstage catalog entities (one
 * multi-document YAML, `catalog-info.yaml` in --out, else stdout). Register the file in Backstage
 * as a Location. Specs with errors export nothing (exit 1), as for `plan`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backstageEntities, CATALOG_FILE, GENERATED_HEADER, renderEntities } from '../adapters/backstage';
import { describeFsError } from '../reading/files';
import { diagnosticCounts, loadMeshOrExit } from './inputs';
import { EXIT, type Io } from './io';

export interface BackstageOptions {
  out?: string;
}

export async function runExportBackstage(paths: string[], options: BackstageOptions, io: Io): Promise<number> {
  const loaded = await loadMeshOrExit(io, paths);
  if (!loaded.ok) {
    io.err(diagnosticCounts(loaded.diagnostics));
    return loaded.exit;
  }
  const { mesh } = loaded.value;
  const specTexts = new Map<string, string>();
  for (const p of mesh.products) {
    try {
      specTexts.set(p.file, fs.readFileSync(p.file, 'utf8'));
    } catch (e) {
      io.err(`meshform export backstage: cannot read ${p.file}: ${describeFsError(e)}`);
      return EXIT.USAGE;
    }
  }
  const entities = backstageEntities({ mesh, specTexts });
  const text = renderEntities(entities);
  if (options.out === undefined) {
    io.out(text);
    return EXIT.OK;
  }
  const file = path.join(options.out, CATALOG_FILE);
  const problem = writeCatalogFile(options.out, file, text);
  if (problem) {
    io.err(`meshform export backstage: ${problem}`);
    return EXIT.USAGE;
  }
  const kinds = new Map<string, number>();
  for (const e of entities) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  io.err(`meshform export backstage: wrote ${entities.length} entities (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}) to ${file}`);
  return EXIT.OK;
}

/** Overwrites only a file meshform wrote: anything else there is someone's catalog. */
function writeCatalogFile(dir: string, file: string, text: string): string | undefined {
  try {
    fs.mkdirSync(dir, { recursive: true });
    if (fs.existsSync(file) && !fs.readFileSync(file, 'utf8').startsWith(GENERATED_HEADER)) {
      return `${file} exists and was not written by meshform; move it away or choose another --out`;
    }
    fs.writeFileSync(file, text);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') return `${dir} is a file; --out takes a folder`;
    return `cannot write ${file}: ${describeFsError(e)}`;
  }
}
