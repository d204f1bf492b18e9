/**
 * Desired plan resources vs actual cluster state -> one change per resource. Pure.
 *
 * Kafka cannot shrink partitions or change a replication factor through topic admin calls, and
 * deleting what a spec stopped declaring loses data or access: those become REFUSED with a remedy
 * instead of being skipped silently (SpecMesh's fault) or attempted.
 */
import { compareText } from '../../../compare';
import type { KafkaAclProps, KafkaQuotaProps, KafkaTopicProps, Resource } from '../../../plan/types';
import { QUOTA_KEYS, type Quotas } from '../../../vocabulary/mesh';
import type { OwnershipScope } from './scope';
import { isPrivateTopic } from '../../../vocabulary/topic-names';
import { aclKey, type ActualTopic, type ClusterState } from './state';

export type Action = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNCHANGED' | 'REFUSED';

export interface TopicChange {
  kind: 'kafka:Topic';
  /** The plan's resource name, or the topic name for a topic the plan no longer declares. */
  name: string;
  product: string;
  action: Action;
  topic: string;
  desired?: KafkaTopicProps;
  actual?: ActualTopic;
  /** UPDATE: the new partition count, when it grows. */
  partitionsTo?: number;
  /** UPDATE: keys to set (new or changed values). */
  configSet: Record<string, string>;
  /** UPDATE: keys set on the topic that the spec no longer sets (reset to the default). */
  configUnset: string[];
  /** REFUSED: why, and what to do instead. */
  reason?: string;
}

export interface AclChange {
  kind: 'kafka:Acl';
  name: string;
  product: string;
  action: Action;
  acl: KafkaAclProps;
  reason?: string;
}

/** A product's client quotas (its principal's `user` entity): only Kafka keys meshform manages are compared. */
export interface QuotaChange {
  kind: 'kafka:Quota';
  name: string;
  product: string;
  action: Action;
  /** The `user` entity: the product principal's name. */
  user: string;
  principal: string;
  desired?: Quotas;
  /** The managed keys set on the cluster now. */
  actual?: Quotas;
  /** CREATE/UPDATE: keys to set. */
  set: Quotas;
  /** UPDATE/DELETE: managed keys to remove. */
  remove: Array<keyof Quotas>;
  reason?: string;
}

export type Change = TopicChange | AclChange | QuotaChange;

export interface DeletePermissions {
  /** Delete topics and ACLs the specs no longer declare. */
  allowDelete: boolean;
  /** Also delete `_private` topics (their data exists nowhere else). */
  allowDeletePrivate: boolean;
  /** Also delete topics that other products in the mesh still consume. */
  allowBreaking?: boolean;
}

/** Topic -> ids of the products in the mesh that receive from it (`consumersByTopic` in plan/). */
export type Consumers = ReadonlyMap<string, readonly string[]>;

export function diff(
  desired: readonly Resource[],
  actual: ClusterState,
  scope: OwnershipScope,
  permissions: DeletePermissions,
  consumers: Consumers = new Map(),
): Change[] {
  const changes: Change[] = [];
  const declaredTopics = new Set<string>();
  const declaredAcls = new Set<string>();
  const actualAcls = actual.aclKeys;

  const declaredQuotaUsers = new Set<string>();
  for (const r of desired) {
    if (r.kind === 'kafka:Quota') {
      declaredQuotaUsers.add(r.properties.entity.user);
      changes.push(quotaChange(r.name, r.product, r.properties, actual.quotas));
    } else if (r.kind === 'kafka:Topic') {
      declaredTopics.add(r.properties.topic);
      changes.push(topicChange(r.name, r.product, r.properties, actual.topics.get(r.properties.topic)));
    } else if (r.kind === 'kafka:Acl') {
      const key = aclKey(r.properties);
      if (declaredAcls.has(key)) continue;
      declaredAcls.add(key);
      changes.push({ kind: 'kafka:Acl', name: r.name, product: r.product, acl: r.properties, action: actualAcls.has(key) ? 'UNCHANGED' : 'CREATE' });
    }
  }

  for (const topic of [...actual.topics.values()].sort((a, b) => compareText(a.name, b.name))) {
    if (declaredTopics.has(topic.name)) continue;
    const product = scope.ownerOfName(topic.name);
    if (product === undefined) continue;
    const refusal = deleteRefusal(topic.name, product, permissions, consumers);
    changes.push({
      kind: 'kafka:Topic',
      name: topic.name,
      product,
      topic: topic.name,
      actual: topic,
      configSet: {},
      configUnset: [],
      action: refusal ? 'REFUSED' : 'DELETE',
      reason: refusal,
    });
  }

  for (const acl of [...actual.acls].sort((a, b) => compareText(aclKey(a), aclKey(b)))) {
    if (declaredAcls.has(aclKey(acl))) continue;
    const product = scope.ownerOfAcl(acl);
    if (product === undefined) continue;
    const refusal = permissions.allowDelete
      ? undefined
      : `not declared in the specs; deleting it needs --allow-delete (or the stack's allowDelete)`;
    changes.push({ kind: 'kafka:Acl', name: aclName(acl), product, acl, action: refusal ? 'REFUSED' : 'DELETE', reason: refusal });
  }

  // Quotas of in-scope products whose specs no longer set any: the managed keys are removed.
  for (const [user, values] of [...(actual.quotas ?? [])].sort(([a], [b]) => compareText(a, b))) {
    if (declaredQuotaUsers.has(user)) continue;
    const product = scope.productOfQuotaUser(user);
    const managed = managedQuotas(values);
    if (product === undefined || Object.keys(managed).length === 0) continue;
    const refusal = permissions.allowDelete ? undefined : `not declared in the specs; removing it needs --allow-delete (or the stack's allowDelete)`;
    const principal = scope.principalOf(product) ?? `User:${user}`;
    changes.push({
      kind: 'kafka:Quota',
      name: `quota ${principal}`,
      product,
      user,
      principal,
      actual: managed,
      set: {},
      remove: QUOTA_KEYS.filter((k) => managed[k] !== undefined),
      action: refusal ? 'REFUSED' : 'DELETE',
      reason: refusal,
    });
  }
  return changes;
}

