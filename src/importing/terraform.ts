/**
 * The Kafka provider's resources (Mongey/terraform-provider-kafka, also bridged as Pulumi's
 * `kafka` provider) from a Terraform state file (format version 4), `terraform show -json`, or a
 * Pulumi stack (`pulumi stack export`):
 *
 * - `kafka_topic` (Pulumi `kafka:index/topic:Topic`): name, partitions, replication_factor, config;
 * - `kafka_acl` (`kafka:index/acl:Acl`): resource_name, resource_type (Topic, Group, Cluster,
 *   TransactionalID), resource_pattern_type_filter (Literal, default; Prefixed), acl_principal,
 *   acl_host, acl_operation (Read, Write, Describe, ...), acl_permission_type (Allow, Deny);
 * - `kafka_quota` and `kafka_user_scram_credential`: listed, not carried over.
 *
 * Resources in child modules are read too. The provider groups nothing: each principal is a
 * product of its own unless it writes a topic with another (see draft.ts).
 */
import type { Diagnostic } from '../vocabulary/diagnostics';
import type { AclOperation, AclPatternType, AclPermission, AclResourceType } from '../plan/types';
import { isRecord } from '../reading/extension';
import type { JsonPath } from '../reading/source';
import { emptyEstate, type Estate } from './estate';
import { configStrings, count, list, readInput, text, type InputFile } from './input';

const OPERATION: Record<string, AclOperation> = {
  All: 'ALL', Read: 'READ', Write: 'WRITE', Create: 'CREATE', Delete: 'DELETE', Alter: 'ALTER', Describe: 'DESCRIBE',
  ClusterAction: 'CLUSTER_ACTION', DescribeConfigs: 'DESCRIBE_CONFIGS', AlterConfigs: 'ALTER_CONFIGS', IdempotentWrite: 'IDEMPOTENT_WRITE',
};
const RESOURCE: Record<string, AclResourceType> = { Topic: 'TOPIC', Group: 'GROUP', Cluster: 'CLUSTER', TransactionalID: 'TRANSACTIONAL_ID' };
const PATTERN: Record<string, AclPatternType> = { Literal: 'LITERAL', Prefixed: 'PREFIXED' };
const PERMISSION: Record<string, AclPermission> = { Allow: 'ALLOW', Deny: 'DENY' };

/** One provider resource, whatever file it came from: its Terraform type and attribute values (snake_case). */
interface Found {
  type: string;
  address: string;
  values: Record<string, unknown>;
  at: JsonPath;
}

/** Pulumi's token -> the Terraform type, and its camelCase inputs -> Terraform's attribute names. */
const PULUMI_TYPES: Record<string, string> = {
  'kafka:index/topic:Topic': 'kafka_topic',
  'kafka:index/acl:Acl': 'kafka_acl',
  'kafka:index/quota:Quota': 'kafka_quota',
  'kafka:index/userScramCredential:UserScramCredential': 'kafka_user_scram_credential',
};
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function readTerraform(files: readonly string[], cwd: string): { estate: Estate; diagnostics: Diagnostic[] } {
  const estate = emptyEstate('terraform');
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const { input, diagnostics: read } = readInput(file, cwd);
    diagnostics.push(...read);
    if (!input) continue;
    const found = resources(input);
    if (found === undefined) {
      diagnostics.push(input.problem('not a Terraform state (format version 4), `terraform show -json` output, or `pulumi stack export` output', []));
      continue;
    }
    for (const r of found) diagnostics.push(...readResource(input, r, estate));
  }
  return { estate, diagnostics };
}

