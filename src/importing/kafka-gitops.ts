/**
 * kafka-gitops desired state files (devshawn/kafka-gitops, "Desired State Specification"):
 * `settings` (topic defaults, split files under `settings.files`), `topics` (partitions,
 * replication, configs), `services` (application, kafka-streams, kafka-connect), `users` and the
 * custom service and user ACLs. Read with the ACLs its services generate (their `getAcls`):
 *
 * - application: WRITE on each topic it produces, READ on each it consumes, READ on its group
 *   (`group-id`, default the service name) when it consumes;
 * - kafka-streams: the same on its topics, and on the topics under its `application-id` (default
 *   the service name, PREFIXED) READ, WRITE, DESCRIBE, DELETE, CREATE, ALTER, ALTER_CONFIGS,
 *   DESCRIBE_CONFIGS, on that group READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS on the cluster;
 * - kafka-connect: WRITE on what it produces, READ and WRITE on its storage topics
 *   (`connect-configs|offsets|status-<service>`), READ on its group; per connector WRITE on what
 *   it produces, READ on what it consumes and on the group `connect-<connector>`;
 * - DESCRIBE beside each topic ACL when `settings.services.acls.describe-topic-enabled` is true;
 * - users' roles (reader, writer, operator) are ACLs on every topic and group (`*`);
 * - custom ACLs as written, the principal of their service or user when they name none.
 */
import * as path from 'node:path';
import type { Diagnostic, SourceLocation } from '../vocabulary/diagnostics';
import type { AclOperation, AclPatternType, AclPermission, AclResourceType } from '../plan/types';
import { isRecord } from '../reading/extension';
import type { JsonPath } from '../reading/source';
import { emptyEstate, type Estate } from './estate';
import { configStrings, count, entries, list, readInput, text, type InputFile } from './input';

const OPERATIONS: readonly AclOperation[] = ['ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE'];
const TYPES: readonly AclResourceType[] = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID'];
const STREAMS_TOPIC_OPERATIONS: readonly AclOperation[] = ['READ', 'WRITE', 'DESCRIBE', 'DELETE', 'CREATE', 'ALTER', 'ALTER_CONFIGS', 'DESCRIBE_CONFIGS'];

export function readKafkaGitops(files: readonly string[], cwd: string): { estate: Estate; diagnostics: Diagnostic[] } {
  const estate = emptyEstate('kafka-gitops');
  const diagnostics: Diagnostic[] = [];
  const inputs: InputFile[] = [];
  const read = (file: string) => {
    const { input, diagnostics: d } = readInput(file, cwd);
    diagnostics.push(...d);
    if (input) inputs.push(input);
    return input;
  };
  for (const file of files) {
    const input = read(file);
    // settings.files names the files the state is split into, relative to it.
    const split = input && isRecord(input.source.value) && isRecord(input.source.value.settings) ? input.source.value.settings.files : undefined;
    for (const [, name] of entries(split)) if (text(name)) read(path.relative(cwd, path.resolve(path.dirname(input!.source.path), text(name)!)));
  }
  const settings = inputs.map((i) => (isRecord(i.source.value) ? i.source.value.settings : undefined)).find(isRecord) ?? {};
  const defaults = isRecord(settings.topics) && isRecord(settings.topics.defaults) ? settings.topics.defaults : {};
  const acls = isRecord(settings.services) && isRecord(settings.services.acls) ? settings.services.acls : {};
  const describe = acls['describe-topic-enabled'] === true;
  for (const input of inputs) diagnostics.push(...readState(input, estate, { replication: count(defaults.replication), describe }));
  return { estate, diagnostics };
}

