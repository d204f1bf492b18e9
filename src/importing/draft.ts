/**
 * An estate -> products: who each principal is, who owns each topic, what each product adopts.
 *
 * 1. Access per principal, from the ACLs as Kafka's authorizer reads them: WRITE and READ on
 *    topics (a PREFIXED pattern reaches the estate's topics it starts today), READ on groups, WRITE
 *    on transactional ids; `User:*` READ makes a topic public. What meshform does not plan (DENY,
 *    a host, cluster rights, ALL, ALTER, CREATE, ..., `*` names, PREFIXED topic patterns) is listed
 *    as unmapped: those ACLs are the estate's and stay on the cluster (the reconcile scope leaves
 *    them, see engine/scope.ts), so nothing is lost.
 * 2. Products: the owner map's, else the one a folder's spec already adopted the principal into
 *    (the same principal is the same product, whatever tool it came from), else the tool's grouping
 *    (a JulieOps project, a kafka-gitops service), else one per principal. Principals writing the
 *    same topic join one product: a topic has one writing owner; a writer of a convention topic
 *    (`<id>._protected.x`) is product `<id>`'s.
 * 3. Owners of topics: the owner map's, the folder's, the product of its writers, the tool's
 *    grouping, else `<domain>.unowned`. Visibility from who reads it: `User:*` public, other
 *    products protected (with grants), nobody else private. Names of the convention
 *    (`<id>._public.x`) stay their product's convention topics.
 * 4. Per product: its principals, each limited to what it does when that is less than the product
 *    does (sends, receives, groups, transactional ids), so every principal keeps exactly its access.
 */
import { compareText } from '../compare';
import { idSegment } from '../names';
import { productPrincipal } from '../plan/principal';
import type { AclOperation, KafkaAclProps } from '../plan/types';
import type { SourceLocation } from '../vocabulary/diagnostics';
import type { Visibility } from '../vocabulary/mesh';
import type { Compatibility } from '../vocabulary/schema-kinds';
import { adoptedTopicProblem, claimConflicts, idInName, inNamespace, namespaceCandidates, visibilityUnder, type NameClaims } from '../vocabulary/topic-names';
import type { Estate, EstateAcl, EstateSchema, EstateTopic, Unmapped } from './estate';
import type { ExistingMesh } from './existing';
import type { OwnerMap } from './owner-map';

export interface DraftTopic {
  name: string;
  /** A convention name (`<id>._public.x`): declared relative to its product, not adopted. */
  convention?: Visibility;
  visibility: Visibility;
  sends: boolean;
  receives: boolean;
  partitions?: number;
  replicas?: number;
  config: Record<string, string>;
  /** Product ids granted read (protected topics). */
  grants: string[];
  schemas?: { value?: EstateSchema; key?: EstateSchema };
  compatibility?: Compatibility;
}

export interface DraftPrincipal {
  principal: string;
  /** Absent: every access of the product. */
  limits?: { sends: string[]; receives: string[]; groups: string[]; transactionalIds: string[] };
}

export interface DraftProduct {
  id: string;
  title: string;
  /** The folder's spec of this product, when it has one: the import adds to it. */
  existingFile?: string;
  /** Adopted principals; empty: the stack template's principal. */
  principals: DraftPrincipal[];
  topics: DraftTopic[];
  /** Other products' topics it receives from. */
  consumes: string[];
  groups: string[];
  transactionalIds: string[];
}

export interface Draft {
  products: DraftProduct[];
  unmapped: Unmapped[];
}

const ANYONE = 'User:*';
const aclText = (a: KafkaAclProps) => `${a.permission} ${a.principal} ${a.operation} ${a.resourceType}:${a.patternType}:${a.resourceName}${a.host === '*' ? '' : ` from ${a.host}`}`;

interface Access {
  writes: Set<string>;
  reads: Set<string>;
  describes: Set<string>;
  groups: Set<string>;
  transactionalIds: Set<string>;
  location?: SourceLocation;
}

const STAYS = 'it stays on the cluster as it is (meshform leaves ACLs it does not plan)';

