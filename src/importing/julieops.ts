/**
 * JulieOps topologies (kafka-ops/julie, "the descriptor files"): a `context`, further name
 * components (`source`, `company`, ..., in the order written), `projects` with `topics`,
 * `consumers`, `producers`, `streams` and `connectors`, and `special_topics`. Read as JulieOps
 * reads them with its default settings:
 *
 * - topic names `<context>.<component>....<project>.<topic>[.<dataType>]` (separator `.`,
 *   `topology.topic.prefix.format` default); `config` holds `num.partitions` and `replication.factor`;
 * - the ACLs of its AclsBindingsBuilder, one per principal and topic (`topology.acls.optimized`
 *   off): a consumer DESCRIBE and READ on each topic and READ on its group (`*`, every group, when it
 *   names none; a trailing `*` makes it a prefix); a producer DESCRIBE and WRITE, WRITE and DESCRIBE
 *   on its `transactionId`, IDEMPOTENT_WRITE on the cluster with a transactional id or
 *   `idempotence`; a streams app READ on `topics.read`, WRITE on `topics.write`, ALL on the topics
 *   and READ on the groups under its `applicationId` (default: the project's prefix); a connector
 *   READ and WRITE on its status, offset and configs topics (`connect-status`, `connect-offsets`,
 *   `connect-configs`), CREATE on the cluster, READ on its group (`connect-cluster`) and on
 *   `topics.read`, WRITE on `topics.write`. Topic-level consumers and producers get the same on
 *   that topic only.
 *
 * Producers, streams apps and connectors are grouped under their project; consumers are not (a
 * project lists who may read its topics: those are other teams' applications).
 */
import * as path from 'node:path';
import type { Diagnostic, SourceLocation } from '../vocabulary/diagnostics';
import type { AclOperation, AclResourceType, KafkaAclProps } from '../plan/types';
import { isRecord } from '../reading/extension';
import type { JsonPath } from '../reading/source';
import { emptyEstate, type Estate, type EstateSchema, type SchemaFileFormat } from './estate';
import { configStrings, count, list, readInput, text, type InputFile } from './input';

const SEPARATOR = '.';
const PROJECT_KEYS = ['name', 'topics', 'consumers', 'producers', 'streams', 'connectors', 'schemas', 'ksql', 'rbac'];
const CONNECT_DEFAULTS = { group: 'connect-cluster', status_topic: 'connect-status', offset_topic: 'connect-offsets', configs_topic: 'connect-configs' };

export function readJulieOps(files: readonly string[], cwd: string): { estate: Estate; diagnostics: Diagnostic[] } {
  const estate = emptyEstate('julieops');
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const { input, diagnostics: read } = readInput(file, cwd);
    diagnostics.push(...read);
    if (input) diagnostics.push(...readTopology(input, estate));
  }
  return { estate, diagnostics };
}