function readState(input: InputFile, estate: Estate, settings: { replication?: number; describe: boolean }): Diagnostic[] {
  const root = input.source.value;
  if (!isRecord(root)) return [input.problem('a kafka-gitops state file is a map of settings, topics, services, users, customServiceAcls and customUserAcls', [])];
  const known = ['settings', 'topics', 'services', 'users', 'customServiceAcls', 'customUserAcls'];
  const diagnostics: Diagnostic[] = Object.keys(root)
    .filter((k) => !known.includes(k))
    .map((k) => input.problem(`unknown key "${k}" in a kafka-gitops state file (known: ${known.join(', ')})`, [k], { key: true }));
  const add = (principal: string, resourceType: AclResourceType, resourceName: string, patternType: AclPatternType, operation: AclOperation, location: SourceLocation) =>
    estate.acls.push({ principal, resourceType, resourceName, patternType, operation, permission: 'ALLOW', host: '*', location });
  const topicAcl = (principal: string, topic: string, operation: 'READ' | 'WRITE', location: SourceLocation) => {
    add(principal, 'TOPIC', topic, 'LITERAL', operation, location);
    if (settings.describe) add(principal, 'TOPIC', topic, 'LITERAL', 'DESCRIBE', location);
  };

  for (const [name, t] of entries(root.topics)) {
    const at: JsonPath = ['topics', name];
    if (!isRecord(t)) {
      diagnostics.push(input.problem(`topic ${name} must be a map of partitions, replication and configs`, at, { key: true }));
      continue;
    }
    const partitions = count(t.partitions);
    const replicas = count(t.replication) ?? settings.replication;
    estate.topics.push({ name, ...(partitions && { partitions }), ...(replicas && { replicas }), config: configStrings(t.configs), location: input.at(at, { key: true }) });
  }

  const principals = new Map<string, string>();
  for (const [name, s] of entries(root.services)) {
    const at: JsonPath = ['services', name];
    const principal = isRecord(s) ? text(s.principal) : undefined;
    if (!isRecord(s) || !principal) {
      diagnostics.push(input.problem(`service ${name} needs a principal (services without one are Confluent Cloud service accounts, which meshform cannot tell apart)`, at, { key: true }));
      continue;
    }
    principals.set(name, principal);
    estate.principalHints.set(principal, estate.principalHints.get(principal) ?? name);
    const location = input.at(at, { key: true });
    const type = text(s.type) ?? 'application';
    const produces = list(s.produces).map(text).filter((x): x is string => x !== undefined);
    const consumes = list(s.consumes).map(text).filter((x): x is string => x !== undefined);
    for (const topic of produces) topicAcl(principal, topic, 'WRITE', location);
    for (const topic of consumes) topicAcl(principal, topic, 'READ', location);
    if (type === 'application') {
      if (consumes.length) add(principal, 'GROUP', text(s['group-id']) ?? name, 'LITERAL', 'READ', location);
    } else if (type === 'kafka-streams') {
      const appId = text(s['application-id']) ?? name;
      for (const op of STREAMS_TOPIC_OPERATIONS) add(principal, 'TOPIC', appId, 'PREFIXED', op, location);
      for (const op of ['READ', 'DESCRIBE', 'DELETE'] as const) add(principal, 'GROUP', appId, 'LITERAL', op, location);
      add(principal, 'CLUSTER', 'kafka-cluster', 'LITERAL', 'DESCRIBE_CONFIGS', location);
    } else if (type === 'kafka-connect') {
      const storage = isRecord(s['storage-topics']) ? s['storage-topics'] : {};
      for (const key of ['config', 'offset', 'status'] as const) {
        const topic = text(storage[key]) ?? `connect-${key === 'config' ? 'configs' : key === 'offset' ? 'offsets' : 'status'}-${name}`;
        add(principal, 'TOPIC', topic, 'LITERAL', 'READ', location);
        add(principal, 'TOPIC', topic, 'LITERAL', 'WRITE', location);
      }
      add(principal, 'GROUP', text(s['group-id']) ?? name, 'LITERAL', 'READ', location);
      for (const [connector, c] of entries(s.connectors)) {
        const cLocation = input.at([...at, 'connectors', connector], { key: true });
        const cConsumes = list(isRecord(c) ? c.consumes : undefined).map(text).filter((x): x is string => x !== undefined);
        for (const topic of list(isRecord(c) ? c.produces : undefined).map(text)) if (topic) topicAcl(principal, topic, 'WRITE', cLocation);
        for (const topic of cConsumes) topicAcl(principal, topic, 'READ', cLocation);
        if (cConsumes.length) add(principal, 'GROUP', `connect-${connector}`, 'LITERAL', 'READ', cLocation);
      }
    } else {
      diagnostics.push(input.problem(`service ${name}: type must be application, kafka-streams or kafka-connect`, [...at, 'type']));
    }
  }

  for (const [name, u] of entries(root.users)) {
    const at: JsonPath = ['users', name];
    const principal = isRecord(u) ? text(u.principal) : undefined;
    if (!principal) {
      diagnostics.push(input.problem(`user ${name} needs a principal`, at, { key: true }));
      continue;
    }
    principals.set(name, principal);
    const roles = list(isRecord(u) ? u.roles : undefined).map(text).filter(Boolean);
    if (roles.length) {
      estate.unmapped.push({ what: `user ${name} (${principal}): roles ${roles.join(', ')}`, why: 'roles are ACLs on every topic and group (*), which no product owns: they stay on the cluster as they are', location: input.at([...at, 'roles']) });
    }
  }

  for (const key of ['customServiceAcls', 'customUserAcls'] as const) {
    for (const [owner, set] of entries(root[key])) {
      for (const [aclName, a] of entries(set)) {
        const at: JsonPath = [key, owner, aclName];
        const principal = (isRecord(a) && text(a.principal)) || principals.get(owner);
        const resourceType = isRecord(a) ? text(a.type)?.toUpperCase() : undefined;
        const patternType = (isRecord(a) && text(a.pattern)?.toUpperCase()) || 'LITERAL';
        const operation = isRecord(a) ? text(a.operation)?.toUpperCase() : undefined;
        const permission = (isRecord(a) && text(a.permission)?.toUpperCase()) || 'ALLOW';
        const name = isRecord(a) ? text(a.name) : undefined;
        if (!isRecord(a) || !principal || !name || !TYPES.includes(resourceType as AclResourceType) || !OPERATIONS.includes(operation as AclOperation) || !['LITERAL', 'PREFIXED'].includes(patternType) || !['ALLOW', 'DENY'].includes(permission)) {
          diagnostics.push(input.problem(`${key}.${owner}.${aclName} must have a name, a type (TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID), a pattern (LITERAL, PREFIXED), an operation and a permission, and a principal (its own or its ${key === 'customServiceAcls' ? 'service' : 'user'}'s)`, at, { key: true }));
          continue;
        }
        estate.acls.push({
          principal,
          resourceType: resourceType as AclResourceType,
          resourceName: name,
          patternType: patternType as AclPatternType,
          operation: operation as AclOperation,
          permission: permission as AclPermission,
          host: text(a.host) ?? '*',
          location: input.at(at, { key: true }),
        });
      }
    }
  }
  return diagnostics;
}
