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
 * Ownership is answered by a `NameIndex` built from the mesh's product ids and the names products
 * adopt from an existing estate (`x-meshform.adopt`): topics, consumer groups and transactional ids
 * that do not follow the convention, each an explicit entry checked before the convention, so
 * callers keep asking the same questions. An adopted name is a LITERAL name, or a prefix written
 * `x*`; no two claims of different products may overlap, nor reach into a product's convention
 * namespace (`claimConflicts`), so an adopted name is never covered by another product's pattern.
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

/** A name of Kafka's legal characters only (or none). */
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]*$/;

/** Why Kafka would refuse the name, or undefined. */
export function topicNameProblem(topic: string): string | undefined {
  if (topic === '.' || topic === '..') return `"${topic}" is not a legal Kafka topic name`;
  if (topic.length > MAX_TOPIC_LENGTH) return `topic name is ${topic.length} characters; Kafka allows at most ${MAX_TOPIC_LENGTH}`;
  // Most names are legal: one test, no set of bad characters made.
  const bad = LEGAL_TOPIC.test(topic) ? [] : [...new Set(topic.replace(/[a-zA-Z0-9._-]/g, ''))];
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
// Adopted names (issue 20): topics, groups and transactional ids outside the convention

/** A claim on a group or transactional id: `orders-app` (that name) or `orders-*` (every name starting `orders-`). */
export const CLAIM_PREFIX_MARK = '*';

/** Whether a claim is a prefix (`x*`, with at least one character before the `*`). */
export function isPrefixClaim(claim: string): boolean {
  return claim.length > 1 && claim.endsWith(CLAIM_PREFIX_MARK);
}

/** The names a claim stands for: the prefix without its `*`, or the name itself. */
export function claimStem(claim: string): string {
  return isPrefixClaim(claim) ? claim.slice(0, -1) : claim;
}

/** Whether a claim covers a name: equal, or (a prefix claim) starting with it. */
export function claimCovers(claim: string, name: string): boolean {
  return isPrefixClaim(claim) ? name.startsWith(claimStem(claim)) : name === claim;
}

/** Why a group or transactional-id claim cannot be one product's, or undefined. */
export function claimProblem(claim: string): string | undefined {
  if (claim === '') return 'is empty';
  if (claim === CLAIM_PREFIX_MARK) return 'is every name ("*"): it cannot be one product\'s';
  const star = claim.indexOf(CLAIM_PREFIX_MARK);
  if (star >= 0 && star !== claim.length - 1) return 'has a "*" before its end; only a trailing "*" (a prefix) is allowed';
  return undefined;
}

/** The ACL pattern of an adopted claim: PREFIXED for `x*`, else LITERAL. */
export function claimPattern(resourceType: 'GROUP' | 'TRANSACTIONAL_ID', claim: string): NamePattern {
  return isPrefixClaim(claim)
    ? { resourceType, patternType: 'PREFIXED', resourceName: claimStem(claim) }
    : { resourceType, patternType: 'LITERAL', resourceName: claim };
}

/** Why a name cannot be adopted as a topic, or undefined (besides what Kafka refuses: `topicNameProblem`). */
export function adoptedTopicProblem(name: string): string | undefined {
  const kafka = topicNameProblem(name);
  if (kafka) return kafka;
  // A channel address `_public.x` is read as relative to the product: such a name could not be addressed.
  const first = name.split('.')[0];
  if (visibilityOfSegment(first)) return `starts with the visibility segment ${first}, which a channel address reads as relative to its product`;
  return undefined;
}

/** What one product adopts, as the index and the conflict check read it. */
export interface NameClaims {
  topics?: ReadonlyArray<{ readonly name: string; readonly visibility: Visibility }>;
  /** Consumer group claims: `x` or `x*`. */
  groups?: readonly string[];
  transactionalIds?: readonly string[];
  principals?: readonly string[];
}

/** Two products claim overlapping names, or a claim reaches into a product's convention namespace. */
export interface ClaimConflict {
  kind: 'topic' | 'group' | 'transactional id' | 'principal';
  /** The claim as written by `owner`. */
  claim: string;
  owner: string;
  /** The other product, and what of it the claim meets: its claim, or its convention prefix. */
  other: string;
  otherClaim: string;
  convention: boolean;
}

/** Whether two client claims (`x`, `x*`) cover a common name. */
function claimsOverlap(a: string, b: string): boolean {
  const [pa, pb] = [isPrefixClaim(a), isPrefixClaim(b)];
  if (!pa && !pb) return a === b;
  if (pa && pb) return claimStem(a).startsWith(claimStem(b)) || claimStem(b).startsWith(claimStem(a));
  return pa ? claimCovers(a, b) : claimCovers(b, a);
}

/**
 * Every conflict among the products' claims: the same topic or principal twice, overlapping group
 * or transactional-id claims of two products, an adopted topic inside any product's convention
 * namespace (`inNamespace`: its own too, where it is no adoption), and a group or transactional-id
 * claim that meets a product's client prefixes (`<id>.`, `<id>-`). Each conflict is listed once per
 * claim that has it, in the order the claims are given.
 */
export function claimConflicts(ids: Iterable<string>, claims: ReadonlyMap<string, NameClaims>): ClaimConflict[] {
  const conflicts: ClaimConflict[] = [];
  const all = [...claims];
  const idList = [...ids];
  const topicOwners = new Map<string, string>();
  const principalOwners = new Map<string, string>();
  for (const [owner, c] of all) {
    for (const t of c.topics ?? []) {
      const first = topicOwners.get(t.name);
      if (first !== undefined && first !== owner) conflicts.push({ kind: 'topic', claim: t.name, owner, other: first, otherClaim: t.name, convention: false });
      else topicOwners.set(t.name, owner);
      const home = idList.filter((id) => inNamespace(id, t.name)).sort((a, b) => b.length - a.length)[0];
      if (home !== undefined) conflicts.push({ kind: 'topic', claim: t.name, owner, other: home, otherClaim: `${home}._*`, convention: true });
    }
    for (const p of c.principals ?? []) {
      const first = principalOwners.get(p);
      if (first !== undefined && first !== owner) conflicts.push({ kind: 'principal', claim: p, owner, other: first, otherClaim: p, convention: false });
      else principalOwners.set(p, owner);
    }
  }
  for (const [kind, key] of [['group', 'groups'], ['transactional id', 'transactionalIds']] as const) {
    const seen: Array<[string, string]> = [];
    for (const [owner, c] of all) {
      for (const claim of c[key] ?? []) {
        const clash = seen.find(([o, other]) => o !== owner && claimsOverlap(claim, other));
        if (clash) conflicts.push({ kind, claim, owner, other: clash[0], otherClaim: clash[1], convention: false });
        seen.push([owner, claim]);
        for (const id of idList) {
          const prefix = clientPrefixes(id).find((p) => claimsOverlap(claim, `${p}${CLAIM_PREFIX_MARK}`));
          if (prefix) conflicts.push({ kind, claim, owner, other: id, otherClaim: `${prefix}*`, convention: true });
        }
      }
    }
  }
  return conflicts;
}

/** The adopted entries of an index: exact names in maps, prefix claims in lists (longest first). */
interface Claims {
  topics: Map<string, { owner: string; visibility: Visibility }>;
  clients: Record<'GROUP' | 'TRANSACTIONAL_ID', { exact: Map<string, string>; prefixes: Array<[stem: string, owner: string]> }>;
  principals: Map<string, string>;
}

function indexClaims(claims: ReadonlyMap<string, NameClaims>): Claims {
  const index: Claims = {
    topics: new Map(),
    clients: { GROUP: { exact: new Map(), prefixes: [] }, TRANSACTIONAL_ID: { exact: new Map(), prefixes: [] } },
    principals: new Map(),
  };
  for (const [owner, c] of claims) {
    for (const t of c.topics ?? []) if (!index.topics.has(t.name)) index.topics.set(t.name, { owner, visibility: t.visibility });
    for (const p of c.principals ?? []) if (!index.principals.has(p)) index.principals.set(p, owner);
    for (const [type, list] of [['GROUP', c.groups], ['TRANSACTIONAL_ID', c.transactionalIds]] as const) {
      for (const claim of list ?? []) {
        if (isPrefixClaim(claim)) index.clients[type].prefixes.push([claimStem(claim), owner]);
        else if (!index.clients[type].exact.has(claim)) index.clients[type].exact.set(claim, owner);
      }
    }
  }
  for (const type of ['GROUP', 'TRANSACTIONAL_ID'] as const) index.clients[type].prefixes.sort(([a], [b]) => b.length - a.length);
  return index;
}

/** The owner of an adopted group or transactional id: an exact claim, else the longest prefix claim covering it. */
function claimOwner(clients: Claims['clients'][keyof Claims['clients']], name: string): string | undefined {
  return clients.exact.get(name) ?? clients.prefixes.find(([stem]) => name.startsWith(stem))?.[1];
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
 * Who owns which names, for one set of products (a mesh, the products in an apply's scope): the
 * names a product adopted (explicit entries, checked first), then the convention: a product owns
 * what its id prefixes as the module's header says.
 */
export class NameIndex implements IdSet {
  private readonly ids: ReadonlySet<string>;
  private readonly claims: Claims;
  private readonly claimsByOwner: ReadonlyMap<string, NameClaims>;

  /** @param claims what each product adopts, by product id (claims of ids not in `productIds` are ignored) */
  constructor(productIds: Iterable<string>, claims: ReadonlyMap<string, NameClaims> = new Map()) {
    this.ids = new Set(productIds);
    this.claimsByOwner = new Map([...claims].filter(([id]) => this.ids.has(id)));
    this.claims = indexClaims(this.claimsByOwner);
  }

  static ofMesh(mesh: { readonly products: ReadonlyArray<{ readonly id: string; readonly adopt?: AdoptionLike }> }): NameIndex {
    return new NameIndex(
      mesh.products.map((p) => p.id),
      new Map(mesh.products.filter((p) => p.adopt).map((p) => [p.id, claimsOf(p.adopt!)])),
    );
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get products(): readonly string[] {
    return [...this.ids];
  }

  /** What a product adopts (empty for a product that adopts nothing). */
  claimsOf(productId: string): NameClaims {
    return this.claimsByOwner.get(productId) ?? {};
  }

  /** An adopted topic's owner and visibility. */
  adoptedTopic(topic: string): { owner: string; visibility: Visibility } | undefined {
    return this.claims.topics.get(topic);
  }

  /** The product that adopted a principal. */
  ownerOfPrincipal(principal: string): string | undefined {
    return this.claims.principals.get(principal);
  }

  /**
   * The product that claims a topic name: the product that adopted it, else the longest id that
   * prefixes it at a `.`, whatever follows (`acme.user.orders`, a SpecMesh tag-only name, is
   * acme.user's claim; whether it may own it is the model's question). A nested product's topics
   * are the nested product's.
   */
  claimantOf(topic: string): string | undefined {
    return this.claims.topics.get(topic)?.owner ?? claimant(topic, this.ids);
  }

  /** The product that adopted the topic, or whose topic prefixes (`<id>._public.` ...) hold it. */
  ownerOfTopic(topic: string): string | undefined {
    const adopted = this.claims.topics.get(topic);
    if (adopted) return adopted.owner;
    const id = claimant(topic, this.ids);
    return id !== undefined && topicPrefixes(id).some((prefix) => topic.startsWith(prefix)) ? id : undefined;
  }

  /**
   * The product that adopted a consumer group (or, with `TRANSACTIONAL_ID`, a transactional id), or
   * whose client prefix (`<id>.` or `<id>-`) starts it; the longest such id wins
   * (`acme.user-eu.x` belongs to acme.user-eu, not acme.user).
   */
  ownerOfClient(name: string, resourceType: 'GROUP' | 'TRANSACTIONAL_ID' = 'GROUP'): string | undefined {
    return claimOwner(this.claims.clients[resourceType], name) ?? clientOwner(name, this.ids);
  }

  /**
   * The product whose names hold a topic or an ACL's resource pattern: what the reconcile scope
   * may touch. Adopted names first: a LITERAL name (or a topic) the product adopted; for groups
   * and transactional ids also a name under one of its prefix claims, and a PREFIXED pattern only
   * when every name it covers is under one (its name starts with the claim's prefix). Then the
   * convention namespace (`inNamespace`), candidates being the name's own prefixes, longest first.
   * Without a pattern, the name is read as a topic.
   */
  ownerOfResource(name: string, pattern?: { resourceType: string; patternType: string }): string | undefined {
    return this.adoptedOwnerOfResource(name, pattern) ?? namespaceOwner(name, this.ids);
  }

  /** `ownerOfResource` by the adopted names alone: the product that adopted what the name (or pattern) covers. */
  adoptedOwnerOfResource(name: string, pattern?: { resourceType: string; patternType: string }): string | undefined {
    const type = pattern?.resourceType ?? 'TOPIC';
    const literal = (pattern?.patternType ?? 'LITERAL') === 'LITERAL';
    if (type === 'TOPIC') return literal ? this.claims.topics.get(name)?.owner : undefined;
    if (type !== 'GROUP' && type !== 'TRANSACTIONAL_ID') return undefined;
    const clients = this.claims.clients[type];
    return literal ? claimOwner(clients, name) : clients.prefixes.find(([stem]) => name.startsWith(stem))?.[1];
  }

  /** A topic whose data exists nowhere else: an adopted private topic, or a `_private` convention name. */
  isPrivate(topic: string): boolean {
    const adopted = this.claims.topics.get(topic);
    return adopted ? adopted.visibility === 'private' : isPrivateTopic(topic);
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

/** The shape of a product's adoption the index reads (the mesh model's `Adoption`, or the plan's). */
export interface AdoptionLike {
  topics: ReadonlyArray<{ readonly name: string; readonly visibility: Visibility }>;
  principals: ReadonlyArray<{ readonly principal: string } | string>;
  groups: ReadonlyArray<{ readonly name: string } | string>;
  transactionalIds: ReadonlyArray<{ readonly name: string } | string>;
}

/** An adoption as index claims. */
export function claimsOf(adopt: AdoptionLike): NameClaims {
  const names = (list: ReadonlyArray<{ readonly name: string } | string>) => list.map((c) => (typeof c === 'string' ? c : c.name));
  return {
    topics: adopt.topics.map((t) => ({ name: t.name, visibility: t.visibility })),
    principals: adopt.principals.map((p) => (typeof p === 'string' ? p : p.principal)),
    groups: names(adopt.groups),
    transactionalIds: names(adopt.transactionalIds),
  };
}
