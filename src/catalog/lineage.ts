/**
 * Lineage as a graph (products -> topics -> consuming products) and its layout. Positions come
 * from ELK's layered algorithm (elkjs), never placed by hand; the pages draw the result as SVG.
 */
import { availableParallelism } from 'node:os';
import { workerCount, workerPool } from '../parallel';
import type { Visibility } from '../vocabulary/mesh';
import { pagePath } from './paths';
import { productById, type Access, type CatalogView, type ConsumptionView, type ProductView, type WriterView } from './view';

const ELK = require('elkjs/lib/elk.bundled.js') as new () => { layout(graph: ElkGraph): Promise<ElkGraph> };

/** `owns`: a product publishes its topic; `writes`: another product writes to an input topic (`grant-write:`); else a consumption's access. */
export type EdgeKind = 'owns' | 'writes' | Access;

export interface GraphNode {
  id: string;
  kind: 'product' | 'topic';
  label: string;
  sublabel: string;
  /** Site-relative link (from the site's root). */
  href: string;
  /** Spoken and shown on hover: the visible label and sublabel first (WCAG 2.5.3), then what it is. */
  title: string;
  visibility?: Visibility;
  /** A consumed topic no spec declares. */
  undeclared?: boolean;
  /** The product a neighbourhood graph is about. */
  focus?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  href: string;
  title: string;
}

export interface Point {
  x: number;
  y: number;
}

export interface LaidOutGraph {
  width: number;
  height: number;
  nodes: Array<GraphNode & Point & { width: number; height: number }>;
  edges: Array<GraphEdge & { points: Point[] }>;
}

/** Graph labels are set in a monospace font, so their width is known without a browser. */
export const FONT = { label: 13, sublabel: 11, charWidth: 0.61 };
const PAD_X = 12;
const NODE_HEIGHT = 42;

const productNodeId = (id: string) => `product:${id}`;
const topicNodeId = (name: string) => `topic:${name}`;

export function meshGraph(view: CatalogView): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  for (const p of view.products) nodes.set(productNodeId(p.id), productNode(p));
  for (const p of view.products) {
    for (const t of p.topics) {
      addTopic(nodes, edges, view, t.name);
      for (const c of t.consumers) addConsumption(edges, view, c);
      for (const w of t.writers) addWriter(edges, nodes, w);
    }
  }
  for (const u of view.undeclaredTopics) {
    addTopic(nodes, edges, view, u.name);
    for (const c of u.consumers) addConsumption(edges, view, c);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

const ACCESS_RANK: readonly EdgeKind[] = ['public', 'granted', 'undeclared', 'no-grant', 'private'];

/**
 * Products only, an edge from each owner to each product reading any of its topics: for meshes too
 * large to draw every topic. An edge takes the kind of its least allowed topic, so a missing grant
 * still shows.
 */
export function productGraph(view: CatalogView): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const edges = new Map<string, GraphEdge & { topics: string[] }>();
  for (const c of view.consumptions) {
    if (!c.owner || c.owner === c.consumer) continue;
    const id = `${productNodeId(c.owner)}->${productNodeId(c.consumer)}`;
    const edge = edges.get(id) ?? { id, source: productNodeId(c.owner), target: productNodeId(c.consumer), kind: c.access, href: pagePath.product(c.consumer), title: '', topics: [] };
    if (ACCESS_RANK.indexOf(c.access) > ACCESS_RANK.indexOf(edge.kind)) edge.kind = c.access;
    edge.topics.push(c.topic);
    edges.set(id, edge);
  }
  for (const w of view.products.flatMap((p) => p.writeGrantsReceived)) {
    if (!w.sends || w.writer === w.owner) continue;
    const id = `${productNodeId(w.writer)}=>${productNodeId(w.owner)}`;
    const edge = edges.get(id) ?? { id, source: productNodeId(w.writer), target: productNodeId(w.owner), kind: 'writes', href: pagePath.product(w.owner), title: '', topics: [] };
    edge.topics.push(w.topic);
    edges.set(id, edge);
  }
  return {
    nodes: view.products.map(productNode),
    edges: [...edges.values()].map(({ topics, ...e }) => ({
      ...e,
      title:
        e.kind === 'writes'
          ? `${e.source.slice('product:'.length)} writes to ${e.target.slice('product:'.length)}'s ${topics.length === 1 ? topics[0] : `${topics.length} input topics`} (${WRITES_WORDS})`
          : `${e.source.slice('product:'.length)} to ${e.target.slice('product:'.length)}: ${topics.length === 1 ? topics[0] : `${topics.length} topics`} (${ACCESS_WORDS[e.kind as Access]})`,
    })),
  };
}

