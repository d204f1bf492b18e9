/**
 * The mesh then vs the mesh now: every change to a topic's contract, breaking or not. Pure.
 *
 * Breaking (a consumer stops working):
 * - a topic removed (or renamed) that a product in the mesh now still receives from;
 * - visibility narrowed (which renames the topic), or a grant removed, while a product that receives
 *   from the topic loses access; any receive without access;
 * - partitions decreased, the cleanup policy changed, a payload or key field removed or retyped,
 *   the schema's format changed, or a schema removed, on a topic others may read (not `_private`,
 *   or consumed);
 * - any schema change incompatible under the topic's compatibility level (what the registry
 *   would refuse), on any topic.
 * Everything else that changed is listed as compatible.
 */
import { compareText } from '../compare';
import type { SourceLocation } from '../vocabulary/diagnostics';
import type { Mesh, Product, Topic } from '../vocabulary/mesh';
import { FORMATS, compatibilityProblems, type Compatibility } from '../schemas';
import type { SchemaFact } from '../vocabulary/mesh';

export interface Finding {
  code: string;
  breaking: boolean;
  message: string;
  topic?: string;
  product?: string;
  location?: SourceLocation;
}

export interface CompareOptions {
  /** Level of topics whose channel sets none (the stack's schemaCompatibility; default BACKWARD). */
  defaultCompatibility: Compatibility;
  /** How an old file is named in messages (`main:specs/x.yaml`). */
  describeOld?: (location: SourceLocation) => string;
  /** Products known only from a mesh index (their specs live in other repositories): named so in messages. */
  outside?: ReadonlySet<string>;
}

interface Indexed {
  products: Map<string, Product>;
  topics: Map<string, Topic>;
  /** Topic -> products that receive from it. */
  consumers: Map<string, string[]>;
  /** `consumer\0topic` -> where the receive is written. */
  receives: Map<string, SourceLocation>;
  /** Topic -> products whose specs send to it (another product's input topic). */
  writers: Map<string, string[]>;
}

function index(mesh: Mesh): Indexed {
  const products = new Map(mesh.products.map((p) => [p.id, p]));
  const topics = new Map(mesh.products.flatMap((p) => p.topics.map((t) => [t.name, t] as const)));
  const consumers = new Map<string, string[]>();
  const receives = new Map<string, SourceLocation>();
  for (const p of mesh.products) {
    for (const c of p.consumes) {
      if (c.consumer === topics.get(c.topic)?.owner) continue;
      consumers.set(c.topic, [...new Set([...(consumers.get(c.topic) ?? []), c.consumer])].sort(compareText));
      receives.set(`${c.consumer}\0${c.topic}`, c.location);
    }
  }
  const writers = new Map<string, string[]>();
  for (const p of mesh.products) for (const w of p.produces ?? []) writers.set(w.topic, [...(writers.get(w.topic) ?? []), w.producer]);
  return { products, topics, consumers, receives, writers };
}

