import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ConfigResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { TestBroker, startTestBroker } from '../../src';
import { adminFor, kafkaErrorOf } from '../kafka';
import { WireClient } from '../wire-client';

const ALLOW = AclPermissionTypes.ALLOW;
const ANY_FILTER = { resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY };

function grant(resourceType: number, resourceName: string, operation: number, principal = 'User:alice', resourcePatternType = ResourcePatternTypes.LITERAL, permissionType = ALLOW) {
  return { resourceType, resourceName, resourcePatternType, principal, host: '*', operation, permissionType };
}

/** Every API checks the operation Kafka checks; alice starts with no ACLs and gets exactly what each case grants. */
describe('per-API authorization (SASL PLAIN + authorizer)', () => {
  let broker: TestBroker;
  let admin: Admin;
  let alice: Admin;

  beforeAll(async () => {
    broker = await startTestBroker({ brokers: 1, saslUsers: { admin: 'admin-pw', alice: 'alice-pw' }, superUsers: ['User:admin'] });
    admin = await adminFor(broker, { username: 'admin', password: 'admin-pw' });
    alice = await adminFor(broker, { username: 'alice', password: 'alice-pw' });
    await admin.createTopics({ topics: [{ topic: 'team.a.orders', numPartitions: 1 }, { topic: 'team.b.secret' }] });
  });

  afterAll(async () => {
    await alice.disconnect();
    await admin.disconnect();
    await broker.stop();
  });

  afterEach(async () => {
    await admin.deleteAcls({ filters: [ANY_FILTER] });
  });

  it('Metadata hides topics the caller may not DESCRIBE and refuses them by name (29)', async () => {
    expect(await alice.listTopics()).toEqual([]);
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.', AclOperationTypes.READ, 'User:alice', ResourcePatternTypes.PREFIXED)] });
    expect(await alice.listTopics()).toEqual(['team.a.orders']);
    expect(await kafkaErrorOf(alice.fetchTopicMetadata({ topics: ['team.b.secret'] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    // Not leaking existence: a missing topic the caller may not describe is refused the same way.
    expect(await kafkaErrorOf(alice.fetchTopicMetadata({ topics: ['team.b.missing'] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('CreateTopics needs CREATE on the topic (29 without) or on the cluster', async () => {
    expect(await kafkaErrorOf(alice.createTopics({ waitForLeaders: false, topics: [{ topic: 'team.a.new' }] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.', AclOperationTypes.CREATE, 'User:alice', ResourcePatternTypes.PREFIXED)] });
    expect(await alice.createTopics({ waitForLeaders: false, topics: [{ topic: 'team.a.new' }] })).toBe(true);
    expect(await kafkaErrorOf(alice.createTopics({ waitForLeaders: false, topics: [{ topic: 'team.b.new' }] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [grant(AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.CREATE)] });
    expect(await alice.createTopics({ waitForLeaders: false, topics: [{ topic: 'team.b.new' }] })).toBe(true);
    expect(await admin.listTopics()).toEqual(expect.arrayContaining(['team.a.new', 'team.b.new']));
  });

  it('DeleteTopics needs DELETE on the topic', async () => {
    await admin.createTopics({ topics: [{ topic: 'team.a.old' }] });
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.old', AclOperationTypes.DESCRIBE)] });
    expect(await kafkaErrorOf(alice.deleteTopics({ topics: ['team.a.old'] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.old', AclOperationTypes.DELETE)] });
    await alice.deleteTopics({ topics: ['team.a.old'] });
    expect(await admin.listTopics()).not.toContain('team.a.old');
  });

  it('CreatePartitions needs ALTER on the topic', async () => {
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.orders', AclOperationTypes.DESCRIBE)] });
    expect(await kafkaErrorOf(alice.createPartitions({ topicPartitions: [{ topic: 'team.a.orders', count: 2 }] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.orders', AclOperationTypes.ALTER)] });
    await alice.createPartitions({ topicPartitions: [{ topic: 'team.a.orders', count: 2 }] });
    expect((await admin.fetchTopicMetadata({ topics: ['team.a.orders'] })).topics[0].partitions).toHaveLength(2);
  });

  it('DescribeConfigs needs DESCRIBE_CONFIGS (ALTER_CONFIGS implies it) on the topic, or on the cluster for brokers (31)', async () => {
    const describeTopic = () => alice.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'team.a.orders' }], includeSynonyms: false });
    expect(await kafkaErrorOf(describeTopic())).toBe('TOPIC_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.orders', AclOperationTypes.ALTER_CONFIGS)] });
    expect((await describeTopic()).resources[0].errorCode).toBe(0);
    const describeBroker = () => alice.describeConfigs({ resources: [{ type: ConfigResourceTypes.BROKER, name: '0' }], includeSynonyms: false });
    expect(await kafkaErrorOf(describeBroker())).toBe('CLUSTER_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [grant(AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.DESCRIBE_CONFIGS)] });
    expect((await describeBroker()).resources[0].errorCode).toBe(0);
  });

  it('AlterConfigs and IncrementalAlterConfigs need ALTER_CONFIGS on the topic', async () => {
    const alter = () => alice.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'team.a.orders', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.orders', AclOperationTypes.DESCRIBE_CONFIGS)] });
    expect(await kafkaErrorOf(alter())).toBe('TOPIC_AUTHORIZATION_FAILED');
    const wire = await WireClient.open(broker.bootstrap);
    await wire.request(17, 1, { mechanism: 'PLAIN' });
    await wire.request(36, 1, { authBytes: Buffer.from('\u0000alice\u0000alice-pw') });
    const incremental = () =>
      wire.request<{ responses: Array<{ errorCode: number }> }>(44, 1, {
        resources: [{ resourceType: 2, resourceName: 'team.a.orders', configs: [{ name: 'segment.ms', configOperation: 0, value: '1000' }] }],
        validateOnly: false,
      });
    expect((await incremental()).responses[0].errorCode).toBe(29);
    await admin.createAcls({ acl: [grant(AclResourceTypes.TOPIC, 'team.a.orders', AclOperationTypes.ALTER_CONFIGS)] });
    await alter();
    expect((await incremental()).responses[0].errorCode).toBe(0);
    wire.close();
  });

  it('CreateAcls and DeleteAcls need ALTER on the cluster, DescribeAcls DESCRIBE on the cluster (31)', async () => {
    const binding = grant(AclResourceTypes.TOPIC, 'x', AclOperationTypes.READ, 'User:bob');
    expect(await kafkaErrorOf(alice.createAcls({ acl: [binding] }))).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect(await kafkaErrorOf(alice.describeAcls(ANY_FILTER))).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect(await kafkaErrorOf(alice.deleteAcls({ filters: [ANY_FILTER] }))).toBe('CLUSTER_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [grant(AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.ALTER)] });
    await alice.createAcls({ acl: [binding] });
    // ALTER implies DESCRIBE, so alice may now list the bindings too.
    expect((await alice.describeAcls({ ...ANY_FILTER, principal: 'User:bob' })).resources).toHaveLength(1);
  });

  it('a DENY beats an ALLOW from a wider pattern', async () => {
    await admin.createAcls({
      acl: [
        grant(AclResourceTypes.TOPIC, 'team.', AclOperationTypes.ALL, 'User:alice', ResourcePatternTypes.PREFIXED),
        grant(AclResourceTypes.TOPIC, 'team.b.secret', AclOperationTypes.DESCRIBE, 'User:*', ResourcePatternTypes.LITERAL, AclPermissionTypes.DENY),
      ],
    });
    const visible = await alice.listTopics();
    expect(visible).toContain('team.a.orders');
    expect(visible).not.toContain('team.b.secret');
    expect(await kafkaErrorOf(alice.fetchTopicMetadata({ topics: ['team.b.secret'] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });
});
