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
import { closeLayouts, layoutGraph, neighbourGraph, type LaidOutGraph } from './lineage';
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

export async function renderSite(site: SiteData): Promise<SiteFiles> {
  const files: SiteFiles = new Map();
  for await (const [file, content] of sitePages(site)) files.set(file, content);
  return files;
}

/**
 * Every file of the site, each page as it is rendered (a product's graph laid out just before its
 * page): `writeSite` writes it and lets it go, so a 1,000-product catalog (100 MB of HTML) never
 * holds more than one page.
 */
export async function* sitePages(site: SiteData): AsyncGenerator<[string, string | Buffer]> {
  const page = (at: string, title: string, nav: Parameters<typeof renderPage>[1]['nav'], body: VNode): [string, string] => {
    const context: PageContext = { at, site };
    return [at, renderPage(context, { title, nav, body })];
  };
  // Product graphs are laid out a few pages ahead (in worker threads, when there are some) while
  // this thread renders: the first ones already during the mesh-wide pages.
  const products = site.view.products;
  const graphs = new Map<number, Promise<LaidOutGraph>>();
  const ahead = (from: number) => {
    for (let i = from; i < Math.min(products.length, from + LAYOUTS_AHEAD); i++) {
      if (!graphs.has(i)) graphs.set(i, layoutGraph(neighbourGraph(site.view, products[i].id)));
    }
  };
  try {
    ahead(0);
    yield page(pagePath.index, 'Products', 'products', <IndexPage />);
    yield page(pagePath.lineage, 'Lineage', 'lineage', <LineagePage />);
    if (accessSplit(site.view.topics.size)) {
      yield page(pagePath.access, 'Access', 'access', <AccessIndexPage />);
      for (const d of site.view.domains) yield page(pagePath.accessDomain(d.id), `Access to ${d.id}`, 'access', <AccessPage domain={d.id} />);
    } else {
      yield page(pagePath.access, 'Access', 'access', <AccessPage />);
    }
    yield page(pagePath.problems, 'Problems', 'problems', <ProblemsPage />);
    for (const [i, product] of products.entries()) {
      ahead(i);
      const graph = await graphs.get(i)!;
      graphs.delete(i);
      yield page(pagePath.product(product.id), product.title, 'none', <ProductPage product={product} graph={graph} />);
    }
  } finally {
    // A page that failed leaves layouts under way: let them settle before the threads are ended.
    await Promise.allSettled(graphs.values());
    await closeLayouts();
  }
  const list = products.map((p) => ({ id: p.id, urn: p.urn, title: p.title }));
  // JSON is valid JavaScript; `<` is escaped so no product title can close a script element.
  yield [PRODUCTS_SCRIPT, `window.meshformProducts = ${JSON.stringify(list).replace(/</g, '\\u003c')};\n`];
  const dir = assetsDir();
  for (const name of ASSET_FILES) yield [`assets/${name}`, fs.readFileSync(path.join(dir, name))];
}

/** How many product graphs are laid out ahead of the page being rendered. */
const LAYOUTS_AHEAD = 16;
