/**
 * mesh + stack -> plan: every resource the stack needs, as plain data.
 * Pure and deterministic: the same mesh and stack always give the same plan, in the same order.
 */
import { compareText } from '../compare';
import type { Mesh, Product } from '../vocabulary/mesh';
import { NameIndex } from '../vocabulary/topic-names';
import type { StackConfig } from '../stack/types';
import { planDataProduct } from './crossplane';
import { planGcp } from './gcp';
import { planKafka } from './kafka';
import { planSchemas } from './schemas';
import { stackSelects } from './select';
import type { Plan, PlannedProduct, Resource, ResourceKind } from './types';

export { productPrincipal, ANY_PRINCIPAL } from './principal';
export { OWNER_OPERATIONS, READER_OPERATIONS, STREAMS_OPERATIONS, WRITER_OPERATIONS, scaledPartitions, quotaUser } from './kafka';

/** The stack's products (all of the mesh unless the stack selects some) and their resources. */
export function planMesh(mesh: Mesh, stack: StackConfig): Plan {
  const products = mesh.products.filter((p) => stackSelects(stack.selection, p)).sort((a, b) => compareText(a.id, b.id));
  // Names of the whole mesh, also of products another stack manages (a parent's DENYs).
  const names = NameIndex.ofMesh(mesh);
  // Products are in id order and a product's resources carry its id: sorting each product's
  // resources gives the order compareResources gives the whole list, at a fraction of the cost.
  const resources: Resource[] = [];
  for (const product of products) {
    const own: Resource[] = [
      ...planKafka(product, stack, names.ancestorsOf(product.id)),
      ...planSchemas(product, stack),
      ...(stack.crossplane.enabled ? [planDataProduct(product, mesh, stack)] : planGcp(product, mesh, stack)),
    ];
    for (const r of own.sort(compareResources)) resources.push(r);
  }
  return {
    stack: stack.name,
    products: products.map(plannedProduct),
    resources,
  };
}

/** The order resources of one product are listed in: what a reader looks for first. */
export const KIND_ORDER: readonly ResourceKind[] = [
  'kafka:Topic',
  'kafka:Acl',
  'kafka:Quota',
  'schema:Subject',
  'gcp:serviceaccount:Account',
  'gcp:serviceaccount:IAMMember',
  'gcp:bigquery:Dataset',
  'gcp:bigquery:DatasetIamMember',
  'crossplane:DataProduct',
];

const KIND_RANK = new Map(KIND_ORDER.map((kind, i) => [kind, i]));

/** By product, then kind (KIND_ORDER), then name. */
export function compareResources(a: Resource, b: Resource): number {
  return compareText(a.product, b.product) || (KIND_RANK.get(a.kind) as number) - (KIND_RANK.get(b.kind) as number) || compareText(a.name, b.name);
}

/**
 * Topic -> ids of the products that receive from it (declared in the mesh or not), sorted. Given
 * the mesh, every product counts, also those another stack manages; given a plan, its products.
 */
export function consumersByTopic(source: Pick<Plan, 'products'> | Mesh): Map<string, string[]> {
  const consumers = new Map<string, string[]>();
  for (const p of source.products) {
    const topics = new Set(p.consumes.map((c) => (typeof c === 'string' ? c : c.topic)));
    for (const topic of topics) consumers.set(topic, [...(consumers.get(topic) ?? []), p.id]);
  }
  for (const list of consumers.values()) list.sort(compareText);
  return consumers;
}

function plannedProduct(product: Product): PlannedProduct {
  return {
    id: product.id,
    urn: product.urn,
    businessDomain: product.businessDomain,
    file: product.file,
    owners: [...new Set(product.owners)].sort(compareText),
    topics: product.topics.map((t) => t.name).sort(compareText),
    consumes: [...new Set(product.consumes.map((c) => c.topic))].sort(compareText),
    produces: [...new Set((product.produces ?? []).filter((c) => c.granted).map((c) => c.topic))].sort(compareText),
  };
}
