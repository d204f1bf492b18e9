/**
 * A reference model of Kafka's ACL authorizer (AclAuthorizer / StandardAuthorizer), to check what
 * a set of planned ACLs actually allows rather than only which bindings exist.
 * LITERAL matches the name or `*`, PREFIXED matches names that start with the pattern; the
 * principal matches itself or `User:*`; DENY beats ALLOW; READ, WRITE, DELETE and ALTER imply
 * DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS; ALL implies everything.
 */
import type { AclOperation, AclResourceType, KafkaAclProps } from '../../src/plan/types';

const IMPLIES_DESCRIBE: readonly AclOperation[] = ['READ', 'WRITE', 'DELETE', 'ALTER'];

function grants(aclOperation: AclOperation, requested: AclOperation): boolean {
  if (aclOperation === 'ALL' || aclOperation === requested) return true;
  if (requested === 'DESCRIBE') return IMPLIES_DESCRIBE.includes(aclOperation);
  if (requested === 'DESCRIBE_CONFIGS') return aclOperation === 'ALTER_CONFIGS';
  return false;
}

function matches(acl: KafkaAclProps, resourceType: AclResourceType, name: string): boolean {
  if (acl.resourceType !== resourceType) return false;
  return acl.patternType === 'LITERAL' ? acl.resourceName === name || acl.resourceName === '*' : name.startsWith(acl.resourceName);
}

export function isAllowed(
  acls: readonly KafkaAclProps[],
  principal: string,
  resourceType: AclResourceType,
  name: string,
  operation: AclOperation,
): boolean {
  const applicable = acls.filter(
    (acl) =>
      (acl.principal === principal || acl.principal === 'User:*') &&
      (acl.host === '*') &&
      matches(acl, resourceType, name) &&
      grants(acl.operation, operation),
  );
  if (applicable.some((acl) => acl.permission === 'DENY')) return false;
  return applicable.some((acl) => acl.permission === 'ALLOW');
}
