/**
 * The mesh: per-file product facts resolved against each other. Owners of fully qualified
 * topics, grants, lineage (who consumes what) and the mesh-wide rules live here.
 */
import { gcpNameProblems } from './gcp-names';
import { compareText } from '../compare';
import { type Diagnostic, error, warning } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { didYouMean, nearest } from '../suggest';
import type { ChannelFact, ProductSpec } from '../reading/product-spec';
import { NameIndex, claimConflicts, claimsOf, clientPrefixes, collisionKey, hasVisibilitySegment, visibilityFromTags, visibilityUnder, type NameClaims } from '../vocabulary/topic-names';
import type { SourceLocation } from '../vocabulary/diagnostics';
import { urnOf } from '../reading/urn';
import type { Consumption, Grant, Mesh, Product, Topic } from '../vocabulary/mesh';

function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => compareText(key(a), key(b));
}

/** A 2.x spec read with AsyncAPI's meaning, where SpecMesh's reading would differ. */
function v2AsAsyncApi(product: Product): boolean {
  return product.dialect === 'asyncapi' && product.asyncapiVersion.startsWith('2.');
}

/**
 * Consumer groups named in operation bindings must be under the product's own prefix, `<id>.` or
 * `<id>-`, and not under a longer product id that shares it (`acme.user-eu.x` is acme.user-eu's,
 * whose groups acme.user is denied): Kafka would refuse anything else at run time.
 */
function groupProblems(unique: ReadonlyMap<string, ProductSpec>, names: NameIndex): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [id, spec] of unique) {
    for (const group of spec.groups) {
      const owner = names.ownerOfClient(group.name);
      if (owner === id) continue;
      const prefixes = clientPrefixes(id).map((p) => `${p}<name>`).join(' or ');
      const why = owner
        ? `it is ${owner}'s (by its prefix or its adopt.groups), and ${owner}'s groups are denied to ${id}`
        : `it is outside ${id}'s prefixes, so Kafka would deny the group`;
      diagnostics.push(error(CODES.groupPrefix, `consumer group "${group.name}": ${why}; name it ${prefixes}, or adopt an existing group in x-meshform.adopt.groups`, group.location));
    }
  }
  return diagnostics;
}

/** Where each adopted name of a product is written, to report a conflict there. */
function claimLocation(spec: ProductSpec, kind: string, claim: string): SourceLocation {
  const adopt = spec.product.adopt;
  const found =
    kind === 'topic' ? adopt?.topics.find((t) => t.name === claim)?.location
    : kind === 'principal' ? adopt?.principals.find((p) => p.principal === claim)?.location
    : kind === 'group' ? adopt?.groups.find((g) => g.name === claim)?.location
    : adopt?.transactionalIds.find((t) => t.name === claim)?.location;
  return found ?? spec.product.location;
}

/**
 * Adopted names against each other and the convention (`claimConflicts`): one owner per topic and
 * principal, no overlapping group or transactional-id claims, nothing inside a product's namespace.
 */
function claimProblems(unique: ReadonlyMap<string, ProductSpec>, claims: ReadonlyMap<string, NameClaims>): Diagnostic[] {
  return claimConflicts(unique.keys(), claims).map((c) => {
    const location = claimLocation(unique.get(c.owner)!, c.kind, c.claim);
    if (!c.convention) {
      const other = c.otherClaim === c.claim ? '' : ` (its "${c.otherClaim}")`;
      return error(CODES.adoptClaimed, `${c.owner} adopts ${c.kind} "${c.claim}", which ${c.other} adopts too${other}: one name has one owner; keep it in one product, and grant the other access to it`, location);
    }
    const whose = c.other === c.owner ? `its own convention namespace (${c.otherClaim}): declare it the convention's way instead of adopting it` : `${c.other}'s namespace (${c.otherClaim}), which ${c.other}'s prefix ACLs cover`;
    return error(CODES.adoptConvention, `${c.owner} adopts ${c.kind} "${c.claim}" inside ${whose}`, location);
  });
}

/**
 * Adopted topics no channel declares (a warning: the name is claimed, so an apply with
 * --allow-delete deletes it), and principals limited to topics the product does not use.
 */
