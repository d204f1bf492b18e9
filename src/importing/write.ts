/**
 * A draft -> files: one AsyncAPI 3.0 spec per new product (`<id>.yaml`), additions to the specs a
 * folder already holds (their adopted names, channels and operations, with yaml's document model
 * so comments and order stay), and `meshform.yaml` owners for every product no owners entry covers
 * (the owner map's, else a placeholder that validates and must be replaced). Pure: returns texts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, parseDocument, stringify, type Document } from 'yaml';
import { compareText } from '../compare';
import { unscaledPartitions, unscaledReplicas } from '../plan/kafka';
import { TOPIC_CONFIG } from '../reading/kafka-topic-config';
import { urnOf } from '../reading/urn';
import type { Draft, DraftPrincipal, DraftProduct, DraftTopic } from './draft';
import type { Unmapped } from './estate';
import type { ExistingMesh } from './existing';
import type { OwnerMap } from './owner-map';

/** A clearly fake owner that still validates; `meshform validate` passes, a human must replace it. */
export const PLACEHOLDER_OWNER = 'user:replace-me@example.com';
export const MESH_FILE = 'meshform.yaml';

export interface ImportFile {
  /** Absolute path. */
  file: string;
  text: string;
  /** New file, or an addition to one the folder holds. */
  created: boolean;
  /** The products it holds (none for meshform.yaml). */
  products: string[];
}

export interface Rendered {
  files: ImportFile[];
  /** Schema files copied beside the specs: source -> destination (absolute). */
  copies: Array<{ from: string; to: string }>;
  unmapped: Unmapped[];
}

const SCHEMA_FORMATS = { AVRO: 'application/vnd.apache.avro;version=1.9.0', JSON: 'application/schema+json;version=draft-07', PROTOBUF: 'application/vnd.google.protobuf;version=3' } as const;

/**
 * A stack whose sizing the written sizes undo, so the spec plans the estate's own sizes on it
 * (partitions divided by its partitionFactor, replicas its replicasCap made left to defaultReplicas).
 */
export interface ImportSizing {
  stack: string;
  partitionFactor: number;
  replicasCap?: number;
  defaultReplicas: number;
}

export function renderDraft(draft: Draft, options: { out: string; tool: string; sources: readonly string[]; map: OwnerMap; existing: ExistingMesh; sizing?: ImportSizing }): Rendered {
  const out = path.resolve(options.out);
  const files: ImportFile[] = [];
  const copies: Rendered['copies'] = [];
  const unmapped: Unmapped[] = [];
  const ownerOfTopic = new Map<string, string>();
  for (const p of draft.products) for (const t of p.topics) ownerOfTopic.set(t.name, p.id);

  for (const product of draft.products) {
    const parts = specParts(product, out, copies, unmapped, options.sizing);
    if (product.existingFile) {
      const text = fs.readFileSync(product.existingFile, 'utf8');
      const merged = mergeInto(text, parts);
      if (merged !== text) files.push({ file: product.existingFile, text: merged, created: false, products: [product.id] });
      continue;
    }
    const document = {
      asyncapi: '3.0.0',
      id: urnOf(product.id),
      info: {
        title: product.title,
        version: '0.1.0',
        description: `Imported by meshform import ${options.tool} from ${options.sources.join(', ')}. Review the owners (meshform.yaml), visibilities and grants.`,
      },
      ...(Object.keys(parts.adopt).length && { 'x-meshform': { adopt: parts.adopt } }),
      channels: parts.channels,
      operations: parts.operations,
    };
    files.push({ file: path.join(out, `${product.id}.yaml`), text: stringify(document, { lineWidth: 0 }), created: true, products: [product.id] });
  }

  const meshFile = files.length || draft.products.length ? renderMeshFile(draft, out, options.map, options.existing) : undefined;
  if (meshFile) files.push(meshFile);
  return { files, copies, unmapped };
}

interface SpecParts {
  adopt: Record<string, unknown>;
  channels: Record<string, Record<string, unknown>>;
  operations: Record<string, Record<string, unknown>>;
}

