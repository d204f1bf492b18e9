/**
 * Kafka bindings, checked in every AsyncAPI version (2.x schemas do not validate bindings at all):
 * the channel binding's topic settings (`topic`, `partitions`, `replicas`, `topicConfiguration`,
 * or SpecMesh's `configs`), the operation binding's consumer group, and every key of every Kafka
 * binding in the document: a key meshform does not know is a warning with a did-you-mean, never
 * dropped in silence.
 */
import { type Diagnostic, type SourceLocation, error, warning } from '../vocabulary/diagnostics';
import type { Dialect } from '../vocabulary/mesh';
import { CODES } from '../vocabulary/codes';
import { nearest } from '../suggest';
import { isRecord } from './extension';
import { REMOVED_IN_KAFKA_4, TOPIC_CONFIG, topicConfigValue } from './kafka-topic-config';
import type { JsonPath } from './source';

export interface TopicSettings {
  /** `bindings.kafka.topic`: the channel's real topic name. */
  topic?: string;
  partitions?: number;
  replicas?: number;
  config: Record<string, string>;
  /** Where each config key's value is written (for rules about a value, e.g. retention bounds). */
  configLocations?: Record<string, SourceLocation>;
}

/** Where the node at a path is written; with `key`, where its key is. */
type Locate = (path: JsonPath, options?: { key?: boolean }) => SourceLocation;

export type BindingKind = 'server' | 'channel' | 'operation' | 'message';

/** Keys of the AsyncAPI Kafka bindings 0.1.0 - 0.5.0, by the object they bind. */
const ASYNCAPI_KEYS: Readonly<Record<BindingKind, readonly string[]>> = {
  server: ['schemaRegistryUrl', 'schemaRegistryVendor', 'bindingVersion'],
  channel: ['topic', 'partitions', 'replicas', 'topicConfiguration', 'bindingVersion'],
  operation: ['groupId', 'clientId', 'bindingVersion'],
  message: ['key', 'schemaIdLocation', 'schemaIdPayloadEncoding', 'schemaLookupStrategy', 'bindingVersion'],
};

/**
 * What SpecMesh's channel binding adds: `configs` (its topic configuration) and `envs`, which
 * SpecMesh's provisioner never reads either (docs/coming-from-specmesh.md).
 */
const SPECMESH_CHANNEL_KEYS = ['configs', 'envs'];

export function knownBindingKeys(kind: BindingKind, dialect: Dialect): readonly string[] {
  return kind === 'channel' && dialect === 'specmesh' ? [...ASYNCAPI_KEYS.channel, ...SPECMESH_CHANNEL_KEYS] : ASYNCAPI_KEYS[kind];
}

/** Kafka's wire limits: partition counts are int32, replication factors int16 (CreateTopics). */
const MAX = { partitions: 2 ** 31 - 1, replicas: 2 ** 15 - 1 } as const;

function countIn(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max ? value : undefined;
}