function readTopology(input: InputFile, estate: Estate): Diagnostic[] {
  const root = input.source.value;
  if (!isRecord(root) || text(root.context) === undefined) {
    return [input.problem('a JulieOps topology is a map with a context (and projects): this file has no context', [])];
  }
  const diagnostics: Diagnostic[] = [];
  const components = [text(root.context)!];
  for (const [key, value] of Object.entries(root)) {
    if (['context', 'projects', 'platform', 'special_topics'].includes(key)) continue;
    const component = text(value);
    if (component === undefined) diagnostics.push(input.problem(`${key}: a name component between the context and the project must be a string`, [key]));
    else components.push(component);
  }
  const acl = (principal: string, resourceType: AclResourceType, resourceName: string, patternType: 'LITERAL' | 'PREFIXED', operation: AclOperation, location: SourceLocation) =>
    estate.acls.push({ principal, resourceType, resourceName, patternType, operation, permission: 'ALLOW', host: '*', location });
  /** JulieOps's `x*` (at least one character before it) is a prefix. */
  const pattern = (name: string): [string, 'LITERAL' | 'PREFIXED'] => (name.length > 1 && name.endsWith('*') ? [name.slice(0, -1), 'PREFIXED'] : [name, 'LITERAL']);

  if (root.platform !== undefined) {
    estate.unmapped.push({ what: 'platform (schema registry, control center, ksqlDB, Kafka Connect and Kafka cluster roles)', why: 'platform components are not data products; their ACLs stay on the cluster as they are', location: input.at(['platform'], { key: true }) });
  }
  list(root.special_topics).forEach((t, i) => {
    const topic = readTopic(input, t, ['special_topics', i], undefined, estate, diagnostics);
    if (topic) estate.topics.push(topic);
  });

  list(root.projects).forEach((p, i) => {
    const at: JsonPath = ['projects', i];
    if (!isRecord(p) || text(p.name) === undefined) {
      diagnostics.push(input.problem('a project needs a name', at));
      return;
    }
    const project = text(p.name)!;
    const prefix = [...components, project].join(SEPARATOR);
    const hint = `${components[0]}${SEPARATOR}${project}`;
    for (const key of Object.keys(p).filter((k) => !PROJECT_KEYS.includes(k))) {
      estate.unmapped.push({ what: `project ${project}: ${key}`, why: 'JulieOps keeps other principals under custom keys without ACLs of their own; nothing to carry over', location: input.at([...at, key], { key: true }) });
    }
    for (const key of ['schemas', 'ksql', 'rbac'] as const) {
      if (p[key] !== undefined) estate.unmapped.push({ what: `project ${project}: ${key}`, why: key === 'schemas' ? 'schema subject role bindings (Confluent RBAC) are not Kafka ACLs' : key === 'ksql' ? 'ksqlDB queries and their access are not mapped; their ACLs stay on the cluster' : 'Confluent RBAC role bindings are not Kafka ACLs', location: input.at([...at, key], { key: true }) });
    }

    const topicNames: string[] = [];
    list(p.topics).forEach((t, j) => {
      const tAt: JsonPath = [...at, 'topics', j];
      const topic = readTopic(input, t, tAt, prefix, estate, diagnostics);
      if (!topic) return;
      estate.topics.push(topic);
      estate.topicHints.set(topic.name, hint);
      topicNames.push(topic.name);
      readUsers(input, (t as Record<string, unknown>).consumers, [...tAt, 'consumers'], [topic.name], 'consumer', hint);
      readUsers(input, (t as Record<string, unknown>).producers, [...tAt, 'producers'], [topic.name], 'producer', hint);
    });
    readUsers(input, p.consumers, [...at, 'consumers'], topicNames, 'consumer', hint);
    readUsers(input, p.producers, [...at, 'producers'], topicNames, 'producer', hint);

    list(p.streams).forEach((s, j) => {
      const sAt: JsonPath = [...at, 'streams', j];
      const principal = isRecord(s) ? text(s.principal) : undefined;
      if (!principal) return diagnostics.push(input.problem('a streams app needs a principal', sAt));
      const location = input.at(sAt);
      estate.principalHints.set(principal, estate.principalHints.get(principal) ?? hint);
      const topics = isRecord(s) && isRecord(s.topics) ? s.topics : {};
      for (const t of list(topics.read)) if (text(t)) acl(principal, 'TOPIC', text(t)!, 'LITERAL', 'READ', location);
      for (const t of list(topics.write)) if (text(t)) acl(principal, 'TOPIC', text(t)!, 'LITERAL', 'WRITE', location);
      const appId = (isRecord(s) && text(s.applicationId)) || prefix;
      acl(principal, 'TOPIC', appId, 'PREFIXED', 'ALL', location);
      acl(principal, 'GROUP', appId, 'PREFIXED', 'READ', location);
    });

    const connectors = isRecord(p.connectors) ? p.connectors.access_control : p.connectors;
    if (isRecord(p.connectors) && (p.connectors.artefacts !== undefined || p.connectors.artifacts !== undefined)) {
      estate.unmapped.push({ what: `project ${project}: connector artefacts`, why: 'connector configurations belong to Kafka Connect, not to Kafka', location: input.at([...at, 'connectors'], { key: true }) });
    }
    const cAt: JsonPath = isRecord(p.connectors) ? [...at, 'connectors', 'access_control'] : [...at, 'connectors'];
    list(connectors).forEach((c, j) => {
      const principal = isRecord(c) ? text(c.principal) : undefined;
      if (!principal || !isRecord(c)) return diagnostics.push(input.problem('a connector needs a principal', [...cAt, j]));
      const location = input.at([...cAt, j]);
      estate.principalHints.set(principal, estate.principalHints.get(principal) ?? hint);
      for (const key of ['status_topic', 'offset_topic', 'configs_topic'] as const) {
        const topic = text(c[key]) ?? CONNECT_DEFAULTS[key];
        acl(principal, 'TOPIC', topic, 'LITERAL', 'READ', location);
        acl(principal, 'TOPIC', topic, 'LITERAL', 'WRITE', location);
      }
      estate.acls.push({ principal, resourceType: 'CLUSTER', resourceName: 'kafka-cluster', patternType: 'LITERAL', operation: 'CREATE', permission: 'ALLOW', host: '*', location });
      acl(principal, 'GROUP', text(c.group) ?? CONNECT_DEFAULTS.group, 'LITERAL', 'READ', location);
      const topics = isRecord(c.topics) ? c.topics : {};
      for (const t of list(topics.read)) if (text(t)) acl(principal, 'TOPIC', text(t)!, 'LITERAL', 'READ', location);
      for (const t of list(topics.write)) if (text(t)) acl(principal, 'TOPIC', text(t)!, 'LITERAL', 'WRITE', location);
    });
  });
  return diagnostics;

  function readUsers(inputFile: InputFile, users: unknown, at: JsonPath, topics: readonly string[], role: 'consumer' | 'producer', hint: string): void {
    list(users).forEach((u, k) => {
      const principal = isRecord(u) ? text(u.principal) : undefined;
      if (!principal || !isRecord(u)) return diagnostics.push(inputFile.problem(`a ${role} needs a principal`, [...at, k]));
      const location = inputFile.at([...at, k]);
      if (role === 'consumer') {
        for (const t of topics) for (const op of ['DESCRIBE', 'READ'] as const) acl(principal, 'TOPIC', t, 'LITERAL', op, location);
        const [group, groupPattern] = pattern(text(u.group) ?? '*');
        acl(principal, 'GROUP', group, groupPattern, 'READ', location);
        return;
      }
      estate.principalHints.set(principal, estate.principalHints.get(principal) ?? hint);
      for (const t of topics) for (const op of ['DESCRIBE', 'WRITE'] as const) acl(principal, 'TOPIC', t, 'LITERAL', op, location);
      const transactionId = text(u.transactionId);
      if (transactionId) {
        const [id, idPattern] = pattern(transactionId);
        for (const op of ['DESCRIBE', 'WRITE'] as const) acl(principal, 'TRANSACTIONAL_ID', id, idPattern, op, location);
      }
      if (transactionId || u.idempotence !== undefined) {
        estate.acls.push({ principal, resourceType: 'CLUSTER', resourceName: 'kafka-cluster', patternType: 'LITERAL', operation: 'IDEMPOTENT_WRITE', permission: 'ALLOW', host: '*', location } satisfies KafkaAclProps & { location: SourceLocation });
      }
    });
  }
}