/** The provider's resources of a state file, show -json output or Pulumi export; undefined for none of these. */
function resources(input: InputFile): Found[] | undefined {
  const root = input.source.value;
  if (!isRecord(root)) return undefined;
  if (root.version === 4 && Array.isArray(root.resources)) {
    return root.resources.flatMap((r, i) => {
      if (!isRecord(r) || r.mode === 'data') return [];
      const prefix = text(r.module) ? `${text(r.module)}.` : '';
      return list(r.instances).flatMap((inst, j) =>
        isRecord(inst) && isRecord(inst.attributes)
          ? [{ type: String(r.type), address: `${prefix}${String(r.type)}.${String(r.name)}${inst.index_key !== undefined ? `[${JSON.stringify(inst.index_key)}]` : ''}`, values: inst.attributes, at: ['resources', i, 'instances', j] }]
          : [],
      );
    });
  }
  if (isRecord(root.values) && isRecord(root.values.root_module)) {
    const out: Found[] = [];
    const walk = (module: Record<string, unknown>, at: JsonPath) => {
      list(module.resources).forEach((r, i) => {
        if (isRecord(r) && r.mode !== 'data' && isRecord(r.values)) out.push({ type: String(r.type), address: text(r.address) ?? String(r.type), values: r.values, at: [...at, 'resources', i] });
      });
      list(module.child_modules).forEach((m, i) => isRecord(m) && walk(m, [...at, 'child_modules', i]));
    };
    walk(root.values.root_module, ['values', 'root_module']);
    return out;
  }
  if (isRecord(root.deployment) && Array.isArray(root.deployment.resources)) {
    return root.deployment.resources.flatMap((r, i) => {
      if (!isRecord(r) || !PULUMI_TYPES[String(r.type)]) return [];
      const props = isRecord(r.outputs) ? r.outputs : isRecord(r.inputs) ? r.inputs : {};
      const values = Object.fromEntries(Object.entries(props).map(([k, v]) => [snake(k), v]));
      return [{ type: PULUMI_TYPES[String(r.type)], address: text(r.urn) ?? String(r.type), values, at: ['deployment', 'resources', i] }];
    });
  }
  return undefined;
}

function readResource(input: InputFile, r: Found, estate: Estate): Diagnostic[] {
  const location = input.at(r.at);
  const v = r.values;
  if (r.type === 'kafka_topic') {
    const name = text(v.name);
    if (!name) return [input.problem(`${r.address}: a kafka_topic needs a name`, r.at)];
    const partitions = count(v.partitions);
    const replicas = count(v.replication_factor);
    estate.topics.push({ name, ...(partitions && { partitions }), ...(replicas && { replicas }), config: configStrings(v.config), location });
    return [];
  }
  if (r.type === 'kafka_acl') {
    const resourceType = RESOURCE[text(v.resource_type) ?? ''];
    const operation = OPERATION[text(v.acl_operation) ?? ''];
    const patternType = PATTERN[text(v.resource_pattern_type_filter) ?? 'Literal'];
    const permission = PERMISSION[text(v.acl_permission_type) ?? ''];
    const principal = text(v.acl_principal);
    const resourceName = text(v.resource_name);
    if (!resourceType || !operation || !patternType || !permission || !principal || resourceName === undefined) {
      return [input.problem(`${r.address}: a kafka_acl needs resource_name, resource_type (${Object.keys(RESOURCE).join(', ')}), acl_principal, acl_operation (${Object.keys(OPERATION).join(', ')}), acl_permission_type (Allow, Deny) and a resource_pattern_type_filter of Literal or Prefixed`, r.at)];
    }
    estate.acls.push({ principal, resourceType, resourceName, patternType, operation, permission, host: text(v.acl_host) ?? '*', location });
    return [];
  }
  if (r.type === 'kafka_quota') {
    const entity = `${text(v.entity_type) ?? text(v.quota_entity_type) ?? '?'} ${text(v.entity_name) ?? text(v.quota_entity_name) ?? '(default)'}`;
    estate.unmapped.push({ what: `${r.address} (quota of ${entity})`, why: 'client quotas are not part of a product spec; the quota stays on the cluster as it is', location });
  } else if (r.type === 'kafka_user_scram_credential') {
    estate.unmapped.push({ what: `${r.address}`, why: 'credentials are not meshform\'s: they stay as they are', location });
  } else if (r.type.startsWith('kafka_')) {
    estate.unmapped.push({ what: r.address, why: `${r.type} is not carried over`, location });
  }
  return [];
}
