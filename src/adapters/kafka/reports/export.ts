/**
 * Adoption: an existing cluster's topics under one domain, and their ACL grants, as an AsyncAPI
 * 3.0 spec skeleton that `meshform validate` accepts. Applying it changes nothing on the cluster
 * (set configs are copied as they are; partitions and replicas too, or, for a stack that scales
 * them, as the spec values that stack turns into the cluster's), so a team can adopt meshform
 * without recreating anything.
 */
import { compareText } from '../../../compare';
import { unscaledPartitions, unscaledReplicas } from '../../../plan/kafka';
import type { KafkaAclProps } from '../../../plan/types';
import { TOPIC_CONFIG } from '../../../reading/kafka-topic-config';
import { domainIdOf, isProductUrn, urnOf } from '../../../reading/urn';
import { idInName, topicPrefixes, visibilityUnder } from '../../../vocabulary/topic-names';
import { OwnershipScope } from '../engine/scope';
import { readState } from '../engine/state';
import type { KafkaWire } from '../client/wire';

/** A clearly fake owner that still validates; `meshform validate` passes, a human must replace it. */
export const PLACEHOLDER_OWNER = 'user:replace-me@example.com';

export interface ExportResult {
  document: Record<string, unknown>;
  /** What could not be carried over (unknown config keys, topics outside the naming convention), and how sizes were written. */
  notes: string[];
  /** Topics exported; 0 when nothing on the cluster belongs to the product. */
  topics: number;
  /** When nothing matched: the product ids the cluster's topic names show (`<id>._public.x`), for a suggestion. */
  productsSeen?: string[];
}

/**
 * A stack whose sizing the export undoes, so the spec plans no change on that stack: partitions
 * divided by its partitionFactor, replicas its replicasCap made left to its defaultReplicas.
 */
export interface ExportSizing {
  stack: string;
  partitionFactor: number;
  replicasCap?: number;
  defaultReplicas: number;
}

export class ExportError extends Error {}

export async function exportDomain(wire: KafkaWire, urn: string, source: string, sizing?: ExportSizing): Promise<ExportResult> {
  if (!isProductUrn(urn)) throw new ExportError(`"${urn}" is not a product URN (urn:<segment>:<segment>..., lowercase)`);
  const id = domainIdOf(urn);
  const state = await readState(wire, new OwnershipScope([id]));
  const prefixes = topicPrefixes(id);
  const notes: string[] = [];
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  let unscaled = 0;

  for (const topic of [...state.topics.values()].sort((a, b) => compareText(a.name, b.name))) {
    if (!prefixes.some((prefix) => topic.name.startsWith(prefix))) {
      notes.push(`${topic.name}: not under ${id}._public/_protected/_private; left out`);
      continue;
    }
    const address = topic.name.slice(id.length + 1);
    const topicConfiguration: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(topic.config)) {
      const typed = specValue(key, value);
      if (typed === undefined) notes.push(`${topic.name}: config ${key}=${value} is not a known topic config; left out`);
      else topicConfiguration[key] = typed;
    }
    for (const key of topic.hiddenKeys) notes.push(`${topic.name}: config ${key} is hidden by the broker; set it by hand`);
    const grantees = visibilityUnder(topic.name, id) === 'protected' ? granteesOf(topic.name, state.acls, id) : [];
    const channelId = address.replace(/[^A-Za-z0-9_-]/g, '_');
    let partitions: number | undefined = topic.partitions;
    let replicas: number | undefined = topic.replicas;
    if (sizing) {
      partitions = unscaledPartitions(topic.partitions, sizing.partitionFactor);
      if (partitions === undefined) {
        partitions = topic.partitions;
        notes.push(`${topic.name}: no partitions value plans ${topic.partitions} under stack '${sizing.stack}' (partitionFactor ${sizing.partitionFactor}); wrote ${topic.partitions}`);
      }
      replicas = unscaledReplicas(topic.replicas, sizing);
      if (partitions !== topic.partitions || replicas !== topic.replicas) unscaled++;
    }
    channels[channelId] = {
      address,
      ...(grantees.length ? { tags: grantees.map((g) => ({ name: `grant-access:${urnOf(g)}` })) } : {}),
      bindings: {
        kafka: {
          partitions,
          ...(replicas !== undefined ? { replicas } : {}),
          ...(Object.keys(topicConfiguration).length ? { topicConfiguration } : {}),
          bindingVersion: '0.5.0',
        },
      },
    };
    operations[`send_${channelId}`] = { action: 'send', channel: { $ref: `#/channels/${channelId}` } };
  }

  const document = {
    asyncapi: '3.0.0',
    id: urn,
    info: {
      title: id,
      version: '0.1.0',
      description: `Exported by meshform kafka export from ${source}. Replace the placeholder owner in x-meshform.owners before use.`,
    },
    'x-meshform': { owners: [PLACEHOLDER_OWNER] },
    channels,
    operations,
  };
  if (sizing && unscaled > 0) {
    notes.push(
      `sizes of ${unscaled} topic(s) written as the spec values that stack '${sizing.stack}' turns into the cluster's ` +
        `(partitions / partitionFactor ${sizing.partitionFactor}${sizing.replicasCap !== undefined ? `, replicas at replicasCap ${sizing.replicasCap} left to defaultReplicas` : ''})`,
    );
  }
  const topics = Object.keys(channels).length;
  return { document, notes, topics, ...(topics === 0 ? { productsSeen: productsIn((await wire.metadata()).topics.map((t) => t.name)) } : {}) };
}

/** Product ids in topic names of the naming convention: `acme.retail.orders` from `acme.retail.orders._public.placed`. */
function productsIn(topics: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const name of topics) {
    const id = idInName(name);
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort(compareText);
}

/** Principals with a LITERAL READ on the topic, as product ids (`User:<id>` under the default template). */
function granteesOf(topic: string, acls: readonly KafkaAclProps[], owner: string): string[] {
  const ids = acls
    .filter((a) => a.resourceType === 'TOPIC' && a.resourceName === topic && a.patternType === 'LITERAL' && a.operation === 'READ' && a.permission === 'ALLOW')
    .map((a) => a.principal.replace(/^User:/, ''))
    .filter((p) => p !== owner && p !== '*' && isProductUrn(`urn:${p}`));
  return [...new Set(ids)].sort();
}

/** The spec form of a Kafka config string: numbers as numbers, lists as arrays. */
function specValue(key: string, value: string): unknown {
  const type = TOPIC_CONFIG[key];
  if (!type) return undefined;
  switch (type.kind) {
    case 'int':
    case 'long':
    case 'double':
      return Number.isFinite(Number(value)) ? Number(value) : value;
    case 'boolean':
      return value === 'true';
    case 'list':
      return value.split(',').map((v) => v.trim()).filter(Boolean);
    default:
      return value;
  }
}
