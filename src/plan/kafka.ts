/**
 * A product's Kafka resources: its topics, sized for the stack, and least-privilege ACLs.
 * The access model (and why each operation is or is not granted) is in docs/access-model.md.
 */
import { compareText } from '../compare';
import type { Product, Topic } from '../vocabulary/mesh';
import { resourceName } from '../names';
import type { StackConfig } from '../stack/types';
import { type NamePattern, deniedToAncestors, ownerPatterns, streamsPatterns, topicPattern } from '../vocabulary/topic-names';
import { ANY_PRINCIPAL, productPrincipal } from './principal';
import type { AclOperation, AclResourceType, KafkaAcl, KafkaAclProps, KafkaTopic } from './types';

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

/** What a reader of another product's topic gets, on that one topic. */
export const READER_OPERATIONS: readonly AclOperation[] = ['READ', 'DESCRIBE'];

/**
 * What a Kafka Streams app needs beyond that, on its product's `_private.` prefix only (opt-in,
 * `kafkaStreams: true`): CREATE for the changelog and repartition topics it makes itself
 * (`<application.id>-<store>-changelog`, with `application.id` = `<id>._private.<service>`), and
 * DELETE because it purges repartition topics (DeleteRecords) and its reset tool deletes them.
 */
export const STREAMS_OPERATIONS: readonly AclOperation[] = ['CREATE', 'DELETE'];

/**
 * The resource patterns come from vocabulary/topic-names.ts (`ownerPatterns`, `topicPattern`,
 * `streamsPatterns`, `deniedToAncestors`); this planner adds who and what to each. A new kind of
 * pattern goes there, so the reconcile scope and the property tests know it.
 *
 * @param ancestors ids of products in the mesh whose group prefixes contain this product's
 *   (`NameIndex.ancestorsOf`: `acme.user` for `acme.user.profile` and for `acme.user-eu`): their
 *   principals are denied this product's groups and transactional ids, which their own prefixes
 *   would otherwise reach.
 */
export function planKafka(product: Product, stack: StackConfig, ancestors: readonly string[] = []): Array<KafkaTopic | KafkaAcl> {
  const topics = product.topics.map((topic) => planTopic(product, topic, stack));
  const acls = new Map<string, KafkaAcl>();
  const add = (principal: string, pattern: NamePattern, operations: readonly AclOperation[], permission: KafkaAclProps['permission'] = 'ALLOW') => {
    for (const operation of operations) {
      const { resourceType, resourceName, patternType } = pattern;
      const acl = aclResource(product.id, { principal, resourceType, resourceName, patternType, operation, permission, host: '*' });
      acls.set(acl.name, acl);
    }
  };

  const owner = productPrincipal(product.id, stack);
  for (const pattern of ownerPatterns(product.id)) add(owner, pattern, OWNER_OPERATIONS[pattern.resourceType]);
  // Tag-only topics (SpecMesh dialect) are outside the visibility prefixes: the owner's access is granted on each.
  for (const topic of product.topics.filter((t) => t.visibilityFromTags)) add(owner, topicPattern(topic.name), OWNER_OPERATIONS.TOPIC);
  if (product.kafkaStreams) for (const pattern of streamsPatterns(product.id)) add(owner, pattern, STREAMS_OPERATIONS);

  for (const topic of product.topics) {
    for (const principal of readers(product, topic, stack)) add(principal, topicPattern(topic.name), READER_OPERATIONS);
  }

  for (const ancestor of ancestors) {
    for (const pattern of deniedToAncestors(product.id)) add(productPrincipal(ancestor, stack), pattern, ['ALL'], 'DENY');
  }
  return [...topics, ...acls.values()];
}

/** Principals besides the owner that may read a topic; the owner is covered by its prefix. */
function readers(product: Product, topic: Topic, stack: StackConfig): string[] {
  switch (topic.visibility) {
    case 'public':
      return [ANY_PRINCIPAL];
    case 'protected':
      return topic.grants
        .filter((grant) => grant.grantee !== product.id)
        .map((grant) => productPrincipal(grant.grantee, stack));
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
      config: sortedRecord({ ...topic.config, ...Object.fromEntries(Object.entries(sizing.config).map(([k, v]) => [k, v.value])) }),
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

function aclResource(productId: string, props: KafkaAclProps): KafkaAcl {
  return {
    kind: 'kafka:Acl',
    name: resourceName(
      productId,
      'acl',
      props.principal,
      props.resourceType,
      props.patternType,
      props.resourceName,
      props.operation,
      props.permission,
      props.host,
    ),
    product: productId,
    properties: props,
  };
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}
