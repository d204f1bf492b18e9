/**
 * The parts of an AsyncAPI document meshform reads, as the AsyncAPI parser's document model gives
 * them (the same answers as `@asyncapi/parser`'s intent API: channels with their operations and
 * messages, traits applied), built from a spec meshform has already validated and resolved.
 *
 * meshform does not load the parser at run time: its intent API would bring Spectral and ~50 MB of
 * dependencies into every product repository for the few accessors below. The parser stays the
 * oracle: the differential tests (test/reading/differential*.ts) build its model for every file
 * of the corpora and compare it with this one.
 */
import { isRecord } from './extension';

export type OperationAction = 'send' | 'receive' | 'publish' | 'subscribe';

export interface SpecOperation {
  /** 3.x: the key under `operations`; 2.x: `operationId`, else the action. */
  id: string;
  action: OperationAction;
  /** AsyncAPI's meaning: 3.x `send`, 2.x `subscribe` (the application sends). */
  isSend: boolean;
  /** Tag names, operation traits applied. */
  tags: string[];
}

export interface SpecMessage {
  /** 3.x: the key under the channel's `messages`; 2.x: `messageId`. */
  id?: string;
  name?: string;
  title?: string;
  summary?: string;
  description?: string;
  /** The message's, else the document's `defaultContentType`. */
  contentType?: string;
  /** As written (3.x: of a multi-format payload); undefined means AsyncAPI's own schema format. */
  schemaFormat?: string;
  payload?: unknown;
}

export interface SpecChannel {
  /** The key under `channels`. */
  id: string;
  /** 3.x: `address` as written (may be null or absent); 2.x: the key. */
  address: unknown;
  description?: string;
  /** `bindings.kafka` as written, without its `bindingVersion` (as the parser's `Binding.value()`). */
  kafkaBinding: unknown;
  /** `tags` as written (3.x channels carry grants there). */
  tags: unknown;
  operations: SpecOperation[];
  messages: SpecMessage[];
}

export interface SpecDocument {
  /** The `asyncapi` version string. */
  version: string;
  info: { id?: string; title?: string; description?: string; version?: string };
  /** A root extension (`x-...`) as written. */
  extension(name: string): unknown;
  channels: SpecChannel[];
}

type Json = Record<string, unknown>;

/** The parser's `x-parser-unique-object-id`: a channel that writes it is known by it. */
const UNIQUE_ID = 'x-parser-unique-object-id';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const entries = (value: unknown): Array<[string, unknown]> => (isRecord(value) ? Object.entries(value) : []);
const tagNames = (tags: unknown): string[] => (Array.isArray(tags) ? tags.map((t) => (isRecord(t) ? t.name : undefined)).filter((n): n is string => typeof n === 'string') : []);

/**
 * @param resolved the spec with its `$ref`s resolved (shared nodes stay shared, as `resolveRefs` makes them)
 * @param fresh `resolved` is a new structure nobody else reads, so traits may be applied in place
 *   (otherwise it is cloned first, keeping shared nodes shared)
 */
export function specDocument(resolved: unknown, fresh: boolean): SpecDocument {
  const doc = (fresh ? resolved : structuredClone(resolved)) as Json;
  const version = String(doc.asyncapi);
  const v3 = version.startsWith('3.');
  if (v3) {
    markChannels(doc);
    applyTraitsV3(doc);
  }
  else applyTraitsV2(doc);
  const defaultContentType = text(doc.defaultContentType);
  const info = isRecord(doc.info) ? doc.info : {};
  return {
    version,
    info: { id: text(doc.id), title: text(info.title), description: text(info.description), version: text(info.version) },
    extension: (name) => doc[name],
    channels: v3 ? channelsV3(doc, defaultContentType) : channelsV2(doc, defaultContentType),
  };
}

function channelsV3(doc: Json, defaultContentType: string | undefined): SpecChannel[] {
  const operations = entries(doc.operations);
  return entries(doc.channels).map(([id, value]) => {
    const channel = (isRecord(value) ? value : {}) as Json;
    const own = channel[UNIQUE_ID];
    return {
      id,
      address: channel.address,
      description: text(channel.description),
      kafkaBinding: kafkaBinding(channel),
      tags: channel.tags,
      operations: operations
        .filter(([, op]) => isRecord(op) && own !== undefined && isRecord(op.channel) && op.channel[UNIQUE_ID] === own)
        .map(([opId, op]) => {
          const action = (op as Json).action as OperationAction;
          return { id: opId, action, isSend: action === 'send', tags: tagNames((op as Json).tags) };
        }),
      messages: entries(channel.messages).map(([key, message]) => messageOf(message, key, defaultContentType, true)),
    };
  });
}

function channelsV2(doc: Json, defaultContentType: string | undefined): SpecChannel[] {
  return entries(doc.channels).map(([id, value]) => {
    const channel = (isRecord(value) ? value : {}) as Json;
    const operations: Array<{ op: Json; action: 'publish' | 'subscribe' }> = [];
    for (const action of ['publish', 'subscribe'] as const) if (isRecord(channel[action])) operations.push({ op: channel[action] as Json, action });
    return {
      id,
      address: id,
      description: text(channel.description),
      kafkaBinding: kafkaBinding(channel),
      tags: channel.tags,
      operations: operations.map(({ op, action }) => ({ id: text(op.operationId) || action, action, isSend: action === 'subscribe', tags: tagNames(op.tags) })),
      messages: operations.flatMap(({ op }) => {
        const message = op.message;
        const list = isRecord(message) && Array.isArray(message.oneOf) ? message.oneOf : message ? [message] : [];
        return list.map((m) => messageOf(m, undefined, defaultContentType, false));
      }),
    };
  });
}

