import { readFileSync } from 'fs';
import { join } from 'path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ResourcePatternTypes } from 'kafkajs';
import { TestBroker, startTestBroker } from '../../src';
import { adminFor, kafkaErrorOf } from '../kafka';
import { WireClient } from '../wire-client';
import { consume, consumerFor, producerFor } from './clients';

const BATCH = Buffer.from(readFileSync(join(__dirname, 'fixtures', 'batch-two-records-t1700000000000.hex'), 'utf8').trim(), 'hex');
const ALICE = { username: 'alice', password: 'alice-pw' };
const ANY_FILTER = { resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY };

function allow(resourceType: number, resourceName: string, operation: number, permissionType = AclPermissionTypes.ALLOW) {
  return { resourceType, resourceName, resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:alice', host: '*', operation, permissionType };
}

async function wireAs(broker: TestBroker, user: string, password: string): Promise<WireClient> {
  const wire = await WireClient.open(broker.bootstrap);
  await wire.request(17, 1, { mechanism: 'PLAIN' });
  await wire.request(36, 2, { authBytes: Buffer.from(`\u0000${user}\u0000${password}`) });
  return wire;
}

type Codes = { responses?: Array<{ partitionResponses?: Array<{ errorCode: number }>; partitions?: Array<{ errorCode: number }> }> };
const firstCode = (r: Codes): number | undefined => {
  const t = r.responses?.[0];
  return (t?.partitionResponses ?? t?.partitions)?.[0].errorCode;
};

/** alice starts with no ACLs; each case grants exactly what Kafka checks for the API under test. */
describe('data-plane authorization (SASL PLAIN + ACLs)', () => {
  let broker: TestBroker;
  let admin: Admin;
  let alice: WireClient;

  beforeAll(async () => {
    broker = await startTestBroker({ saslUsers: { admin: 'admin-pw', alice: ALICE.password }, superUsers: ['User:admin'] });
    admin = await adminFor(broker, { username: 'admin', password: 'admin-pw' });
    await admin.createTopics({ topics: [{ topic: 'ledger', numPartitions: 1 }] });
    alice = await wireAs(broker, 'alice', ALICE.password);
  });

  afterAll(async () => {
    alice.close();
    await admin.disconnect();
    await broker.stop();
  });

  afterEach(async () => {
    await admin.deleteAcls({ filters: [ANY_FILTER] });
  });

  const produceBody = { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'ledger', partitionData: [{ index: 0, records: BATCH }] }] };
  const fetchBody = { replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, topics: [{ topic: 'ledger', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }] };

  it('Produce needs WRITE on the topic (29 per partition); DESCRIBE is not enough', async () => {
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.DESCRIBE)] });
    expect(firstCode(await alice.request<Codes>(0, 7, produceBody))).toBe(29);
    const producer = await producerFor(broker, ALICE);
    expect(await kafkaErrorOf(producer.send({ topic: 'ledger', messages: [{ value: 'x' }] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.WRITE)] });
    const [ack] = await producer.send({ topic: 'ledger', messages: [{ value: 'x' }] });
    expect(ack.errorCode).toBe(0);
    await producer.disconnect();
  });

  it('a transactional Produce needs WRITE on the transactional id (53)', async () => {
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.WRITE)] });
    expect(firstCode(await alice.request<Codes>(0, 7, { ...produceBody, transactionalId: 'tx' }))).toBe(53);
  });

  it('a refused transactional Produce with acks=0 gets no answer, like any acks=0 Produce', async () => {
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.WRITE)] });
    const silent = await wireAs(broker, 'alice', ALICE.password);
    const api = silent.request(0, 7, { ...produceBody, transactionalId: 'tx', acks: 0 });
    api.catch(() => undefined);
    await expect(Promise.race([api.then(() => 'answered'), new Promise((r) => setTimeout(() => r('silent'), 200))])).resolves.toBe('silent');
    silent.close();
  });

  it('Fetch needs READ on the topic (29); WRITE does not imply it', async () => {
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.WRITE)] });
    expect(firstCode(await alice.request<Codes>(1, 11, fetchBody))).toBe(29);
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.READ)] });
    expect(firstCode(await alice.request<Codes>(1, 11, fetchBody))).toBe(0);
  });

  it('ListOffsets needs DESCRIBE on the topic (29), which READ implies', async () => {
    const body = { replicaId: -1, isolationLevel: 0, topics: [{ name: 'ledger', partitions: [{ partitionIndex: 0, timestamp: -1n }] }] };
    type Offsets = { topics: Array<{ partitions: Array<{ errorCode: number }> }> };
    expect((await alice.request<Offsets>(2, 3, body)).topics[0].partitions[0].errorCode).toBe(29);
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.READ)] });
    expect((await alice.request<Offsets>(2, 3, body)).topics[0].partitions[0].errorCode).toBe(0);
  });

  it('FindCoordinator needs DESCRIBE on the group (30); the group APIs need READ on it (30)', async () => {
    type Coded = { errorCode: number };
    expect((await alice.request<Coded>(10, 2, { key: 'auditors', keyType: 0 })).errorCode).toBe(30);
    await admin.createAcls({ acl: [allow(AclResourceTypes.GROUP, 'auditors', AclOperationTypes.DESCRIBE)] });
    expect((await alice.request<Coded>(10, 2, { key: 'auditors', keyType: 0 })).errorCode).toBe(0);
    const join = { groupId: 'auditors', sessionTimeoutMs: 10000, rebalanceTimeoutMs: 10000, memberId: 'm', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] };
    expect((await alice.request<Coded>(11, 5, join)).errorCode).toBe(30);
    expect((await alice.request<Coded>(14, 3, { groupId: 'auditors', generationId: 1, memberId: 'm', assignments: [] })).errorCode).toBe(30);
    expect((await alice.request<Coded>(12, 3, { groupId: 'auditors', generationId: 1, memberId: 'm' })).errorCode).toBe(30);
    expect((await alice.request<Coded>(13, 3, { groupId: 'auditors', members: [{ memberId: 'm' }] })).errorCode).toBe(30);
    // With READ the same requests reach the coordinator, which does not know member m.
    await admin.createAcls({ acl: [allow(AclResourceTypes.GROUP, 'auditors', AclOperationTypes.READ)] });
    expect((await alice.request<Coded>(12, 3, { groupId: 'auditors', generationId: 1, memberId: 'm' })).errorCode).toBe(25);
  });

  it('OffsetCommit needs READ on the group (30) and on the topic (29); OffsetFetch DESCRIBE on both', async () => {
    type Committed = { topics: Array<{ partitions: Array<{ errorCode: number; committedOffset?: bigint }> }>; errorCode?: number };
    const commit = () =>
      alice.request<Committed>(8, 5, { groupId: 'auditors', generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name: 'ledger', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] });
    const fetchOffsets = () => alice.request<Committed>(9, 4, { groupId: 'auditors', topics: [{ name: 'ledger', partitionIndexes: [0] }] });
    expect((await commit()).topics[0].partitions[0].errorCode).toBe(30);
    expect((await fetchOffsets()).errorCode).toBe(30);
    await admin.createAcls({ acl: [allow(AclResourceTypes.GROUP, 'auditors', AclOperationTypes.READ)] });
    expect((await commit()).topics[0].partitions[0].errorCode).toBe(29);
    expect((await fetchOffsets()).topics[0].partitions[0].errorCode).toBe(29);
    await admin.createAcls({ acl: [allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.READ)] });
    expect((await commit()).topics[0].partitions[0].errorCode).toBe(0);
    expect((await fetchOffsets()).topics[0].partitions[0]).toMatchObject({ errorCode: 0, committedOffset: 1n });
  });

  it('a kafkajs consumer group runs with READ on its group and topic, and crashes without READ on the group', async () => {
    await admin.createAcls({
      acl: [allow(AclResourceTypes.GROUP, 'readers', AclOperationTypes.READ), allow(AclResourceTypes.TOPIC, 'ledger', AclOperationTypes.READ)],
    });
    const consumer = consumerFor(broker, 'readers', ALICE);
    await consumer.connect();
    await consumer.subscribe({ topics: ['ledger'], fromBeginning: true });
    const got = await consume(consumer, 1);
    await consumer.disconnect();
    expect(got[0].value).toBe('x');
    // DESCRIBE finds the coordinator; without READ the JoinGroup is refused.
    await admin.createAcls({ acl: [allow(AclResourceTypes.GROUP, 'strangers', AclOperationTypes.DESCRIBE)] });
    const denied = consumerFor(broker, 'strangers', ALICE, { retry: { retries: 0 } });
    await denied.connect();
    await denied.subscribe({ topics: ['ledger'], fromBeginning: true });
    const crashed = new Promise<string>((resolve) => denied.on(denied.events.CRASH, (e) => resolve(String((e.payload.error as { type?: string }).type))));
    void denied.run({ eachMessage: async () => undefined });
    expect(await crashed).toBe('GROUP_AUTHORIZATION_FAILED');
    await denied.disconnect();
  });
});
