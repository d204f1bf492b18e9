/**
 * The lineage graph: its edges against the specs (by hand), and the layout's geometry: no two
 * boxes overlap, every edge starts on its source's border and ends on its target's.
 */
import { layoutGraph, meshGraph, neighbourGraph, type LaidOutGraph } from '../../src/catalog/lineage';
import { EDGE_MESH, EXAMPLE_SPECS, viewOf } from './support';

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The point lies on the rectangle's border (within a pixel). */
function onBorder(p: { x: number; y: number }, r: { x: number; y: number; width: number; height: number }): boolean {
  const inX = p.x >= r.x - 1 && p.x <= r.x + r.width + 1;
  const inY = p.y >= r.y - 1 && p.y <= r.y + r.height + 1;
  const nearX = Math.abs(p.x - r.x) <= 1 || Math.abs(p.x - (r.x + r.width)) <= 1;
  const nearY = Math.abs(p.y - r.y) <= 1 || Math.abs(p.y - (r.y + r.height)) <= 1;
  return (inX && nearY) || (inY && nearX);
}

function checkGeometry(graph: LaidOutGraph): void {
  for (let i = 0; i < graph.nodes.length; i++) {
    const a = graph.nodes[i];
    expect(a.x + a.width).toBeLessThanOrEqual(graph.width);
    expect(a.y + a.height).toBeLessThanOrEqual(graph.height);
    for (const b of graph.nodes.slice(i + 1)) expect([a.id, b.id, overlaps(a, b)]).toEqual([a.id, b.id, false]);
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const e of graph.edges) {
    expect(e.points.length).toBeGreaterThanOrEqual(2);
    expect([e.id, onBorder(e.points[0], byId.get(e.source)!)]).toEqual([e.id, true]);
    expect([e.id, onBorder(e.points[e.points.length - 1], byId.get(e.target)!)]).toEqual([e.id, true]);
  }
}

describe('lineage of the example mesh', () => {
  it('has a node per product and topic, an edge per topic owned and per consumption', async () => {
    const view = await viewOf(EXAMPLE_SPECS);
    const graph = meshGraph(view);
    expect(graph.nodes.filter((n) => n.kind === 'product')).toHaveLength(11);
    expect(graph.nodes.filter((n) => n.kind === 'topic')).toHaveLength(16);
    expect(graph.edges.filter((e) => e.kind === 'owns')).toHaveLength(16);
    // specs/*: 16 receive operations on other products' topics.
    expect(graph.edges.filter((e) => e.kind !== 'owns')).toHaveLength(16);
    expect(graph.edges.find((e) => e.id === 'topic:acme.retail.orders._protected.order_payment->product:acme.finance.billing')).toMatchObject({
      kind: 'granted',
      href: 'products/acme.finance.billing.html',
    });
    expect(graph.edges.find((e) => e.id === 'topic:acme.retail.orders._public.order_placed->product:acme.retail.shipping')?.kind).toBe('public');
  });

  it('is laid out without overlaps, edges joining their nodes', async () => {
    const view = await viewOf(EXAMPLE_SPECS);
    checkGeometry(await layoutGraph(meshGraph(view), 'DOWN'));
    checkGeometry(await layoutGraph(neighbourGraph(view, 'acme.retail.orders')));
  });

  it('the same specs give the same layout', async () => {
    const view = await viewOf(EXAMPLE_SPECS);
    expect(await layoutGraph(meshGraph(view), 'DOWN')).toEqual(await layoutGraph(meshGraph(view), 'DOWN'));
  });

  it("a product's neighbourhood: what it reads with the owners, what it publishes with the readers", async () => {
    const view = await viewOf(EXAMPLE_SPECS);
    const graph = neighbourGraph(view, 'acme.finance.billing');
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([
      'product:acme.analytics.customer360',
      'product:acme.finance.billing',
      'product:acme.retail.orders',
      'topic:acme.finance.billing._protected.invoice_issued',
      'topic:acme.retail.orders._protected.order_payment',
    ]);
    expect(graph.nodes.find((n) => n.focus)?.id).toBe('product:acme.finance.billing');
  });
});

describe('lineage of the edge-case mesh', () => {
  it('marks the consumption without a grant, of a private topic, and of undeclared topics', async () => {
    const graph = meshGraph(await viewOf(EDGE_MESH));
    const into = (consumer: string) =>
      graph.edges
        .filter((e) => e.target === `product:${consumer}`)
        .map((e) => [e.source, e.kind])
        .sort();
    expect(into('acme.shop.marketing')).toEqual([
      ['topic:acme.legacy.crm._public.contacts', 'undeclared'],
      ['topic:acme.shop.cart._private.session', 'private'],
      ['topic:acme.shop.cart._protected.checkout', 'no-grant'],
      ['topic:acme.shop.cart._public.item_removed', 'undeclared'],
    ]);
    expect(graph.nodes.find((n) => n.id === 'topic:acme.legacy.crm._public.contacts')).toMatchObject({ undeclared: true });
    checkGeometry(await layoutGraph(graph, 'DOWN'));
  });
});

describe('lineage of an input topic (test/fixtures/specs/valid/mesh-input-topic)', () => {
  const INPUTS = `${EXAMPLE_SPECS}/../test/fixtures/specs/valid/mesh-input-topic`;
  const WRITES = 'product:acme.ops.alerting->topic:acme.retail.orders._protected.order_commands';

  it('the granted writer has an edge to the topic, in the mesh and in both neighbourhoods, laid out cleanly', async () => {
    const view = await viewOf(INPUTS);
    const mesh = meshGraph(view);
    expect(mesh.edges.map((e) => `${e.id} ${e.kind}`).sort()).toEqual([
      `${WRITES} writes`,
      'product:acme.retail.orders->topic:acme.retail.orders._protected.order_commands owns',
    ]);
    for (const focus of ['acme.retail.orders', 'acme.ops.alerting']) {
      const graph = neighbourGraph(view, focus);
      expect([focus, graph.edges.find((e) => e.id === WRITES)?.kind]).toEqual([focus, 'writes']);
      expect(graph.nodes.map((n) => n.id).sort()).toEqual(['product:acme.ops.alerting', 'product:acme.retail.orders', 'topic:acme.retail.orders._protected.order_commands']);
      checkGeometry(await layoutGraph(graph));
    }
  });
});
