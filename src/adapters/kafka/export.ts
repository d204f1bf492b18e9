/**
 * Adoption: an existing cluster's topics under one domain, and their ACL grants, as an AsyncAPI
 * 3.0 spec skeleton that `meshform validate` accepts. Applying it changes nothing on the cluster
 * (partitions, replicas and set configs are copied as they are), so a team can adopt meshform
 * without recreating anything.
 */
import { compareText } from '../../compare';
import { ownerTopicPrefixes } from '../../plan/kafka';
import type { KafkaAclProps } from '../../plan/types';
import { TOPIC_CONFIG } from '../../spec/kafka-topic-config';
import { domainIdOf, isProductUrn } from '../../spec/urn';
import { OwnershipScope } from './scope';
import { readState } from './state';
import type { KafkaWire } from './wire';

/** A clearly fake owner that still validates; `meshform validate` passes, a human must replace it. */
export const PLACEHOLDER_OWNER = 'user:replace-me@example.com';

export interface ExportResult {
  document: Record<string, unknown>;
  /** What could not be carried over (unknown config keys, topics outside the naming convention). */
  notes: string[];
}

export class ExportError extends Error {}

export async function exportDomain(wire: KafkaWire, urn: string, source: string): Promise<ExportResult> {
  if (!isProductUrn(urn)) throw new ExportError(`"${urn}" is not a product URN (urn:<segment>:<segment>..., lowercase)`);
  const id = domainIdOf(urn);
  const state = await readState(wire, new OwnershipScope([id]));
  const prefixes = ownerTopicPrefixes(id);
  const notes: string[] = [];
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};

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
    const grantees = address.startsWith('_protected.') ? granteesOf(topic.name, state.acls, id) : [];
    const channelId = address.replace(/[^A-Za-z0-9_-]/g, '_');
    channels[channelId] = {
      address,
      ...(grantees.length ? { tags: grantees.map((g) => ({ name: `grant-access:urn:${g.replace(/\./g, ':')}` })) } : {}),
      bindings: {
        kafka: {
          partitions: topic.partitions,
          replicas: topic.replicas,
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
  return { document, notes };
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
