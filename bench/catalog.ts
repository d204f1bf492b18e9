/**
 * `meshform catalog` on the example specs and on generated meshes of 100 and 1,000 products
 * (10 channels each), in this process (the layouts in this thread: the sources run under tsx): wall
 * time per phase, pages and bytes written, peak RSS. These are the figures behind the large-mesh
 * choices (products-only lineage above 400 graph nodes, none above 400 products, access matrices
 * per domain above 300 topics); the CLI's own figures against the target are in bench/scale.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareSite, readTopicMessages, sitePages, writeSite } from '../src/catalog';
import { loadMesh } from '../src/model';
import { generateMesh } from './generate';

const ms = (from: bigint) => (Number(process.hrtime.bigint() - from) / 1e6).toFixed(0);

async function* counted(files: AsyncIterable<[string, string | Buffer]>, add: (n: number) => void): AsyncGenerator<[string, string | Buffer]> {
  for await (const file of files) {
    add(file[1].length);
    yield file;
  }
}

async function measure(label: string, specs: string, out: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  const loaded = await loadMesh([specs]);
  if (!loaded.built) throw new Error(`bench: ${specs} gives no mesh`);
  const messages = await readTopicMessages([specs], loaded.built.products);
  const loadMs = ms(t0);
  const t1 = process.hrtime.bigint();
  const site = await prepareSite({ mesh: loaded.built, files: loaded.files, diagnostics: loaded.diagnostics, messages });
  const layoutMs = ms(t1);
  // As `meshform catalog` does: each page written as it is rendered (its graph laid out just before).
  const t2 = process.hrtime.bigint();
  let bytes = 0;
  const { written } = await writeSite(out, counted(sitePages(site), (n) => (bytes += n)));
  const renderMs = ms(t2);
  const pages = written.filter((f) => f.endsWith('.html')).length;
  const lineage = site.lineageTooLarge ? 'table only' : site.lineageByProduct ? 'products only' : 'products and topics';
  console.log(
    `${label.padEnd(26)} specs+schemas ${loadMs.padStart(6)} ms  mesh-wide ${layoutMs.padStart(6)} ms  pages (layout, render, write) ${renderMs.padStart(6)} ms  ` +
      `${pages} pages, ${(bytes / 1e6).toFixed(1)} MB, lineage: ${lineage}`,
  );
}

export async function benchCatalog(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meshform-bench-catalog-'));
  try {
    console.log('== meshform catalog ==');
    await measure('example specs (11)', join(__dirname, '..', 'specs'), join(dir, 'example'));
    for (const products of [100, 1000]) {
      const { dir: specs } = generateMesh(join(dir, `specs-${products}`), products, 10);
      await measure(`generated (${products} x 10 ch.)`, specs, join(dir, `site-${products}`));
    }
    console.log(`peak RSS:                  ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
