import { AclBinding, AclOperation as Op, AclPermissionType, PatternType, ResourceType } from '../../src/cluster/acl';
import { requireAccess, RequestContext } from '../../src/apis/api';
import { Authorizer } from '../../src/security/authorizer';

const HOST = '127.0.0.1';

function acl(overrides: Partial<AclBinding>): AclBinding {
  return {
    resourceType: ResourceType.TOPIC,
    resourceName: 'orders',
    patternType: PatternType.LITERAL,
    principal: 'User:alice',
    host: '*',
    operation: Op.READ,
    permissionType: AclPermissionType.ALLOW,
    ...overrides,
  };
}

function authorizer(acls: AclBinding[], superUsers: string[] = []): Authorizer {
  return new Authorizer(acls, { enabled: true, superUsers });
}

const may = (a: Authorizer, principal: string, name: string, op: number, type: number = ResourceType.TOPIC, host = HOST) => a.authorize(principal, host, type, name, op);

describe('authorizer', () => {
  it('denies when no ACL matches (allow.everyone.if.no.acl.found=false)', () => {
    expect(may(authorizer([]), 'User:alice', 'orders', Op.READ)).toBe(false);
  });

  it('allows everything when disabled', () => {
    expect(new Authorizer([], { enabled: false, superUsers: [] }).authorize('User:ANONYMOUS', HOST, ResourceType.CLUSTER, 'kafka-cluster', Op.ALTER)).toBe(true);
  });

  it('lets super users do anything, ACLs or not', () => {
    const a = authorizer([acl({ permissionType: AclPermissionType.DENY, principal: 'User:*', operation: Op.ALL })], ['User:admin']);
    expect(may(a, 'User:admin', 'orders', Op.DELETE)).toBe(true);
    expect(may(a, 'User:alice', 'orders', Op.READ)).toBe(false);
  });

  it('matches a LITERAL pattern by exact name only', () => {
    const a = authorizer([acl({})]);
    expect(may(a, 'User:alice', 'orders', Op.READ)).toBe(true);
    expect(may(a, 'User:alice', 'orders2', Op.READ)).toBe(false);
  });

  it('matches a PREFIXED pattern by name prefix (so acme.user also covers acme.userprops)', () => {
    const a = authorizer([acl({ resourceName: 'acme.user', patternType: PatternType.PREFIXED })]);
    expect(may(a, 'User:alice', 'acme.user', Op.READ)).toBe(true);
    expect(may(a, 'User:alice', 'acme.userprops.x', Op.READ)).toBe(true);
    expect(may(a, 'User:alice', 'acme.use', Op.READ)).toBe(false);
  });

  it('treats a LITERAL `*` resource name as every resource of the type', () => {
    const a = authorizer([acl({ resourceName: '*' })]);
    expect(may(a, 'User:alice', 'anything', Op.READ)).toBe(true);
    expect(may(a, 'User:alice', 'anything', Op.READ, ResourceType.GROUP)).toBe(false);
  });

  it('treats a PREFIXED `*` as the literal prefix `*`, not a wildcard', () => {
    const a = authorizer([acl({ resourceName: '*', patternType: PatternType.PREFIXED })]);
    expect(may(a, 'User:alice', 'anything', Op.READ)).toBe(false);
  });

  it('matches `User:*` for every principal, and exact principals only otherwise', () => {
    const a = authorizer([acl({ principal: 'User:*' })]);
    expect(may(a, 'User:bob', 'orders', Op.READ)).toBe(true);
    expect(may(a, 'User:ANONYMOUS', 'orders', Op.READ)).toBe(true);
    expect(may(authorizer([acl({})]), 'User:bob', 'orders', Op.READ)).toBe(false);
  });

  it('matches the host exactly or by `*`', () => {
    const a = authorizer([acl({ host: '10.0.0.1' })]);
    expect(may(a, 'User:alice', 'orders', Op.READ, ResourceType.TOPIC, '10.0.0.1')).toBe(true);
    expect(may(a, 'User:alice', 'orders', Op.READ, ResourceType.TOPIC, HOST)).toBe(false);
  });

  it('lets DENY beat ALLOW, including a wildcard DENY against a specific ALLOW', () => {
    const a = authorizer([acl({}), acl({ principal: 'User:*', resourceName: 'ord', patternType: PatternType.PREFIXED, permissionType: AclPermissionType.DENY })]);
    expect(may(a, 'User:alice', 'orders', Op.READ)).toBe(false);
  });

  it('applies an ALL operation to every operation, for ALLOW and DENY', () => {
    expect(may(authorizer([acl({ operation: Op.ALL })]), 'User:alice', 'orders', Op.ALTER_CONFIGS)).toBe(true);
    expect(may(authorizer([acl({ operation: Op.WRITE }), acl({ operation: Op.ALL, permissionType: AclPermissionType.DENY })]), 'User:alice', 'orders', Op.WRITE)).toBe(false);
  });

  it.each([Op.READ, Op.WRITE, Op.DELETE, Op.ALTER])('lets an ALLOW for operation %i imply DESCRIBE', (op) => {
    const a = authorizer([acl({ operation: op })]);
    expect(may(a, 'User:alice', 'orders', Op.DESCRIBE)).toBe(true);
  });

  it('does not let CREATE or DESCRIBE_CONFIGS imply DESCRIBE, nor DESCRIBE imply READ', () => {
    expect(may(authorizer([acl({ operation: Op.CREATE })]), 'User:alice', 'orders', Op.DESCRIBE)).toBe(false);
    expect(may(authorizer([acl({ operation: Op.DESCRIBE_CONFIGS })]), 'User:alice', 'orders', Op.DESCRIBE)).toBe(false);
    expect(may(authorizer([acl({ operation: Op.DESCRIBE })]), 'User:alice', 'orders', Op.READ)).toBe(false);
  });

  it('lets ALTER_CONFIGS imply DESCRIBE_CONFIGS, but not the reverse', () => {
    expect(may(authorizer([acl({ operation: Op.ALTER_CONFIGS })]), 'User:alice', 'orders', Op.DESCRIBE_CONFIGS)).toBe(true);
    expect(may(authorizer([acl({ operation: Op.DESCRIBE_CONFIGS })]), 'User:alice', 'orders', Op.ALTER_CONFIGS)).toBe(false);
  });

  it('does not let a DENY of READ deny the implied DESCRIBE', () => {
    const a = authorizer([acl({ operation: Op.WRITE }), acl({ operation: Op.READ, permissionType: AclPermissionType.DENY })]);
    expect(may(a, 'User:alice', 'orders', Op.DESCRIBE)).toBe(true);
    expect(may(a, 'User:alice', 'orders', Op.READ)).toBe(false);
  });

  it('reports the authorized-operations bit set Metadata carries', () => {
    const a = authorizer([acl({ operation: Op.READ })]);
    const bits = a.authorizedOperations('User:alice', HOST, ResourceType.TOPIC, 'orders');
    expect(bits).toBe((1 << Op.READ) | (1 << Op.DESCRIBE));
  });

  it.each([
    [ResourceType.TOPIC, 29],
    [ResourceType.GROUP, 30],
    [ResourceType.CLUSTER, 31],
    [ResourceType.TRANSACTIONAL_ID, 53],
  ])('refuses resource type %i with Kafka error code %i', (resourceType, code) => {
    const context = { authorizer: authorizer([]), session: { principal: 'User:alice', clientHost: HOST } } as unknown as RequestContext;
    expect(() => requireAccess(context, resourceType, 'x', Op.READ)).toThrow(expect.objectContaining({ code }));
    const allowed = { authorizer: authorizer([acl({ resourceType, resourceName: 'x' })]), session: { principal: 'User:alice', clientHost: HOST } } as unknown as RequestContext;
    expect(() => requireAccess(allowed, resourceType, 'x', Op.READ)).not.toThrow();
  });
});
