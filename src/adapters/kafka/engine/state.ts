/**
 * The actual state of what a plan owns, read in three requests whatever the topic count:
 * Metadata (all topics), DescribeConfigs (owned topics), DescribeAcls (all bindings).
 */
import type { KafkaAclProps } from '../../../plan/types';
import type { OwnershipScope } from './scope';
import { errorName } from '../client/protocol';
import { RIGHTS, authorizationMessage, isAuthorizationError } from '../client/rights';
import { KafkaWireError, type ClusterMetadata, type KafkaWire } from '../client/wire';

const UNKNOWN_TOPIC_OR_PARTITION = 3;

export interface ActualTopic {
  name: string;
  partitions: number;
  replicas: number;
  /** Only configs set on the topic itself; broker and built-in defaults are not drift. */
  config: Record<string, string>;
  /** Keys set on the topic whose value the broker hides (sensitive); never compared. */
  hiddenKeys: string[];
}

export interface ClusterState {
  topics: Map<string, ActualTopic>;
  acls: KafkaAclProps[];
  /** `aclKey` of every binding in `acls`, for constant-time lookups at scale. */
  aclKeys: Set<string>;
  /**
   * Client quotas of `user` entities by user name, each with the values set on it (any key, as
   * Kafka stores them); absent when they were not read (no quota planned and the cluster or the
   * admin's rights do not allow reading them).
   */
  quotas?: Map<string, Record<string, number>>;
}

type Declared = { topics: ReadonlySet<string>; acls: ReadonlySet<string>; quotaUsers?: ReadonlySet<string> };
const NOTHING_DECLARED: Declared = { topics: new Set(), acls: new Set() };

/**
 * `declared` admits names the scope does not own but the plan declares (so a declared resource
 * is always compared, even outside the naming convention).
 */
export async function readState(wire: KafkaWire, scope: OwnershipScope, declared: Declared = NOTHING_DECLARED): Promise<ClusterState> {
  const cluster = await readCluster(wire, (topic) => scope.ownsTopic(topic) || declared.topics.has(topic), (declared.quotaUsers?.size ?? 0) > 0);
  return selectState(cluster, scope, declared);
}

/**
 * Topics (configs of those `withConfigs` admits) and every ACL binding, in three requests:
 * what a long-lived reader (the Pulumi provider) keeps as its snapshot of the cluster.
 */
export async function readCluster(wire: KafkaWire, withConfigs: (topic: string) => boolean = () => true, quotasNeeded = false): Promise<ClusterState> {
  const topics = await readTopics(wire, await wire.metadata(), withConfigs);
  const acls = await wire.describeAllAcls();
  const quotas = await readQuotas(wire, quotasNeeded);
  return { topics, acls, aclKeys: new Set(acls.map(aclKey)), ...(quotas && { quotas }) };
}

/**
 * Every `user` entity's client quotas, in one DescribeClientQuotas. When the plan sets none, a
 * cluster that cannot tell (no API before Kafka 2.6, or an admin without DESCRIBE_CONFIGS on the
 * cluster) is not an error: quotas are then left as they are, unread (undefined).
 */
export async function readQuotas(wire: KafkaWire, needed: boolean): Promise<Map<string, Record<string, number>> | undefined> {
  if (!needed && !wire.servesClientQuotas()) return undefined;
  try {
    return new Map((await wire.describeUserQuotas()).map((q) => [q.user, q.values]));
  } catch (e) {
    if (needed || !(e instanceof KafkaWireError) || /connection|timed? ?out/i.test(e.message)) throw e;
    return undefined;
  }
}

/**
 * Only the named topics and the bindings on the named resource patterns, whatever the size of the
 * cluster: Metadata and DescribeConfigs of those topics, one DescribeAcls per pattern (sent
 * together). What a reader that keeps a snapshot of the whole cluster (the Pulumi provider) reads
 * back after changing one product, instead of the whole cluster again.
 */
export async function readNamed(wire: KafkaWire, topicNames: Iterable<string>, patterns: Iterable<AclPattern>, quotasNeeded = false): Promise<ClusterState> {
  const [state] = await readNamedFor(wire, [{ topics: [...topicNames], patterns: [...patterns], quotas: quotasNeeded }]);
  return state;
}

/** One reader's named read: its topics, its ACL patterns, whether it needs the quotas. */
export interface NamedRead {
  topics: readonly string[];
  patterns: readonly AclPattern[];
  quotas: boolean;
}

/**
 * Several readers' named reads in one round: one Metadata and one DescribeConfigs for all their
 * topics, each distinct ACL pattern asked once, or, from `wideAt` distinct patterns on, one
 * DescribeAcls of every binding (one request instead of many; a StandardAuthorizer scans all its
 * bindings for any filter anyway), and the quotas once. Each reader gets only what it named.
 */