/** @param at JSON path of the binding (`channels.<id>.bindings.kafka`). */
export function readKafkaBinding(binding: unknown, at: JsonPath, locate: Locate, dialect: Dialect): { settings: TopicSettings; diagnostics: Diagnostic[] } {
  const settings: TopicSettings = { config: {} };
  const diagnostics: Diagnostic[] = [];
  if (binding === undefined || binding === null) return { settings, diagnostics };
  if (!isRecord(binding)) {
    return { settings, diagnostics: [error(CODES.kafkaBinding, 'the kafka binding must be an object', locate(at))] };
  }
  for (const field of ['partitions', 'replicas'] as const) {
    if (binding[field] === undefined) continue;
    const n = countIn(binding[field], MAX[field]);
    if (n === undefined) diagnostics.push(error(CODES.kafkaBinding, `kafka binding ${field} must be an integer from 1 to ${MAX[field]}, got ${JSON.stringify(binding[field])}`, locate([...at, field])));
    else settings[field] = n;
  }
  if (binding.topic !== undefined) {
    if (typeof binding.topic === 'string' && binding.topic.trim() !== '') settings.topic = binding.topic;
    else diagnostics.push(error(CODES.kafkaBinding, `kafka binding topic must be the topic name (a non-empty string), got ${JSON.stringify(binding.topic)}`, locate([...at, 'topic'])));
  }
  const configKeys = dialect === 'specmesh' ? ['topicConfiguration', 'configs'] : ['topicConfiguration'];
  const setBy = new Map<string, string>();
  for (const field of configKeys) {
    if (binding[field] === undefined) continue;
    const configAt = [...at, field];
    const map = binding[field];
    if (!isRecord(map)) {
      diagnostics.push(error(CODES.kafkaBinding, `kafka binding ${field} must be a map of topic configuration keys`, locate(configAt)));
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      const type = TOPIC_CONFIG[key];
      if (!type) {
        const near = nearest(key, Object.keys(TOPIC_CONFIG));
        diagnostics.push(error(CODES.kafkaConfigUnknown, `"${key}" is not a Kafka topic configuration key${near ? ` (did you mean "${near}"?)` : ''}`, locate([...configAt, key], { key: true })));
        continue;
      }
      const removed = REMOVED_IN_KAFKA_4[key];
      if (removed) {
        diagnostics.push(warning(CODES.kafkaConfigRemoved, `${key} was removed in Kafka 4.0 (${removed}): a Kafka 4 cluster refuses the topic with INVALID_CONFIG`, locate([...configAt, key], { key: true })));
      }
      const result = topicConfigValue(type, value);
      if ('problem' in result) {
        diagnostics.push(error(CODES.kafkaConfigValue, `${key} ${result.problem}, got ${JSON.stringify(value)}`, locate([...configAt, key])));
      } else if (setBy.has(key) && settings.config[key] !== result.value) {
        diagnostics.push(error(CODES.kafkaBinding, `${key} is set in both ${setBy.get(key)} and ${field}, to different values: keep one`, locate([...configAt, key])));
      } else {
        settings.config[key] = result.value;
        (settings.configLocations ??= {})[key] = locate([...configAt, key]);
        setBy.set(key, field);
      }
    }
  }
  const minIsr = settings.config['min.insync.replicas'];
  if (minIsr !== undefined && settings.replicas !== undefined && Number(minIsr) > settings.replicas) {
    const field = setBy.get('min.insync.replicas') as string;
    diagnostics.push(error(CODES.kafkaMinIsr, `min.insync.replicas ${minIsr} is more than replicas ${settings.replicas}: producers with acks=all could never write`, locate([...at, field, 'min.insync.replicas'])));
  }
  return { settings, diagnostics };
}

/** A Kafka binding written in the document: what it binds, where, and its value. */
export interface BindingSite {
  kind: BindingKind;
  /** JSON path of the `kafka` object. */
  path: JsonPath;
  binding: Record<string, unknown>;
}

/** Maps whose keys are names the user chose (a channel called `message` is still a channel). */
const NAMED: Readonly<Record<string, BindingKind | undefined>> = {
  channels: 'channel',
  servers: 'server',
  operations: 'operation',
  messages: 'message',
};
const COMPONENT_SECTIONS: Readonly<Record<string, BindingKind | undefined>> = {
  channels: 'channel',
  servers: 'server',
  operations: 'operation',
  messages: 'message',
  serverBindings: 'server',
  channelBindings: 'channel',
  operationBindings: 'operation',
  messageBindings: 'message',
  operationTraits: 'operation',
  messageTraits: 'message',
};
/** Never AsyncAPI structure: schemas and examples may have a property called `bindings`. */
const OPAQUE = new Set(['payload', 'headers', 'schemas', 'examples', 'parameters', 'correlationId', 'correlationIds', 'externalDocs', 'info', 'tags', 'securitySchemes']);

/**
 * Every `bindings.kafka` object written in the document (and `components.<kind>Bindings.<name>.kafka`),
 * with the kind of object it binds. Objects reached through `$ref`s are found where they are written.
 */
