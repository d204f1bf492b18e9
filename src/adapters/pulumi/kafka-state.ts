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
import { ownerAcls } from '../../plan/kafka';
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

/**
 * Names in state relative to the product (`relative: true` in the resource's inputs and outputs):
 * a name that starts with the product id followed by `.`, `-` or nothing is written `~` and the
 * rest (`~._public.orders`, `~-`, `User:~`), so a 40-character id is not repeated in every topic,
 * ACL pattern and principal. A name that itself starts with `~` is written with one more
 * (`~~x`), so every text reads back to exactly one name.
 */
export function relativeName(product: string, name: string): string {
  if (name.startsWith(product) && (name.length === product.length || name[product.length] === '.' || name[product.length] === '-')) return `~${name.slice(product.length)}`;
  return name.startsWith('~') ? `~${name}` : name;
}

export function absoluteName(product: string, name: string): string {
  if (!name.startsWith('~')) return name;
  return name.startsWith('~~') ? name.slice(1) : `${product}${name.slice(1)}`;
}

/** A principal (`User:<name>`): its name part relative to the product. */
export function relativePrincipal(product: string, principal: string): string {
  const colon = principal.indexOf(':');
  return colon < 0 ? principal : `${principal.slice(0, colon + 1)}${relativeName(product, principal.slice(colon + 1))}`;
}

export function absolutePrincipal(product: string, principal: string): string {
  const colon = principal.indexOf(':');
  return colon < 0 ? principal : `${principal.slice(0, colon + 1)}${absoluteName(product, principal.slice(colon + 1))}`;
}

const mapKeys = <T>(record: Record<string, T> | undefined, key: (k: string) => string, value: (v: T) => T = (v) => v): Record<string, T> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [key(k), value(v)]));

/** `<resourceType>:<patternType>:<name>` with the name changed by `f`. */
function patternWith(pattern: string, f: (name: string) => string): string {
  const second = pattern.indexOf(':', pattern.indexOf(':') + 1);
  return `${pattern.slice(0, second + 1)}${f(pattern.slice(second + 1))}`;
}

export function relativeTopics(product: string, topics: TopicsText | undefined): TopicsText {
  return mapKeys(topics, (name) => relativeName(product, name));
}

export function absoluteTopics(product: string, topics: TopicsText | undefined): TopicsText {
  return mapKeys(topics, (name) => absoluteName(product, name));
}

export function relativeAcls(product: string, acls: AclsText | undefined): AclsText {
  return mapKeys(acls, (p) => patternWith(p, (name) => relativeName(product, name)), (byPrincipal) => mapKeys(byPrincipal, (p) => relativePrincipal(product, p)));
}

export function absoluteAcls(product: string, acls: AclsText | undefined): AclsText {
  return mapKeys(acls, (p) => patternWith(p, (name) => absoluteName(product, name)), (byPrincipal) => mapKeys(byPrincipal, (p) => absolutePrincipal(product, p)));
}

/** Topic -> consumers, both relative to (or back from) the product. */
export function relativeConsumers(product: string, consumers: Record<string, string[]> | undefined, f: typeof relativeName): Record<string, string[]> {
  return mapKeys(consumers, (topic) => f(product, topic), (list) => list.map((c) => f(product, c)));
}

/** The name-carrying fields of the resource's inputs and outputs. */
interface Named {
  product: string;
  principal: string;
  topics?: TopicsText;
  acls?: AclsText;
  consumedBy?: Record<string, string[]>;
  consumes?: string[];
  outside?: { topics: TopicsText; acls: AclsText };
}

/** Inputs or outputs as state keeps them: names relative to the product (`relative: true`). */
export function toRelative<T extends Named>(props: T): T & { relative: true } {
  const { product } = props;
  const out: T & { relative: true } = { ...props, principal: relativePrincipal(product, props.principal), relative: true };
  if (props.topics) out.topics = relativeTopics(product, props.topics);
  if (props.acls) out.acls = relativeAcls(product, props.acls);
  if (props.consumedBy) out.consumedBy = relativeConsumers(product, props.consumedBy, relativeName);
  if (props.consumes) out.consumes = props.consumes.map((t) => relativeName(product, t));
  if (props.outside) out.outside = { topics: relativeTopics(product, props.outside.topics), acls: relativeAcls(product, props.outside.acls) };
  return out;
}

/** Props of any release's state (relative or not) with every name in full and every ACL written out, as the engine uses them. */
export function toAbsolute<T extends Named>(props: T & { relative?: boolean; ownerAcls?: boolean }): T {
  if (!props.relative) return props;
  const { relative: _r, ownerAcls: owner, ...rest } = props;
  const { product } = props;
  const out = { ...rest, principal: absolutePrincipal(product, props.principal) } as unknown as T;
  if (props.topics) out.topics = absoluteTopics(product, props.topics);
  if (props.acls) out.acls = absoluteAcls(product, props.acls);
  if (owner) out.acls = withOwnerAcls(product, out.principal, out.acls ?? {});
  if (props.consumedBy) out.consumedBy = relativeConsumers(product, props.consumedBy, absoluteName);
  if (props.consumes) out.consumes = props.consumes.map((t) => absoluteName(product, t));
  if (props.outside) out.outside = { topics: absoluteTopics(product, props.outside.topics), acls: absoluteAcls(product, props.outside.acls) };
  return out;
}

/**
 * The owner's bindings on the product's own prefixes (plan/kafka.ts's `ownerAcls`), the same for
 * every product, are not written out when all of them are there exactly as the plan gives them:
 * `ownerAcls: true` stands for them, and the provider puts them back before anything reads the
 * ACLs. Only whole grants (a pattern's entry for the principal) are taken out, so
 * `withOwnerAcls(withoutOwnerAcls(x))` is `x`; otherwise nothing is taken out.
 */
export function withoutOwnerAcls(product: string, principal: string, acls: AclsText): { acls: AclsText; ownerAcls?: true } {
  const standard = encodeAcls(ownerAcls(product, principal));
  const held = Object.entries(standard).every(([pattern, byPrincipal]) => acls[pattern]?.[principal] === byPrincipal[principal]);
  if (!held) return { acls };
  const out: AclsText = {};
  for (const [pattern, byPrincipal] of Object.entries(acls)) {
    const { [principal]: owner, ...others } = byPrincipal;
    const rest = standard[pattern] && owner !== undefined ? others : byPrincipal;
    if (Object.keys(rest).length > 0) out[pattern] = rest;
  }
  return { acls: out, ownerAcls: true };
}

/** The ACLs with the owner's bindings put back (`ownerAcls: true`), in text order as encodeAcls writes them. */
export function withOwnerAcls(product: string, principal: string, acls: AclsText): AclsText {
  const merged: AclsText = {};
  for (const [pattern, byPrincipal] of Object.entries({ ...acls, ...encodeAcls(ownerAcls(product, principal)) })) {
    merged[pattern] = { ...(acls[pattern] ?? {}), ...byPrincipal };
  }
  const sorted: AclsText = {};
  for (const pattern of Object.keys(merged).sort(compareText)) {
    sorted[pattern] = {};
    for (const p of Object.keys(merged[pattern]).sort(compareText)) sorted[pattern][p] = merged[pattern][p];
  }
  return sorted;
}