export function compareMeshes(before: Mesh, after: Mesh, options: CompareOptions): Finding[] {
  const then = index(before);
  const now = index(after);
  const old = options.describeOld ?? ((l: SourceLocation) => `${l.file}:${l.line}`);
  const names = (ids: readonly string[]) => ids.map((id) => (options.outside?.has(id) ? `${id} (from the mesh index)` : id)).join(', ');
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);

  const added = [...now.topics.values()].filter((t) => !then.topics.has(t.name));
  const renamedTo = new Map<string, Topic>();
  for (const t of then.topics.values()) {
    if (now.topics.has(t.name)) continue;
    const target = added.find((a) => a.owner === t.owner && !renamedTo.has(a.name) && sameContent(t, a));
    if (target) renamedTo.set(t.name, target);
  }

  /** `consumer\0topic` pairs already reported as losing access. */
  const accessReported = new Set<string>();
  for (const t of [...then.topics.values()].sort((a, b) => compareText(a.name, b.name))) {
    const next = now.topics.get(t.name);
    if (!next) {
      const consumers = now.consumers.get(t.name) ?? [];
      const renamed = renamedTo.get(t.name);
      const what = renamed ? `renamed to ${renamed.name}` : 'removed';
      const location = renamed?.location ?? now.products.get(t.owner)?.location ?? (consumers[0] ? now.receives.get(`${consumers[0]}\0${t.name}`) : undefined);
      if (consumers.length > 0) {
        add({ code: renamed ? 'MF-BREAK-TOPIC-RENAMED' : 'MF-BREAK-TOPIC-REMOVED', breaking: true, topic: t.name, product: t.owner, location, message: `topic ${t.name} (declared at ${old(t.location)}) ${what} while ${names(consumers)} still receive${consumers.length === 1 ? 's' : ''} from it` });
      } else if (renamed && NARROWER[renamed.visibility] > NARROWER[t.visibility]) {
        // The visibility is part of the name: narrowing it renames the topic.
        const moved = (now.consumers.get(renamed.name) ?? []).filter((c) => !canRead(renamed, c));
        for (const c of moved) accessReported.add(`${c}\0${renamed.name}`);
        add({
          code: moved.length ? 'MF-BREAK-VISIBILITY' : 'MF-CHANGE-VISIBILITY',
          breaking: moved.length > 0,
          topic: t.name,
          product: t.owner,
          location,
          message: `topic ${t.name} narrowed from ${t.visibility} to ${renamed.visibility} (now ${renamed.name})${moved.length ? ` while ${names(moved)} receive${moved.length === 1 ? 's' : ''} from it without access` : '; no consumer in the mesh loses access'}`,
        });
      } else {
        const outside = t.visibility === 'public' && !renamed ? '; it was public: readers outside the mesh may exist' : '';
        add({ code: renamed ? 'MF-CHANGE-TOPIC-RENAMED' : 'MF-CHANGE-TOPIC-REMOVED', breaking: false, topic: t.name, product: t.owner, location, message: `topic ${t.name} (declared at ${old(t.location)}) ${what}; no product in the mesh receives from it under the old name${outside}` });
      }
      continue;
    }
    compareTopic(t, next, now, options, add, accessReported, names);
  }
  // Whatever else leaves a consumer without access (a new receive on a topic it may not read).
  for (const [topic, consumers] of now.consumers) {
    const t = now.topics.get(topic);
    if (!t) continue;
    for (const c of consumers) {
      if (canRead(t, c) || accessReported.has(`${c}\0${topic}`)) continue;
      // Between two products of other repositories: theirs to settle, not this repository's change.
      if (options.outside?.has(c) && options.outside.has(t.owner)) continue;
      add({ code: 'MF-BREAK-ACCESS', breaking: true, topic, product: c, location: now.receives.get(`${c}\0${topic}`), message: `${names([c])} receives from ${topic} (${t.visibility}) without access: ${t.visibility === 'protected' ? `${t.owner} must grant it` : 'private topics are owner-only'}` });
    }
  }
  for (const t of added) {
    const from = [...renamedTo].find(([, target]) => target.name === t.name)?.[0];
    if (from) continue;
    add({ code: 'MF-CHANGE-TOPIC-ADDED', breaking: false, topic: t.name, product: t.owner, location: t.location, message: `topic ${t.name} added (${t.visibility})` });
  }
  for (const p of after.products) {
    if (!then.products.has(p.id)) add({ code: 'MF-CHANGE-PRODUCT-ADDED', breaking: false, product: p.id, location: p.location, message: `product ${p.id} added` });
  }
  for (const p of before.products) {
    if (!now.products.has(p.id)) add({ code: 'MF-CHANGE-PRODUCT-REMOVED', breaking: false, product: p.id, message: `product ${p.id} (${old(p.location)}) removed` });
  }
  return findings.sort((a, b) => Number(b.breaking) - Number(a.breaking) || compareText(a.topic ?? a.product ?? '', b.topic ?? b.product ?? '') || compareText(a.code, b.code));
}

/** A removed and an added topic of one owner with the same schemas (or the same name after the visibility segment) are a rename. */
function sameContent(a: Topic, b: Topic): boolean {
  const tail = (t: Topic) => t.name.slice(t.owner.length + 1).split('.').slice(1).join('.');
  const value = (t: Topic) => t.schemas?.value?.canonical;
  return tail(a) === tail(b) || (value(a) !== undefined && value(a) === value(b));
}

const NARROWER: Record<Topic['visibility'], number> = { public: 0, protected: 1, private: 2 };

