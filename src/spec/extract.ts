/**
 * Per-file facts from a parsed AsyncAPI document (the parser's intent API): product identity
 * and metadata, and per channel its topic, direction, Kafka settings and grants.
 */
import type { AsyncAPIDocumentInterface, ChannelInterface, OperationInterface } from '@asyncapi/parser';
import { type Diagnostic, error } from '../diagnostics';
import { CODES } from './codes';
import { readProductMeta } from './extension';
import { readKafkaBinding } from './kafka-binding';
import type { ChannelFact, GrantFact, ProductSpec } from './product-spec';
import { type JsonPath, type SpecSource, locate, valueAt } from './source';
import { qualifyAddress, topicNameProblem } from './topic-names';
import { businessDomainOf, domainIdOf, isProductUrn, reservedSegment } from './urn';

const GRANT_PREFIX = 'grant-access:';

export function extractProduct(source: SpecSource, document: AsyncAPIDocumentInterface): { spec?: ProductSpec; diagnostics: Diagnostic[] } {
  const at = (path: JsonPath, options?: { key?: boolean }) => locate(source, path, options);
  const diagnostics: Diagnostic[] = [];
  const version = document.version();
  const v3 = version.startsWith('3.');

  const urn = document.info().id();
  if (!urn) return { diagnostics: [error(CODES.idMissing, 'id is required: the product urn, e.g. `id: urn:acme:retail:orders`', at([]))] };
  if (!isProductUrn(urn)) {
    return { diagnostics: [error(CODES.idFormat, `id "${urn}" must be urn: followed by at least two segments of a-z 0-9 - _ separated by : or . (e.g. urn:acme:retail:orders)`, at(['id']))] };
  }
  const reserved = reservedSegment(urn);
  if (reserved) {
    return { diagnostics: [error(CODES.idReserved, `id "${urn}" has the segment "${reserved}": segments starting with "_" are reserved (_public, _protected, _private qualify topics under a product id)`, at(['id']))] };
  }
  const id = domainIdOf(urn);

  const meta = readProductMeta(document.extensions().get('x-meshform')?.value(), at);
  diagnostics.push(...meta.diagnostics);

  const channels: ChannelFact[] = [];
  for (const channel of document.channels().all()) {
    const fact = readChannel(source, channel, id, v3, diagnostics);
    if (fact) channels.push(fact);
  }
  if (!meta.meta || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };

  const info = document.info();
  return {
    diagnostics,
    spec: {
      idLocation: at(['id']),
      channels,
      product: {
        urn,
        id,
        businessDomain: businessDomainOf(id),
        title: info.title(),
        version: info.version(),
        asyncapiVersion: version,
        file: source.display,
        ...meta.meta,
        location: at([]),
      },
    },
  };
}

function operationPath(channel: ChannelInterface, op: OperationInterface, v3: boolean): JsonPath {
  return v3 ? ['operations', op.id() ?? ''] : ['channels', channel.id(), op.action()];
}

function readChannel(source: SpecSource, channel: ChannelInterface, domainId: string, v3: boolean, diagnostics: Diagnostic[]): ChannelFact | undefined {
  const at = (path: JsonPath) => locate(source, path);
  const channelPath = ['channels', channel.id()];
  const addressAt = v3 ? at([...channelPath, 'address']) : locate(source, channelPath, { key: true });
  const address = channel.address();
  if (typeof address !== 'string' || address === '') {
    diagnostics.push(error(CODES.channelAddress, `channel "${channel.id()}" has no address: meshform needs the Kafka topic`, locate(source, channelPath, { key: true })));
    return undefined;
  }
  const { topic, relative, visibility } = qualifyAddress(address, domainId);
  const nameProblem = topicNameProblem(topic);
  if (nameProblem) {
    diagnostics.push(error(CODES.topicName, nameProblem, addressAt));
    return undefined;
  }

  const ops = channel.operations().all();
  const send = ops.find((op) => op.isSend());
  const receive = ops.find((op) => op.isReceive());

  const bindingPath = [...channelPath, 'bindings', 'kafka'];
  const binding = readKafkaBinding(channel.bindings().get('kafka')?.value(), bindingPath, at);
  diagnostics.push(...binding.diagnostics);

  const grants = readGrants(source, channel, ops, v3, diagnostics);
  return {
    topic,
    relative,
    visibility,
    sends: send !== undefined,
    receives: receive !== undefined,
    sendLocation: send ? at(operationPath(channel, send, v3)) : undefined,
    receiveLocation: receive ? at(operationPath(channel, receive, v3)) : undefined,
    ...binding.settings,
    grants,
    description: channel.description() ?? undefined,
    location: addressAt,
  };
}

/** `grant-access:<urn>` tags: on the channel in 3.x; on the channel or an operation in 2.x. */
function readGrants(source: SpecSource, channel: ChannelInterface, ops: OperationInterface[], v3: boolean, diagnostics: Diagnostic[]): GrantFact[] {
  const tagged: Array<{ name: string; path: JsonPath }> = [];
  const channelTags = (channel.json() as { tags?: unknown }).tags;
  if (Array.isArray(channelTags)) {
    channelTags.forEach((t: { name?: unknown }, i) => typeof t?.name === 'string' && tagged.push({ name: t.name, path: ['channels', channel.id(), 'tags', i, 'name'] }));
  }
  if (!v3) {
    for (const op of ops) {
      const base = operationPath(channel, op, v3);
      const written = Array.isArray(valueAt(source.value, [...base, 'tags']));
      op.tags().all().forEach((t, i) => tagged.push({ name: t.name(), path: written ? [...base, 'tags', i, 'name'] : base }));
    }
  }
  const grants: GrantFact[] = [];
  for (const { name, path } of tagged) {
    if (!name.startsWith(GRANT_PREFIX)) continue;
    const granteeUrn = name.slice(GRANT_PREFIX.length);
    const location = locate(source, path);
    if (!isProductUrn(granteeUrn)) {
      diagnostics.push(error(CODES.grantUrn, `grant "${name}" must name a product urn: grant-access:urn:<org>:<domain>:<product>`, location));
      continue;
    }
    const reserved = reservedSegment(granteeUrn);
    if (reserved) {
      diagnostics.push(error(CODES.grantUrn, `grant "${name}" names an id with the reserved segment "${reserved}": no product can have it`, location));
      continue;
    }
    const grantee = domainIdOf(granteeUrn);
    // 2.x specs often tag both operations of a channel: one grant.
    if (grants.some((g) => g.grantee === grantee)) continue;
    grants.push({ granteeUrn, grantee, location });
  }
  return grants;
}