function adoptionUse(spec: ProductSpec, product: Product, names: NameIndex): Diagnostic[] {
  const adopt = spec.product.adopt;
  if (!adopt) return [];
  const diagnostics: Diagnostic[] = [];
  const declared = new Set(product.topics.map((t) => t.name));
  for (const t of adopt.topics) {
    // A name two products adopt is reported as such, once.
    if (!declared.has(t.name) && names.adoptedTopic(t.name)?.owner === product.id) diagnostics.push(warning(CODES.adoptUndeclared, `${product.id} adopts topic ${t.name} but no channel declares it: kafka apply --allow-delete would delete it; add a channel with address ${t.name}, or remove it from adopt.topics`, t.location));
  }
  const sent = spec.channels.filter((c) => c.sends).map((c) => c.topic);
  const received = spec.channels.filter((c) => c.receives).map((c) => c.topic);
  for (const p of adopt.principals) {
    for (const [kind, list, verb] of [['sends', sent, 'sends to'], ['receives', received, 'receives from']] as const) {
      for (const topic of p[kind] ?? []) {
        if (!list.includes(topic)) diagnostics.push(error(CODES.adoptPrincipal, `${p.principal} ${kind} ${topic}, but ${product.id} never ${verb} it${didYouMean(topic, list)}`, p.location));
      }
    }
  }
  return diagnostics;
}

/**
 * Why a product may not send to a topic it does not own, and what would let it: only an input
 * topic (protected, with the owner's `grant-write:` for the sender) takes writes from others.
 */
function sendNotOwnedMessage(product: Product, topic: string, owner: string | undefined, declared: Topic | undefined): string {
  const id = product.id;
  const whose = owner ? `it belongs to ${owner}` : 'no product in the mesh owns it';
  const dialectHint = v2AsAsyncApi(product)
    ? '. In AsyncAPI 2.x `subscribe` means the product sends; if this spec follows SpecMesh (`subscribe` = consume), set `dialect: specmesh` (meshform.yaml or x-meshform)'
    : '';
  const adopt = !owner && !dialectHint ? `, or, for an existing topic, adopt it in x-meshform.adopt.topics` : '';
  const own = `a product only sends to its own topics (${id}._public|_protected|_private.*${adopt})`;
  if (declared?.visibility === 'protected') {
    return `${id} sends to ${topic} but ${whose} and does not grant ${id} write access; ${own}, or to a protected topic whose owner tags it grant-write:${urnOf(id)} (ask with: meshform request-access ${topic} --for ${urnOf(id)} --write)${dialectHint}`;
  }
  return `${id} sends to ${topic} but ${whose}; ${own}${dialectHint}`;
}

/**
 * A topic's `grant-write:` tags: only a protected topic takes writes from other products (an input
 * topic); a write grant on a public or private topic is an error that says why.
 */
function writeGrantsOf(topic: Topic, channel: ChannelFact, known: (id: string) => boolean, ids: () => readonly string[], diagnostics: Diagnostic[]): Grant[] {
  const grants: Grant[] = [];
  for (const grant of channel.writeGrants) {
    if (grant.grantee === topic.owner) continue;
    if (topic.visibility === 'public') {
      diagnostics.push(error(CODES.grantWritePublic, `write grant to ${grant.granteeUrn} on public topic ${topic.name}: a public topic carries its owner's data to every reader, so only its owner writes it; an input topic that others write to is _protected, so its writers and readers are named`, grant.location));
      continue;
    }
    if (topic.visibility === 'private') {
      diagnostics.push(error(CODES.grantWritePrivate, `write grant to ${grant.granteeUrn} on private topic ${topic.name}: private topics are owner-only, nothing outside ${topic.owner} reads or writes them; make it _protected to take writes from ${grant.grantee}`, grant.location));
      continue;
    }
    if (!known(grant.grantee)) {
      diagnostics.push(warning(CODES.grantUnknownProduct, `write grant to ${grant.granteeUrn}: no spec in the mesh has that id${didYouMean(grant.grantee, ids(), urnOf)}`, grant.location));
    }
    grants.push({ grantee: grant.grantee, granteeUrn: grant.granteeUrn, location: grant.location });
  }
  return grants;
}

/**
 * @param failedIds ids of specs that failed their own checks: they are still products of the mesh
 *   for other specs' grants and consumption, so one broken file does not cause knock-on warnings.
 */
