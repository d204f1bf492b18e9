/**
 * Per-file facts from an AsyncAPI document (its channels, operations and messages, `document.ts`): product identity and
 * settings, and per channel its topic, direction, Kafka settings and grants, read in the spec's
 * dialect (AsyncAPI's meaning, or SpecMesh's reading of 2.x documents).
 */
import { type Diagnostic, error, warning } from '../vocabulary/diagnostics';
import type { Dialect, Message } from '../vocabulary/mesh';
import { nearest } from '../suggest';
import { CODES } from '../vocabulary/codes';
import { type SettingFields, type SettingSource, isRecord, readSettingFields, resolveSettings } from './extension';
import type { SpecChannel, SpecDocument, SpecOperation } from './document';
import { groupNames, kafkaBindingSites, readKafkaBinding, unknownBindingKeys } from './kafka-binding';
import { type MeshFile, meshSources } from './mesh-file';
import { readChannelSettings } from './channel-extension';
import { channelNode, readChannelSchemas } from './message-schemas';
import type { ChannelFact, GrantFact, GroupFact, ProductSpec } from './product-spec';
import type { SourceLoader } from './refs';
import { type JsonPath, type SpecSource, locate, valueAt } from './source';
import { type NamedTopic, qualifyAddress, specmeshTopic, topicNameProblem } from '../vocabulary/topic-names';
import { businessDomainOf, domainIdOf, isProductUrn, reservedSegment } from './urn';

const GRANT_PREFIX = 'grant-access:';
/** An input topic's writers: `grant-write:<urn>` lets that product produce to the topic. */
const GRANT_WRITE_PREFIX = 'grant-write:';
/** SpecMesh's grant to every principal (`User:*`). */
export const GRANT_EVERYONE = '_public';
/** A SpecMesh grantee: a domain id (principal `User:<id>`), as its own specs write them (`acme-A`). */
const DOMAIN_ID_GRANTEE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const SPECMESH_HINT = 'set `dialect: specmesh` (meshform.yaml or x-meshform) to read the spec as SpecMesh does';

export interface ExtractResult {
  spec?: ProductSpec;
  diagnostics: Diagnostic[];
  /** The product id, when the spec names a valid one even though it has errors (so other specs' grants to it are not "unknown"). */
  productId?: string;
}

/** Where a spec's `$ref`s into other files are read from: the spec root and the loader of the tree's files. */
export interface RefReader {
  root: string;
  load: SourceLoader;
}