function kafkaBinding(channel: Json): unknown {
  if (!isRecord(channel.bindings) || !('kafka' in channel.bindings)) return undefined;
  const { bindingVersion: _version, ...value } = Object.assign({}, channel.bindings.kafka) as Json;
  return value;
}

function messageOf(value: unknown, key: string | undefined, defaultContentType: string | undefined, v3: boolean): SpecMessage {
  const m = (isRecord(value) ? value : {}) as Json;
  const payload = m.payload || undefined;
  // 3.x: a multi-format payload (`{schemaFormat, schema}`, told by its `schema` object) names its format; 2.x: the message does.
  const multiFormat = v3 && typeof payload === 'object' && typeof (payload as Json).schema === 'object';
  const message: SpecMessage = {
    id: v3 ? key || undefined : text(m.messageId) || undefined,
    name: text(m.name),
    title: text(m.title),
    summary: text(m.summary),
    description: text(m.description),
    contentType: text(m.contentType) || defaultContentType,
    schemaFormat: v3 ? (multiFormat ? text((payload as Json).schemaFormat) : undefined) : text(m.schemaFormat) || undefined,
    payload,
  };
  return message;
}

/**
 * A 3.x channel is known by the first key it is found under (`channels`, then
 * `components.channels`), or by the parser's unique id where the spec writes one; the mark is
 * written into the channel, as the parser does, before traits are applied, so that an operation's
 * channel still names its channel after a trait has copied it.
 */
function markChannels(doc: Json): void {
  const mark = (channels: unknown) => {
    for (const [key, channel] of entries(channels)) if (isRecord(channel) && !channel[UNIQUE_ID]) channel[UNIQUE_ID] = key;
  };
  mark(doc.channels);
  if (isRecord(doc.components)) mark(doc.components.channels);
}

/**
 * Traits, applied as the parser applies them: in 2.x each trait is merged over the object (the
 * trait wins), in 3.x the object is merged over its traits (the object wins), JSON Merge Patch
 * (RFC 7386) per key; each object once, even where it is shared.
 */
function applyTraitsV2(doc: Json): void {
  const seen = new Set<unknown>();
  const apply = (value: unknown) => {
    if (!isRecord(value) || seen.has(value)) return;
    seen.add(value);
    if (!Array.isArray(value.traits)) return;
    for (const trait of value.traits) for (const key of Object.keys(isRecord(trait) ? trait : {})) value[key] = mergePatch(value[key], (trait as Json)[key]);
  };
  const components = isRecord(doc.components) ? doc.components : {};
  const operations = (channels: unknown) => entries(channels).flatMap(([, c]) => (isRecord(c) ? [c.publish, c.subscribe].filter((o) => o !== undefined) : []));
  const messages = (ops: unknown[]) =>
    ops.flatMap((op) => {
      const message = isRecord(op) ? op.message : undefined;
      return message === undefined ? [] : [message, ...(isRecord(message) && Array.isArray(message.oneOf) ? message.oneOf : [])];
    });
  const ops = operations(doc.channels);
  const componentOps = operations(components.channels);
  // The parser's order: operations, then messages (channels, components' channels), then components' messages.
  for (const value of [...ops, ...componentOps, ...messages(ops), ...messages(componentOps), ...entries(components.messages).map(([, m]) => m)]) apply(value);
}

function applyTraitsV3(doc: Json): void {
  const seen = new Set<unknown>();
  const apply = (value: unknown) => {
    if (!isRecord(value) || seen.has(value)) return;
    seen.add(value);
    if (!Array.isArray(value.traits)) return;
    const own = { ...value };
    for (const key of Object.keys(value)) delete value[key];
    for (const trait of [...(own.traits as unknown[]), own]) for (const key of Object.keys(isRecord(trait) ? trait : {})) value[key] = mergePatch(value[key], (trait as Json)[key]);
  };
  const components = isRecord(doc.components) ? doc.components : {};
  const values = (v: unknown) => entries(v).map(([, x]) => x);
  const channelMessages = (op: unknown) => (isRecord(op) && isRecord(op.channel) ? values(op.channel.messages) : []);
  const opMessages = (op: unknown) => (isRecord(op) && Array.isArray(op.messages) ? op.messages : values(isRecord(op) ? op.messages : undefined));
  const ops = values(doc.operations);
  const componentOps = values(components.operations);
  const order: unknown[] = [
    ...ops,
    ...ops.flatMap(channelMessages),
    ...ops.flatMap(opMessages),
    ...componentOps,
    ...componentOps.flatMap(channelMessages),
    ...componentOps.flatMap(opMessages),
    ...values(doc.channels).flatMap((c) => values(isRecord(c) ? c.messages : undefined)),
    ...values(components.channels).flatMap((c) => values(isRecord(c) ? c.messages : undefined)),
    ...values(components.messages),
  ];
  for (const value of order) apply(value);
}

/** JSON Merge Patch (RFC 7386): objects merge key by key, `null` removes, anything else replaces. */
function mergePatch(origin: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const result: Json = isRecord(origin) ? { ...origin } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
