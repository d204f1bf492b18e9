import type { Plan, Resource } from '../plan/types';
import { loadPlanOrExit } from './inputs';
import { EXIT, type Io } from './io';
import type { JsonOptions, StackOptions } from './options';

export type PlanOptions = StackOptions & JsonOptions;

/** `meshform plan [paths..] --stack <name> [--json]` */
export async function runPlan(paths: string[], options: PlanOptions, io: Io): Promise<number> {
  const loaded = await loadPlanOrExit(io, paths, options.stack);
  if (!loaded.ok) return loaded.exit;
  const { plan } = loaded.value;
  io.out(options.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
  return EXIT.OK;
}

/** One line per resource, grouped by product. */
export function formatPlan(plan: Plan): string {
  const byProduct = new Map<string, Resource[]>();
  for (const r of plan.resources) {
    const list = byProduct.get(r.product) ?? [];
    list.push(r);
    byProduct.set(r.product, list);
  }
  const lines = [`Plan for stack '${plan.stack}': ${plan.products.length} product(s), ${plan.resources.length} resource(s)`];
  for (const product of plan.products) {
    const resources = byProduct.get(product.id) ?? [];
    lines.push('', `${product.id}  (${product.file}, ${resources.length} resources)`);
    for (const r of resources) lines.push(`  ${r.kind.padEnd(30)} ${describe(r)}`);
  }
  return lines.join('\n');
}

function describe(r: Resource): string {
  switch (r.kind) {
    case 'kafka:Topic': {
      const p = r.properties;
      const config = Object.entries(p.config).map(([k, v]) => `${k}=${v}`).join(' ');
      return `${p.topic}  partitions=${p.partitions} replicas=${p.replicas}${config ? '  ' + config : ''}`;
    }
    case 'kafka:Acl': {
      const p = r.properties;
      return `${p.permission} ${p.principal} ${p.operation} ${p.resourceType}:${p.patternType}:${p.resourceName}`;
    }
    case 'schema:Subject': {
      const p = r.properties;
      return `${p.subject}  ${p.schemaType} ${p.compatibility}`;
    }
    case 'gcp:bigquery:Dataset':
      return `${r.properties.project}.${r.properties.datasetId} (${r.properties.location})`;
    case 'gcp:serviceaccount:Account':
      return `${r.properties.accountId} in ${r.properties.project}`;
    case 'gcp:bigquery:DatasetIamMember':
      return `${r.properties.member} ${r.properties.role} on ${r.properties.datasetId}`;
    case 'gcp:serviceaccount:IAMMember':
      return `${r.properties.member} ${r.properties.role} on ${r.properties.serviceAccountId}`;
    case 'crossplane:DataProduct':
      return `${r.properties.metadata.namespace}/${r.properties.metadata.name}`;
  }
}
