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
import type { Plan, PlannedProduct, Resource, ResourceKind } from './types';

export { productPrincipal, ANY_PRINCIPAL } from './principal';
export { OWNER_OPERATIONS, READER_OPERATIONS, STREAMS_OPERATIONS, scaledPartitions } from './kafka';

export function planMesh(mesh: Mesh, stack: StackConfig): Plan {
  const products = [...mesh.products].sort((a, b) => compareText(a.id, b.id));
  const names = NameIndex.ofMesh(mesh);
  const resources = products.flatMap((product) => [
    ...planKafka(product, stack, names.ancestorsOf(product.id)),
    ...planSchemas(product, stack),
    ...(stack.crossplane.enabled ? [planDataProduct(product, mesh, stack)] : planGcp(product, mesh, stack)),
  ]);
  return {
    stack: stack.name,
    products: products.map(plannedProduct),
    resources: resources.sort(compareResources),
  };
}

/** The order resources of one product are listed in: what a reader looks for first. */
export const KIND_ORDER: readonly ResourceKind[] = [
  'kafka:Topic',
  'kafka:Acl',
  'schema:Subject',
  'gcp:serviceaccount:Account',
  'gcp:serviceaccount:IAMMember',
  'gcp:bigquery:Dataset',
  'gcp:bigquery:DatasetIamMember',
  'crossplane:DataProduct',
];

/** By product, then kind (KIND_ORDER), then name. */
export function compareResources(a: Resource, b: Resource): number {
  return (
    compareText(a.product, b.product) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    compareText(a.name, b.name)
  );
}

/** Topic -> ids of the products that receive from it (declared in the mesh or not), sorted. */
export function consumersByTopic(plan: Pick<Plan, 'products'>): Map<string, string[]> {
  const consumers = new Map<string, string[]>();
  for (const p of plan.products) {
    for (const topic of p.consumes) consumers.set(topic, [...(consumers.get(topic) ?? []), p.id]);
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
  };
}
