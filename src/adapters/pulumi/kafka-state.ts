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
 *
 * That text is what the provider works with and the digest is over, in every release. State keeps
 * it shorter (`storeInputs`, `storeOutputs`; docs/pulumi.md, "State per product"): names relative
 * to the product, a topic as `3x1 <configs> read-by <readers>`, the owner's bindings and the delete
 * permissions as words of `flags`; `readStored` reads any release's state back into the text.
 */
import { createHash } from 'node:crypto';
import { compareText } from '../../compare';
import { ownerAcls, READER_OPERATIONS } from '../../plan/kafka';
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

/** Inputs or outputs as f172c3e wrote them: names relative to the product (`relative: true`), owner bindings as `ownerAcls: true`. */
function fromRelative<T extends Named>(props: T & { relative?: boolean; ownerAcls?: boolean }): T {
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
 * The words of `flags` (state written since 2026-12-07), in this order: the owner's bindings on its
 * prefixes are implied (`ownerAcls`, inputs only), and the delete permissions the resource was
 * applied with. Absent words are false.
 */
const FLAG_WORDS = ['ownerAcls', 'allowDelete', 'allowDeletePrivate', 'allowBreaking'] as const;
type FlagWord = (typeof FLAG_WORDS)[number];

const flagsOf = (set: Partial<Record<FlagWord, boolean | undefined>>) => FLAG_WORDS.filter((w) => set[w]).join(' ');

/** A reader's grant on a topic (plan/kafka.ts's READER_OPERATIONS), as encodeAcls writes it: kept with its topic in state. */
const READER_GRANT = `ALLOW ${[...READER_OPERATIONS].sort(compareText).join(',')}`;
const READ_BY = 'read-by';

/**
 * A topic as state keeps it: `<partitions>x<replicas>`, its configs as encodeTopic writes them,
 * then `read-by` and the principals with a reader's grant on it (`%` and white space as `%XX`):
 * `3x1 retention.ms=86400000 read-by User:*`.
 */
function storedTopic(text: string, readers: readonly string[]): string {
  const fields = text.split(' ');
  const size = `${fields[0].slice('partitions='.length)}x${fields[1].slice('replicas='.length)}`;
  return [size, ...fields.slice(2), ...(readers.length ? [READ_BY, ...readers.map(escape)] : [])].join(' ');
}

/** A stored topic (any release's text) -> encodeTopic's text and its readers. */
function topicAndReaders(stored: string): { text: string; readers: string[] } {
  const fields = stored.split(' ').filter(Boolean);
  const size = /^(\d+)x(\d+)$/.exec(fields[0] ?? '');
  if (!size) return { text: stored, readers: [] };
  const at = fields.indexOf(READ_BY);
  const configs = at < 0 ? fields.slice(1) : fields.slice(1, at);
  return { text: [`partitions=${size[1]}`, `replicas=${size[2]}`, ...configs].join(' '), readers: at < 0 ? [] : fields.slice(at + 1).map(decodeURIComponent) };
}

/** ACL text with patterns and principals in text order (what encodeAcls gives, and the digest is over). */
function sortedAcls(acls: AclsText): AclsText {
  const sorted: AclsText = {};
  for (const pattern of Object.keys(acls).sort(compareText)) {
    sorted[pattern] = {};
    for (const p of Object.keys(acls[pattern]).sort(compareText)) sorted[pattern][p] = acls[pattern][p];
  }
  return sorted;
}

const sortedTopics = (topics: TopicsText): TopicsText => Object.fromEntries(Object.keys(topics).sort(compareText).map((t) => [t, topics[t]]));

/** The settings a stored form keeps as they are. */
interface Settings {
  quotas?: unknown;
  adopted?: unknown;
}

/** Inputs in full (as the engine uses them) -> as state keeps them. */
interface FullInputs extends Named, Settings {
  topics: TopicsText;
  acls: AclsText;
  allowDelete: boolean;
  allowDeletePrivate: boolean;
  allowBreaking?: boolean;
}

/** Outputs in full -> as state keeps them. */
interface FullOutputs extends Omit<Named, 'topics' | 'acls' | 'consumes'>, Settings {
  allowDelete: boolean;
  allowDeletePrivate: boolean;
  allowBreaking?: boolean;
  applied: string;
}

/**
 * A product's inputs as state keeps them: names relative to the product (`~`); each topic with its
 * readers (`read-by`); the owner's bindings on its prefixes as the word `ownerAcls` when all are
 * there as the plan gives them; other bindings in `acls` (absent when none); the delete
 * permissions as words of `flags`; the principal only when it is not `User:<product>`; the
 * consumers only when there are some. `readStored` gives back exactly the inputs in full.
 */
export function storeInputs(props: FullInputs): Record<string, unknown> {
  const { product } = props;
  const owner = withoutOwnerAcls(product, props.principal, props.acls ?? {});
  const rest: AclsText = Object.fromEntries(Object.entries(owner.acls).map(([p, byPrincipal]) => [p, { ...byPrincipal }]));
  const topics: TopicsText = {};
  for (const [name, text] of Object.entries(props.topics ?? {})) {
    const pattern = `TOPIC:LITERAL:${name}`;
    const readers = Object.keys(rest[pattern] ?? {}).filter((p) => rest[pattern][p] === READER_GRANT);
    for (const p of readers) delete rest[pattern][p];
    if (rest[pattern] && Object.keys(rest[pattern]).length === 0) delete rest[pattern];
    topics[relativeName(product, name)] = storedTopic(text, readers.map((p) => relativePrincipal(product, p)));
  }
  return {
    product,
    ...(props.principal !== `User:${product}` && { principal: relativePrincipal(product, props.principal) }),
    topics,
    ...(Object.keys(rest).length > 0 && { acls: relativeAcls(product, rest) }),
    flags: flagsOf({ ...props, ownerAcls: owner.ownerAcls }),
    ...(props.quotas !== undefined && { quotas: props.quotas }),
    ...(Object.keys(props.consumedBy ?? {}).length > 0 && { consumedBy: relativeConsumers(product, props.consumedBy, relativeName) }),
    ...(props.adopted !== undefined && { adopted: props.adopted }),
    ...(props.consumes?.length && { consumes: props.consumes.map((t) => relativeName(product, t)) }),
  };
}

/**
 * A product's outputs as state keeps them: what diff, refresh and delete are given (the engine
 * hands a dynamic provider only the outputs there): the permissions as `flags`, the principal when
 * not `User:<id>`, consumers when some, quotas, adopted names, names outside the product's own
 * and the digest of the applied topics and ACLs. The product is the resource's id.
 */
export function storeOutputs(props: FullOutputs): Record<string, unknown> {
  const { product } = props;
  return {
    flags: flagsOf(props),
    ...(props.principal !== `User:${product}` && { principal: relativePrincipal(product, props.principal) }),
    ...(props.quotas !== undefined && { quotas: props.quotas }),
    ...(Object.keys(props.consumedBy ?? {}).length > 0 && { consumedBy: relativeConsumers(product, props.consumedBy, relativeName) }),
    ...(props.adopted !== undefined && { adopted: props.adopted }),
    applied: props.applied,
    ...(props.outside && { outside: { topics: relativeTopics(product, props.outside.topics), acls: relativeAcls(product, props.outside.acls) } }),
  };
}

/**
 * Inputs or outputs of any release's state -> in full, as the engine uses them: every name in
 * full, every ACL binding written out (the owner's and the readers' put back), topics in
 * encodeTopic's text, the permissions as booleans, `consumedBy` at least `{}`; `id` (the product)
 * stands for `product` where outputs leave it out. Forms read: this release's (`flags`), f172c3e's
 * (`relative: true`), 5ccb533's and older (names in full, returned as they are).
 */
export function readStored<T>(stored: T, id?: string): T {
  const p = stored as unknown as Record<string, unknown> & Named & { flags?: unknown; relative?: boolean };
  if (typeof p.flags !== 'string') {
    const props = p.relative ? fromRelative(p) : p;
    return { ...props, consumedBy: props.consumedBy ?? {} } as unknown as T;
  }
  const { flags: _f, ...rest } = p;
  const product = (p.product ?? id) as string;
  const words = new Set(p.flags.split(' ').filter(Boolean));
  const principal = absolutePrincipal(product, p.principal ?? 'User:~');
  const out: Record<string, unknown> = {
    ...rest,
    product,
    principal,
    allowDelete: words.has('allowDelete'),
    allowDeletePrivate: words.has('allowDeletePrivate'),
    allowBreaking: words.has('allowBreaking'),
    consumedBy: relativeConsumers(product, p.consumedBy, absoluteName),
  };
  if (p.topics !== undefined) {
    const topics: TopicsText = {};
    let acls = absoluteAcls(product, p.acls);
    for (const [rel, storedText] of Object.entries(p.topics)) {
      const name = absoluteName(product, rel);
      const { text, readers } = topicAndReaders(storedText);
      topics[name] = text;
      const pattern = `TOPIC:LITERAL:${name}`;
      for (const r of readers) acls[pattern] = { ...(acls[pattern] ?? {}), [absolutePrincipal(product, r)]: READER_GRANT };
    }
    if (words.has('ownerAcls')) acls = withOwnerAcls(product, principal, acls);
    out.topics = sortedTopics(topics);
    out.acls = sortedAcls(acls);
  }
  if (p.consumes) out.consumes = p.consumes.map((t) => absoluteName(product, t));
  if (p.outside) out.outside = { topics: absoluteTopics(product, p.outside.topics), acls: absoluteAcls(product, p.outside.acls) };
  return out as unknown as T;
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
  return sortedAcls(merged);
}
