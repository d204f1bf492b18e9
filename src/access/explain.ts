/**
 * What one product may do on Kafka, and why: decided from the plan's ACLs as Kafka's authorizer
 * decides (catalog/access.ts), explained from the mesh (the product's own prefix, a public topic, a
 * `grant-access:` or `grant-write:` tag) with the spec line that says so. Pure.
 */
import { compareText } from '../compare';
import type { SourceLocation } from '../vocabulary/diagnostics';
import { QUOTA_KEYS, type Mesh, type Product, type QuotaKey, type Quotas, type Topic } from '../vocabulary/mesh';
import { TopicAclIndex, accessUnder, topicAcls } from '../catalog/access';
import { quotaSources } from '../plan/kafka';
import { productPrincipal } from '../plan/principal';
import type { KafkaAclProps, Plan } from '../plan/types';
import type { StackConfig } from '../stack/types';

export type Reason = 'own topic' | 'public topic' | 'grant-access' | 'grant-write';

export interface TopicRight {
  topic: string;
  owner: string;
  read: boolean;
  write: boolean;
  /** Why, each with the place in a spec that says it. */
  because: Array<{ right: 'read' | 'write'; reason: Reason; at: string }>;
}

export interface AccessView {
  product: string;
  urn: string;
  principal: string;
  stack: string;
  /** Topics the product may read or write, sorted: its own first, then others by name. */
  topics: TopicRight[];
  /** Consumer-group and transactional-id prefixes (and Kafka Streams' topic prefix), from the plan's ACLs. */
  clients: Array<{ resourceType: KafkaAclProps['resourceType']; patternType: KafkaAclProps['patternType']; resourceName: string; operations: string[]; permission: KafkaAclProps['permission'] }>;
  /** The planned client quota, each value with where it comes from. */
  quota?: { user: string; quotas: Quotas; from: Partial<Record<QuotaKey, string>> };
  /** Every planned ACL binding that names the product's principal. */
  acls: KafkaAclProps[];
}

/** The product a urn, id or principal names under the stack's principal template, or undefined. */
export function productNamed(mesh: Mesh, stack: StackConfig, name: string): Product | undefined {
  return mesh.products.find((p) => p.urn === name || p.id === name || productPrincipal(p.id, stack) === name);
}

const at = (l: SourceLocation) => `${l.file}:${l.line}:${l.col}`;

export function explainAccess(mesh: Mesh, plan: Plan, stack: StackConfig, product: Product): AccessView {
  const principal = productPrincipal(product.id, stack);
  const index = new TopicAclIndex(topicAcls(plan.resources));
  const topics: TopicRight[] = [];
  for (const owner of mesh.products) {
    for (const t of owner.topics) {
      const access = accessUnder(index.covering(t.name), principal);
      if (!access.read && !access.write) continue;
      topics.push({ topic: t.name, owner: owner.id, ...access, because: reasons(t, owner, product, access) });
    }
  }
  topics.sort((a, b) => Number(b.owner === product.id) - Number(a.owner === product.id) || compareText(a.topic, b.topic));

  const acls = plan.resources.flatMap((r) => (r.kind === 'kafka:Acl' && r.properties.principal === principal ? [r.properties] : []));
  const clients = new Map<string, AccessView['clients'][number]>();
  for (const a of acls) {
    const isStreams = a.resourceType === 'TOPIC' && a.patternType === 'PREFIXED' && (a.operation === 'CREATE' || a.operation === 'DELETE');
    if (a.resourceType === 'TOPIC' && !isStreams) continue;
    const key = `${a.permission}|${a.resourceType}|${a.patternType}|${a.resourceName}`;
    const entry = clients.get(key) ?? { resourceType: a.resourceType, patternType: a.patternType, resourceName: a.resourceName, operations: [], permission: a.permission };
    entry.operations.push(a.operation);
    clients.set(key, entry);
  }
  const quotas: Quotas = {};
  const from: Partial<Record<QuotaKey, string>> = {};
  for (const q of quotaSources(product, stack)) {
    quotas[q.key] = q.value;
    from[q.key] = q.from;
  }
  const quota = plan.resources.find((r) => r.kind === 'kafka:Quota' && r.product === product.id);
  return {
    product: product.id,
    urn: product.urn,
    principal,
    stack: stack.name,
    topics,
    clients: [...clients.values()].sort((a, b) => compareText(`${a.resourceType}${a.resourceName}`, `${b.resourceType}${b.resourceName}`)),
    ...(quota?.kind === 'kafka:Quota' && { quota: { user: quota.properties.entity.user, quotas, from } }),
    acls,
  };
}

function reasons(t: Topic, owner: Product, product: Product, access: { read: boolean; write: boolean }): TopicRight['because'] {
  const because: TopicRight['because'] = [];
  if (owner.id === product.id) {
    for (const right of ['read', 'write'] as const) if (access[right]) because.push({ right, reason: 'own topic', at: at(t.location) });
    return because;
  }
  const grant = t.grants.find((g) => g.grantee === product.id);
  if (access.read && t.visibility === 'public') because.push({ right: 'read', reason: 'public topic', at: at(t.location) });
  else if (access.read && grant) because.push({ right: 'read', reason: 'grant-access', at: at(grant.location) });
  const writer = t.writeGrants?.find((g) => g.grantee === product.id);
  if (access.write && writer) because.push({ right: 'write', reason: 'grant-write', at: at(writer.location) });
  return because;
}

/** The text form: one block per kind of right, every line with its reason and spec position. */
export function formatAccess(view: AccessView): string[] {
  const lines = [`${view.product} (${view.urn}) as ${view.principal} on stack '${view.stack}'`];
  const own = view.topics.filter((t) => t.owner === view.product);
  const reads = view.topics.filter((t) => t.owner !== view.product && t.read);
  const writes = view.topics.filter((t) => t.owner !== view.product && t.write);
  const line = (t: TopicRight, right: 'read' | 'write') =>
    t.because.filter((b) => b.right === right).map((b) => `  ${t.topic}  ${b.reason === 'grant-access' || b.reason === 'grant-write' ? `${b.reason} (${t.owner})` : b.reason}  ${b.at}`);
  lines.push(own.length ? 'own topics (read and write, PREFIXED under its id):' : 'own topics: none');
  for (const t of own) lines.push(`  ${t.topic}  ${t.because[0]?.at ?? ''}`);
  lines.push(reads.length ? "reads other products' topics:" : "reads other products' topics: none");
  for (const t of reads) lines.push(...line(t, 'read'));
  lines.push(writes.length ? "writes to other products' input topics:" : "writes to other products' input topics: none");
  for (const t of writes) lines.push(...line(t, 'write'));
  const clients = view.clients.filter((c) => c.resourceType !== 'TOPIC');
  if (clients.length) {
    lines.push('consumer groups and transactional ids:');
    for (const c of clients) lines.push(`  ${c.permission} ${c.operations.join(', ')} on ${c.resourceType} ${c.patternType} ${c.resourceName}`);
  }
  for (const c of view.clients.filter((x) => x.resourceType === 'TOPIC')) lines.push(`kafka streams: ${c.operations.join(', ')} on TOPIC ${c.patternType} ${c.resourceName}`);
  if (view.quota) {
    lines.push(`client quota (user ${view.quota.user}):`);
    for (const key of QUOTA_KEYS) if (view.quota.quotas[key] !== undefined) lines.push(`  ${key} ${view.quota.quotas[key]}  ${view.quota.from[key]}`);
  } else {
    lines.push('client quota: none');
  }
  return lines;
}
