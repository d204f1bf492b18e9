/**
 * The lineage drawings as chromium lays them out (its own SVG geometry and font metrics, not the
 * layout's numbers): on every page with a graph, no two boxes overlap, every edge's line starts on
 * its source's box and ends on its target's, and every box holds its label and sublabel. Pages of
 * the example mesh, the edge-case mesh, and a generated mesh of uniform products (the bench's
 * generator), whose product graphs share a handful of shapes, each laid out once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { writeSite } from '../../src/catalog';
import { generateMesh } from '../../bench/generate';
import { EDGE_MESH, EXAMPLE_SPECS, siteOf } from '../catalog/support';
import { describeWithBrowser, launchBrowser, type Browser } from '../support/browser';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Drawing {
  nodes: Array<{ id: string; box: Box; text: Box }>;
  edges: Array<{ source: string; target: string; start: { x: number; y: number }; end: { x: number; y: number } }>;
}

/** The first lineage drawing of the page, measured by the browser. */
function measure(page: Page): Promise<Drawing | null> {
  return page.evaluate(() => {
    const svg = document.querySelector('svg.lineage');
    if (!svg) return null;
    const box = (r: DOMRect | SVGRect) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
    return {
      nodes: Array.from(svg.querySelectorAll('a.node') as NodeListOf<SVGAElement>).map((a) => ({
        id: a.dataset.node!,
        box: box((a.querySelector('rect') as SVGRectElement).getBBox()),
        text: box((a.querySelector('text') as SVGTextElement).getBBox()),
      })),
      edges: Array.from(svg.querySelectorAll('a.edge') as NodeListOf<SVGAElement>).map((a) => {
        const line = a.querySelector('path.line') as SVGPathElement;
        const start = line.getPointAtLength(0);
        const end = line.getPointAtLength(line.getTotalLength());
        return { source: a.dataset.source!, target: a.dataset.target!, start: { x: start.x, y: start.y }, end: { x: end.x, y: end.y } };
      }),
    };
  });
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** On the box's border, within a pixel. */
function onBorder(p: { x: number; y: number }, r: Box): boolean {
  const inX = p.x >= r.x - 1 && p.x <= r.x + r.width + 1;
  const inY = p.y >= r.y - 1 && p.y <= r.y + r.height + 1;
  const nearX = Math.abs(p.x - r.x) <= 1 || Math.abs(p.x - (r.x + r.width)) <= 1;
  const nearY = Math.abs(p.y - r.y) <= 1 || Math.abs(p.y - (r.y + r.height)) <= 1;
  return (inX && nearY) || (inY && nearX);
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** Every problem of the drawing, as words (none: []). */
function problems(page: string, drawing: Drawing): string[] {
  const found: string[] = [];
  const byId = new Map(drawing.nodes.map((n) => [n.id, n]));
  drawing.nodes.forEach((a, i) => {
    for (const b of drawing.nodes.slice(i + 1)) if (overlaps(a.box, b.box)) found.push(`${page}: ${a.id} overlaps ${b.id}`);
    if (!inside(a.text, a.box)) found.push(`${page}: the label of ${a.id} leaves its box (${JSON.stringify(a.text)} in ${JSON.stringify(a.box)})`);
  });
  for (const e of drawing.edges) {
    const source = byId.get(e.source);
    const target = byId.get(e.target);
    if (!source || !target) found.push(`${page}: the edge ${e.source} -> ${e.target} names a node not drawn`);
    else {
      if (!onBorder(e.start, source.box)) found.push(`${page}: the edge ${e.source} -> ${e.target} does not start on its source (${JSON.stringify(e.start)})`);
      if (!onBorder(e.end, target.box)) found.push(`${page}: the edge ${e.source} -> ${e.target} does not end on its target (${JSON.stringify(e.end)})`);
    }
  }
  return found;
}

describeWithBrowser('lineage drawings in chromium', () => {
  let browser: Browser;
  let folder: string;
  let page: Page;
  const GENERATED = 24;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'meshform-geometry-'));
    const { dir } = generateMesh(join(folder, 'generated-specs'), GENERATED, 10);
    await writeSite(join(folder, 'example'), await siteOf(EXAMPLE_SPECS));
    await writeSite(join(folder, 'edge'), await siteOf(EDGE_MESH));
    await writeSite(join(folder, 'generated'), await siteOf(dir));
    browser = await launchBrowser();
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function drawingOf(site: string, file: string): Promise<Drawing> {
    await page.goto(pathToFileURL(join(folder, site, file)).href);
    const drawing = await measure(page);
    if (!drawing) throw new Error(`${site}/${file} draws no lineage`);
    return drawing;
  }

  it('the example mesh: the whole-mesh drawing and every product page', async () => {
    // specs/: 11 products publishing 16 topics, and 16 consumptions of other products' topics.
    const mesh = await drawingOf('example', 'lineage.html');
    expect([mesh.nodes.length, mesh.edges.length]).toEqual([11 + 16, 16 + 16]);
    const found = problems('lineage.html', mesh);
    const products = ['acme.analytics.customer360', 'acme.finance.billing', 'acme.retail.orders', 'acme.retail.shipping'];
    for (const id of products) found.push(...problems(id, await drawingOf('example', `products/${id}.html`)));
    // By hand from specs/: billing reads orders' order_payment, publishes invoice_issued, which customer360 reads.
    const billing = await drawingOf('example', 'products/acme.finance.billing.html');
    expect(billing.nodes.map((n) => n.id).sort()).toEqual([
      'product:acme.analytics.customer360',
      'product:acme.finance.billing',
      'product:acme.retail.orders',
      'topic:acme.finance.billing._protected.invoice_issued',
      'topic:acme.retail.orders._protected.order_payment',
    ]);
    expect(found).toEqual([]);
  });

  it('the edge-case mesh: undeclared topics and consumptions without access', async () => {
    const found = problems('lineage.html', await drawingOf('edge', 'lineage.html'));
    found.push(...problems('acme.shop.marketing', await drawingOf('edge', 'products/acme.shop.marketing.html')));
    expect(found).toEqual([]);
  });

  it(`a generated mesh of ${GENERATED} uniform products: every product page, graphs of one shape laid out once`, async () => {
    const found: string[] = [];
    for (let i = 0; i < GENERATED; i++) {
      const id = `bench.domain${i % 20}.product${i}`;
      const drawing = await drawingOf('generated', `products/${id}.html`);
      // bench/generate.ts: product i publishes 10 topics, reads product i-1's _public.events_0, and
      // product i+1 reads its own: itself, 10 topics, product i-1 and that topic, product i+1.
      expect([id, drawing.nodes.length, drawing.edges.length]).toEqual([id, 1 + 10 + 2 + 1, 10 + 1 + 1 + 1]);
      const upstream = (i + GENERATED - 1) % GENERATED;
      const downstream = (i + 1) % GENERATED;
      expect(drawing.edges.filter((e) => e.target === `product:${id}`).map((e) => e.source)).toEqual([
        `topic:bench.domain${upstream % 20}.product${upstream}._public.events_0`,
      ]);
      expect(drawing.edges.filter((e) => e.source === `topic:${id}._public.events_0`).map((e) => e.target)).toEqual([
        `product:bench.domain${downstream % 20}.product${downstream}`,
      ]);
      found.push(...problems(id, drawing));
    }
    expect(found).toEqual([]);
  });
});
