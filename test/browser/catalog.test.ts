/**
 * The catalog of the example mesh in a real browser (chromium through playwright-core), served
 * from loopback (with the live report fixtures): search, follow a lineage edge, read the access matrix, use it by keyboard, at
 * 1280 px and at phone width; axe-core (Deque's accessibility engine) checks every page.
 * Screenshots go to test-results/screenshots/ (see SCREENSHOTS in test/support/browser.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { serveSite, writeSite, type SiteServer } from '../../src/catalog';
import { loadStack } from '../../src/stack/load';
import { EDGE_MESH, EXAMPLE_SPECS, ROOT, reports, siteOf } from '../catalog/support';
import { SCREENSHOTS, describeWithBrowser, launchBrowser, type Browser } from '../support/browser';

const AXE = require.resolve('axe-core/axe.min.js');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describeWithBrowser('catalog in chromium', () => {
  let browser: Browser;
  let example: SiteServer;
  let edge: SiteServer;
  let folder: string;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'meshform-browser-'));
    const { stack } = loadStack('dev', { root: ROOT });
    writeSite(join(folder, 'example'), await siteOf(EXAMPLE_SPECS, stack, reports()));
    writeSite(join(folder, 'edge'), await siteOf(EDGE_MESH));
    example = await serveSite(join(folder, 'example'));
    edge = await serveSite(join(folder, 'edge'));
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    await edge?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    await page.setViewportSize(DESKTOP);
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
  });
  afterEach(async () => {
    await page.close();
    expect(errors.splice(0)).toEqual([]);
  });

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('index: products by domain; searching finds one product and Enter opens it', async () => {
    await page.goto(example.url);
    expect(await page.title()).toBe('Products · Data mesh catalog');
    expect(await page.locator('section.domain h2').allTextContents()).toEqual([
      'acme.analytics 2 products',
      'acme.customer 1 product',
      'acme.finance 3 products',
      'acme.marketing 1 product',
      'acme.retail 4 products',
    ]);
    await shot('index-1280');

    await page.getByLabel('Find a product').fill('ledger');
    await expect_(page, '#search-status', '1 of 11 products match');
    expect(await page.locator('.card:visible h3').allTextContents()).toEqual(['General ledger']);
    expect(await page.locator('section.domain:visible h2').allTextContents()).toEqual(['acme.finance 3 products']);
    // By owner and by topic name too.
    await page.getByLabel('Find a product').fill('payments-team');
    expect(await page.locator('.card:visible h3').allTextContents()).toEqual(['Payments']);
    await page.getByLabel('Find a product').fill('nothing-like-this');
    expect(await page.locator('#no-results').isVisible()).toBe(true);

    await page.getByLabel('Find a product').fill('ledger');
    await page.getByLabel('Find a product').press('Enter');
    await page.waitForURL(/products\/acme\.finance\.ledger\.html$/);
    expect(await page.locator('h1').textContent()).toBe('General ledger');
  });

  it('the header search of any page opens the index filtered', async () => {
    await page.goto(example.url + 'access.html');
    await page.getByRole('searchbox', { name: 'Search products' }).fill('retail.shipping');
    await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
    await page.waitForURL(/index\.html\?q=retail\.shipping$/);
    expect(await page.locator('.card:visible h3').allTextContents()).toEqual(['Shipping']);
  });

  it('lineage: following the edge from order_placed to Shipping opens the consumer', async () => {
    await page.goto(example.url + 'lineage.html');
    await shot('lineage-1280');
    const edgeLink = page.locator('#mesh-lineage a.edge[data-source="topic:acme.retail.orders._public.order_placed"][data-target="product:acme.retail.shipping"]');
    expect(await edgeLink.getAttribute('class')).toBe('edge edge-public');
    // The protected, granted edge into Billing is drawn differently: dashed.
    const granted = page.locator('#mesh-lineage a.edge[data-target="product:acme.finance.billing"] path.line');
    const publicLine = edgeLink.locator('path.line');
    const dash = (l: typeof granted) => l.evaluate((el) => getComputedStyle(el).strokeDasharray);
    expect(await dash(publicLine)).toBe('none');
    expect(await dash(granted)).not.toBe('none');
    await edgeLink.locator('path.line').click({ force: true });
    await page.waitForURL(/products\/acme\.retail\.shipping\.html$/);
    expect(await page.locator('h1').textContent()).toBe('Shipping');
  });

  it('product page: topics, schema, readers, datasets and the grant line to add', async () => {
    await page.goto(example.url + 'products/acme.retail.orders.html');
    await shot('product-orders-1280');
    const payment = page.locator('section.topic#topic-acme\\.retail\\.orders\\._protected\\.order_payment');
    expect(await payment.locator('h3').textContent()).toBe('order_payment protected');
    expect(await payment.getByText('Who may read').locator('xpath=following-sibling::dd[1]').textContent()).toBe('the owner and Billing');
    expect(await page.locator('#neighbours a.node').count()).toBe(10);
    // The "show the lines for" picker fills in the consumer's urn.
    await page.getByLabel('Show the lines for').selectOption('urn:acme:analytics:customer360');
    expect(await page.locator('#get-access pre.snippet:not(.command):has([data-urn])').textContent()).toBe('tags:\n  - name: grant-access:urn:acme:analytics:customer360');
    // The command that makes that change, ready to paste.
    expect(await page.locator('#get-access pre.command').textContent()).toBe(
      'meshform request-access acme.retail.orders._protected.order_payment --for urn:acme:analytics:customer360',
    );
    expect(await payment.getByText('Who may write').locator('xpath=following-sibling::dd[1]').textContent()).toBe('the owner only');
  });

  it("access matrix: the protected topic's cells", async () => {
    await page.goto(example.url + 'access.html');
    await shot('access-1280');
    const principals = await page.locator('#access-matrix thead th[data-principal]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-principal')));
    const row = page.locator('tr[data-topic="acme.retail.orders._protected.order_payment"] td');
    const texts = await row.evaluateAll((tds) => tds.map((td) => td.textContent));
    expect(principals.map((p, i) => [p, texts[i]])).toEqual([
      ['User:acme.analytics.customer360', ''],
      ['User:acme.analytics.sales_dashboard', ''],
      ['User:acme.customer.profiles', ''],
      ['User:acme.finance.billing', 'Rread'],
      ['User:acme.finance.ledger', ''],
      ['User:acme.finance.payments', ''],
      ['User:acme.marketing.campaigns', ''],
      ['User:acme.retail.inventory', ''],
      ['User:acme.retail.orders', 'RWread and write'],
      ['User:acme.retail.returns', ''],
      ['User:acme.retail.shipping', ''],
      ['User:*', ''],
    ]);
    // An empty cell shows a dot; what a screen reader announces for Billing's: its headers and the word.
    expect(await row.nth(0).evaluate((td) => getComputedStyle(td, '::after').content)).toBe('"·"');
    expect(await row.nth(3).locator('.sr-only').textContent()).toBe('read');
  });

  it('keyboard: skip link, search and a lineage node, with a visible focus', async () => {
    await page.goto(example.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // From main, Tab reaches the search box before any card.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
    await page.keyboard.type('customer 360');
    await page.keyboard.press('Enter');
    await page.waitForURL(/acme\.analytics\.customer360\.html$/);

    await page.goto(example.url + 'lineage.html');
    const node = page.locator('#mesh-lineage a.node[data-node="product:acme.finance.billing"]');
    await node.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-node'))).toBe('product:acme.finance.billing');
    const focusStroke = await node.locator('rect').evaluate((r) => Number.parseFloat(getComputedStyle(r).strokeWidth));
    expect(focusStroke).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('Enter');
    await page.waitForURL(/acme\.finance\.billing\.html$/);
  });

  it('reads at phone width: no page wider than the screen, stacked tables', async () => {
    await page.setViewportSize(PHONE);
    for (const [path, name] of [
      ['', 'index-phone'],
      ['products/acme.retail.orders.html', 'product-orders-phone'],
      ['lineage.html', 'lineage-phone'],
      ['access.html', undefined],
    ] as const) {
      await page.goto(example.url + path);
      if (name) await shot(name);
      const widest = await page.evaluate(() => document.documentElement.scrollWidth);
      expect([path, widest]).toEqual([path, PHONE.width]);
    }
    await page.goto(example.url + 'products/acme.retail.orders.html');
    // Table rows become cards whose cells carry their column's name.
    const label = await page.locator('#storage table.stack td').first().evaluate((td) => getComputedStyle(td, '::before').content);
    expect(label).toBe('"Dataset: "');
  });

  it('and at 1280 px no page is wider than the window', async () => {
    for (const path of ['', 'lineage.html', 'access.html', 'products/acme.retail.orders.html', 'products/acme.analytics.customer360.html']) {
      await page.goto(example.url + path);
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, DESKTOP.width]);
    }
  });

  it('axe-core finds no accessibility violations on any page', async () => {
    const pages = ['', 'lineage.html', 'access.html', 'problems.html', 'products/acme.retail.orders.html', 'products/acme.finance.billing.html'];
    for (const [server, paths] of [
      [example, pages],
      [edge, ['', 'lineage.html', 'problems.html', 'products/acme.shop.cart.html', 'products/acme.shop.marketing.html']],
    ] as const) {
      for (const path of paths) {
        await page.goto(server.url + path);
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run();
          return result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
        });
        expect([path, violations]).toEqual([path, []]);
      }
    }
  });

  it('edge-case mesh: the consumption without a grant is marked in the lineage and the matrix', async () => {
    await page.goto(edge.url + 'lineage.html');
    await shot('lineage-edge-cases-1280');
    const noGrant = page.locator('#mesh-lineage a.edge[data-source="topic:acme.shop.cart._protected.checkout"][data-target="product:acme.shop.marketing"]');
    expect(await noGrant.getAttribute('class')).toBe('edge edge-no-grant');
    expect(await noGrant.locator('.flag').count()).toBe(1);
    expect(await noGrant.locator('path.line').evaluate((el) => getComputedStyle(el).stroke)).toBe('rgb(179, 38, 30)');
    await page.goto(edge.url + 'access.html');
    const column = await page.locator('#access-matrix thead th[data-principal]').evaluateAll((ths) => ths.findIndex((th) => th.getAttribute('data-principal') === 'User:acme.shop.marketing'));
    const cell = page.locator('tr[data-topic="acme.shop.cart._protected.checkout"] td').nth(column);
    expect(await cell.getAttribute('class')).toBe('no-grant');
    expect(await cell.textContent()).toBe('✕no access, reads it without a grant');
  });

  it('opens from disk too: every link is relative', async () => {
    await page.goto('file://' + join(folder, 'example', 'index.html'));
    await page.getByRole('link', { name: 'Billing', exact: true }).click();
    await page.waitForURL(/acme\.finance\.billing\.html$/);
    await page.getByRole('link', { name: 'Lineage', exact: true }).first().click();
    await page.waitForURL(/lineage\.html$/);
  });
});

async function expect_(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).waitFor({ timeout: 5000 });
}
