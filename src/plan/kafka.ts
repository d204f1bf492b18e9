/**
 * A product's Kafka resources: its topics, sized for the stack, and least-privilege ACLs.
 * The access model (and why each operation is or is not granted) is in docs/access-model.md.
 */
import { compareText } from '../compare';
import { QUOTA_KEYS, type Product, type QuotaKey, type Quotas, type Topic } from '../vocabulary/mesh';
import { resourceName } from '../names';
import type { StackConfig } from '../stack/types';
import { type NamePattern, claimPattern, deniedToAncestors, ownerPatterns, streamsPatterns, topicPattern } from '../vocabulary/topic-names';
import { ANY_PRINCIPAL, allowedOn, productPrincipal, type ProductPrincipal } from './principal';
import type { AclOperation, AclPermission, AclResourceType, KafkaAcl, KafkaAclProps, KafkaQuota, KafkaTopic } from './types';

/**
 * What a product principal may do on its own resources. No CREATE, DELETE, ALTER or
 * ALTER_CONFIGS: topics exist only as the spec declares them, created and changed by the
 * reconcile engine's admin principal. No CLUSTER IDEMPOTENT_WRITE: since Kafka 3.0 (KIP-679) an
 * idempotent producer is authorized by WRITE on any topic.
 */
export const OWNER_OPERATIONS: Readonly<Record<Exclude<AclResourceType, 'CLUSTER'>, readonly AclOperation[]>> = {
  TOPIC: ['READ', 'WRITE', 'DESCRIBE', 'DESCRIBE_CONFIGS'],
  GROUP: ['READ', 'DESCRIBE'],
  TRANSACTIONAL_ID: ['WRITE', 'DESCRIBE'],
};

/**
 * The bindings a product's principal without limits holds on the product's own prefixes (the owner
 * patterns with OWNER_OPERATIONS): what the plan gives every such product alike.
 */
export function ownerAcls(productId: string, principal: string): KafkaAclProps[] {
  return ownerPatterns(productId).flatMap((p) => OWNER_OPERATIONS[p.resourceType as keyof typeof OWNER_OPERATIONS].map((operation): KafkaAclProps => ({ principal, ...p, operation, permission: 'ALLOW', host: '*' })));
}

/** What a reader of another product's topic gets, on that one topic. */
export const READER_OPERATIONS: readonly AclOperation[] = ['READ', 'DESCRIBE'];

/**
 * What a product granted write access to another's input topic (`grant-write:`) gets, on that one
 * topic. WRITE is also what lets its producer be idempotent: since Kafka 3.0 (KIP-679) WRITE on any
 * topic authorizes InitProducerId without a transactional id, so no CLUSTER IDEMPOTENT_WRITE is
 * granted (it would name the writer's principal on the cluster, outside the owner's namespace).
 */
export const WRITER_OPERATIONS: readonly AclOperation[] = ['WRITE', 'DESCRIBE'];

/**
 * What a Kafka Streams app needs beyond that, on its product's `_private.` prefix only (opt-in,
 * `kafkaStreams: true`): CREATE for the changelog and repartition topics it makes itself
 * (`<application.id>-<store>-changelog`, with `application.id` = `<id>._private.<service>`), and
 * DELETE because it purges repartition topics (DeleteRecords) and its reset tool deletes them.
 */
export const STREAMS_OPERATIONS: readonly AclOperation[] = ['CREATE', 'DELETE'];

/**
 * What an adopted principal gets on an adopted topic, by what its product's spec does there (the
 * form the tools an estate comes from write: JulieOps, kafka-gitops with describe ACLs, the
 * Terraform provider's examples): sending writes, receiving reads, each with DESCRIBE.
 */
export const ADOPTED_SEND_OPERATIONS: readonly AclOperation[] = ['WRITE', 'DESCRIBE'];
export const ADOPTED_RECEIVE_OPERATIONS: readonly AclOperation[] = ['READ', 'DESCRIBE'];
/** On an adopted consumer group: READ (joining, committing and fetching offsets). */
export const ADOPTED_GROUP_OPERATIONS: readonly AclOperation[] = ['READ'];
/** On an adopted transactional id, as on the product's own. */
export const ADOPTED_TRANSACTIONAL_OPERATIONS: readonly AclOperation[] = OWNER_OPERATIONS.TRANSACTIONAL_ID;