/** The keys meshform manages among a quota entity's values; others (controller_mutation_rate, ...) are left alone. */
export function managedQuotas(values: Readonly<Record<string, number>> | undefined): Quotas {
  const out: Quotas = {};
  for (const key of QUOTA_KEYS) if (values?.[key] !== undefined) out[key] = values[key];
  return out;
}

/** Kafka keeps quota values as doubles: equal within a rounding error. */
export function sameQuota(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Quotas not read (the cluster cannot tell) make every declared quota a CREATE, which apply then reports. */
function quotaChange(name: string, product: string, desired: KafkaQuotaProps, quotas: ClusterState['quotas']): QuotaChange {
  const now = quotas?.get(desired.entity.user);
  const actual = now && managedQuotas(now);
  const set: Quotas = {};
  for (const key of QUOTA_KEYS) {
    const want = desired.quotas[key];
    if (want !== undefined && (actual?.[key] === undefined || !sameQuota(actual[key], want))) set[key] = want;
  }
  const remove = QUOTA_KEYS.filter((k) => actual?.[k] !== undefined && desired.quotas[k] === undefined);
  const base = { kind: 'kafka:Quota' as const, name, product, user: desired.entity.user, principal: desired.principal, desired: desired.quotas, set, remove, ...(actual && Object.keys(actual).length > 0 && { actual }) };
  if (!actual || Object.keys(actual).length === 0) return { ...base, action: 'CREATE' };
  return { ...base, action: Object.keys(set).length > 0 || remove.length > 0 ? 'UPDATE' : 'UNCHANGED' };
}

/** Why a topic the specs no longer declare may not be deleted, or undefined when it may. */
function deleteRefusal(topic: string, owner: string, permissions: DeletePermissions, consumers: Consumers): string | undefined {
  const reasons: string[] = [];
  if (!permissions.allowDelete) reasons.push(`not declared in the specs; deleting it needs --allow-delete (or the stack's allowDelete), or declare it again`);
  else if (isPrivateTopic(topic) && !permissions.allowDeletePrivate) reasons.push(`_private topic not declared in the specs; deleting its data needs --allow-delete-private (or the stack's allowDeletePrivate) as well`);
  const consumedBy = (consumers.get(topic) ?? []).filter((c) => c !== owner);
  if (consumedBy.length > 0 && !permissions.allowBreaking) {
    reasons.push(`consumed by ${consumedBy.join(', ')} (their specs still receive from it): deleting it breaks them, so it also needs --allow-breaking (or the stack's allowBreaking)`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

function topicChange(name: string, product: string, desired: KafkaTopicProps, actual: ActualTopic | undefined): TopicChange {
  const base = { kind: 'kafka:Topic' as const, name, product, topic: desired.topic, desired, actual, configSet: {}, configUnset: [] };
  if (!actual) return { ...base, action: 'CREATE' };

  const refusals: string[] = [];
  if (desired.partitions < actual.partitions) {
    refusals.push(
      `partitions ${actual.partitions} -> ${desired.partitions}: Kafka cannot remove partitions; raise the spec's partitions (scaled by the stack's partitionFactor) so the plan keeps ${actual.partitions} or more, or create a new topic and migrate`,
    );
  }
  if (desired.replicas !== actual.replicas) {
    refusals.push(
      `replicas ${actual.replicas} -> ${desired.replicas}: a replication-factor change needs a partition reassignment (kafka-reassign-partitions); make the spec's replicas (capped by the stack's replicasCap) plan ${actual.replicas}, or reassign first`,
    );
  }
  const configSet: Record<string, string> = {};
  for (const [key, value] of Object.entries(desired.config)) {
    if (actual.hiddenKeys.includes(key)) continue;
    if (actual.config[key] === undefined || normalise(actual.config[key]) !== normalise(value)) configSet[key] = value;
  }
  const configUnset = Object.keys(actual.config)
    .filter((key) => !(key in desired.config))
    .sort();
  const partitionsTo = desired.partitions > actual.partitions ? desired.partitions : undefined;
  if (refusals.length > 0) return { ...base, action: 'REFUSED', reason: refusals.join('; '), configSet, configUnset, partitionsTo };
  const changed = partitionsTo !== undefined || Object.keys(configSet).length > 0 || configUnset.length > 0;
  return { ...base, action: changed ? 'UPDATE' : 'UNCHANGED', configSet, configUnset, partitionsTo };
}

/** Kafka echoes list values as written; ignore spacing around commas (`compact, delete`). */
export function normalise(value: string): string {
  return value
    .split(',')
    .map((v) => v.trim())
    .join(',');
}

/** A readable, stable name for an ACL the plan does not declare. */
export function aclName(acl: KafkaAclProps): string {
  return `${acl.principal} ${acl.permission} ${acl.operation} ${acl.resourceType}:${acl.patternType}:${acl.resourceName}`;
}
