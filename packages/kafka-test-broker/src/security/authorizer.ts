import { AclBinding, AclOperation, AclPermissionType, ResourceType, WILDCARD_HOST, WILDCARD_PRINCIPAL, patternCovers } from '../cluster/acl';

/** Kafka's per-resource operations, used for the `authorizedOperations` bit sets. */
const OPERATIONS_BY_RESOURCE: Record<number, number[]> = {
  [ResourceType.TOPIC]: [
    AclOperation.READ,
    AclOperation.WRITE,
    AclOperation.CREATE,
    AclOperation.DELETE,
    AclOperation.ALTER,
    AclOperation.DESCRIBE,
    AclOperation.DESCRIBE_CONFIGS,
    AclOperation.ALTER_CONFIGS,
  ],
  [ResourceType.GROUP]: [AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE],
  [ResourceType.CLUSTER]: [
    AclOperation.CREATE,
    AclOperation.ALTER,
    AclOperation.DESCRIBE,
    AclOperation.CLUSTER_ACTION,
    AclOperation.DESCRIBE_CONFIGS,
    AclOperation.ALTER_CONFIGS,
    AclOperation.IDEMPOTENT_WRITE,
  ],
};

/** An ALLOW for any of these grants the key operation (Kafka's implied operations); DENY implies nothing. */
const IMPLIED_BY: Record<number, number[]> = {
  [AclOperation.DESCRIBE]: [AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER],
  [AclOperation.DESCRIBE_CONFIGS]: [AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS],
};

export interface AuthorizerOptions {
  enabled: boolean;
  superUsers: readonly string[];
}

/**
 * Kafka's StandardAuthorizer rules: super users may do anything; a matching DENY beats any ALLOW;
 * with no matching ALLOW the request is denied (allow.everyone.if.no.acl.found=false).
 * Disabled (no authorizer configured), everything is allowed and the ACL APIs answer SECURITY_DISABLED.
 */
export class Authorizer {
  readonly enabled: boolean;
  private readonly superUsers: Set<string>;

  constructor(
    private readonly acls: readonly AclBinding[],
    options: AuthorizerOptions,
  ) {
    this.enabled = options.enabled;
    this.superUsers = new Set(options.superUsers);
  }

  authorize(principal: string, host: string, resourceType: number, resourceName: string, operation: number): boolean {
    if (!this.enabled || this.superUsers.has(principal)) return true;
    const matching = this.acls.filter(
      (acl) =>
        acl.resourceType === resourceType &&
        patternCovers(acl, resourceName) &&
        (acl.principal === principal || acl.principal === WILDCARD_PRINCIPAL) &&
        (acl.host === host || acl.host === WILDCARD_HOST),
    );
    const grants = (acl: AclBinding, ops: number[]): boolean => acl.operation === AclOperation.ALL || ops.includes(acl.operation);
    if (matching.some((acl) => acl.permissionType === AclPermissionType.DENY && grants(acl, [operation]))) return false;
    const allowing = IMPLIED_BY[operation] ?? [operation];
    return matching.some((acl) => acl.permissionType === AclPermissionType.ALLOW && grants(acl, allowing));
  }

  /** The `authorizedOperations` bit set (bit n = operation code n) Metadata and DescribeCluster report. */
  authorizedOperations(principal: string, host: string, resourceType: number, resourceName: string): number {
    let bits = 0;
    for (const op of OPERATIONS_BY_RESOURCE[resourceType] ?? []) {
      if (this.authorize(principal, host, resourceType, resourceName, op)) bits |= 1 << op;
    }
    return bits;
  }
}
