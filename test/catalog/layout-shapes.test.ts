/**
 * Each distinct graph shape is laid out once per run: ELK (counted here) sees sizes and edges by
 * position, never names. Graphs written by hand: two of one shape (names of equal length, other
 * words), one of another; a graph laid out after its shape was gets what it gets laid out alone.
 */
import type { GraphEdge, GraphNode, LaidOutGraph } from '../../src/catalog/lineage';

const layoutsRun: unknown[] = [];
jest.mock('elkjs/lib/elk.bundled.js', () => {
  const Real = jest.requireActual('elkjs/lib/elk.bundled.js');
  return class CountingElk {
    private readonly real = new Real();
    layout(graph: unknown): Promise<unknown> {
      layoutsRun.push(graph);
      return this.real.layout(graph);
    }
  };
});

// After the mock: lineage.ts requires elkjs when it is loaded.
const { closeLayouts, layoutGraph } = require('../../src/catalog/lineage') as typeof import('../../src/catalog/lineage');

function product(id: string, title: string): GraphNode {
  return { id: `product:${id}`, kind: 'product', label: title, sublabel: id, href: `products/${id}.html`, title };
}

function topic(owner: string, name: string): GraphNode {
  return { id: `topic:${owner}.${name}`, kind: 'topic', label: name, sublabel: 'public', href: `products/${owner}.html`, title: name };
}

function edge(source: GraphNode, target: GraphNode): GraphEdge {
  return { id: `${source.id}->${target.id}`, source: source.id, target: target.id, kind: 'owns', href: target.href, title: '' };
}

/** A product with two topics, one read by another product. */
function chain(a: [string, string], b: [string, string], topics: [string, string]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const p = product(...a);
  const q = product(...b);
  const t1 = topic(a[0], topics[0]);
  const t2 = topic(a[0], topics[1]);
  return { nodes: [p, t1, t2, q], edges: [edge(p, t1), edge(p, t2), edge(t1, q)] };
}

const geometry = (g: LaidOutGraph) => ({ width: g.width, height: g.height, nodes: g.nodes.map(({ x, y, width, height }) => ({ x, y, width, height })), edges: g.edges.map((e) => e.points) });

afterEach(() => closeLayouts());

it('two graphs of one shape take one layout, a third shape its own; names stay their own', async () => {
  layoutsRun.length = 0;
  // Equal lengths: "orders"/"charge", "Orders"/"Charge", "placed"/"billed", "cancel"/"refund".
  const first = chain(['acme.orders', 'Orders'], ['acme.charge', 'Charge'], ['placed', 'cancel']);
  const same = chain(['acme.ledger', 'Ledger'], ['acme.refund', 'Refund'], ['billed', 'closed']);
  const wider = chain(['acme.orders.with.a.much.longer.id', 'Orders'], ['acme.charge', 'Charge'], ['placed', 'cancel']);
  const [a, b, c] = await Promise.all([layoutGraph(first), layoutGraph(same), layoutGraph(wider)]);
  expect(layoutsRun).toHaveLength(2);
  expect(geometry(b)).toEqual(geometry(a));
  expect(b.nodes.map((n) => n.id)).toEqual(['product:acme.ledger', 'topic:acme.ledger.billed', 'topic:acme.ledger.closed', 'product:acme.refund']);
  expect(b.edges.map((e) => e.id)).toEqual(same.edges.map((e) => e.id));
  // The longer id makes its box wider: 33 characters of 11 px at 0.61 em, and 12 px of padding on each side.
  expect(c.nodes[0].width).toBe(Math.ceil(33 * 11 * 0.61 + 24));
  expect(c.width).toBeGreaterThan(a.width);
});

it('a graph whose shape was laid out before gets the geometry it gets alone', async () => {
  const graph = chain(['acme.ledger', 'Ledger'], ['acme.refund', 'Refund'], ['billed', 'closed']);
  await layoutGraph(chain(['acme.orders', 'Orders'], ['acme.charge', 'Charge'], ['placed', 'cancel']));
  const reused = await layoutGraph(graph);
  await closeLayouts();
  layoutsRun.length = 0;
  const alone = await layoutGraph(graph);
  expect(layoutsRun).toHaveLength(1);
  expect(reused).toEqual(alone);
});

it('a graph laid out twice is drawn from copies: changing one drawing leaves the next alone', async () => {
  const graph = chain(['acme.orders', 'Orders'], ['acme.charge', 'Charge'], ['placed', 'cancel']);
  const one = await layoutGraph(graph);
  const before = JSON.stringify(await layoutGraph(graph));
  one.nodes[0].x += 1000;
  one.edges[0].points[0].x += 1000;
  expect(JSON.stringify(await layoutGraph(graph))).toBe(before);
});