/** A topic entry: its full name (under the project's prefix, with its data type), size, configs and schema files. */
function readTopic(input: InputFile, t: unknown, at: JsonPath, prefix: string | undefined, estate: Estate, diagnostics: Diagnostic[]) {
  const name = isRecord(t) ? text(t.name) : undefined;
  if (!isRecord(t) || !name) {
    diagnostics.push(input.problem('a topic needs a name', at));
    return undefined;
  }
  const dataType = text(t.dataType);
  const full = [...(prefix ? [prefix] : []), name, ...(dataType ? [dataType] : [])].join(SEPARATOR);
  const config = configStrings(t.config);
  const partitions = count(config['num.partitions']);
  const replicas = count(config['replication.factor']);
  delete config['num.partitions'];
  delete config['replication.factor'];
  if (text(t.plan)) estate.unmapped.push({ what: `topic ${full}: plan ${text(t.plan)}`, why: 'config plans live in JulieOps\'s plans file, which is not read: add their configs to the topic', location: input.at([...at, 'plan']) });
  const schemas = readSchemas(input, t.schemas);
  return { name: full, ...(partitions && { partitions }), ...(replicas && { replicas }), config, ...(schemas && { schemas }), location: input.at(at) };
}

const FORMATS: Record<string, SchemaFileFormat> = { '.avsc': 'AVRO', '.avro': 'AVRO', '.json': 'JSON', '.proto': 'PROTOBUF' };

/** `schemas: {value.schema.file, key.schema.file, value.format, key.format}` (or a list with one such map), files relative to the topology. */
function readSchemas(input: InputFile, value: unknown): { value?: EstateSchema; key?: EstateSchema } | undefined {
  const entry: unknown = Array.isArray(value) ? value[0] : value;
  if (!isRecord(entry)) return undefined;
  const dir = path.dirname(input.source.path);
  const out: { value?: EstateSchema; key?: EstateSchema } = {};
  for (const role of ['value', 'key'] as const) {
    const file = text(entry[`${role}.schema.file`]);
    if (!file) continue;
    const written = text(entry[`${role}.format`])?.toUpperCase();
    const format = (written === 'AVRO' || written === 'JSON' || written === 'PROTOBUF' ? written : undefined) ?? FORMATS[path.extname(file).toLowerCase()] ?? 'AVRO';
    out[role] = { file: path.resolve(dir, file), format };
  }
  return out.value || out.key ? out : undefined;
}
