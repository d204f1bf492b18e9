/**
 * When meshform's own principal lacks a right, the refusal says which principal lacks what on which
 * resource: per item in the report, or as the one-line error of a read it cannot do. On the test
 * broker and on real Kafka; the rights are granted with kafkajs.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { plainLogin, type KafkaConnection } from '../../src/adapters/kafka';
import { startTestBroker } from '@meshform/kafka-test-broker';
import { REAL_KAFKA_START_MS, realKafkaBackend, startRealKafka } from '@meshform/peers/testing/real-kafka';
import { ADMIN, adminConnection, apply, states } from './broker';
import { ownerAcl, topic } from './fixtures';
import { withAdmin } from './oracle';

const OPS = { username: 'ops', password: 'ops-secret' };
const orders = 'acme.retail.orders';
const placed = `${orders}._public.placed`;
const users = { [ADMIN.username]: ADMIN.password, [OPS.username]: OPS.password };

const backends: [string, () => Promise<{ bootstrap: string; stop(): Promise<void> }>, string | undefined][] = [
  ['test broker', () => startTestBroker({ saslUsers: users, superUsers: ['User:admin'] }), undefined],
  ['real Kafka', () => startRealKafka({ saslUsers: users, superUsers: ['User:admin'] }), realKafkaBackend('rights on real Kafka')[1]],
];

/** ALLOW User:ops `operation` on a resource, granted by the admin with kafkajs. */
async function grant(admin: KafkaConnection, resourceType: number, resourceName: string, patternType: number, operation: number): Promise<void> {
  await withAdmin(admin, (client) =>
    client.createAcls({
      acl: [{ resourceType, resourceName, resourcePatternType: patternType, principal: 'User:ops', host: '*', operation, permissionType: AclPermissionTypes.ALLOW }],
    }),
  );
}

describe.each(backends)('a principal without every right (%s)', (_name, start, reason) => {
  if (reason) {
    it.skip(`skipped: ${reason}`, () => undefined);
    return;
  }
  let cluster: { bootstrap: string; stop(): Promise<void> };
  let ops: KafkaConnection;

  beforeAll(async () => {
    cluster = await start();
    ops = { brokers: [cluster.bootstrap], clientId: 'meshform-test', tls: false, sasl: plainLogin(OPS) };
  }, REAL_KAFKA_START_MS);
  afterAll(() => cluster?.stop());

  it('cannot read the ACLs without DESCRIBE on the cluster, and says so in one line', async () => {
    await expect(apply(ops, [orders], [topic(orders, placed, 1, 1)], {}, 'plan')).rejects.toThrow(
      /^cannot read the cluster's ACLs: CLUSTER_AUTHORIZATION_FAILED \(31\): User:ops lacks DESCRIBE on the CLUSTER \(a super user has every right\)$/,
    );
  });

  it('is told, per item, which right it lacks: CREATE on the topic, ALTER on the cluster for ACLs', async () => {
    const admin = adminConnection(cluster.bootstrap);
    await grant(admin, AclResourceTypes.CLUSTER, 'kafka-cluster', ResourcePatternTypes.LITERAL, AclOperationTypes.DESCRIBE);
    await grant(admin, AclResourceTypes.TOPIC, 'acme.', ResourcePatternTypes.PREFIXED, AclOperationTypes.DESCRIBE);
    const owner = ownerAcl(orders);
    const report = await apply(ops, [orders], [topic(orders, placed, 1, 1), owner]);
    expect(states(report)).toEqual({ [placed]: 'FAILED', [owner.name]: 'FAILED' });
    const errors = Object.fromEntries(report.resources.map((r) => [r.topic ?? r.name, r.error]));
    expect(errors[placed]).toBe(`TOPIC_AUTHORIZATION_FAILED (29): User:ops lacks CREATE on TOPIC ${placed} (or CREATE on the CLUSTER; a super user has every right)`);
    expect(errors[owner.name]).toBe('CLUSTER_AUTHORIZATION_FAILED (31): User:ops lacks ALTER on the CLUSTER (a super user has every right)');

    // With CREATE on the topics but not DESCRIBE_CONFIGS, the next read names that right.
    await grant(admin, AclResourceTypes.TOPIC, 'acme.', ResourcePatternTypes.PREFIXED, AclOperationTypes.CREATE);
    expect(states(await apply(ops, [orders], [topic(orders, placed, 1, 1)]))[placed]).toBe('CREATED');
    await expect(apply(ops, [orders], [topic(orders, placed, 1, 1)], {}, 'plan')).rejects.toThrow(
      `cannot read topic configs: TOPIC_AUTHORIZATION_FAILED (29): User:ops lacks DESCRIBE_CONFIGS on TOPIC ${placed} (a super user has every right)`,
    );
  });
});