export async function readNamedFor(wire: KafkaWire, reads: readonly NamedRead[], wideAt = Infinity): Promise<ClusterState[]> {
  const names = [...new Set(reads.flatMap((r) => r.topics))];
  const distinct = new Map(reads.flatMap((r) => r.patterns).map((p) => [patternKey(p), p]));
  const wide = distinct.size >= wideAt;
  const [topics, bindings, quotas] = await Promise.all([
    wire.metadata(names).then((metadata) => readTopics(wire, metadata, () => true)),
    wide ? wire.describeAllAcls() : Promise.all([...distinct.values()].map((p) => wire.describeAcls(p))).then((lists) => lists.flat()),
    reads.some((r) => r.quotas) ? readQuotas(wire, true) : Promise.resolve(undefined),
  ]);
  const byPattern = new Map<string, KafkaAclProps[]>();
  for (const acl of bindings) {
    const key = patternKey(acl);
    if (!distinct.has(key)) continue;
    const list = byPattern.get(key);
    if (list) list.push(acl);
    else byPattern.set(key, [acl]);
  }
  return reads.map((r) => {
    const own = new Map<string, ActualTopic>();
    for (const name of r.topics) {
      const topic = topics.get(name);
      if (topic) own.set(name, topic);
    }
    const acls = [...new Set(r.patterns.map(patternKey))].flatMap((key) => byPattern.get(key) ?? []);
    return { topics: own, acls, aclKeys: new Set(acls.map(aclKey)), ...(r.quotas && quotas && { quotas }) };
  });
}

/** One text per ACL pattern (resource type, pattern type, resource name). */
export const patternKey = (p: AclPattern) => `${p.resourceType}|${p.patternType}|${p.resourceName}`;

export type AclPattern = Pick<KafkaAclProps, 'resourceType' | 'patternType' | 'resourceName'>;

/** The topics of a Metadata answer with the configs set on them (of those `withConfigs` admits). */
async function readTopics(wire: KafkaWire, metadata: ClusterMetadata, withConfigs: (topic: string) => boolean): Promise<Map<string, ActualTopic>> {
  const configs = await wire.describeTopicConfigs(metadata.topics.filter((t) => withConfigs(t.name)).map((t) => t.name));
  const refused = configs.find((c) => isAuthorizationError(c.errorCode));
  if (refused) {
    throw new KafkaWireError(`cannot read topic configs: ${authorizationMessage(refused.errorCode, wire.connection, RIGHTS.describeTopicConfigs(refused.topic))}`, false);
  }
  const failed = configs.find((c) => c.errorCode !== 0 && c.errorCode !== UNKNOWN_TOPIC_OR_PARTITION);
  if (failed) throw new KafkaWireError(`DescribeConfigs of ${failed.topic} failed: ${errorName(failed.errorCode)}${failed.errorMessage ? `: ${failed.errorMessage}` : ''}`, false);
  // A topic deleted since Metadata was read is absent.
  const byTopic = new Map(configs.filter((c) => c.errorCode === 0).map((c) => [c.topic, c]));
  const topics = new Map<string, ActualTopic>();
  for (const t of metadata.topics) {
    const described = byTopic.get(t.name);
    if (!described) continue;
    const config: Record<string, string> = {};
    const hiddenKeys: string[] = [];
    for (const entry of described.entries) {
      if (!entry.setOnTopic) continue;
      if (entry.value === null || entry.sensitive) hiddenKeys.push(entry.name);
      else config[entry.name] = entry.value;
    }
    topics.set(t.name, { name: t.name, partitions: t.partitions, replicas: t.replicas, config, hiddenKeys });
  }
  return topics;
}

/** The part of a cluster state that `scope` owns or the plan declares. */
export function selectState(cluster: ClusterState, scope: OwnershipScope, declared: Declared = NOTHING_DECLARED): ClusterState {
  const topics = new Map([...cluster.topics].filter(([name]) => scope.ownsTopic(name) || declared.topics.has(name)));
  const acls = cluster.acls.filter((a) => scope.ownerOfAcl(a) !== undefined || declared.acls.has(aclKey(a)));
  const quotas = cluster.quotas && new Map([...cluster.quotas].filter(([user]) => scope.productOfQuotaUser(user) !== undefined || declared.quotaUsers?.has(user)));
  return { topics, acls, aclKeys: new Set(acls.map(aclKey)), ...(quotas && { quotas }) };
}

/** Identity of an ACL binding: every field, since Kafka has no other id for it. */
export function aclKey(acl: KafkaAclProps): string {
  return [acl.principal, acl.permission, acl.operation, acl.resourceType, acl.patternType, acl.resourceName, acl.host].join('|');
}