export function kafkaBindingSites(document: unknown): BindingSite[] {
  const sites: BindingSite[] = [];
  const walk = (node: unknown, at: Array<string | number>, kind: BindingKind | undefined, bindingsHere: boolean) => {
    if (!isRecord(node)) {
      if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...at, i], kind, false));
      return;
    }
    if (bindingsHere) {
      if (isRecord(node.kafka) && kind) sites.push({ kind, path: [...at, 'kafka'], binding: node.kafka });
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key.startsWith('x-') || OPAQUE.has(key) || child === null || typeof child !== 'object') continue;
      const parent = at[at.length - 1];
      if (key === 'bindings') {
        walk(child, [...at, key], kind, true);
      } else if (at.length === 0 && NAMED[key]) {
        walkNamed(child, [key], NAMED[key]);
      } else if (at.length === 0 && key === 'components' && isRecord(child)) {
        for (const [section, map] of Object.entries(child)) {
          const sectionKind = COMPONENT_SECTIONS[section];
          if (!sectionKind || !isRecord(map)) continue;
          for (const [name, item] of Object.entries(map)) {
            const itemAt = ['components', section, name];
            // `components.channelBindings.<name>` is itself a bindings object.
            if (section.endsWith('Bindings')) walk(item, itemAt, sectionKind, true);
            else walk(item, itemAt, sectionKind, false);
          }
        }
      } else if (parent !== undefined && (key === 'publish' || key === 'subscribe')) {
        walk(child, [...at, key], 'operation', false);
      } else if (key === 'message' || key === 'messages' || key === 'oneOf' || key === 'traits') {
        const childKind = key === 'message' || key === 'messages' ? 'message' : kind;
        if (key === 'messages' && isRecord(child)) walkNamed(child, [...at, key], 'message');
        else walk(child, [...at, key], childKind, false);
      }
    }
  };
  const walkNamed = (map: unknown, at: Array<string | number>, kind: BindingKind | undefined) => {
    if (!isRecord(map)) return;
    for (const [name, item] of Object.entries(map)) walk(item, [...at, name], kind, false);
  };
  walk(document, [], undefined, false);
  return sites;
}

/**
 * Unknown keys in every Kafka binding of the document: warnings with a did-you-mean. In the
 * default dialect, SpecMesh's own keys also say how to read the spec the SpecMesh way.
 */
/** @param locateKey where a key is written (not its value) */
export function unknownBindingKeys(sites: readonly BindingSite[], locateKey: Locate, dialect: Dialect): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const site of sites) {
    const known = knownBindingKeys(site.kind, dialect);
    for (const key of Object.keys(site.binding)) {
      if (known.includes(key)) continue;
      const where = locateKey([...site.path, key]);
      let hint: string;
      if (site.kind === 'channel' && dialect === 'asyncapi' && key === 'configs') {
        hint = ': did you mean "topicConfiguration"? "configs" is SpecMesh\'s key: set `dialect: specmesh` (meshform.yaml or x-meshform) to read the spec as SpecMesh does';
      } else if (site.kind === 'channel' && dialect === 'asyncapi' && SPECMESH_CHANNEL_KEYS.includes(key)) {
        hint = `: "${key}" is SpecMesh's key: set \`dialect: specmesh\` (meshform.yaml or x-meshform) to read the spec as SpecMesh does`;
      } else {
        const elsewhere = (Object.keys(ASYNCAPI_KEYS) as BindingKind[]).find((k) => k !== site.kind && ASYNCAPI_KEYS[k].includes(key));
        const near = nearest(key, known);
        hint = near ? ` (did you mean "${near}"?)` : elsewhere ? `: "${key}" belongs in the ${elsewhere} binding` : ` (known: ${known.join(', ')})`;
      }
      diagnostics.push(warning(CODES.kafkaBindingKey, `unknown key "${key}" in a kafka ${site.kind} binding is ignored${hint}`, where));
    }
  }
  return diagnostics;
}

/**
 * Consumer group names an operation binding's `groupId` pins down: a string (as SpecMesh writes
 * it), or a schema's `const`, `enum` and `default`. A schema that allows any string names none.
 */
export function groupNames(groupId: unknown): Array<{ name: string; path: JsonPath }> {
  if (typeof groupId === 'string') return [{ name: groupId, path: [] }];
  if (!isRecord(groupId)) return [];
  const names: Array<{ name: string; path: JsonPath }> = [];
  if (typeof groupId.const === 'string') names.push({ name: groupId.const, path: ['const'] });
  if (typeof groupId.default === 'string') names.push({ name: groupId.default, path: ['default'] });
  if (Array.isArray(groupId.enum)) groupId.enum.forEach((v, i) => typeof v === 'string' && names.push({ name: v, path: ['enum', i] }));
  return names;
}