export function extractProduct(source: SpecSource, document: SpecDocument, refs: RefReader, meshFile?: MeshFile): ExtractResult {
  const at = (path: JsonPath, options?: { key?: boolean }) => locate(source, path, options);
  const diagnostics: Diagnostic[] = [];
  const version = document.version;
  const v3 = version.startsWith('3.');

  const urn = document.info.id;
  if (!urn) return { diagnostics: [error(CODES.idMissing, missingIdMessage(document.info.title), at([]))] };
  if (!isProductUrn(urn)) {
    return { diagnostics: [error(CODES.idFormat, `id "${urn}" must be urn: followed by at least two segments of a-z 0-9 - _ separated by : or . (e.g. urn:acme:retail:orders)`, at(['id']))] };
  }
  const reserved = reservedSegment(urn);
  if (reserved) {
    return { diagnostics: [error(CODES.idReserved, `id "${urn}" has the segment "${reserved}": segments starting with "_" are reserved (_public, _protected, _private qualify topics under a product id)`, at(['id']))] };
  }
  const id = domainIdOf(urn);

  const raw: unknown = document.extension('x-meshform');
  let own: SettingFields = {};
  if (raw !== undefined) {
    const read = readSettingFields(raw, ['x-meshform'], at, 'x-meshform', CODES.metaInvalid);
    diagnostics.push(...read.diagnostics);
    own = read.fields;
    if (v3 && own.dialect === 'specmesh') {
      diagnostics.push(error(CODES.metaInvalid, 'the specmesh dialect reads AsyncAPI 2.x documents (SpecMesh\'s format); a 3.0 spec says send/receive itself: remove x-meshform.dialect', at(['x-meshform', 'dialect'])));
    }
  }
  const sources: SettingSource[] = [{ fields: own, from: 'x-meshform' }, ...meshSources(meshFile, id)];
  // A 3.0 spec says send/receive itself: there is nothing for a dialect to read differently.
  const { settings, from, quotasFrom } = resolveSettings(v3 ? [{ fields: { dialect: 'asyncapi' }, from: 'AsyncAPI 3.0' }, ...sources] : sources);
  // A quota from the spec itself is shown with its line, as mesh-file sources are.
  for (const [key, where] of Object.entries(quotasFrom)) {
    if (where !== 'x-meshform') continue;
    const l = at(['x-meshform', 'quotas', key], { key: true });
    quotasFrom[key as keyof typeof quotasFrom] = `${l.file}:${l.line}:${l.col}`;
  }
  const { dialect, owners } = settings;
  // A near miss (`owner:`) is already reported with the key it meant.
  const misspelt = isRecord(raw) && Object.keys(raw).some((k) => k !== 'owners' && nearest(k, ['owners']));
  if (!owners && !(isRecord(raw) && 'owners' in raw) && !misspelt) {
    const where = meshFile ? `, or an owners entry for ${id} (or a prefix of it) to ${meshFile.display}` : ', or put a meshform.yaml with `owners: {<id or id prefix>: [...]}` in the spec folder';
    diagnostics.push(error(CODES.metaMissing, `owners are required: add \`x-meshform: {owners: [user:someone@example.com]}\` at the root${where}`, at(raw === undefined ? [] : ['x-meshform'], { key: true })));
  }

  const sites = kafkaBindingSites(source.value);
  diagnostics.push(...unknownBindingKeys(sites, (path) => locate(source, path, { key: true }), dialect));
  const groups: GroupFact[] = sites
    .filter((s) => s.kind === 'operation' && s.binding.groupId !== undefined)
    .flatMap((s) => groupNames(s.binding.groupId).map((g) => ({ name: g.name, location: at([...s.path, 'groupId', ...g.path]) })));

  const channels: ChannelFact[] = [];
  for (const channel of document.channels) {
    const fact = readChannel(source, channel, id, v3, dialect, refs, diagnostics);
    if (fact) channels.push(fact);
  }
  if (!owners || diagnostics.some((d) => d.severity === 'error')) return { diagnostics, productId: id };

  const info = document.info;
  return {
    diagnostics,
    productId: id,
    spec: {
      idLocation: at(['id']),
      channels,
      groups,
      product: {
        urn,
        id,
        businessDomain: businessDomainOf(id),
        title: info.title ?? '',
        ...(info.description && { description: info.description }),
        version: info.version ?? '',
        asyncapiVersion: version,
        file: source.display,
        ...settings,
        owners,
        settingsFrom: from,
        quotasFrom,
        location: at([]),
      },
    },
  };
}