/**
 * Whether an ACL on an adopted name has a form the plan gives there (ALLOW, any host, an operation
 * of the ones above): the reconcile scope manages those and leaves the estate's others (a DENY, a
 * host, ALL, ALTER, ...), which meshform never plans on adopted names, as they are.
 */
export function plannedOnAdopted(acl: Pick<KafkaAclProps, 'resourceType' | 'operation' | 'permission' | 'host'>): boolean {
  if (acl.permission !== 'ALLOW' || acl.host !== '*') return false;
  const operations: readonly AclOperation[] =
    acl.resourceType === 'TOPIC' ? [...ADOPTED_SEND_OPERATIONS, ...ADOPTED_RECEIVE_OPERATIONS, ...READER_OPERATIONS]
    : acl.resourceType === 'GROUP' ? [...ADOPTED_GROUP_OPERATIONS, 'DESCRIBE']
    : acl.resourceType === 'TRANSACTIONAL_ID' ? ADOPTED_TRANSACTIONAL_OPERATIONS
    : [];
  return operations.includes(acl.operation);
}

/** The principals of a product in the mesh (its adopted ones, else the stack template's). */
export type PrincipalsOf = (productId: string) => readonly ProductPrincipal[];

/**
 * The resource patterns come from vocabulary/topic-names.ts (`ownerPatterns`, `topicPattern`,
 * `streamsPatterns`, `deniedToAncestors`, `claimPattern`); this planner adds who and what to each.
 * A new kind of pattern goes there, so the reconcile scope and the property tests know it.
 *
 * A product's principals without limits get the convention's access (its prefixes), and on each
 * adopted topic what its spec does there; a principal limited to some topics, groups and
 * transactional ids (an adopted application, `x-meshform.adopt.principals`) gets only those, each
 * on the name itself. Readers of a protected topic are the principals of its grantees allowed on it.
 *
 * @param ancestors ids of products in the mesh whose group prefixes contain this product's
 *   (`NameIndex.ancestorsOf`: `acme.user` for `acme.user.profile` and for `acme.user-eu`): their
 *   principals are denied this product's groups and transactional ids, which their own prefixes
 *   would otherwise reach.
 * @param principalsOf the principals of any product of the mesh (for grantees and ancestors)
 */
