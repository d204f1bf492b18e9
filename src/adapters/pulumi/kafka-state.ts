/**
 * How a product's Kafka resources are written in Pulumi inputs and state: small, readable in
 * `pulumi preview`, and canonical (the same resources always give the same text, whether they come
 * from the plan or are read from the cluster), so that a refresh that finds the cluster as the
 * specs want it changes nothing.
 *
 * - A topic: its name -> `partitions=3 replicas=1 cleanup.policy=delete retention.ms=604800000`
 *   (config keys in text order, list values without spaces; `%` and white space in a value as `%XX`).
 * - ACL bindings, grouped by resource pattern (`TOPIC:LITERAL:<name>`), then by principal:
 *   `ALLOW DESCRIBE,READ` (operations in text order; several permissions or hosts joined by `; `,
 *   a host other than `*` as `ALLOW READ from 10.0.0.1`).
 *
 * Outputs keep no copy of them: a digest of the applied text stands for them (state.ts's diff
 * finds what changed), so a product's state is its inputs once, not twice.
 */
import { createHash } from 'node:crypto';
import { compareText } from '../../compare';
import type { KafkaAclProps, KafkaTopicProps, Resource } from '../../plan/types';
import { normalise } from '../kafka/engine/diff';
import type { ActualTopic, ClusterState } from '../kafka/engine/state';

/** Topic name -> its encoded size and configs. */
export type TopicsText = Record<string, string>;
/** `<resourceType>:<patternType>:<resourceName>` -> principal -> encoded grants. */
export type AclsText = Record<string, Record<string, string>>;

const escape = (value: string) => value.replace(/[%\s]/g, (c) => encodeURIComponent(c));

export function encodeTopic(topic: Pick<KafkaTopicProps, 'partitions' | 'replicas' | 'config'>): string {
  const config = Object.keys(topic.config)
    .sort(compareText)
    .map((key) => `${key}=${escape(normalise(topic.config[key]))}`);
  return [`partitions=${topic.partitions}`, `replicas=${topic.replicas}`, ...config].join(' ');
}

export function decodeTopic(name: string, text: string): KafkaTopicProps {
  const topic: KafkaTopicProps = { topic: name, partitions: 0, replicas: 0, config: {} };
  for (const field of text.split(' ').filter(Boolean)) {
    const eq = field.indexOf('=');
    const [key, value] = [field.slice(0, eq), decodeURIComponent(field.slice(eq + 1))];
    if (key === 'partitions' || key === 'replicas') topic[key] = Number(value);
    else topic.config[key] = value;
  }
  return topic;
}

export function encodeTopics(topics: Iterable<Pick<KafkaTopicProps, 'topic' | 'partitions' | 'replicas' | 'config'>>): TopicsText {
  const out: TopicsText = {};
  for (const t of [...topics].sort((a, b) => compareText(a.topic, b.topic))) out[t.topic] = encodeTopic(t);
  return out;
}

/** The binding pattern key: resource type, pattern type, then the name (which may hold anything). */
const patternKey = (acl: KafkaAclProps) => `${acl.resourceType}:${acl.patternType}:${acl.resourceName}`;

export function encodeAcls(acls: Iterable<KafkaAclProps>): AclsText {
  // pattern -> principal -> "permission|host" -> operations
  const grouped = new Map<string, Map<string, Map<string, Set<string>>>>();
  for (const acl of acls) {
    const byPrincipal = grouped.get(patternKey(acl)) ?? new Map<string, Map<string, Set<string>>>();
    grouped.set(patternKey(acl), byPrincipal);
    const grants = byPrincipal.get(acl.principal) ?? new Map<string, Set<string>>();
    byPrincipal.set(acl.principal, grants);
    const key = `${acl.permission}|${acl.host}`;
    grants.set(key, (grants.get(key) ?? new Set()).add(acl.operation));
  }
  const out: AclsText = {};
  for (const pattern of [...grouped.keys()].sort(compareText)) {
    const byPrincipal = grouped.get(pattern)!;
    out[pattern] = {};
    for (const principal of [...byPrincipal.keys()].sort(compareText)) {
      const grants = byPrincipal.get(principal)!;
      out[pattern][principal] = [...grants.keys()]
        .sort(compareText)
        .map((key) => {
          const [permission, host] = key.split('|');
          return `${permission} ${[...grants.get(key)!].sort(compareText).join(',')}${host === '*' ? '' : ` from ${host}`}`;
        })
        .join('; ');
    }
  }
  return out;
}

export function decodeAcls(text: AclsText): KafkaAclProps[] {
  const acls: KafkaAclProps[] = [];
  for (const [pattern, byPrincipal] of Object.entries(text ?? {})) {
    const [resourceType, patternType] = pattern.split(':', 2);
    const resourceName = pattern.slice(resourceType.length + patternType.length + 2);
    for (const [principal, grants] of Object.entries(byPrincipal)) {
      for (const grant of grants.split('; ')) {
        const [permission, operations, from, host] = grant.split(' ');
        for (const operation of operations.split(',')) {
          acls.push({ principal, resourceType, patternType, resourceName, operation, permission, host: from === 'from' ? host : '*' } as KafkaAclProps);
        }
      }
    }
  }
  return acls;
}

/** The plan resources the encoded topics and ACLs stand for (ACLs named as `aclName` does for the engine). */
export function resourcesOf(product: string, topics: TopicsText, acls: AclsText): Resource[] {
  return [
    ...Object.entries(topics ?? {}).map(([name, text]): Resource => ({ kind: 'kafka:Topic', name, product, properties: decodeTopic(name, text) })),
    ...decodeAcls(acls).map((properties): Resource => ({ kind: 'kafka:Acl', name: bindingName(properties), product, properties })),
  ];
}

function bindingName(acl: KafkaAclProps): string {
  return `${acl.principal} ${acl.permission} ${acl.operation} ${patternKey(acl)}${acl.host === '*' ? '' : ` from ${acl.host}`}`;
}

/** A cluster slice in the same text: what `pulumi refresh` records as the resource's inputs. */
export function encodeState(state: ClusterState): { topics: TopicsText; acls: AclsText } {
  return { topics: encodeTopics([...state.topics.values()].map(actualAsDesired)), acls: encodeAcls(state.acls) };
}

/** Keys whose value the broker hides are shown as `<hidden>`: never compared, never echoed. */
function actualAsDesired(t: ActualTopic): KafkaTopicProps {
  const config: Record<string, string> = { ...t.config };
  for (const key of t.hiddenKeys) config[key] = '<hidden>';
  return { topic: t.name, partitions: t.partitions, replicas: t.replicas, config };
}

/** What outputs keep instead of the topics and ACLs: 16 hex digits of SHA-256 over their text. */
export function digestOf(topics: TopicsText, acls: AclsText): string {
  return createHash('sha256')
    .update(JSON.stringify([topics ?? {}, acls ?? {}]))
    .digest('hex')
    .slice(0, 16);
}