/** MF-ID-MISSING: the line to add, with a product name made from the title. */
function missingIdMessage(title: string | undefined): string {
  const name = (title ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || '<product>';
  return `id is required: add the line \`id: urn:<org>:<domain>:${name}\` at the root (next to \`asyncapi:\`); the urn names the product and its Kafka prefix`;
}

function operationPath(channel: SpecChannel, op: SpecOperation, v3: boolean): JsonPath {
  return v3 ? ['operations', op.id] : ['channels', channel.id, op.action];
}

/**
 * Whether an operation sends: AsyncAPI's meaning (2.x `subscribe` = the application sends), or
 * SpecMesh's, where a 2.x `publish` is what the product produces.
 */
function sendsIn(dialect: Dialect, v3: boolean, op: SpecOperation): boolean {
  return dialect === 'specmesh' && !v3 ? op.action === 'publish' : op.isSend;
}

function readChannel(
  source: SpecSource,
  channel: SpecChannel,
  domainId: string,
  v3: boolean,
  dialect: Dialect,
  refs: RefReader,
  diagnostics: Diagnostic[],
): ChannelFact | undefined {
  const at = (path: JsonPath, options?: { key?: boolean }) => locate(source, path, options);
  const channelPath = ['channels', channel.id];
  const addressAt = v3 ? at([...channelPath, 'address']) : locate(source, channelPath, { key: true });
  const ops = channel.operations;
  const send = ops.find((op) => sendsIn(dialect, v3, op));
  const receive = ops.find((op) => !sendsIn(dialect, v3, op));

  const bindingPath = [...channelPath, 'bindings', 'kafka'];
  const binding = readKafkaBinding(channel.kafkaBinding, bindingPath, at, dialect);
  diagnostics.push(...binding.diagnostics);
  const { topic: boundTopic, ...settings } = binding.settings;

  const address = channel.address;
  let named: NamedTopic;
  let location = addressAt;
  if (boundTopic !== undefined) {
    named = qualifyAddress(boundTopic, domainId);
    location = at([...bindingPath, 'topic']);
    if (dialect === 'specmesh' && typeof address === 'string') {
      const theirs = specmeshTopic(address, domainId, send !== undefined).topic;
      if (theirs !== named.topic) {
        diagnostics.push(warning(CODES.dialectDiffers, `SpecMesh ignores bindings.kafka.topic and would name this topic ${theirs}; meshform uses ${named.topic}`, location));
      }
    }
  } else if (typeof address !== 'string' || address === '') {
    diagnostics.push(error(CODES.channelAddress, `channel "${channel.id}" has no address: meshform needs the Kafka topic (set the address, or bindings.kafka.topic)`, locate(source, channelPath, { key: true })));
    return undefined;
  } else if (/\{[^}]*\}/.test(address)) {
    diagnostics.push(error(CODES.channelParameters, `channel address "${address}" has parameters, but a Kafka topic is one concrete name: set bindings.kafka.topic to the topic this channel reads or writes`, addressAt));
    return undefined;
  } else {
    named = dialect === 'specmesh' && !v3 ? specmeshTopic(address, domainId, send !== undefined) : qualifyAddress(address, domainId);
  }
  const nameProblem = topicNameProblem(named.topic);
  if (nameProblem) {
    diagnostics.push(error(CODES.topicName, nameProblem, location));
    return undefined;
  }

  // An owned channel that is only received from, in a 2.x spec read as AsyncAPI: SpecMesh's `publish`.
  if (dialect === 'asyncapi' && !v3 && named.relative && !send && receive) {
    diagnostics.push(warning(CODES.dialectHint, `in AsyncAPI 2.x \`publish\` means ${domainId} receives, and nothing in this spec sends to its own topic ${named.topic}; SpecMesh reads \`publish\` as "produces": if this spec follows SpecMesh, ${SPECMESH_HINT}`, at(operationPath(channel, receive, v3))));
  }

  const grants = readGrants(source, channel, ops, v3, dialect, diagnostics);
  // Schemas describe the topic: read where the product writes it or owns it by construction.
  const owned = send !== undefined || named.relative;
  const node = channelNode(source, channelPath, refs.root, refs.load);
  const { compatibility, freshness, maxLag, maxLagLocation } = node ? readChannelSettings(node, owned, refs.root, refs.load, diagnostics) : {};
  const schemas = owned && node ? readChannelSchemas(node, compatibility, v3, dialect === 'specmesh' ? 'publish' : 'subscribe', refs.root, refs.load, diagnostics) : {};
  return {
    topic: named.topic,
    relative: named.relative,
    visibility: named.visibility,
    sends: send !== undefined,
    receives: receive !== undefined,
    sendLocation: send ? at(operationPath(channel, send, v3)) : undefined,
    receiveLocation: receive ? at(operationPath(channel, receive, v3)) : undefined,
    ...settings,
    ...grants,
    schemas,
    messages: readMessages(channel, !schemas.value && !schemas.key),
    description: channel.description,
    ...(freshness && { freshness }),
    ...(maxLag !== undefined && { maxLag, maxLagLocation }),
    location,
  };
}

/** The channel's messages as the spec declares them; each payload as written only when `withPayloads`. */
function readMessages(channel: SpecChannel, withPayloads: boolean): Message[] {
  return channel.messages.map((m, i) => {
    const message: Message = { id: m.id ?? m.name ?? `message ${i + 1}` };
    const texts = { name: m.name, title: m.title, summary: m.summary, description: m.description, contentType: m.contentType };
    for (const [key, value] of Object.entries(texts)) if (value) message[key as keyof typeof texts] = value;
    const format = m.schemaFormat;
    if (format && !/^application\/vnd\.aai\.asyncapi/.test(format)) message.schemaFormat = format;
    if (withPayloads && m.payload !== undefined) message.payload = m.payload;
    return message;
  });
}