export function planKafka(
  product: Product,
  stack: StackConfig,
  ancestors: readonly string[] = [],
  principalsOf: PrincipalsOf = (id) => [{ principal: productPrincipal(id, stack) }],
): Array<KafkaTopic | KafkaAcl | KafkaQuota> {
  const topics = product.topics.map((topic) => planTopic(product, topic, stack));
  const acls: KafkaAcl[] = [];
  // A binding asked for twice is planned once: the ACLs of each principal and pattern (their names' head).
  const byPattern = new Map<string, KafkaAcl[]>();
  const add = (principal: string, pattern: NamePattern, operations: readonly AclOperation[], permission: AclPermission = 'ALLOW') => {
    const { resourceType, resourceName, patternType } = pattern;
    // The name's parts up to the pattern are the same for every operation: encoded once.
    const head = aclNameHead(product.id, principal, pattern);
    let planned = byPattern.get(head);
    if (!planned) byPattern.set(head, (planned = []));
    for (const operation of operations) {
      if (planned.some((acl) => acl.properties.operation === operation && acl.properties.permission === permission)) continue;
      const acl: KafkaAcl = {
        kind: 'kafka:Acl',
        name: `${head}/${aclNameTail(operation, permission)}`,
        product: product.id,
        properties: { principal, resourceType, resourceName, patternType, operation, permission, host: '*' },
      };
      planned.push(acl);
      acls.push(acl);
    }
  };

  const own = principalsOf(product.id);
  const unlimited = own.filter((p) => !p.only).map((p) => p.principal);
  for (const owner of unlimited) {
    for (const pattern of ownerPatterns(product.id)) add(owner, pattern, OWNER_OPERATIONS[pattern.resourceType]);
    // Tag-only topics (SpecMesh dialect) are outside the visibility prefixes: the owner's access is granted on each.
    for (const topic of product.topics.filter((t) => t.visibilityFromTags)) add(owner, topicPattern(topic.name), OWNER_OPERATIONS.TOPIC);
    if (product.kafkaStreams) for (const pattern of streamsPatterns(product.id)) add(owner, pattern, STREAMS_OPERATIONS);
  }

  // Adopted topics, and any topic a limited principal may use: on the topic itself, by what the spec does with it.
  for (const topic of product.topics) {
    for (const p of own) {
      if (!(topic.adopted || p.only)) continue;
      if (topic.sends && allowedOn(p, 'sends', topic.name)) add(p.principal, topicPattern(topic.name), ADOPTED_SEND_OPERATIONS);
      if (topic.receives && allowedOn(p, 'receives', topic.name)) add(p.principal, topicPattern(topic.name), ADOPTED_RECEIVE_OPERATIONS);
    }
  }
  for (const [kind, resourceType, operations] of [
    ['groups', 'GROUP', ADOPTED_GROUP_OPERATIONS],
    ['transactionalIds', 'TRANSACTIONAL_ID', ADOPTED_TRANSACTIONAL_OPERATIONS],
  ] as const) {
    for (const claim of product.adopt?.[kind] ?? []) {
      for (const p of own) if (allowedOn(p, kind, claim.name)) add(p.principal, claimPattern(resourceType, claim.name), operations);
    }
  }

  for (const topic of product.topics) {
    for (const principal of readers(product, topic, principalsOf)) add(principal, topicPattern(topic.name), READER_OPERATIONS);
    for (const principal of writers(product, topic, principalsOf)) add(principal, topicPattern(topic.name), WRITER_OPERATIONS);
  }

  for (const ancestor of ancestors) {
    // Only principals without limits hold the convention's client prefixes that reach this product's.
    for (const p of principalsOf(ancestor).filter((x) => !x.only)) {
      for (const pattern of deniedToAncestors(product.id)) add(p.principal, pattern, ['ALL'], 'DENY');
    }
  }
  return [...topics, ...acls, ...planQuotas(product, stack, own)];
}

/**
 * Products besides the owner that may write to an input topic: only protected topics take writes
 * from others; of a grantee with adopted principals, those its limits let send there.
 */
function writers(product: Product, topic: Topic, principalsOf: PrincipalsOf): string[] {
  if (topic.visibility !== 'protected') return [];
  return (topic.writeGrants ?? [])
    .filter((g) => g.grantee !== product.id)
    .flatMap((g) => principalsOf(g.grantee).filter((p) => allowedOn(p, 'sends', topic.name)).map((p) => p.principal));
}

/**
 * The name Kafka's client quotas know a principal by (the `user` entity): the principal's name
 * without its type, `User:acme.retail.orders` -> `acme.retail.orders`.
 */
export function quotaUser(principal: string): string {
  return principal.slice(principal.indexOf(':') + 1);
}

/**
 * A quota value and how the stack arrived at it (as `SizedValue`): `from` is the spec's or mesh
 * file's value, or the stack's default when neither sets the key.
 */
export type QuotaSizing = Partial<Record<QuotaKey, SizedValue<number>>>;

/**
 * The one place a product's quotas are computed: each key from the spec (or mesh file), else the
 * stack's default; byte rates scaled by the stack's quotaFactor (rounded, at least 1). A request
 * share is a percentage of a broker thread, the same on a small cluster as on a large one: never scaled.
 */
export function quotaSizing(product: Product, stack: StackConfig): QuotaSizing {
  const { defaults, factor } = stack.kafka.quotas;
  const out: QuotaSizing = {};
  for (const key of QUOTA_KEYS) {
    const own = product.quotas?.[key];
    const from = own ?? defaults[key];
    if (from === undefined) continue;
    const value = key === 'request_percentage' ? from : Math.max(1, Math.round(Number((from * factor).toFixed(9))));
    out[key] = { value, from, defaulted: own === undefined, because: value !== from ? [`quotaFactor ${factor}`] : [] };
  }
  return out;
}

