import { AclEntry, AclOperationTypes, AclPermissionTypes, AclResourceTypes, DescribeAclResponse, ResourcePatternTypes } from 'kafkajs';

/** An ACL binding by Kafka's enum names, the one shape kafkajs, kafka-python and the tests share. */
export interface NamedAcl {
  principal: string;
  host: string;
  operation: string;
  permission: string;
  resourceType: string;
  name: string;
  pattern: string;
}

/** kafkajs's enum objects are plain name -> code maps at run time (no reverse mapping). */
function nameOf(codes: Record<string, unknown>, code: number): string {
  const entry = Object.entries(codes).find(([, value]) => value === code);
  if (!entry) throw new Error(`no name for code ${code}`);
  return entry[0];
}

function codeOf(codes: Record<string, unknown>, name: string): number {
  const code = codes[name];
  if (typeof code !== 'number') throw new Error(`no code for ${name}`);
  return code;
}

/** A binding by names: ALLOW on a LITERAL topic, from any host, unless `extra` says otherwise. */
export function acl(principal: string, operation: string, name: string, extra: Partial<NamedAcl> = {}): NamedAcl {
  return { principal, host: '*', operation, permission: 'ALLOW', resourceType: 'TOPIC', name, pattern: 'LITERAL', ...extra };
}

export function aclToKafkajs(acl: NamedAcl): AclEntry {
  return {
    principal: acl.principal,
    host: acl.host,
    operation: codeOf(AclOperationTypes, acl.operation),
    permissionType: codeOf(AclPermissionTypes, acl.permission),
    resourceType: codeOf(AclResourceTypes, acl.resourceType),
    resourceName: acl.name,
    resourcePatternType: codeOf(ResourcePatternTypes, acl.pattern),
  };
}

/** Flattens kafkajs's by-resource grouping, sorted so two clients' answers compare with toEqual. */
export function aclsFromKafkajs(described: DescribeAclResponse): NamedAcl[] {
  return sortAcls(
    described.resources.flatMap((resource) =>
      resource.acls.map((a) => ({
        principal: a.principal,
        host: a.host,
        operation: nameOf(AclOperationTypes, a.operation),
        permission: nameOf(AclPermissionTypes, a.permissionType),
        resourceType: nameOf(AclResourceTypes, resource.resourceType),
        name: resource.resourceName,
        pattern: nameOf(ResourcePatternTypes, resource.resourcePatternType),
      })),
    ),
  );
}

export function sortAcls(acls: NamedAcl[]): NamedAcl[] {
  const key = (a: NamedAcl) => [a.resourceType, a.pattern, a.name, a.principal, a.host, a.operation, a.permission].join('\u0000');
  return [...acls].sort((a, b) => key(a).localeCompare(key(b)));
}

/** Matches every binding, for kafkajs describeAcls / deleteAcls. */
export const KAFKAJS_ANY_ACL = {
  resourceType: AclResourceTypes.ANY,
  resourcePatternType: ResourcePatternTypes.ANY,
  operation: AclOperationTypes.ANY,
  permissionType: AclPermissionTypes.ANY,
};