/**
 * `grant-access:` (read) and `grant-write:` (write, an input topic) tags: on the channel in 3.x; in
 * 2.x on an operation of the channel (SpecMesh dialect: on the `publish` operation, where SpecMesh
 * reads them). The grantee is a product urn; in the SpecMesh dialect also a domain id, or (reads
 * only) `_public` for every principal.
 */
function readGrants(
  source: SpecSource,
  channel: SpecChannel,
  ops: SpecOperation[],
  v3: boolean,
  dialect: Dialect,
  diagnostics: Diagnostic[],
): { grants: GrantFact[]; writeGrants: GrantFact[]; everyone?: ChannelFact['everyone'] } {
  const tagged: Array<{ name: string; path: JsonPath; ignored?: boolean }> = [];
  const channelTags = channel.tags;
  if (Array.isArray(channelTags)) {
    channelTags.forEach((t: { name?: unknown }, i) => typeof t?.name === 'string' && tagged.push({ name: t.name, path: ['channels', channel.id, 'tags', i, 'name'] }));
  }
  if (!v3) {
    for (const op of ops) {
      const base = operationPath(channel, op, v3);
      const written = Array.isArray(valueAt(source.value, [...base, 'tags']));
      const ignored = dialect === 'specmesh' && op.action !== 'publish';
      op.tags.forEach((name, i) => tagged.push({ name, path: written ? [...base, 'tags', i, 'name'] : base, ignored }));
    }
  }
  const grants: GrantFact[] = [];
  const writeGrants: GrantFact[] = [];
  let everyone: ChannelFact['everyone'];
  for (const { name, path, ignored } of tagged) {
    const write = name.startsWith(GRANT_WRITE_PREFIX);
    if (!write && !name.startsWith(GRANT_PREFIX)) continue;
    const prefix = write ? GRANT_WRITE_PREFIX : GRANT_PREFIX;
    const location = locate(source, path);
    if (ignored) {
      diagnostics.push(warning(CODES.dialectDiffers, `"${name}" on a subscribe operation is ignored: SpecMesh reads ${prefix.slice(0, -1)} tags on the publish operation only, and so does meshform in its dialect`, location));
      continue;
    }
    const grantee = name.slice(prefix.length);
    if (write && grantee === GRANT_EVERYONE) {
      diagnostics.push(error(CODES.grantUrn, `"${name}" would let every principal write to the topic: a write grant names one product (grant-write:urn:<org>:<domain>:<product>)`, location));
      continue;
    }
    if (dialect === 'specmesh' && grantee === GRANT_EVERYONE) {
      everyone = everyone ?? { location };
      continue;
    }
    const urnForm = isProductUrn(grantee);
    if (!urnForm && !(dialect === 'specmesh' && DOMAIN_ID_GRANTEE.test(grantee))) {
      const hint = dialect === 'asyncapi' && !write && (grantee === GRANT_EVERYONE || DOMAIN_ID_GRANTEE.test(grantee)) ? `; grants by domain id and grant-access:_public are SpecMesh's form: ${SPECMESH_HINT}` : '';
      const example = write ? 'grant-write:urn:acme:ops:alerting' : 'grant-access:urn:acme:finance:billing';
      const form =
        dialect === 'specmesh'
          ? `a product urn or domain id (${example}, ${prefix}acme.finance.billing)${write ? '' : ' or grant-access:_public'}`
          : `a product urn: ${prefix}urn:<org>:<domain>:<product>`;
      diagnostics.push(error(CODES.grantUrn, `grant "${name}" must name ${form}${hint}`, location));
      continue;
    }
    const reserved = reservedSegment(urnForm ? grantee : `urn:${grantee}`);
    if (reserved) {
      diagnostics.push(error(CODES.grantUrn, `grant "${name}" names an id with the reserved segment "${reserved}": no product can have it`, location));
      continue;
    }
    const id = urnForm ? domainIdOf(grantee) : grantee;
    const list = write ? writeGrants : grants;
    // 2.x specs often tag both operations of a channel: one grant.
    if (list.some((g) => g.grantee === id)) continue;
    list.push({ granteeUrn: grantee, grantee: id, location });
  }
  return everyone ? { grants, writeGrants, everyone } : { grants, writeGrants };
}