export function draftMesh(estate: Estate, map: OwnerMap, existing: ExistingMesh): Draft {
  const unmapped: Unmapped[] = [...estate.unmapped];
  const skip = (acl: EstateAcl, why: string) => unmapped.push({ what: aclText(acl), why, location: acl.location });
  const topics = new Map(estate.topics.map((t) => [t.name, t]));
  const access = new Map<string, Access>();
  const publicTopics = new Set<string>();
  const of = (acl: EstateAcl) => {
    let a = access.get(acl.principal);
    if (!a) access.set(acl.principal, (a = { writes: new Set(), reads: new Set(), describes: new Set(), groups: new Set(), transactionalIds: new Set(), location: acl.location }));
    return a;
  };

  // 0. Products of the convention (an estate meshform already manages, or part of one): ids in
  // topic names under a visibility segment, and `User:<id>` principals holding prefixes in their
  // own namespace. Prefix ACLs in a convention product's namespace (its topic, group and
  // transactional-id prefixes, the DENYs that guard them) are what meshform plans for it: not the estate's.
  const conventionIds = new Set<string>();
  for (const t of topics.keys()) {
    const id = idInName(t);
    if (id !== undefined && visibilityUnder(t, id) !== undefined) conventionIds.add(id);
  }
  for (const acl of estate.acls) {
    const id = acl.principal.startsWith('User:') ? acl.principal.slice('User:'.length) : undefined;
    if (id && acl.patternType === 'PREFIXED' && inNamespace(id, acl.resourceName)) conventionIds.add(id);
  }
  const conventions = (acl: EstateAcl) => acl.patternType === 'PREFIXED' && namespaceCandidates(acl.resourceName).some((id) => conventionIds.has(id) && inNamespace(id, acl.resourceName));

  // 1. Access per principal.
  for (const acl of estate.acls) {
    if (conventions(acl)) continue;
    if (acl.permission === 'DENY') { skip(acl, `meshform plans no DENY on adopted names: ${STAYS}`); continue; }
    if (acl.host !== '*') { skip(acl, `meshform grants from any host: ${STAYS}`); continue; }
    if (acl.resourceType === 'CLUSTER') {
      const kip = acl.operation === 'IDEMPOTENT_WRITE' ? ' (since Kafka 3.0, WRITE on a topic lets a producer be idempotent: KIP-679)' : '';
      skip(acl, `cluster rights are not a product's${kip}: ${STAYS}`);
      continue;
    }
    const ops: AclOperation[] = acl.operation === 'ALL' ? ['READ', 'WRITE'] : [acl.operation];
    if (acl.operation === 'ALL') skip(acl, `meshform grants READ and WRITE for it; ALL itself ${STAYS}`);
    if (acl.resourceName === '*' && acl.patternType === 'LITERAL') { skip(acl, `every ${acl.resourceType.toLowerCase()} (*) is no product's: ${STAYS}`); continue; }
    if (acl.resourceType === 'TOPIC') {
      let names = [acl.resourceName];
      if (acl.patternType === 'PREFIXED') {
        names = [...topics.keys()].filter((t) => t.startsWith(acl.resourceName)).sort(compareText);
        if (acl.operation !== 'ALL') skip(acl, `a prefix of topics is no product's: meshform grants the ${names.length} topic(s) it reaches today one by one; the prefix ${STAYS}`);
      }
      if (acl.principal === ANYONE) {
        if (acl.operation === 'READ' && acl.patternType === 'LITERAL') publicTopics.add(acl.resourceName);
        else if (acl.operation !== 'DESCRIBE') skip(acl, `only reading is granted to every principal (public topics): ${STAYS}`);
        continue;
      }
      for (const op of ops) {
        if (op === 'WRITE') for (const n of names) of(acl).writes.add(n);
        else if (op === 'READ') for (const n of names) of(acl).reads.add(n);
        else if (op === 'DESCRIBE') for (const n of names) of(acl).describes.add(n);
        else skip(acl, `meshform plans ${op} on no adopted topic: ${STAYS}`);
      }
      continue;
    }
    const claim = acl.patternType === 'PREFIXED' ? `${acl.resourceName}*` : acl.resourceName;
    const [use, kind] = acl.resourceType === 'GROUP' ? (['READ', 'groups'] as const) : (['WRITE', 'transactionalIds'] as const);
    if (acl.principal === ANYONE) { skip(acl, `a ${acl.resourceType.toLowerCase()} of every principal is no product's: ${STAYS}`); continue; }
    if (ops.includes(use)) of(acl)[kind].add(claim);
    else if (!(acl.operation === 'DESCRIBE' && acl.resourceType === 'TRANSACTIONAL_ID')) skip(acl, `meshform plans ${use} on adopted ${kind === 'groups' ? 'groups' : 'transactional ids'}: ${STAYS}`);
  }
  for (const [principal, a] of access) {
    for (const t of a.describes) {
      if (!a.reads.has(t) && !a.writes.has(t)) unmapped.push({ what: `ALLOW ${principal} DESCRIBE TOPIC:${t}`, why: 'DESCRIBE alone (neither READ nor WRITE) is not planned: kafka plan lists it as not declared, and an apply with --allow-delete removes it', location: a.location });
    }
  }

  // Topics the ACLs name but the files do not define cannot be declared (their size is unknown).
  const undefinedTopics = new Set<string>();
  for (const [, a] of access) for (const t of [...a.writes, ...a.reads]) if (!topics.has(t)) undefinedTopics.add(t);
  for (const t of [...undefinedTopics].sort(compareText)) {
    unmapped.push({ what: `topic ${t}`, why: `its ACLs name it but the ${estate.tool === 'cluster' ? 'cluster does not have it' : 'files do not define it (no partitions, replicas or configs)'}: not declared, and its ACLs stay as they are` });
  }

  // 2. Products of principals.
  const existingOf = new Map<string, string>();
  for (const p of existing.products) for (const principal of p.principals) existingOf.set(principal, p.id);
  const withDomain = (segment: string) => `${map.domain}.${segment}`;
  const derived = (name: string) => {
    const id = name.includes('.') ? name.split('.').map(idSegment).join('.') : withDomain(idSegment(name));
    return map.products.get(id) ?? id;
  };
  const fixed = new Set<string>();
  const productOf = new Map<string, string>();
  const principals = [...access.keys()].filter((p) => p !== ANYONE).sort(compareText);
  /** Principals of the stack's default template of a convention product (`User:<id>`): that product's, not adopted. */
  const templateOf = new Map<string, string>();
  /** The convention product whose topic a principal writes (the first by id): the topic's name says whose it is. */
  const conventionWritten = (principal: string) =>
    [...access.get(principal)!.writes].flatMap((t) => {
      const id = idInName(t);
      return id !== undefined && visibilityUnder(t, id) !== undefined ? [id] : [];
    }).sort(compareText)[0];
  for (const principal of principals) {
    const forced = map.products.get(principal) ?? existingOf.get(principal);
    const template = [...conventionIds].find((id) => principal === `User:${id}`);
    const writes = conventionWritten(principal);
    if (forced) {
      productOf.set(principal, forced);
      fixed.add(principal);
    } else if (template) {
      productOf.set(principal, template);
      templateOf.set(principal, template);
      fixed.add(principal);
    } else if (writes !== undefined) {
      // A writer of a convention topic is that product's (an adopted principal): elsewhere its WRITE
      // would be declared by no spec, and an apply with --allow-delete would take it away.
      productOf.set(principal, writes);
      fixed.add(principal);
    } else {
      const hint = estate.principalHints.get(principal);
      productOf.set(principal, hint !== undefined ? derived(hint) : withDomain(idSegment(principal.slice(principal.indexOf(':') + 1))));
    }
  }
  // Principals writing one topic join one product (unless two fixed products meet: then the first keeps it).
  const writersOf = (t: string) => principals.filter((p) => access.get(p)!.writes.has(t));
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of [...topics.keys()].sort(compareText)) {
      const writers = writersOf(t);
      const ids = [...new Set(writers.map((p) => productOf.get(p)!))];
      if (ids.length < 2) continue;
      const fixedIds = [...new Set(writers.filter((p) => fixed.has(p)).map((p) => productOf.get(p)!))];
      if (fixedIds.length > 1) continue;
      const target = fixedIds[0] ?? [...ids].sort(compareText)[0];
      for (const p of principals) {
        if (ids.includes(productOf.get(p)!) && productOf.get(p) !== target && !fixed.has(p)) {
          productOf.set(p, target);
          changed = true;
        }
      }
    }
  }

  // 3. Owners of topics.
  const existingOwner = new Map<string, string>();
  for (const p of existing.products) for (const t of p.owned) existingOwner.set(t, p.id);
  const ownerOf = new Map<string, string>();
  const conventionOf = new Map<string, Visibility>();
  for (const [name, t] of [...topics].sort(([a], [b]) => compareText(a, b))) {
    const id = idInName(name);
    const convention = id !== undefined ? visibilityUnder(name, id) : undefined;
    const writers = [...new Set(writersOf(name).map((p) => productOf.get(p)!))];
    let owner: string;
    if (id !== undefined && convention) {
      owner = id;
      conventionOf.set(name, convention);
    } else {
      const problem = adoptedTopicProblem(name);
      if (problem) {
        unmapped.push({ what: `topic ${name}`, why: `cannot be adopted: ${problem}; it and its ACLs stay as they are`, location: t.location });
        continue;
      }
      const hint = estate.topicHints.get(name);
      owner = map.topics.get(name) ?? existingOwner.get(name) ?? writers[0] ?? (hint !== undefined ? derived(hint) : withDomain('unowned'));
    }
    ownerOf.set(name, owner);
    for (const other of writers.filter((w) => w !== owner)) {
      unmapped.push({
        what: `${principals.filter((p) => productOf.get(p) === other && access.get(p)!.writes.has(name)).join(', ')} (${other}) writes ${name}`,
        why: `${name} belongs to ${owner}, and a topic has one writing product: this WRITE is not declared, so kafka plan lists it and an apply with --allow-delete removes it; put the principal in ${owner} (owner map: products) to keep it`,
        location: t.location,
      });
    }
  }

  // 4. Products.
  const products = new Map<string, DraftProduct>();
  const product = (id: string): DraftProduct => {
    let p = products.get(id);
    if (!p) {
      const file = existing.products.find((e) => e.id === id)?.file;
      products.set(id, (p = { id, title: id, ...(file && { existingFile: file }), principals: [], topics: [], consumes: [], groups: [], transactionalIds: [] }));
    }
    return p;
  };
  const members = (id: string) => principals.filter((p) => productOf.get(p) === id);
  // A product's title is the tool's name for it (a JulieOps project, a kafka-gitops service), or its id when several joined.
  const titles = new Map<string, string>();
  const title = (id: string | undefined, hint: string) => {
    if (id !== undefined) titles.set(id, titles.has(id) && titles.get(id) !== hint ? id : hint);
  };
  for (const [principal, hint] of estate.principalHints) title(productOf.get(principal), hint);
  for (const [topic, hint] of estate.topicHints) if (!titles.has(ownerOf.get(topic) ?? '')) title(ownerOf.get(topic), hint);

  for (const [name, owner] of ownerOf) {
    const t = topics.get(name)!;
    const own = members(owner);
    const readers = principals.filter((p) => access.get(p)!.reads.has(name) && productOf.get(p) !== owner);
    const grants = [...new Set(readers.map((p) => productOf.get(p)!))].sort(compareText);
    const convention = conventionOf.get(name);
    const visibility = convention ?? map.visibility.get(name) ?? (publicTopics.has(name) ? 'public' : grants.length ? 'protected' : 'private');
    if (visibility === 'private' && grants.length) {
      unmapped.push({ what: `readers of ${name}: ${readers.join(', ')}`, why: `the owner map makes ${name} private: their READ is not declared (kafka plan lists it; --allow-delete removes it)`, location: t.location });
    }
    if (publicTopics.has(name) && visibility !== 'public') {
      unmapped.push({ what: `ALLOW User:* READ TOPIC:LITERAL:${name}`, why: `the owner map makes ${name} ${visibility}: reading by everyone is not declared (kafka plan lists it; --allow-delete removes it)`, location: t.location });
    }
    product(owner).topics.push({
      name,
      ...(convention && { convention }),
      visibility,
      sends: own.some((p) => access.get(p)!.writes.has(name)),
      receives: own.some((p) => access.get(p)!.reads.has(name)),
      ...sizes(t),
      grants: visibility === 'protected' ? grants : [],
    });
    for (const reader of grants) if (visibility !== 'private') product(reader).consumes.push(name);
  }
  for (const principal of principals) product(productOf.get(principal)!);

  // Groups and transactional ids: a claim used by two products (or reaching a convention namespace) is adopted by none.
  const claimUsers = (kind: 'groups' | 'transactionalIds') => {
    const users = new Map<string, Set<string>>();
    for (const p of principals) for (const c of access.get(p)![kind]) users.set(c, new Set([...(users.get(c) ?? []), productOf.get(p)!]));
    return users;
  };
  for (const kind of ['groups', 'transactionalIds'] as const) {
    for (const [claim, users] of claimUsers(kind)) {
      if (users.size > 1) {
        unmapped.push({ what: `${kind === 'groups' ? 'group' : 'transactional id'} ${claim}`, why: `used by ${[...users].sort(compareText).join(' and ')}: one name has one owner, so none adopts it and its ACLs stay as they are` });
        continue;
      }
      product([...users][0])[kind].push(claim);
    }
  }
  const ids = [...new Set([...products.keys(), ...existing.products.map((p) => p.id)])];
  const claims = new Map<string, NameClaims>([...products.values()].map((p) => [p.id, { groups: p.groups, transactionalIds: p.transactionalIds }]));
  for (const c of claimConflicts(ids, claims)) {
    const p = products.get(c.owner)!;
    p[c.kind === 'group' ? 'groups' : 'transactionalIds'] = p[c.kind === 'group' ? 'groups' : 'transactionalIds'].filter((x) => x !== c.claim);
    unmapped.push({ what: `${c.kind} ${c.claim} of ${c.owner}`, why: `it meets ${c.other}'s ${c.otherClaim}: not adopted (its ACLs stay as they are); name the product otherwise in the owner map to adopt it` });
  }

  // Principals, with limits where one does less than its product.
  for (const p of products.values()) {
    const sends = p.topics.filter((t) => t.sends).map((t) => t.name);
    const receives = [...p.topics.filter((t) => t.receives).map((t) => t.name), ...p.consumes];
    for (const principal of members(p.id)) {
      if (templateOf.has(principal)) continue;
      const a = access.get(principal)!;
      const limits = {
        sends: sends.filter((t) => a.writes.has(t)),
        receives: receives.filter((t) => a.reads.has(t)),
        groups: p.groups.filter((c) => a.groups.has(c)),
        transactionalIds: p.transactionalIds.filter((c) => a.transactionalIds.has(c)),
      };
      const all = limits.sends.length === sends.length && limits.receives.length === receives.length && limits.groups.length === p.groups.length && limits.transactionalIds.length === p.transactionalIds.length;
      p.principals.push(all ? { principal } : { principal, limits });
    }
    p.consumes = [...new Set(p.consumes)].sort(compareText);
    p.title = titles.get(p.id) ?? p.id;
    if (members(p.id).some((x) => templateOf.has(x)) && p.principals.length > 0) {
      unmapped.push({ what: `${p.id}'s principals`, why: `${productPrincipal(p.id, { kafka: { principalTemplate: 'User:{domain}' } } as never)} and adopted ones together: a product's adopted principals replace the template's; list it under the product's principals to keep it` });
    }
  }
  return { products: [...products.values()].sort((a, b) => compareText(a.id, b.id)), unmapped };
}

function sizes(t: EstateTopic): Pick<DraftTopic, 'partitions' | 'replicas' | 'config' | 'schemas' | 'compatibility'> {
  return { ...(t.partitions && { partitions: t.partitions }), ...(t.replicas && { replicas: t.replicas }), config: t.config, ...(t.schemas && { schemas: t.schemas }), ...(t.compatibility && { compatibility: t.compatibility }) };
}
