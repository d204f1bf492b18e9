/**
 * Topic names: the one place that says which product owns a Kafka name, at which visibility, and
 * which ACL patterns cover a product. The model (who may declare and send to a topic), the plan
 * (the ACLs), the reconcile scope (what an apply may touch), the reports, export and the catalog
 * all ask here; none of them spells a prefix or a visibility segment itself.
 *
 * The convention: a product `acme.user` owns the topics `acme.user.<_public|_protected|_private>.<name>`
 * and the consumer groups and transactional ids `acme.user.<x>` and `acme.user-<x>`. Every prefix
 * ends with a delimiter, and product ids never have a segment starting with `_` (`reservedSegment`
 * in reading/urn.ts), so `acme.user` never reaches `acme.userprops.*`, nor the nested product
 * `acme.user.profile`'s topics; only its group prefix `acme.user.` reaches `acme.user.profile.`
 * (and `acme.user-` reaches `acme.user-eu-`), and the plan denies those (`deniedToAncestors`).
 *
 * Ownership is answered by a `NameIndex` built from the mesh's product ids. Names that do not
 * follow the convention (adopted topics, groups, principals) are meant to join it as explicit
 * entries checked before the convention, so callers keep asking the same questions.
 */
import type { Visibility } from './mesh';

// ---------------------------------------------------------------------------------------------
// Visibility segments and qualified names

/** In the order prefixes and patterns are listed. */
export const VISIBILITIES: readonly Visibility[] = ['public', 'protected', 'private'];

/** The name segment of each visibility: `_public`, `_protected`, `_private`. */
export const VISIBILITY_SEGMENTS: Readonly<Record<string, Visibility>> = Object.fromEntries(VISIBILITIES.map((v) => [segmentOf(v), v]));

export function segmentOf(visibility: Visibility): string {
  return `_${visibility}`;
}

/** The visibility a name segment stands for (`_public` -> public), or undefined. */
export function visibilityOfSegment(segment: string): Visibility | undefined {
  return Object.prototype.hasOwnProperty.call(VISIBILITY_SEGMENTS, segment) ? VISIBILITY_SEGMENTS[segment] : undefined;
}

/** `acme.user._public.`: the prefix of a product's topics of one visibility. */
export function topicPrefix(productId: string, visibility: Visibility): string {
  return `${productId}.${segmentOf(visibility)}.`;
}

/** `acme.user._public.order_placed`. */
export function qualify(productId: string, visibility: Visibility, name: string): string {
  return topicPrefix(productId, visibility) + name;
}

/**
 * Every prefix a product's convention topics sit under, one per visibility. A nested product's
 * topics (`acme.user.profile._private.x`) sit under none of `acme.user`'s.
 */
export function topicPrefixes(productId: string): string[] {
  return VISIBILITIES.map((v) => topicPrefix(productId, v));
}

/** Visibility of a topic under its owner's id: the segment right after `<ownerId>.`. */
export function visibilityUnder(topic: string, ownerId: string): Visibility | undefined {
  const rest = topic.slice(ownerId.length + 1);
  return visibilityOfSegment(rest.split('.')[0]);
}

/**
 * A qualified topic's own name, for people: without `<owner>.` and the visibility segment
 * (`acme.user._public.x` -> `x`). Names of other forms are shown as they are, minus the owner.
 */
export function shortTopicName(topic: string, owner?: string): string {
  const rest = owner && topic.startsWith(owner + '.') ? topic.slice(owner.length + 1) : topic;
  const first = rest.indexOf('.');
  return first > 0 && visibilityOfSegment(rest.slice(0, first)) ? rest.slice(first + 1) : rest;
}

/** Whether any segment of the name, followed by more, is a visibility segment (`x._public.y`). */
export function hasVisibilitySegment(name: string): boolean {
  const segments = name.split('.');
  return segments.slice(0, -1).some((s) => visibilityOfSegment(s) !== undefined);
}

/** Whether the name has a `_private` segment anywhere: its data exists nowhere else. */
export function isPrivateTopic(name: string): boolean {
  return name.split('.').includes(segmentOf('private'));
}

