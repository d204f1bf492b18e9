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
import { planKafka, type PrincipalsOf } from './kafka';
import { productPrincipal, productPrincipals } from './principal';
import { planSchemas } from './schemas';
import { stackSelects } from './select';
import type { Plan, PlannedProduct, Resource, ResourceKind } from './types';

export { productPrincipal, productPrincipals, ANY_PRINCIPAL } from './principal';
export { OWNER_OPERATIONS, READER_OPERATIONS, STREAMS_OPERATIONS, WRITER_OPERATIONS, scaledPartitions, quotaUser } from './kafka';

/** The stack's products (all of the mesh unless the stack selects some) and their resources. */
export function planMesh(mesh: Mesh, stack: StackConfig): Plan {
  const planner = meshPlanner(mesh, stack);
  const resources: Resource[] = [];
  for (const product of planner.products) for (const r of planner.resourcesOf(product)) resources.push(r);
  return { stack: stack.name, products: planner.products.map(plannedProduct), resources };
}

/**
 * The plan a product at a time: the stack's products in id order, and each one's resources when
 * asked (`planMesh` is every product's, in that order). For a caller that writes a large plan as it
 * is made and need not hold all of it (`meshform plan --json`).
 */
export interface MeshPlanner {
  /** The products the stack manages, in id order (the plan's `products`, before `plannedProduct`). */
  products: readonly Product[];
  /** One product's resources, in the plan's order (compareResources). */
  resourcesOf(product: Product): Resource[];
}

export function meshPlanner(mesh: Mesh, stack: StackConfig): MeshPlanner {
  const products = mesh.products.filter((p) => stackSelects(stack.selection, p)).sort((a, b) => compareText(a.id, b.id));
  // Names of the whole mesh, also of products another stack manages (a parent's DENYs).
  const names = NameIndex.ofMesh(mesh);
  const principals = new Map(products.map((p) => [p.id, productPrincipals(p, stack)]));
  const principalsOf: PrincipalsOf = (id) => principals.get(id) ?? [{ principal: productPrincipal(id, stack) }];
  // Products are in id order and a product's resources carry its id: sorting each product's
  // resources gives the order compareResources gives the whole list, at a fraction of the cost.
  const resourcesOf = (product: Product): Resource[] =>
    inKindOrder(
      planKafka(product, stack, names.ancestorsOf(product.id), principalsOf),
      planSchemas(product, stack),
      stack.crossplane.enabled ? [planDataProduct(product, mesh, stack)] : planGcp(product, mesh, stack),
    );
  return { products, resourcesOf };
}

/** One product's resources as compareResources orders them: by kind (KIND_ORDER), then name (the product is the same). */
function inKindOrder(...parts: ReadonlyArray<readonly Resource[]>): Resource[] {
  const byKind: Resource[][] = KIND_ORDER.map(() => []);
  for (const resources of parts) for (const r of resources) byKind[KIND_RANK.get(r.kind) as number].push(r);
  const ordered: Resource[] = [];
  for (const ofKind of byKind) {
    ofKind.sort(compareNames);
    for (const r of ofKind) ordered.push(r);
  }
  return ordered;
}

const compareNames = (a: Resource, b: Resource): number => compareText(a.name, b.name);

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

/** A product as the plan lists it. */
export function plannedProduct(product: Product): PlannedProduct {
  const planned: PlannedProduct = {
    id: product.id,
    urn: product.urn,
    businessDomain: product.businessDomain,
    file: product.file,
    owners: [...new Set(product.owners)].sort(compareText),
    topics: product.topics.map((t) => t.name).sort(compareText),
    consumes: [...new Set(product.consumes.map((c) => c.topic))].sort(compareText),
    produces: [...new Set((product.produces ?? []).filter((c) => c.granted).map((c) => c.topic))].sort(compareText),
  };
  const adopt = product.adopt;
  if (adopt) {
    planned.adopted = {
      topics: adopt.topics.map((t) => ({ name: t.name, visibility: t.visibility })),
      principals: adopt.principals.map((p) => p.principal),
      groups: adopt.groups.map((g) => g.name),
      transactionalIds: adopt.transactionalIds.map((t) => t.name),
    };
  }
  return planned;
}