function specParts(product: DraftProduct, out: string, copies: Rendered['copies'], unmapped: Unmapped[], sizing?: ImportSizing): SpecParts {
  const channels: SpecParts['channels'] = {};
  const operations: SpecParts['operations'] = {};
  const used = new Set<string>();
  const channelId = (name: string) => {
    const base = name.replace(/[^A-Za-z0-9_-]/g, '_');
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    return id;
  };
  const adoptedTopics: Record<string, string> = {};
  for (const t of product.topics) {
    const id = channelId(t.convention ? t.name.slice(product.id.length + 1) : t.name);
    if (!t.convention) adoptedTopics[t.name] = t.visibility;
    channels[id] = {
      address: t.convention ? t.name.slice(product.id.length + 1) : t.name,
      ...(t.grants.length && { tags: t.grants.map((g) => ({ name: `grant-access:${urnOf(g)}` })) }),
      ...messagesOf(t, out, copies),
      ...(t.compatibility && { 'x-meshform': { compatibility: t.compatibility } }),
      bindings: { kafka: { ...sizes(t, unmapped, sizing), ...topicConfiguration(t, unmapped), bindingVersion: '0.5.0' } },
    };
    if (t.sends) operations[`send_${id}`] = { action: 'send', channel: { $ref: `#/channels/${id}` } };
    if (t.receives) operations[`receive_${id}`] = { action: 'receive', channel: { $ref: `#/channels/${id}` } };
  }
  for (const name of product.consumes) {
    const id = channelId(name);
    channels[id] = { address: name };
    operations[`receive_${id}`] = { action: 'receive', channel: { $ref: `#/channels/${id}` } };
  }
  const adopt: Record<string, unknown> = {};
  if (Object.keys(adoptedTopics).length) adopt.topics = adoptedTopics;
  if (product.principals.length) adopt.principals = product.principals.map(principalEntry);
  if (product.groups.length) adopt.groups = [...product.groups].sort(compareText);
  if (product.transactionalIds.length) adopt.transactionalIds = [...product.transactionalIds].sort(compareText);
  return { adopt, channels, operations };
}

/** The spec's partitions and replicas: the estate's, or what the stack turns into them. */
function sizes(t: DraftTopic, unmapped: Unmapped[], sizing?: ImportSizing): { partitions?: number; replicas?: number } {
  if (t.partitions === undefined) {
    unmapped.push({ what: `topic ${t.name}: partitions`, why: "the files do not say: the stack's defaultPartitions apply, and kafka plan shows the difference from the cluster; write the cluster's count in the spec" });
  }
  let partitions = t.partitions;
  let replicas = t.replicas;
  if (sizing && partitions !== undefined) {
    const unscaled = unscaledPartitions(partitions, sizing.partitionFactor);
    if (unscaled === undefined) unmapped.push({ what: `topic ${t.name}: ${partitions} partitions`, why: `no partitions value plans ${partitions} under stack '${sizing.stack}' (partitionFactor ${sizing.partitionFactor}): wrote ${partitions}` });
    else partitions = unscaled;
  }
  if (sizing && replicas !== undefined) replicas = unscaledReplicas(replicas, sizing);
  return { ...(partitions && { partitions }), ...(replicas && { replicas }) };
}

function principalEntry(p: DraftPrincipal): unknown {
  if (!p.limits) return p.principal;
  const { sends, receives, groups, transactionalIds } = p.limits;
  return { principal: p.principal, sends, receives, ...(groups.length && { groups }), ...(transactionalIds.length && { transactionalIds }) };
}

/** Config strings as the spec writes them (numbers, booleans, lists); keys Kafka does not know are listed, not written. */
function topicConfiguration(t: DraftTopic, unmapped: Unmapped[]): { topicConfiguration?: Record<string, unknown> } {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(t.config).sort(([a], [b]) => compareText(a, b))) {
    const type = TOPIC_CONFIG[key];
    if (!type) {
      unmapped.push({ what: `topic ${t.name}: config ${key}=${value}`, why: 'not a topic config Kafka knows; not written' });
      continue;
    }
    if (type.kind === 'int' || type.kind === 'long' || type.kind === 'double') config[key] = Number.isFinite(Number(value)) ? Number(value) : value;
    else if (type.kind === 'boolean') config[key] = value === 'true';
    else if (type.kind === 'list') config[key] = value.split(',').map((v) => v.trim()).filter(Boolean);
    else config[key] = value;
  }
  return Object.keys(config).length ? { topicConfiguration: config } : {};
}

/** A message with the topic's schema files, copied under `schemas/` beside the specs. */
function messagesOf(t: DraftTopic, out: string, copies: Rendered['copies']): { messages?: Record<string, unknown> } {
  const value = t.schemas?.value;
  if (!value) return {};
  const copy = (file: string, role: string) => {
    const to = path.join(out, 'schemas', `${t.name}-${role}${path.extname(file)}`);
    copies.push({ from: file, to });
    return { $ref: `./schemas/${path.basename(to)}` };
  };
  const key = t.schemas?.key;
  const message: Record<string, unknown> = {
    payload: { schemaFormat: SCHEMA_FORMATS[value.format], schema: copy(value.file, 'value') },
    ...(key && { bindings: { kafka: { key: { schemaFormat: SCHEMA_FORMATS[key.format], schema: copy(key.file, 'key') } } } }),
  };
  return { messages: { [t.name.replace(/[^A-Za-z0-9_-]/g, '_')]: message } };
}

