/** Everything the pages render, computed once: the view, the laid-out graphs, the ACLs, the reports. */
import type { Diagnostic } from '../vocabulary/diagnostics';
import type { Mesh } from '../vocabulary/mesh';
import { planMesh } from '../plan';
import type { StackConfig } from '../stack/types';
import type { ConsumptionReport, StorageReport } from '../adapters/kafka/reports/types';
import { TopicAclIndex, topicAcls } from './access';
import { layoutGraph, meshGraph, neighbourGraph, productGraph, type LaidOutGraph } from './lineage';
import type { TopicMessages } from './messages';
import { buildView, defaultsStack, type CatalogView } from './view';

export interface CatalogInput {
  mesh: Mesh;
  /** The spec files read (as displayed). */
  files: readonly string[];
  stack?: StackConfig;
  diagnostics?: readonly Diagnostic[];
  messages?: TopicMessages;
  storage?: { report: StorageReport; file: string };
  consumption?: { report: ConsumptionReport; file: string };
  /** Shown in the header and page titles. */
  title?: string;
  /** By product id: the governance rules that apply to it, for each product's standing. */
  rules?: Readonly<Record<string, readonly string[]>>;
}

export interface SiteData {
  title: string;
  files: readonly string[];
  view: CatalogView;
  aclIndex: TopicAclIndex;
  lineage: LaidOutGraph;
  /** The whole-mesh graph shows products only (topics left out): the mesh is too large to draw every topic. */
  lineageByProduct: boolean;
  /** No whole-mesh graph at all: too many products to draw readably (each product page still has its own). */
  lineageTooLarge: boolean;
  neighbours: Map<string, LaidOutGraph>;
  storage?: StorageReport;
  consumption?: ConsumptionReport;
  /** Report files shown, for the footer. */
  reportsRead: string[];
}

/** Above this many products and topics the whole-mesh graph draws products only. */
export const MESH_GRAPH_MAX_NODES = 400;

export async function prepareSite(input: CatalogInput): Promise<SiteData> {
  const view = buildView(input);
  const plan = planMesh(input.mesh, input.stack ?? defaultsStack());
  const neighbours = new Map<string, LaidOutGraph>();
  for (const p of view.products) neighbours.set(p.id, await layoutGraph(neighbourGraph(view, p.id)));
  const full = meshGraph(view);
  const lineageByProduct = full.nodes.length > MESH_GRAPH_MAX_NODES;
  const lineageTooLarge = view.products.length > MESH_GRAPH_MAX_NODES;
  return {
    title: input.title ?? 'Data mesh catalog',
    files: input.files,
    view,
    aclIndex: new TopicAclIndex(topicAcls(plan.resources)),
    lineage: lineageTooLarge ? { width: 0, height: 0, nodes: [], edges: [] } : await layoutGraph(lineageByProduct ? productGraph(view) : full, 'DOWN'),
    lineageByProduct,
    lineageTooLarge,
    neighbours,
    ...(input.storage && { storage: input.storage.report }),
    ...(input.consumption && { consumption: input.consumption.report }),
    reportsRead: [input.storage?.file, input.consumption?.file].filter((f): f is string => f !== undefined),
  };
}