function canRead(t: Topic, consumer: string): boolean {
  return t.visibility === 'public' || (t.visibility === 'protected' && t.grants.some((g) => g.grantee === consumer));
}

/** A topic under the same name (so the same visibility: it is part of the name). */
function compareTopic(t: Topic, next: Topic, now: Indexed, options: CompareOptions, add: (f: Finding) => void, accessReported: Set<string>, names: (ids: readonly string[]) => string): void {
  const base = { topic: t.name, product: t.owner, location: next.location };
  const consumers = now.consumers.get(t.name) ?? [];
  const mayBeRead = next.visibility !== 'private' || t.visibility !== 'private' || consumers.length > 0;
  const readers = mayBeRead ? 'others may read it' : 'only its owner reads it';

  const grantees = new Set(next.grants.map((g) => g.grantee));
  for (const g of t.grants) {
    if (grantees.has(g.grantee) || next.visibility !== 'protected') continue;
    const consumes = consumers.includes(g.grantee);
    if (consumes) accessReported.add(`${g.grantee}\0${t.name}`);
    add({ ...base, code: consumes ? 'MF-BREAK-GRANT-REMOVED' : 'MF-CHANGE-GRANT-REMOVED', breaking: consumes, message: `grant to ${g.grantee} on ${t.name} removed${consumes ? ` while ${names([g.grantee])} receives from it` : ''}` });
  }
  const before = new Set(t.grants.map((g) => g.grantee));
  for (const g of next.grants) {
    if (!before.has(g.grantee)) add({ ...base, location: g.location, code: 'MF-CHANGE-GRANT-ADDED', breaking: false, message: `grant to ${g.grantee} on ${t.name} added` });
  }
  // Write grants (input topics): removing one stops a writer whose spec still sends to the topic.
  const writers = new Set((next.writeGrants ?? []).map((g) => g.grantee));
  const sending = now.writers.get(t.name) ?? [];
  for (const g of t.writeGrants ?? []) {
    if (writers.has(g.grantee)) continue;
    const sends = sending.includes(g.grantee);
    add({
      ...base,
      code: sends ? 'MF-BREAK-WRITE-GRANT-REMOVED' : 'MF-CHANGE-WRITE-GRANT-REMOVED',
      breaking: sends,
      message: `write grant to ${g.grantee} on ${t.name} removed${sends ? ` while ${g.grantee} sends to it: its producer loses write access` : '; no spec in the mesh sends to it (a writer outside the mesh would lose access)'}`,
    });
  }
  const wrote = new Set((t.writeGrants ?? []).map((g) => g.grantee));
  for (const g of next.writeGrants ?? []) {
    if (!wrote.has(g.grantee)) add({ ...base, location: g.location, code: 'MF-CHANGE-WRITE-GRANT-ADDED', breaking: false, message: `write grant to ${g.grantee} on ${t.name} added` });
  }

  if (t.partitions !== next.partitions) {
    const decreased = t.partitions !== undefined && next.partitions !== undefined && next.partitions < t.partitions;
    const show = (n: number | undefined) => (n === undefined ? "the stack's default" : String(n));
    add({
      ...base,
      code: decreased ? 'MF-BREAK-PARTITIONS' : 'MF-CHANGE-PARTITIONS',
      breaking: decreased,
      message: `partitions of ${t.name} ${show(t.partitions)} -> ${show(next.partitions)}${decreased ? ': Kafka cannot remove partitions, and keyed consumers lose their ordering' : ''}`,
    });
  }
  if (t.replicas !== next.replicas) add({ ...base, code: 'MF-CHANGE-REPLICAS', breaking: false, message: `replicas of ${t.name} ${t.replicas ?? 'default'} -> ${next.replicas ?? 'default'}` });

  const policy = (topic: Topic) => (topic.config['cleanup.policy'] ?? 'delete').split(',').map((s) => s.trim()).sort().join(',');
  if (policy(t) !== policy(next)) {
    add({ ...base, code: mayBeRead ? 'MF-BREAK-CLEANUP-POLICY' : 'MF-CHANGE-CLEANUP-POLICY', breaking: mayBeRead, message: `cleanup.policy of ${t.name} ${policy(t)} -> ${policy(next)} (${readers})` });
  }
  const keys = [...new Set([...Object.keys(t.config), ...Object.keys(next.config)])].filter((k) => k !== 'cleanup.policy').sort();
  const changedConfig = keys.filter((k) => t.config[k] !== next.config[k]).map((k) => `${k} ${t.config[k] ?? 'unset'} -> ${next.config[k] ?? 'unset'}`);
  if (changedConfig.length) add({ ...base, code: 'MF-CHANGE-CONFIG', breaking: false, message: `${t.name}: ${changedConfig.join(', ')}` });

  const level = next.schemas?.compatibility ?? options.defaultCompatibility;
  const previousLevel = t.schemas?.compatibility ?? options.defaultCompatibility;
  if (level !== previousLevel) add({ ...base, code: 'MF-CHANGE-COMPATIBILITY', breaking: false, message: `compatibility of ${t.name} ${previousLevel} -> ${level}` });
  for (const role of ['value', 'key'] as const) {
    compareSchema(t.name, role, t.schemas?.[role], next.schemas?.[role], level, mayBeRead, { ...base, location: next.schemas?.[role]?.location ?? next.location }, add);
  }
}

