/** Everything the pages render, computed once: the view, the laid-out graphs, the ACLs, the reports. */
import type { Diagnostic } from '../../diagnostics';
import type { Mesh } from '../../model/types';
import { planMesh } from '../../plan';
import type { KafkaAclProps } from '../../plan/types';
import type { StackConfig } from '../../stack/types';
import type { ConsumptionReport, StorageReport } from '../kafka/reports/types';
import { topicAcls } from './access';
import { layoutGraph, meshGraph, neighbourGraph, type LaidOutGraph } from './lineage';
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
}

export interface SiteData {
  title: string;
  files: readonly string[];
  view: CatalogView;
  acls: KafkaAclProps[];
  lineage: LaidOutGraph;
  neighbours: Map<string, LaidOutGraph>;
  storage?: StorageReport;
  consumption?: ConsumptionReport;
  /** Report files shown, for the footer. */
  reportsRead: string[];
}

export async function prepareSite(input: CatalogInput): Promise<SiteData> {
  const view = buildView(input);
  const plan = planMesh(input.mesh, input.stack ?? defaultsStack());
  const neighbours = new Map<string, LaidOutGraph>();
  for (const p of view.products) neighbours.set(p.id, await layoutGraph(neighbourGraph(view, p.id)));
  return {
    title: input.title ?? 'Data mesh catalog',
    files: input.files,
    view,
    acls: topicAcls(plan.resources),
    lineage: await layoutGraph(meshGraph(view), 'DOWN'),
    neighbours,
    ...(input.storage && { storage: input.storage.report }),
    ...(input.consumption && { consumption: input.consumption.report }),
    reportsRead: [input.storage?.file, input.consumption?.file].filter((f): f is string => f !== undefined),
  };
}
