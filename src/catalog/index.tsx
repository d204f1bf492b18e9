/**
 * The catalog: a static site of the mesh (products by domain, product pages, lineage, access
 * matrix, problems), rendered at build time with Preact's server renderer; graph layout by elkjs.
 * No server is needed: every link is relative, so `index.html` opens from disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { VNode } from 'preact';
import { AccessIndexPage, AccessPage, accessSplit } from './pages/access-page';
import { IndexPage } from './pages/index-page';
import { PRODUCTS_SCRIPT, renderPage, type PageContext } from './pages/layout';
import { LineagePage } from './pages/lineage-page';
import { ProblemsPage } from './pages/problems-page';
import { ProductPage } from './pages/product-page';
import { pagePath } from './paths';
import { prepareSite, type CatalogInput, type SiteData } from './site-data';

export { prepareSite, type CatalogInput, type SiteData } from './site-data';
export { readTopicMessages, type TopicMessages } from './messages';
export { buildView, type CatalogView, type ProductView, type TopicView, type Access } from './view';
export { topicAccess, TopicAclIndex } from './access';
export { pagePath } from './paths';
export { writeSite, SiteWriteError } from './write';
export { serveSite, type SiteServer } from './serve';

/** Site-relative path -> file content. */
export type SiteFiles = Map<string, string | Buffer>;

const ASSET_FILES = ['catalog.css', 'catalog.js'];

/** The assets sit next to this module in the sources; a compiled copy (dist/) reads them from the sources. */
function assetsDir(): string {
  const candidates = [path.join(__dirname, 'assets'), path.resolve(__dirname, '../../../src/catalog/assets')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, ASSET_FILES[0]))) ?? candidates[0];
}

export async function buildCatalog(input: CatalogInput): Promise<SiteFiles> {
  return renderSite(await prepareSite(input));
}

export function renderSite(site: SiteData): SiteFiles {
  const files: SiteFiles = new Map();
  const page = (at: string, title: string, nav: Parameters<typeof renderPage>[1]['nav'], body: VNode) => {
    const context: PageContext = { at, site };
    files.set(at, renderPage(context, { title, nav, body }));
  };
  page(pagePath.index, 'Products', 'products', <IndexPage />);
  page(pagePath.lineage, 'Lineage', 'lineage', <LineagePage />);
  if (accessSplit(site.view.topics.size)) {
    page(pagePath.access, 'Access', 'access', <AccessIndexPage />);
    for (const d of site.view.domains) page(pagePath.accessDomain(d.id), `Access to ${d.id}`, 'access', <AccessPage domain={d.id} />);
  } else {
    page(pagePath.access, 'Access', 'access', <AccessPage />);
  }
  page(pagePath.problems, 'Problems', 'problems', <ProblemsPage />);
  for (const product of site.view.products) {
    page(pagePath.product(product.id), product.title, 'none', <ProductPage product={product} />);
  }
  const list = site.view.products.map((p) => ({ id: p.id, urn: p.urn, title: p.title }));
  // JSON is valid JavaScript; `<` is escaped so no product title can close a script element.
  files.set(PRODUCTS_SCRIPT, `window.meshformProducts = ${JSON.stringify(list).replace(/</g, '\\u003c')};\n`);
  const dir = assetsDir();
  for (const name of ASSET_FILES) files.set(`assets/${name}`, fs.readFileSync(path.join(dir, name)));
  return files;
}