/**
 * The product id a convention name shows, read from the name alone: what comes before its first
 * visibility segment (`acme.retail.orders._public.placed` -> `acme.retail.orders`).
 */
export function idInName(name: string): string | undefined {
  const segments = name.split('.');
  for (let i = 1; i < segments.length - 1; i++) {
    const id = segments.slice(0, i).join('.');
    if (id !== '' && visibilityOfSegment(segments[i])) return id;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Channel addresses -> topic names (both dialects)

export interface NamedTopic {
  topic: string;
  /** The address was relative (`_public.x`): the product owns the topic by construction. */
  relative: boolean;
  visibility?: Visibility;
}

/** `_public.x` (or `_public/x`) read as relative: its visibility and the rest; undefined for a full name. */
function relativeName(dotted: string): { visibility: Visibility; name: string } | undefined {
  const dot = dotted.indexOf('.');
  const visibility = dot > 0 ? visibilityOfSegment(dotted.slice(0, dot)) : undefined;
  return visibility && dotted.length > dot + 1 ? { visibility, name: dotted.slice(dot + 1) } : undefined;
}

/**
 * An AsyncAPI address (or `bindings.kafka.topic`): `_public.order_placed` or `_public/order_placed`
 * -> `<domain>._public.order_placed`; anything else is already a full topic name (with `/` read as `.`).
 */
export function qualifyAddress(address: string, domainId: string): NamedTopic {
  const normalised = address.replace(/\//g, '.');
  const relative = relativeName(normalised);
  if (relative) return { topic: qualify(domainId, relative.visibility, relative.name), relative: true, visibility: relative.visibility };
  return { topic: normalised, relative: false };
}

/**
 * SpecMesh's reading of a 2.x channel name (its `ApiSpec.getCanonical`): a leading `/` means a
 * full name (legacy); a name already under the product id is kept; a channel the product produces
 * to (`publish` in SpecMesh) is relative and gets `<id>.` in front; any other channel (one it
 * consumes) is a full name. `/` is read as `.`. Unlike SpecMesh, "under the id" stops at a segment
 * boundary: `acme.userprops.x` is not under `acme.user`. SpecMesh ignores `bindings.kafka.topic`.
 */
export function specmeshTopic(name: string, domainId: string, produces: boolean): NamedTopic {
  if (name.startsWith('/')) return { topic: name.slice(1).replace(/\//g, '.'), relative: false };
  const dotted = name.replace(/\//g, '.');
  if (dotted === domainId || dotted.startsWith(`${domainId}.`)) return { topic: dotted, relative: false };
  if (!produces) return { topic: dotted, relative: false };
  const visibility = visibilityOfSegment(dotted.split('.')[0]);
  // Relative with a visibility segment: owned by construction. Otherwise (a tag-only name) the
  // owner is found by prefix, so a name that lands in a nested product's namespace is caught.
  return visibility ? { topic: `${domainId}.${dotted}`, relative: true, visibility } : { topic: `${domainId}.${dotted}`, relative: false };
}

/**
 * SpecMesh's tag-only visibility, for an owned name without a visibility segment:
 * `grant-access:_public` opens it to all, grants to products make it protected, none keeps it private.
 */
export function visibilityFromTags(tags: { everyone: boolean; grants: number }): Visibility {
  return tags.everyone ? 'public' : tags.grants > 0 ? 'protected' : 'private';
}

// ---------------------------------------------------------------------------------------------
// What Kafka accepts as a name

const MAX_TOPIC_LENGTH = 249;

/** Why Kafka would refuse the name, or undefined. */
export function topicNameProblem(topic: string): string | undefined {
  if (topic === '.' || topic === '..') return `"${topic}" is not a legal Kafka topic name`;
  if (topic.length > MAX_TOPIC_LENGTH) return `topic name is ${topic.length} characters; Kafka allows at most ${MAX_TOPIC_LENGTH}`;
  const bad = [...new Set(topic.replace(/[a-zA-Z0-9._-]/g, ''))];
  if (topic.length === 0) return 'topic name is empty';
  if (bad.length) return `topic "${topic}" has characters Kafka does not allow: ${bad.map((c) => JSON.stringify(c)).join(' ')} (allowed: a-z A-Z 0-9 . _ -)`;
  return undefined;
}

/** Kafka's metric names map `.` to `_`: topics equal under that mapping collide. */
export function collisionKey(topic: string): string {
  return topic.replace(/\./g, '_');
}

// ---------------------------------------------------------------------------------------------
// Consumer groups and transactional ids

/**
 * The delimiters after a product id that start its consumer groups and transactional ids:
 * `acme.user.` and `acme.user-` (SpecMesh's usual `<domain-id>-<service>`).
 */
export const CLIENT_DELIMITERS = ['.', '-'] as const;

function isClientDelimiter(c: string): boolean {
  return (CLIENT_DELIMITERS as readonly string[]).includes(c);
}

/** `acme.user.` and `acme.user-`: the prefixes of a product's groups and transactional ids. */
export function clientPrefixes(productId: string): string[] {
  return CLIENT_DELIMITERS.map((d) => productId + d);
}

// ---------------------------------------------------------------------------------------------
// ACL patterns

export type NamedResourceType = 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID';
export type NamePatternType = 'LITERAL' | 'PREFIXED';

/** A Kafka resource pattern: what an ACL binding names (the plan adds principal, operation, permission). */
export interface NamePattern {
  resourceType: NamedResourceType;
  patternType: NamePatternType;
  resourceName: string;
}

/**
 * What a product's own principal is allowed on: its topics under each visibility prefix, its
 * groups and transactional ids under each client prefix. All PREFIXED, all ending with a delimiter.
 */
export function ownerPatterns(productId: string): NamePattern[] {
  return [
    ...topicPrefixes(productId).map((resourceName): NamePattern => ({ resourceType: 'TOPIC', patternType: 'PREFIXED', resourceName })),
    ...(['GROUP', 'TRANSACTIONAL_ID'] as const).flatMap((resourceType) =>
      clientPrefixes(productId).map((resourceName): NamePattern => ({ resourceType, patternType: 'PREFIXED', resourceName })),
    ),
  ];
}

/** One topic by its exact name: the owner's access to a tag-only topic, a reader's to a granted one. */
export function topicPattern(topic: string): NamePattern {
  return { resourceType: 'TOPIC', patternType: 'LITERAL', resourceName: topic };
}

/**
 * Where a Kafka Streams app creates (and purges) its own topics: the `_private.` prefix only
 * (`application.id` = `<id>._private.<service>`, its topics `<application.id>-<store>-changelog`).
 */
export function streamsPatterns(productId: string): NamePattern[] {
  return [{ resourceType: 'TOPIC', patternType: 'PREFIXED', resourceName: topicPrefix(productId, 'private') }];
}

/**
 * What the plan denies the products whose client prefixes reach this product's id (its
 * `NameIndex.ancestorsOf`): this product's group and transactional-id prefixes.
 */
export function deniedToAncestors(productId: string): NamePattern[] {
  return (['GROUP', 'TRANSACTIONAL_ID'] as const).flatMap((resourceType) =>
    clientPrefixes(productId).map((resourceName): NamePattern => ({ resourceType, patternType: 'PREFIXED', resourceName })),
  );
}

/** Kafka's matching of a pattern against a resource: LITERAL the name (or `*`), PREFIXED every name it starts. */
export function patternCovers(pattern: NamePattern, resourceType: NamedResourceType, name: string): boolean {
  if (pattern.resourceType !== resourceType) return false;
  return pattern.patternType === 'LITERAL' ? pattern.resourceName === name || pattern.resourceName === '*' : name.startsWith(pattern.resourceName);
}

// ---------------------------------------------------------------------------------------------
// Ownership

/** Anything that answers "is this a product id": a set of ids, a map keyed by id, a `NameIndex`. */
export interface IdSet {
  has(id: string): boolean;
}

/**
 * The namespace a product's resource names live in, as the reconcile scope reads cluster names:
 * `<id>.` and `<id>-` themselves (its client prefixes, as ACL resource names) and every name
 * starting with `<id>._` (its topics and topic prefixes: no other product's id has a `_` segment).
 * Every pattern `ownerPatterns`, `streamsPatterns` and `deniedToAncestors` make for a product
 * names a resource in that product's namespace (test/names/topic-names.property.test.ts).
 */
export function inNamespace(productId: string, name: string): boolean {
  if (!name.startsWith(productId)) return false;
  const rest = name.slice(productId.length);
  return rest === '.' || rest === '-' || rest.startsWith('._');
}

/** Every product id whose namespace may hold the name: its `.`-prefixes, and `p` for `p-`. */
export function namespaceCandidates(name: string): string[] {
  const out: string[] = [];
  if (name.endsWith('-')) out.push(name.slice(0, -1));
  for (let dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) out.push(name.slice(0, dot));
  return out;
}

/**
 * The product whose id prefixes the name at a `.`; the longest such id wins. It tries the name's
 * own prefixes, longest first: a lookup per segment, whatever the mesh size.
 */
function claimant(name: string, ids: IdSet): string | undefined {
  for (let end = name.lastIndexOf('.'); end > 0; end = name.lastIndexOf('.', end - 1)) {
    const candidate = name.slice(0, end);
    if (ids.has(candidate)) return candidate;
  }
  return undefined;
}

function namespaceOwner(name: string, ids: IdSet): string | undefined {
  if (name.endsWith('-') && ids.has(name.slice(0, -1))) return name.slice(0, -1);
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const candidate = name.slice(0, dot);
    if (ids.has(candidate) && inNamespace(candidate, name)) return candidate;
  }
  return undefined;
}

function clientOwner(name: string, ids: IdSet): string | undefined {
  for (let end = name.length - 1; end > 0; end--) {
    if (isClientDelimiter(name[end]) && ids.has(name.slice(0, end))) return name.slice(0, end);
  }
  return undefined;
}

/**
 * Who owns which names, for one set of products (a mesh, the products in an apply's scope).
 * Convention names only today: a product owns what its id prefixes as the module's header says.
 */
export class NameIndex implements IdSet {
  private readonly ids: ReadonlySet<string>;

  constructor(productIds: Iterable<string>) {
    this.ids = new Set(productIds);
  }

  static ofMesh(mesh: { readonly products: ReadonlyArray<{ readonly id: string }> }): NameIndex {
    return new NameIndex(mesh.products.map((p) => p.id));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get products(): readonly string[] {
    return [...this.ids];
  }

  /**
   * The product that claims a topic name: the longest id that prefixes it at a `.`, whatever
   * follows (`acme.user.orders`, a SpecMesh tag-only name, is acme.user's claim; whether it may
   * own it is the model's question). A nested product's topics are the nested product's.
   */
  claimantOf(topic: string): string | undefined {
    return claimant(topic, this.ids);
  }

  /** The product whose topic prefixes (`<id>._public.` ...) hold the topic. */
  ownerOfTopic(topic: string): string | undefined {
    const id = claimant(topic, this.ids);
    return id !== undefined && topicPrefixes(id).some((prefix) => topic.startsWith(prefix)) ? id : undefined;
  }

  /**
   * The product whose client prefix (`<id>.` or `<id>-`) starts a consumer group or transactional
   * id; the longest such id wins (`acme.user-eu.x` belongs to acme.user-eu, not acme.user).
   */
  ownerOfClient(name: string): string | undefined {
    return clientOwner(name, this.ids);
  }

  /**
   * The product whose namespace (`inNamespace`) holds a topic or ACL resource name: what the
   * reconcile scope may touch. Candidates are the name's own prefixes, longest first.
   */
  ownerOfResource(name: string): string | undefined {
    return namespaceOwner(name, this.ids);
  }

  /**
   * Products whose client prefixes (`<id>.` or `<id>-`) start this product's id (`acme.user` for
   * `acme.user.profile` and `acme.user-eu`), shortest first: each is denied `deniedToAncestors(id)`.
   */
  ancestorsOf(productId: string): string[] {
    const ancestors: string[] = [];
    for (let end = 1; end < productId.length; end++) {
      if (isClientDelimiter(productId[end]) && this.ids.has(productId.slice(0, end))) ancestors.push(productId.slice(0, end));
    }
    return ancestors;
  }
}