/** Each quota key the stack applies to the product, with where its value comes from (for people: access, catalog). */
export function quotaSources(product: Product, stack: StackConfig): Array<{ key: QuotaKey; value: number; from: string }> {
  const sizing = quotaSizing(product, stack);
  return QUOTA_KEYS.flatMap((key) => {
    const s = sizing[key];
    if (!s) return [];
    const source = s.defaulted ? `stack ${stack.name || 'defaults'}` : (product.quotasFrom?.[key] ?? 'x-meshform');
    return [{ key, value: s.value, from: s.because.length ? `${source}, ${s.because.join(', ')}` : source }];
  });
}

/**
 * The product's client quotas, one per principal its clients use: the template principal, or each
 * principal it adopted (`x-meshform.adopt.principals`), whose clients are the product's.
 */
function planQuotas(product: Product, stack: StackConfig, own: readonly ProductPrincipal[]): KafkaQuota[] {
  const sizing = quotaSizing(product, stack);
  const quotas: Quotas = {};
  for (const key of QUOTA_KEYS) if (sizing[key]) quotas[key] = sizing[key].value;
  if (Object.keys(quotas).length === 0) return [];
  return own.map(({ principal }) => ({
    kind: 'kafka:Quota',
    name: resourceName(product.id, 'quota', principal),
    product: product.id,
    properties: { principal, entity: { user: quotaUser(principal) }, quotas },
  }));
}

/**
 * Principals besides the owner's that may read a topic: everyone for a public one, the principals
 * of each grantee (those allowed on the topic) for a protected one.
 */
function readers(product: Product, topic: Topic, principalsOf: PrincipalsOf): string[] {
  switch (topic.visibility) {
    case 'public':
      return [ANY_PRINCIPAL];
    case 'protected':
      return topic.grants
        .filter((grant) => grant.grantee !== product.id)
        .flatMap((grant) => principalsOf(grant.grantee).filter((p) => allowedOn(p, 'receives', topic.name)).map((p) => p.principal));
    case 'private':
      return [];
  }
}

export function planTopic(product: Product, topic: Topic, stack: StackConfig): KafkaTopic {
  const sizing = topicSizing(topic, stack);
  return {
    kind: 'kafka:Topic',
    name: resourceName(product.id, 'topic', topic.name),
    product: product.id,
    properties: {
      topic: topic.name,
      partitions: sizing.partitions.value,
      replicas: sizing.replicas.value,
      config: plannedConfig(topic.config, sizing.config),
    },
  };
}

/**
 * A planned topic value and how the stack arrived at it from the spec: `from` is the spec's value
 * (or the stack's default when the spec sets none), `because` the stack settings that changed it.
 */
export interface SizedValue<T> {
  value: T;
  from: T;
  /** Whether `from` is the stack's default (`defaultPartitions`, `defaultReplicas`) rather than the spec's value. */
  defaulted: boolean;
  /** Stack settings that made `value` differ from `from`, e.g. `partitionFactor 0.25`; empty when it did not. */
  because: string[];
}

export interface TopicSizing {
  partitions: SizedValue<number>;
  replicas: SizedValue<number>;
  /** Only the config keys the stack changed. */
  config: Record<string, SizedValue<string>>;
}

