import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ResourcePatternTypes } from 'kafkajs';
import { TestBroker, startTestBroker } from '../../src';
import { adminFor, kafkaErrorOf } from '../kafka';
import { WireClient } from '../wire-client';

const ANY_FILTER = {
  resourceType: AclResourceTypes.ANY,
  resourcePatternType: ResourcePatternTypes.ANY,
  operation: AclOperationTypes.ANY,
  permissionType: AclPermissionTypes.ANY,
};

function topicAcl(resourceName: string, principal: string, operation: number, resourcePatternType = ResourcePatternTypes.LITERAL) {
  return { resourceType: AclResourceTypes.TOPIC, resourceName, resourcePatternType, principal, host: '*', operation, permissionType: AclPermissionTypes.ALLOW };
}

describe('ACL APIs', () => {
  it('answer SECURITY_DISABLED (54) without an authorizer', async () => {
    const broker = await startTestBroker();
    const admin = await adminFor(broker);
    try {
      expect(await kafkaErrorOf(admin.createAcls({ acl: [topicAcl('t', 'User:a', AclOperationTypes.READ)] }))).toBe('SECURITY_DISABLED');
      expect(await kafkaErrorOf(admin.describeAcls(ANY_FILTER))).toBe('SECURITY_DISABLED');
      expect(await kafkaErrorOf(admin.deleteAcls({ filters: [ANY_FILTER] }))).toBe('SECURITY_DISABLED');
    } finally {
      await admin.disconnect();
      await broker.stop();
    }
  });

  describe('with an authorizer', () => {
    let broker: TestBroker;
    let admin: Admin;

    beforeAll(async () => {
      broker = await startTestBroker({ saslUsers: { admin: 'admin-secret' }, superUsers: ['User:admin'] });
      admin = await adminFor(broker, { username: 'admin', password: 'admin-secret' });
    });

    afterAll(async () => {
      await admin.disconnect();
      await broker.stop();
    });

    afterEach(async () => {
      await admin.deleteAcls({ filters: [ANY_FILTER] });
    });

    it('creates, describes (grouped by resource pattern) and deletes bindings', async () => {
      await admin.createAcls({
        acl: [
          topicAcl('acme.', 'User:acme', AclOperationTypes.READ, ResourcePatternTypes.PREFIXED),
          topicAcl('acme.', 'User:acme', AclOperationTypes.WRITE, ResourcePatternTypes.PREFIXED),
          topicAcl('acme.orders', 'User:*', AclOperationTypes.READ),
        ],
      });
      const described = await admin.describeAcls(ANY_FILTER);
      expect(described.resources).toHaveLength(2);
      const prefixed = described.resources.find((r) => r.resourcePatternType === ResourcePatternTypes.PREFIXED);
      expect(prefixed?.acls.map((a) => a.operation).sort()).toEqual([AclOperationTypes.READ, AclOperationTypes.WRITE]);

      const deleted = await admin.deleteAcls({ filters: [{ ...ANY_FILTER, principal: 'User:*' }] });
      expect(deleted.filterResponses[0].matchingAcls).toEqual([expect.objectContaining({ resourceName: 'acme.orders', principal: 'User:*' })]);
      expect((await admin.describeAcls(ANY_FILTER)).resources).toHaveLength(1);
    });

    it('stores an identical binding once', async () => {
      const binding = topicAcl('dup', 'User:x', AclOperationTypes.READ);
      await admin.createAcls({ acl: [binding, binding] });
      await admin.createAcls({ acl: [binding] });
      expect((await admin.describeAcls(ANY_FILTER)).resources[0].acls).toHaveLength(1);
    });

    it('MATCH filters find every pattern that applies to a name; LITERAL filters only the exact pattern', async () => {
      await admin.createAcls({
        acl: [
          topicAcl('acme.', 'User:a', AclOperationTypes.READ, ResourcePatternTypes.PREFIXED),
          topicAcl('*', 'User:b', AclOperationTypes.READ),
          topicAcl('acme.orders', 'User:c', AclOperationTypes.READ),
          topicAcl('other', 'User:d', AclOperationTypes.READ),
        ],
      });
      const match = await admin.describeAcls({ ...ANY_FILTER, resourceType: AclResourceTypes.TOPIC, resourceName: 'acme.orders', resourcePatternType: ResourcePatternTypes.MATCH });
      expect(match.resources.flatMap((r) => r.acls.map((a) => a.principal)).sort()).toEqual(['User:a', 'User:b', 'User:c']);
      const literal = await admin.describeAcls({ ...ANY_FILTER, resourceType: AclResourceTypes.TOPIC, resourceName: 'acme.orders', resourcePatternType: ResourcePatternTypes.LITERAL });
      expect(literal.resources.flatMap((r) => r.acls.map((a) => a.principal))).toEqual(['User:c']);
    });

    it('refuses malformed bindings with INVALID_REQUEST (42)', async () => {
      expect(await kafkaErrorOf(admin.createAcls({ acl: [topicAcl('t', 'alice', AclOperationTypes.READ)] }))).toBe('INVALID_REQUEST');
      expect(await kafkaErrorOf(admin.createAcls({ acl: [{ ...topicAcl('t', 'User:a', AclOperationTypes.READ), resourceType: AclResourceTypes.CLUSTER }] }))).toBe('INVALID_REQUEST');
      expect(await kafkaErrorOf(admin.createAcls({ acl: [topicAcl('t', 'User:a', AclOperationTypes.ANY)] }))).toBe('INVALID_REQUEST');
      expect((await admin.describeAcls(ANY_FILTER)).resources).toEqual([]);
    });

    it('serves the flexible versions (v2, v3) of all three ACL APIs', async () => {
      const wire = await WireClient.open(broker.bootstrap);
      try {
        await wire.request(17, 1, { mechanism: 'PLAIN' });
        await wire.request(36, 2, { authBytes: Buffer.from('\u0000admin\u0000admin-secret') });
        const creation = { resourceType: 2, resourceName: 'flex', resourcePatternType: 3, principal: 'User:f', host: '*', operation: 3, permissionType: 3 };
        const created = await wire.request<{ results: Array<{ errorCode: number }> }>(30, 3, { creations: [creation] });
        expect(created.results).toEqual([{ errorCode: 0, errorMessage: null }]);
        const filter = { resourceTypeFilter: 1, resourceNameFilter: null, patternTypeFilter: 1, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 };
        const described = await wire.request<{ resources: Array<{ resourceName: string }> }>(29, 3, filter);
        expect(described.resources.map((r) => r.resourceName)).toEqual(['flex']);
        const deleted = await wire.request<{ filterResults: Array<{ matchingAcls: unknown[] }> }>(31, 2, { filters: [filter] });
        expect(deleted.filterResults[0].matchingAcls).toHaveLength(1);
      } finally {
        wire.close();
      }
    });
  });
});