/** The product, its topics and their consumers, and the topics it reads with their owners. */
export function neighbourGraph(view: CatalogView, productId: string): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const product = productById(view, productId);
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  if (!product) return { nodes: [], edges: [] };
  nodes.set(productNodeId(product.id), { ...productNode(product), focus: true });
  const addProduct = (id: string) => {
    const other = productById(view, id);
    if (other && !nodes.has(productNodeId(id))) nodes.set(productNodeId(id), productNode(other));
  };
  for (const t of product.topics) {
    addTopic(nodes, edges, view, t.name);
    for (const c of t.consumers) {
      addProduct(c.consumer);
      addConsumption(edges, view, c);
    }
    for (const w of t.writers) {
      addProduct(w.writer);
      addWriter(edges, nodes, w);
    }
  }
  for (const w of product.writeGrantsReceived) {
    addProduct(w.owner);
    addTopic(nodes, edges, view, w.topic);
    addWriter(edges, nodes, w);
  }
  for (const c of product.consumes) {
    if (c.owner) addProduct(c.owner);
    addTopic(nodes, edges, view, c.topic);
    addConsumption(edges, view, c);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function productNode(p: ProductView): GraphNode {
  return {
    id: productNodeId(p.id),
    kind: 'product',
    label: p.title,
    sublabel: p.id,
    href: pagePath.product(p.id),
    title: `${p.title} ${p.id}, ${p.domainType} product`,
  };
}

function addTopic(nodes: Map<string, GraphNode>, edges: Map<string, GraphEdge>, view: CatalogView, name: string): void {
  if (nodes.has(topicNodeId(name))) return;
  const topic = view.topics.get(name);
  if (!topic) {
    nodes.set(topicNodeId(name), {
      id: topicNodeId(name),
      kind: 'topic',
      label: name,
      sublabel: 'not declared by any spec',
      href: pagePath.lineageTopic(name),
      title: `${name} not declared by any spec`,
      undeclared: true,
    });
    return;
  }
  nodes.set(topicNodeId(name), {
    id: topicNodeId(name),
    kind: 'topic',
    label: topic.shortName,
    sublabel: topic.visibility,
    href: pagePath.topic(topic.owner, topic.name),
    title: `${topic.shortName} ${topic.visibility}, topic ${topic.name} of ${topic.owner}`,
    visibility: topic.visibility,
  });
  const owner = productNodeId(topic.owner);
  if (nodes.has(owner)) {
    const id = `${owner}->${topicNodeId(name)}`;
    edges.set(id, { id, source: owner, target: topicNodeId(name), kind: 'owns', href: pagePath.topic(topic.owner, topic.name), title: `${topic.owner} publishes ${topic.name}` });
  }
}

const ACCESS_WORDS: Record<Access, string> = {
  public: 'public topic',
  granted: 'protected topic, granted',
  'no-grant': 'protected topic WITHOUT a grant',
  private: 'private topic: no access',
  undeclared: 'topic not declared by any spec',
};

function addConsumption(edges: Map<string, GraphEdge>, view: CatalogView, c: ConsumptionView): void {
  const id = `${topicNodeId(c.topic)}->${productNodeId(c.consumer)}`;
  const consumer = productById(view, c.consumer);
  edges.set(id, {
    id,
    source: topicNodeId(c.topic),
    target: productNodeId(c.consumer),
    kind: c.access,
    href: pagePath.product(c.consumer),
    title: `${c.topic} consumed by ${consumer?.title ?? c.consumer} (${ACCESS_WORDS[c.access]})`,
  });
}

const WRITES_WORDS = 'input topic, grant-write';

/** An edge from a product to another product's input topic it may write to (drawn when both are in the graph). */
function addWriter(edges: Map<string, GraphEdge>, nodes: Map<string, GraphNode>, w: WriterView): void {
  const source = productNodeId(w.writer);
  const target = topicNodeId(w.topic);
  if (!nodes.has(source) || !nodes.has(target)) return;
  const id = `${source}->${target}`;
  edges.set(id, { id, source, target, kind: 'writes', href: pagePath.topic(w.owner, w.topic), title: `${w.writer} writes to ${w.topic} (${WRITES_WORDS}${w.sends ? '' : ', not written yet'})` });
}

export function describeEdge(kind: EdgeKind): string {
  return kind === 'owns' ? 'publishes' : kind === 'writes' ? `writes (${WRITES_WORDS})` : ACCESS_WORDS[kind];
}

interface ElkGraph {
  id: string;
  layoutOptions?: Record<string, string>;
  children?: Array<{ id: string; width: number; height: number; x?: number; y?: number }>;
  edges?: Array<{ id: string; sources: string[]; targets: string[]; sections?: Array<{ startPoint: Point; endPoint: Point; bendPoints?: Point[] }> }>;
  width?: number;
  height?: number;
}

export function nodeWidth(node: Pick<GraphNode, 'label' | 'sublabel'>): number {
  const text = Math.max(node.label.length * FONT.label, node.sublabel.length * FONT.sublabel) * FONT.charWidth;
  return Math.ceil(text + 2 * PAD_X);
}

/**
 * One ELK for every layout of a run: a new instance costs more than laying out a product's
 * neighbourhood (a 1,000-product catalog spent two thirds of its layout time making instances).
 * With worker threads (src/parallel.ts) the layouts run there, one ELK per thread, while this
 * thread renders pages; `closeLayouts` ends them.
 */
let shared: InstanceType<typeof ELK> | undefined;
let pool: ReturnType<typeof workerPool> | null = null;

function elkLayout(graph: ElkGraph): Promise<ElkGraph> {
  // Fewer threads than cores: this thread renders the pages meanwhile.
  if (pool === null) pool = workerPool(__dirname, 'layout-worker', Math.min(workerCount(), Math.max(1, availableParallelism() - 1)));
  if (pool) return pool.run(graph) as Promise<ElkGraph>;
  return (shared ??= new ELK()).layout(graph);
}

/** Ends the layout threads, if any were started (a later layout starts them again), and forgets the shapes laid out. */
export async function closeLayouts(): Promise<void> {
  layouts.clear();
  const running = pool;
  pool = null;
  await running?.destroy();
}

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '14',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

/** A laid-out shape: positions by node index, routes by edge index. */
interface Geometry {
  width: number;
  height: number;
  nodes: Array<Point & { width: number; height: number }>;
  edges: Point[][];
}

/**
 * Each distinct shape is laid out once per run. ELK sees a graph's shape only: node `n<i>` of the
 * i-th node's size, edge `e<j>` between node indexes, in the graph's order (what ELK's result
 * depends on; names never reach it), so two graphs of the same shape share one layout and a graph
 * gets the same geometry whether its shape was laid out before or not. A mesh of uniform products
 * (a product, its topics, one upstream and one downstream) has a handful of shapes; a product page
 * is then drawn without a layout of its own.
 */
const layouts = new Map<string, Promise<Geometry>>();
/** Shapes kept: far more than a catalog's pages use at once; the oldest is let go past this. */
const LAYOUTS_KEPT = 5000;

export async function layoutGraph(graph: { nodes: GraphNode[]; edges: GraphEdge[] }, direction: 'RIGHT' | 'DOWN' = 'RIGHT'): Promise<LaidOutGraph> {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const end = (id: string) => (index.has(id) ? `n${index.get(id)}` : id);
  const children = graph.nodes.map((n, i) => ({ id: `n${i}`, width: nodeWidth(n), height: NODE_HEIGHT }));
  const edges = graph.edges.map((e, j) => ({ id: `e${j}`, sources: [end(e.source)], targets: [end(e.target)] }));
  const shape = `${direction}|${children.map((c) => c.width).join(',')}|${edges.map((e) => `${e.sources[0]}>${e.targets[0]}`).join(',')}`;
  let geometry = layouts.get(shape);
  if (!geometry) {
    geometry = elkLayout({ id: 'root', layoutOptions: { ...LAYOUT_OPTIONS, 'elk.direction': direction }, children, edges }).then((result) => geometryOf(result, children.length, edges.length));
    if (layouts.size >= LAYOUTS_KEPT) layouts.delete(layouts.keys().next().value!);
    layouts.set(shape, geometry);
    // A failed layout is not kept: the next graph of this shape tries again.
    geometry.catch(() => layouts.get(shape) === geometry && layouts.delete(shape));
  }
  const laid = await geometry;
  return {
    width: laid.width,
    height: laid.height,
    nodes: graph.nodes.map((n, i) => ({ ...n, ...laid.nodes[i] })),
    edges: graph.edges.map((e, j) => ({ ...e, points: laid.edges[j].map((p) => ({ ...p })) })),
  };
}

function geometryOf(result: ElkGraph, nodes: number, edges: number): Geometry {
  const placed = new Map((result.children ?? []).map((c) => [c.id, c]));
  const routed = new Map((result.edges ?? []).map((e) => [e.id, e]));
  return {
    width: Math.ceil(result.width ?? 0),
    height: Math.ceil(result.height ?? 0),
    nodes: Array.from({ length: nodes }, (_, i) => {
      const c = placed.get(`n${i}`)!;
      return { x: c.x ?? 0, y: c.y ?? 0, width: c.width, height: c.height };
    }),
    edges: Array.from({ length: edges }, (_, j) => {
      const section = routed.get(`e${j}`)?.sections?.[0];
      return section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(({ x, y }) => ({ x, y })) : [];
    }),
  };
}