/** The one place a topic's size is computed from its spec and the stack (the plan, and the CLI's explanation of it). */
export function topicSizing(topic: Topic, stack: StackConfig): TopicSizing {
  const { kafka } = stack;
  const partitionsFrom = topic.partitions ?? kafka.defaultPartitions;
  const partitions = scaledPartitions(partitionsFrom, kafka.partitionFactor);
  const replicasFrom = topic.replicas ?? kafka.defaultReplicas;
  const replicas = Math.min(replicasFrom, kafka.replicasCap ?? Infinity);
  const config: Record<string, SizedValue<string>> = {};
  // The spec checks `min.insync.replicas <= replicas`, but a stack's replicasCap can lower replicas
  // below it, and then every `acks=all` produce fails with NOT_ENOUGH_REPLICAS: lower it with them.
  const minInsync = Number(topic.config['min.insync.replicas']);
  if (Number.isInteger(minInsync) && minInsync > replicas) {
    config['min.insync.replicas'] = { value: String(replicas), from: topic.config['min.insync.replicas'], defaulted: false, because: [`replicasCap ${kafka.replicasCap}`] };
  }
  return {
    partitions: {
      value: partitions,
      from: partitionsFrom,
      defaulted: topic.partitions === undefined,
      because: partitions !== partitionsFrom ? [`partitionFactor ${kafka.partitionFactor}`] : [],
    },
    replicas: {
      value: replicas,
      from: replicasFrom,
      defaulted: topic.replicas === undefined,
      because: replicas !== replicasFrom ? [`replicasCap ${kafka.replicasCap}`] : [],
    },
    config,
  };
}

/**
 * `ceil(partitions * factor)`, at least 1. The product is rounded to 9 decimals first so that
 * binary floating point (10 * 0.3 = 3.0000000000000004) does not add a partition.
 */
export function scaledPartitions(partitions: number, factor: number): number {
  return Math.max(1, Math.ceil(Number((partitions * factor).toFixed(9))));
}

/**
 * The spec's partitions that a stack's partitionFactor turns into `actual`: the largest such count
 * (`actual / factor` when whole, the value an unscaled stack runs with), or undefined when there is
 * none (a factor above 1 skips counts: with 2, no spec value plans 3).
 */
export function unscaledPartitions(actual: number, factor: number): number | undefined {
  // scaledPartitions(floor(actual / factor)) <= actual, and larger counts scale above it.
  const p = Math.floor(Number((actual / factor).toFixed(9)));
  return p >= 1 && scaledPartitions(p, factor) === actual ? p : undefined;
}

/**
 * The spec's replicas for a topic with `actual` replicas, so that the stack plans `actual`:
 * undefined (leave it to defaultReplicas) when the stack's cap made it, else `actual` itself.
 */
export function unscaledReplicas(actual: number, kafka: Pick<StackConfig['kafka'], 'replicasCap' | 'defaultReplicas'>): number | undefined {
  return kafka.replicasCap !== undefined && actual === kafka.replicasCap && kafka.defaultReplicas >= actual ? undefined : actual;
}

/**
 * An ACL's plan name is `resourceName(product, 'acl', principal, resourceType, patternType,
 * resourceName, operation, permission, host)`, made here as two halves joined by `/` (resourceName
 * encodes each part on its own): the head names the pattern, the tail what is allowed on it.
 */
function aclNameHead(productId: string, principal: string, pattern: Pick<KafkaAclProps, 'resourceType' | 'patternType' | 'resourceName'>): string {
  return resourceName(productId, 'acl', principal, pattern.resourceType, pattern.patternType, pattern.resourceName);
}

/** The tail of the ACLs the plan makes (any host), by permission and operation: a handful, each named once. */
const tails: Record<AclPermission, Map<AclOperation, string>> = { ALLOW: new Map(), DENY: new Map() };

function aclNameTail(operation: AclOperation, permission: AclPermission): string {
  let tail = tails[permission].get(operation);
  if (tail === undefined) {
    tail = resourceName(operation, permission, '*');
    tails[permission].set(operation, tail);
  }
  return tail;
}

/** The spec's topic config with the values the stack changed, keys in text order. */
function plannedConfig(spec: Record<string, string>, changed: Record<string, SizedValue<string>>): Record<string, string> {
  const keys = Object.keys(spec);
  for (const key of Object.keys(changed)) if (!Object.hasOwn(spec, key)) keys.push(key);
  keys.sort(compareText);
  return Object.fromEntries(keys.map((key) => [key, Object.hasOwn(changed, key) ? changed[key].value : spec[key]]));
}
