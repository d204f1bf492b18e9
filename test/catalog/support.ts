/** The two meshes the catalog tests read: the example specs and the edge-case fixture. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog, buildView, type CatalogInput, type CatalogView, type SiteFiles } from '../../src/catalog';
import { loadMesh } from '../../src/model';
import type { Mesh } from '../../src/vocabulary/mesh';
import type { Diagnostic } from '../../src/vocabulary/diagnostics';
import type { StackConfig } from '../../src/stack/types';

export const ROOT = join(__dirname, '..', '..');
export const EXAMPLE_SPECS = join(ROOT, 'specs');
export const EDGE_MESH = join(ROOT, 'test', 'fixtures', 'catalog', 'edge-mesh');

export interface Loaded {
  mesh: Mesh;
  files: string[];
  diagnostics: Diagnostic[];
  paths: string[];
}

export async function load(path: string): Promise<Loaded> {
  const result = await loadMesh([path], { cwd: ROOT });
  if (!result.built) throw new Error(`no mesh in ${path}`);
  return { mesh: result.built, files: result.files, diagnostics: result.diagnostics, paths: [path] };
}

export async function viewOf(path: string, stack?: StackConfig): Promise<CatalogView> {
  const { mesh, diagnostics } = await load(path);
  return buildView({ mesh, diagnostics, stack });
}

export const REPORTS = join(ROOT, 'test', 'fixtures', 'catalog', 'reports');

/** The report fixtures, as `meshform catalog --storage/--consumption` passes them. */
export function reports(): Pick<CatalogInput, 'storage' | 'consumption'> {
  const read = (name: string) => JSON.parse(readFileSync(join(REPORTS, name), 'utf8'));
  return { storage: { report: read('storage.json'), file: 'storage.json' }, consumption: { report: read('consumption.json'), file: 'consumption.json' } };
}

export async function siteOf(path: string, stack?: StackConfig, extra: Partial<CatalogInput> = {}): Promise<SiteFiles> {
  const loaded = await load(path);
  return buildCatalog({
    ...extra,
    mesh: loaded.mesh,
    files: loaded.files,
    diagnostics: loaded.diagnostics,
    stack,
  });
}

export function html(files: SiteFiles, page: string): string {
  const content = files.get(page);
  if (content === undefined) throw new Error(`no page ${page}; pages: ${[...files.keys()].join(', ')}`);
  return content.toString();
}