export function buildMesh(specs: readonly ProductSpec[], failedIds: ReadonlySet<string> = new Set()): { mesh: Mesh; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];

  const byId = new Map<string, ProductSpec[]>();
  for (const spec of [...specs].sort(byKey((s) => s.product.file))) {
    const declared = byId.get(spec.product.id);
    if (declared) declared.push(spec);
    else byId.set(spec.product.id, [spec]);
  }
  const unique = new Map<string, ProductSpec>();
  for (const [id, declared] of byId) {
    unique.set(id, declared[0]);
    if (declared.length < 2) continue;
    const files = declared.map((s) => s.product.file);
    for (const spec of declared) {
      diagnostics.push(error(CODES.idDuplicate, `product ${spec.product.urn} is declared by ${files.length} specs: ${files.join(' and ')}; a product has one spec: merge them, or give one another id`, spec.idLocation));
    }
  }
  const known = (id: string) => unique.has(id) || failedIds.has(id);
  const claims = new Map([...unique].filter(([, s]) => s.product.adopt).map(([id, s]) => [id, claimsOf(s.product.adopt!)]));
  diagnostics.push(...claimProblems(unique, claims));
  const names = new NameIndex(unique.keys(), claims);
  const failedNames = new NameIndex(failedIds);

  const products = new Map<string, Product>();
  const topics = new Map<string, Topic>();
  const pending: Array<{ consumer: string; channel: ChannelFact }> = [];
  const sends: Array<{ producer: string; channel: ChannelFact; owner?: string }> = [];

  for (const [id, spec] of unique) {
    const product: Product = { ...spec.product, topics: [], consumes: [], produces: [] };
    products.set(id, product);
    for (const channel of spec.channels) {
      const owner = channel.relative ? id : names.claimantOf(channel.topic);
      if (owner !== id) {
        // Whether the owner grants this product write access is known once every topic is read.
        if (channel.sends) sends.push({ producer: id, channel, owner });
        if (channel.receives) pending.push({ consumer: id, channel });
        continue;
      }
      const adopted = channel.relative ? undefined : names.adoptedTopic(channel.topic);
      const named = channel.visibility ?? adopted?.visibility ?? visibilityUnder(channel.topic, id);
      if (!named && product.dialect !== 'specmesh') {
        const hint = v2AsAsyncApi(product) ? ' (visibility from grant-access tags alone is SpecMesh\'s form: set `dialect: specmesh`)' : '';
        diagnostics.push(error(CODES.topicVisibility, `topic ${channel.topic} must be under ${id}._public, ._protected or ._private${hint}`, channel.location));
        continue;
      }
      // SpecMesh's tag-only visibility: grant-access:_public opens it to all, other grants to those products, none keeps it owner-only.
      const visibility = named ?? visibilityFromTags({ everyone: channel.everyone !== undefined, grants: channel.grants.length });
      if (topics.has(channel.topic)) {
        diagnostics.push(error(CODES.topicDuplicate, `topic ${channel.topic} is declared twice in this spec`, channel.location));
        continue;
      }
      // Absent values are left out, not set to undefined (and not deleted: a deleted property
      // turns the object into a slow dictionary, and the plan reads 100,000s of these).
      const topic: Topic = {
        name: channel.topic,
        owner: id,
        visibility,
        ...(channel.partitions !== undefined && { partitions: channel.partitions }),
        ...(channel.replicas !== undefined && { replicas: channel.replicas }),
        config: channel.config,
        grants: [],
        ...(channel.description !== undefined && { description: channel.description }),
        sends: channel.sends,
        receives: channel.receives,
        location: channel.location,
      };
      if (channel.freshness) topic.freshness = channel.freshness;
      if (channel.maxLag !== undefined) Object.assign(topic, { maxLag: channel.maxLag, maxLagLocation: channel.maxLagLocation });
      if (channel.configLocations) topic.configLocations = channel.configLocations;
      if (!named) topic.visibilityFromTags = true;
      if (adopted) topic.adopted = true;
      if (channel.everyone && named === 'protected') {
        topic.visibility = 'public';
        diagnostics.push(warning(CODES.grantEveryone, `grant-access:_public opens protected topic ${topic.name} to every principal (as SpecMesh does); name it _public. to say so`, channel.everyone.location));
      } else if (channel.everyone && named === 'public') {
        diagnostics.push(warning(CODES.grantPublic, `grant-access:_public has no effect: ${topic.name} is public already`, channel.everyone.location));
      } else if (channel.everyone && named === 'private') {
        diagnostics.push(error(CODES.grantPrivate, `grant-access:_public on private topic ${topic.name}: private topics are owner-only (SpecMesh ignores this grant); make it _public or remove the tag`, channel.everyone.location));
      }
      if (Object.keys(channel.schemas).length > 0) topic.schemas = channel.schemas;
      if (channel.messages.length > 0) topic.messages = channel.messages;
      for (const grant of channel.grants) {
        if (grant.grantee === id) continue;
        if (topic.visibility === 'public') {
          diagnostics.push(warning(CODES.grantPublic, `grant to ${grant.granteeUrn} has no effect: ${topic.name} is public, every product may read it`, grant.location));
          continue;
        }
        if (topic.visibility === 'private') {
          diagnostics.push(error(CODES.grantPrivate, `grant to ${grant.granteeUrn} on private topic ${topic.name}: private topics are owner-only; make it _protected to share it`, grant.location));
          continue;
        }
        if (!known(grant.grantee)) {
          const hint = didYouMean(grant.grantee, [...unique.keys(), ...failedIds], urnOf);
          diagnostics.push(warning(CODES.grantUnknownProduct, `grant to ${grant.granteeUrn}: no spec in the mesh has that id${hint}`, grant.location));
        }
        topic.grants.push({ grantee: grant.grantee, granteeUrn: grant.granteeUrn, location: grant.location });
      }
      // The ids for a "did you mean" only when a grant names an unknown product: copying 10,000 ids per topic cost seconds.
      const writeGrants = channel.writeGrants.length > 0 ? writeGrantsOf(topic, channel, known, () => [...unique.keys(), ...failedIds], diagnostics) : [];
      if (writeGrants.length > 0) topic.writeGrants = writeGrants;
      topics.set(topic.name, topic);
      product.topics.push(topic);
    }
  }

  for (const { producer, channel, owner } of sends) {
    const declared = topics.get(channel.topic);
    const location = channel.sendLocation ?? channel.location;
    const granted = declared?.writeGrants?.some((g) => g.grantee === producer) ?? false;
    products.get(producer)?.produces?.push({ producer, topic: channel.topic, ...(declared && { owner: declared.owner }), granted, location });
    if (!granted) diagnostics.push(error(declared?.visibility === 'protected' ? CODES.sendNoGrant : CODES.sendNotOwned, sendNotOwnedMessage(products.get(producer)!, channel.topic, owner, declared), location));
  }

  for (const { consumer, channel } of pending) {
    const declared = topics.get(channel.topic);
    const location = channel.receiveLocation ?? channel.location;
    const consumption: Consumption = { consumer, topic: channel.topic, location, ...(channel.maxLag !== undefined && { maxLag: channel.maxLag, maxLagLocation: channel.maxLagLocation }) };
    if (!declared) {
      const owner = names.claimantOf(channel.topic) ?? failedNames.claimantOf(channel.topic);
      // The owner's own spec has errors, reported there: saying it does not declare the topic would only add noise.
      if (owner && failedIds.has(owner)) {
        products.get(consumer)?.consumes.push(consumption);
        continue;
      }
      const why = owner ? `${owner} does not declare it` : 'no spec in the mesh declares it';
      // A SpecMesh tag-only channel the product produces to, read with AsyncAPI's meaning: say so.
      const reader = products.get(consumer);
      const hint = !owner && reader && v2AsAsyncApi(reader) && !hasVisibilitySegment(channel.topic)
        ? `. If this spec follows SpecMesh, its \`publish\` means ${consumer} produces to ${consumer}.${channel.topic}: set \`dialect: specmesh\` (meshform.yaml or x-meshform)`
        : '';
      const near = hint ? undefined : nearest(channel.topic, owner ? (products.get(owner)?.topics ?? []).map((t) => t.name) : topics.keys());
      diagnostics.push(warning(CODES.consumeUndeclared, `${consumer} receives from ${channel.topic} but ${why}${near ? ` (did you mean ${near}?)` : ''}${hint}`, location));
    } else {
      consumption.owner = declared.owner;
      if (declared.visibility === 'private') {
        diagnostics.push(error(CODES.consumePrivate, `${consumer} receives from ${declared.name}, a private topic of ${declared.owner}`, location));
      } else if (declared.visibility === 'protected' && !declared.grants.some((g) => g.grantee === consumer)) {
        const tag = products.get(declared.owner)?.dialect === 'specmesh' ? consumer : urnOf(consumer);
        diagnostics.push(error(CODES.consumeNoGrant, `${consumer} receives from protected topic ${declared.name} without a grant; ${declared.owner} must tag it grant-access:${tag}`, location));
      }
    }
    products.get(consumer)?.consumes.push(consumption);
  }

  const byCollision = new Map<string, Topic[]>();
  for (const topic of topics.values()) {
    const key = collisionKey(topic.name);
    const group = byCollision.get(key);
    if (group) group.push(topic);
    else byCollision.set(key, [topic]);
  }
  for (const group of byCollision.values()) {
    if (group.length < 2) continue;
    const [first, ...others] = group.sort(byKey((t) => t.name));
    for (const t of others) {
      diagnostics.push(error(CODES.topicCollision, `topic ${t.name} differs from ${first.name} only by "." vs "_"; Kafka metric names would collide`, t.location));
    }
  }

  diagnostics.push(...groupProblems(unique, names));
  for (const [id, spec] of unique) diagnostics.push(...adoptionUse(spec, products.get(id)!, names));

  const sorted = [...products.values()].sort(byKey((p) => p.id));
  for (const p of sorted) {
    p.topics.sort(byKey((t) => t.name));
    p.consumes.sort(byKey((c) => c.topic));
    p.produces?.sort(byKey((c) => c.topic));
  }
  // GCP names from templates and adoptions: valid and distinct (those using {env} once a stack is known).
  diagnostics.push(...gcpNameProblems(sorted));
  return { mesh: { products: sorted }, diagnostics };
}