function compareSchema(
  topic: string,
  role: 'value' | 'key',
  was: SchemaFact | undefined,
  is: SchemaFact | undefined,
  level: Compatibility,
  mayBeRead: boolean,
  base: Omit<Finding, 'code' | 'breaking' | 'message'>,
  add: (f: Finding) => void,
): void {
  const subject = `${topic}-${role}`;
  if (!was && !is) return;
  if (!was) {
    add({ ...base, code: 'MF-CHANGE-SCHEMA-ADDED', breaking: false, message: `${role} schema of ${topic} added (${is!.type}, subject ${subject})` });
    return;
  }
  if (!is) {
    add({ ...base, code: mayBeRead ? 'MF-BREAK-SCHEMA-REMOVED' : 'MF-CHANGE-SCHEMA-REMOVED', breaking: mayBeRead, message: `${role} schema of ${topic} no longer declared (was ${was.type})` });
    return;
  }
  if (was.type === is.type && was.canonical === is.canonical) return;
  if (was.type !== is.type) {
    add({ ...base, code: 'MF-BREAK-SCHEMA-FORMAT', breaking: true, message: `${role} schema of ${topic} changed format ${was.type} -> ${is.type}: every consumer's deserializer breaks` });
    return;
  }
  const support = FORMATS[is.type];
  const before = support.fields(was.schema);
  const after = support.fields(is.schema);
  const removed = [...before.keys()].filter((f) => !after.has(f) && ![...before.keys()].some((p) => f.startsWith(`${p}.`) && !after.has(p)));
  const retyped = [...before.keys()].filter((f) => after.has(f) && after.get(f) !== before.get(f));
  const addedFields = [...after.keys()].filter((f) => !before.has(f));
  for (const f of removed) {
    add({ ...base, code: mayBeRead ? 'MF-BREAK-FIELD-REMOVED' : 'MF-CHANGE-FIELD-REMOVED', breaking: mayBeRead, message: `${role} field ${f} of ${topic} removed (was ${before.get(f)})` });
  }
  for (const f of retyped) {
    add({ ...base, code: mayBeRead ? 'MF-BREAK-FIELD-TYPE' : 'MF-CHANGE-FIELD-TYPE', breaking: mayBeRead, message: `${role} field ${f} of ${topic} retyped ${before.get(f)} -> ${after.get(f)}` });
  }
  const problems = level === 'NONE' ? [] : compatibilityProblems(is.type, level, was.schema, is.schema);
  if (problems.length > 0) {
    add({ ...base, code: 'MF-BREAK-SCHEMA-INCOMPATIBLE', breaking: true, message: `${role} schema of ${topic} is incompatible under ${level} (the registry would refuse subject ${subject}): ${problems.join('; ')}` });
  } else if (removed.length === 0 && retyped.length === 0) {
    const what = addedFields.length ? `fields added: ${addedFields.join(', ')}` : 'no field added or removed';
    add({ ...base, code: 'MF-CHANGE-SCHEMA', breaking: false, message: `${role} schema of ${topic} changed, compatible under ${level} (${what})` });
  }
}
