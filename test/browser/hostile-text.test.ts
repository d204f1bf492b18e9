/**
 * The hostile-text fixture's catalog in chromium: on every page no script of the fixture runs
 * (no `window.__xss`, no dialog, no inline script, `on*` attribute or `javascript:` URL), and on the product page
 * every hostile text shows as text, exactly as the spec writes it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveSite, writeSite, type SiteServer } from '../../src/catalog';
import { loadStack } from '../../src/stack/load';
import { HOSTILE_MESH, ORDERS_TEXTS } from '../catalog/hostile-text';
import { ROOT, siteOf } from '../catalog/support';
import { describeWithBrowser, launchBrowser, type Browser } from '../support/browser';

describeWithBrowser('hostile text in the catalog, in chromium', () => {
  let browser: Browser;
  let server: SiteServer;
  let folder: string;
  let pages: string[];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'meshform-hostile-site-'));
    const { stack } = loadStack('dev', { root: ROOT });
    await writeSite(join(folder, 'site'), await siteOf(HOSTILE_MESH, stack));
    pages = readdirSync(join(folder, 'site'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html')).sort();
    server = await serveSite(join(folder, 'site'));
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('no script from the specs runs on any page', async () => {
    expect(pages).toEqual(expect.arrayContaining(['index.html', 'products/acme.hostile.orders.html', 'products/acme.hostile.billing.html']));
    for (const file of pages) {
      const page = await browser.context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(new URL(file.split('\\').join('/'), server.url).href);
      // No element carries an `on*` handler (checked below), so none can fire on hover or click either.
      const state = await page.evaluate(() => ({
        xss: (window as unknown as { __xss?: unknown }).__xss,
        inlineScripts: Array.from(document.querySelectorAll('script')).filter((s) => !s.src).length,
        handlers: Array.from(document.querySelectorAll('*')).flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)),
        javascriptUrls: Array.from(document.querySelectorAll('[href],[src],[data]')).filter((e) => /^\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('data') ?? '')).length,
      }));
      expect({ file, ...state, dialogs }).toEqual({ file, xss: undefined, inlineScripts: 0, handlers: [], javascriptUrls: 0, dialogs: [] });
      await page.close();
    }
  }, 300_000);

  it('the product page shows every hostile text as written', async () => {
    const page = await browser.context.newPage();
    await page.goto(new URL('products/acme.hostile.orders.html', server.url).href);
    // Closed <details> hold the schema source: open them so their text counts as shown.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
    const text = await page.evaluate(() => document.body.innerText);
    for (const written of ORDERS_TEXTS) expect(text).toContain(written);
    await page.close();
  });
});
