/** Kafka's ACL enums (org.apache.kafka.common.acl / resource) and the binding and filter matching rules. */

export const ResourceType = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5, DELEGATION_TOKEN: 6, USER: 7 } as const;
export const PatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;
export const AclPermissionType = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;

export const WILDCARD_RESOURCE = '*';
export const WILDCARD_PRINCIPAL = 'User:*';
export const WILDCARD_HOST = '*';
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

export interface AclBinding {
  resourceType: number;
  resourceName: string;
  patternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

/** Null strings and ANY enums match everything, as in Kafka's AclBindingFilter. */
export interface AclBindingFilter {
  resourceType: number;
  resourceName: string | null;
  patternType: number;
  principal: string | null;
  host: string | null;
  operation: number;
  permissionType: number;
}

/** A binding's identity: every field (Kafka has no other id for a binding). */
export function bindingKey(b: AclBinding): string {
  return `${b.resourceType}|${b.patternType}|${b.resourceName}|${b.principal}|${b.host}|${b.operation}|${b.permissionType}`;
}

/** Does a binding's resource pattern cover a concrete resource name (authorization-time matching)? */
export function patternCovers(binding: Pick<AclBinding, 'resourceName' | 'patternType'>, name: string): boolean {
  if (binding.patternType === PatternType.PREFIXED) return name.startsWith(binding.resourceName);
  return binding.resourceName === name || binding.resourceName === WILDCARD_RESOURCE;
}

function patternMatchesFilter(binding: AclBinding, filter: AclBindingFilter): boolean {
  if (filter.resourceType !== ResourceType.ANY && filter.resourceType !== binding.resourceType) return false;
  switch (filter.patternType) {
    case PatternType.ANY:
      return filter.resourceName === null || filter.resourceName === binding.resourceName;
    case PatternType.MATCH:
      // MATCH finds every pattern that would apply to the named resource.
      return filter.resourceName === null || patternCovers(binding, filter.resourceName);
    default:
      return (
        filter.patternType === binding.patternType && (filter.resourceName === null || filter.resourceName === binding.resourceName)
      );
  }
}

export function filterMatches(filter: AclBindingFilter, binding: AclBinding): boolean {
  return (
    patternMatchesFilter(binding, filter) &&
    (filter.principal === null || filter.principal === binding.principal) &&
    (filter.host === null || filter.host === binding.host) &&
    (filter.operation === AclOperation.ANY || filter.operation === binding.operation) &&
    (filter.permissionType === AclPermissionType.ANY || filter.permissionType === binding.permissionType)
  );
}

/** Why a binding cannot be stored (Kafka answers INVALID_REQUEST), or null. */
export function invalidBindingReason(b: AclBinding): string | null {
  const concreteResources: number[] = [
    ResourceType.TOPIC,
    ResourceType.GROUP,
    ResourceType.CLUSTER,
    ResourceType.TRANSACTIONAL_ID,
    ResourceType.DELEGATION_TOKEN,
    ResourceType.USER,
  ];
  if (!concreteResources.includes(b.resourceType)) return `Invalid resource type ${b.resourceType}`;
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED) return `Invalid resource pattern type ${b.patternType}`;
  if (b.resourceName === '') return 'Resource name must not be empty';
  if (b.resourceType === ResourceType.CLUSTER && b.resourceName !== CLUSTER_RESOURCE_NAME) {
    return `The only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}`;
  }
  if (b.operation <= AclOperation.ANY || b.operation > AclOperation.DESCRIBE_TOKENS) return `Invalid operation ${b.operation}`;
  if (b.permissionType !== AclPermissionType.ALLOW && b.permissionType !== AclPermissionType.DENY) {
    return `Invalid permission type ${b.permissionType}`;
  }
  if (!/^[^:]+:.+$/.test(b.principal)) return `Could not parse principal from \`${b.principal}\` (no colon is present separating the principal type from the principal name)`;
  if (b.host === '') return 'Host must not be empty';
  return null;
}