/** Adds a product's adopted names, channels (by address) and operations to its spec's text, keeping what is there. */
function mergeInto(text: string, parts: SpecParts): string {
  const doc = parseDocument(text);
  const addresses = new Set<string>();
  const channels = doc.get('channels');
  if (isMap(channels)) for (const item of channels.items) {
    const address = isMap(item.value) ? item.value.get('address') : undefined;
    if (typeof address === 'string') addresses.add(address);
  }
  let changed = false;
  for (const [id, channel] of Object.entries(parts.channels)) {
    if (addresses.has(channel.address as string)) continue;
    let free = id;
    for (let i = 2; doc.hasIn(['channels', free]); i++) free = `${id}_${i}`;
    doc.setIn(['channels', free], doc.createNode(channel));
    for (const [opId, op] of Object.entries(parts.operations)) {
      if ((op.channel as { $ref: string }).$ref !== `#/channels/${id}`) continue;
      let freeOp = opId.replace(id, free);
      for (let i = 2; doc.hasIn(['operations', freeOp]); i++) freeOp = `${opId}_${i}`;
      doc.setIn(['operations', freeOp], doc.createNode({ ...op, channel: { $ref: `#/channels/${free}` } }));
    }
    changed = true;
  }
  for (const [key, value] of Object.entries(parts.adopt)) changed = addAdopted(doc, key, value) || changed;
  return changed ? doc.toString({ lineWidth: 0 }) : text;
}

function addAdopted(doc: Document, key: string, value: unknown): boolean {
  const at = ['x-meshform', 'adopt', key];
  if (!doc.hasIn(at)) {
    doc.setIn(at, doc.createNode(value));
    return true;
  }
  const node = doc.getIn(at);
  let changed = false;
  if (key === 'topics' && isMap(node)) {
    for (const [name, visibility] of Object.entries(value as Record<string, string>)) {
      if (node.has(name)) continue;
      node.set(name, visibility);
      changed = true;
    }
  } else if (isSeq(node)) {
    const have = new Set(node.items.map((item) => { const v = doc.createNode(item).toJSON() as unknown; return typeof v === 'string' ? v : (v as { principal?: string })?.principal; }));
    for (const entry of value as unknown[]) {
      const name = typeof entry === 'string' ? entry : (entry as { principal: string }).principal;
      if (have.has(name)) continue;
      node.add(doc.createNode(entry));
      changed = true;
    }
  }
  return changed;
}

/** meshform.yaml with an owners entry for each product no entry (or prefix entry) covers. */
function renderMeshFile(draft: Draft, out: string, map: OwnerMap, existing: ExistingMesh): ImportFile | undefined {
  const covered = (id: string, keys: Iterable<string>) => [...keys].some((k) => id === k || id.startsWith(`${k}.`));
  const keys = new Set(existing.ownerKeys);
  const additions: Array<[string, string[]]> = [];
  for (const [prefix, owners] of [...map.owners].sort(([a], [b]) => compareText(a, b))) {
    if (keys.has(prefix)) continue;
    if (!draft.products.some((p) => covered(p.id, [prefix]))) continue;
    additions.push([prefix, owners]);
    keys.add(prefix);
  }
  for (const p of draft.products) {
    if (covered(p.id, keys)) continue;
    const domain = p.id.split('.')[0];
    additions.push([domain, [PLACEHOLDER_OWNER]]);
    keys.add(domain);
  }
  if (additions.length === 0) return undefined;
  const file = existing.meshFile ?? path.join(out, MESH_FILE);
  if (!existing.meshFile) {
    const placeholder = additions.some(([, owners]) => owners.includes(PLACEHOLDER_OWNER));
    const text = `# Written by meshform import: owners of the imported products${placeholder ? ` (replace ${PLACEHOLDER_OWNER})` : ''}.\n${stringify({ owners: Object.fromEntries(additions) }, { lineWidth: 0 })}`;
    return { file, text, created: true, products: [] };
  }
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  for (const [prefix, owners] of additions) doc.setIn(['owners', prefix], doc.createNode(owners));
  return { file, text: doc.toString({ lineWidth: 0 }), created: false, products: [] };
}
