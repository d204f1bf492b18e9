/**
 * ListGroups (16), DescribeGroups (15) and DescribeLogDirs (35): through kafkajs where it has them
 * (admin.listGroups v2, admin.describeGroups v2), through the report requests of
 * meshform's src/adapters/kafka/client/requests (written from Kafka's message JSON, sharing no code with the broker)
 * in every version served, and on the wire for refusals. That they answer like real Kafka is
 * checked in test/kafka/reports.test.ts, which compares the reports of both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaWire, type KafkaConnection, plainLogin } from '../../../../src/adapters/kafka';
import { describeLogDirs, type DescribeLogDirsResult } from '../../../../src/adapters/kafka/client/requests/describe-log-dirs';
import { listGroups, type ListGroupsResult } from '../../../../src/adapters/kafka/client/requests/list-groups';
import { offsetFetchAll, type OffsetFetchResult } from '../../../../src/adapters/kafka/client/requests/offset-fetch';
import { startTestBroker, type TestBroker } from '../../src';
import { WireClient } from '../wire-client';

const ADMIN = { username: 'admin', password: 'admin-pw' };
const READER = { username: 'reader', password: 'reader-pw' };
const TOPIC = 'acme.orders._public.placed';
/** Two records, 71 bytes (test/data/fixtures). */
const BATCH = Buffer.from(readFileSync(join(__dirname, '..', 'data', 'fixtures', 'batch-two-records-t1700000000000.hex'), 'utf8').trim(), 'hex');

let broker: TestBroker;
let kafka: Kafka;

const connection = (user = ADMIN): KafkaConnection => ({ brokers: [broker.bootstrap], clientId: 'apis-test', tls: false, sasl: plainLogin(user) });

async function withWire<T>(user: typeof ADMIN, work: (wire: KafkaWire) => Promise<T>): Promise<T> {
  const wire = await KafkaWire.open(connection(user));
  try {
    await wire.metadata();
    return await work(wire);
  } finally {
    await wire.close();
  }
}

async function wireClient(node: number, user = ADMIN): Promise<WireClient> {
  const client = await WireClient.open(broker.brokers[node]);
  await client.request(17, 1, { mechanism: 'PLAIN' });
  await client.request(36, 0, { authBytes: Buffer.from(`\0${user.username}\0${user.password}`) });
  return client;
}

beforeAll(async () => {
  broker = await startTestBroker({ brokers: 3, saslUsers: { [ADMIN.username]: ADMIN.password, [READER.username]: READER.password }, superUsers: ['User:admin'] });
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'apis-test', logLevel: logLevel.NOTHING, retry: { retries: 2 }, sasl: { mechanism: 'plain', ...ADMIN } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2, replicationFactor: 3 }], waitForLeaders: true });
  await admin.setOffsets({ groupId: 'acme.orders.reader', topic: TOPIC, partitions: [{ partition: 0, offset: '0' }] });
  await admin.disconnect();
  const client = await wireClient(0);
  // Partition 0 is led by node 0 (round-robin from a per-topic start; node 0 leads some partition).
  const meta = await client.request<{ topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; leaderId: number }> }> }>(3, 9, { topics: [{ name: TOPIC }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
  const led = meta.topics[0].partitions.find((p) => p.leaderId === 0)!;
  client.close();
  const leaderClient = await wireClient(0);
  await leaderClient.request(0, 7, { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: TOPIC, partitionData: [{ index: led.partitionIndex, records: BATCH }] }] });
  leaderClient.close();
}, 60_000);
afterAll(() => broker?.stop());

describe('ListGroups and DescribeGroups', () => {
  it('kafkajs lists the group and describes it Empty, with no members, after setOffsets left it', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect((await admin.listGroups()).groups).toEqual([{ groupId: 'acme.orders.reader', protocolType: 'consumer' }]);
      const { groups } = await admin.describeGroups(['acme.orders.reader', 'nobody']);
      // As Kafka 4.1.1 answers (checked with the real peer): an emptied group keeps its protocol type.
      expect(groups.map((g) => [g.groupId, g.state, g.protocolType, g.protocol, g.members.length])).toEqual([
        ['acme.orders.reader', 'Empty', 'consumer', '', 0],
        ['nobody', 'Dead', '', '', 0],
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('describes a running member with its client id while Stable', async () => {
    const consumer = kafka.consumer({ groupId: 'acme.orders.live' });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPIC });
      const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
      await consumer.run({ eachMessage: async () => undefined });
      await joined;
      const admin = kafka.admin();
      await admin.connect();
      const { groups } = await admin.describeGroups(['acme.orders.live']);
      await admin.disconnect();
      expect(groups[0]).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
      expect(groups[0].members.map((m) => [m.clientId, m.clientHost])).toEqual([['apis-test', '/127.0.0.1']]);
    } finally {
      await consumer.disconnect();
    }
  });

  it('serves every version 0-4 to the report request, and only node 0 (the coordinator) lists groups', async () => {
    await withWire(ADMIN, async (wire) => {
      for (const version of [0, 1, 2, 3, 4]) {
        const listed = await wire.readFrom<ListGroupsResult>(0, { protocol: listGroups(version) });
        expect([version, listed.errorCode, listed.groups.map((g) => g.groupId).sort()]).toEqual([version, 0, ['acme.orders.live', 'acme.orders.reader'].sort()]);
        expect(listed.groups.find((g) => g.groupId === 'acme.orders.reader')?.state).toBe(version >= 4 ? 'Empty' : null);
        expect((await wire.readFrom<ListGroupsResult>(1, { protocol: listGroups(version) })).groups).toEqual([]);
      }
      for (const version of [2, 3, 4, 5]) {
        const fetched = await wire.readFrom<OffsetFetchResult>(0, { protocol: offsetFetchAll(version, 'acme.orders.reader') });
        expect(fetched).toEqual({ errorCode: 0, topics: [{ topic: TOPIC, partitions: [{ partition: 0, offset: 0, errorCode: 0 }] }] });
      }
    });
  });

  it('filters by state (v4) and type (v5), and shows a principal without cluster DESCRIBE only the groups it may describe', async () => {
    const client = await wireClient(0);
    try {
      const byState = await client.request<{ groups: Array<{ groupId: string }> }>(16, 4, { statesFilter: ['empty'] });
      expect(byState.groups.map((g) => g.groupId)).toContain('acme.orders.reader');
      expect((await client.request<{ groups: unknown[] }>(16, 5, { statesFilter: [], typesFilter: ['consumer'] })).groups).toEqual([]);
    } finally {
      client.close();
    }
    await withWire(READER, async (wire) => {
      expect((await wire.readFrom<ListGroupsResult>(0, { protocol: listGroups(4) })).groups).toEqual([]);
    });
    const reader = await wireClient(0, READER);
    try {
      const described = await reader.request<{ groups: Array<{ errorCode: number }> }>(15, 5, { groups: ['acme.orders.reader'], includeAuthorizedOperations: false });
      expect(described.groups[0].errorCode).toBe(30);
    } finally {
      reader.close();
    }
    const node1 = await wireClient(1);
    try {
      const described = await node1.request<{ groups: Array<{ errorCode: number }> }>(15, 5, { groups: ['acme.orders.reader'], includeAuthorizedOperations: false });
      expect(described.groups[0].errorCode).toBe(16);
    } finally {
      node1.close();
    }
  });
});

describe('DescribeLogDirs', () => {
  it('every node holds a replica of both partitions (RF 3), each the size of the partition log, in versions 1-4', async () => {
    await withWire(ADMIN, async (wire) => {
      for (const version of [1, 2, 3, 4]) {
        for (const node of [0, 1, 2]) {
          const result = await wire.readFrom<DescribeLogDirsResult>(node, { protocol: describeLogDirs(version, null) });
          expect(result.errorCode).toBe(0);
          expect(result.dirs).toHaveLength(1);
          const [dir] = result.dirs;
          expect(dir).toMatchObject({ errorCode: 0, path: `/kafka-test-broker/node-${node}/logs`, totalBytes: -1, usableBytes: -1 });
          const sizes = dir.topics.find((t) => t.topic === TOPIC)!.partitions.map((p) => p.size).sort();
          expect([version, node, sizes]).toEqual([version, node, [0, BATCH.length]]);
        }
      }
    });
  });

  it('names only the partitions asked for, and leaves out unknown ones', async () => {
    await withWire(ADMIN, async (wire) => {
      const result = await wire.readFrom<DescribeLogDirsResult>(0, { protocol: describeLogDirs(4, [{ topic: TOPIC, partitions: [1, 7] }, { topic: 'nope', partitions: [0] }]) });
      expect(result.dirs[0].topics).toEqual([{ topic: TOPIC, partitions: [expect.objectContaining({ partition: 1 })] }]);
    });
  });

  it('without DESCRIBE on the cluster: no directories, and from v3 CLUSTER_AUTHORIZATION_FAILED (31)', async () => {
    await withWire(READER, async (wire) => {
      expect(await wire.readFrom<DescribeLogDirsResult>(0, { protocol: describeLogDirs(2, null) })).toEqual({ errorCode: 0, dirs: [] });
      expect(await wire.readFrom<DescribeLogDirsResult>(0, { protocol: describeLogDirs(3, null) })).toEqual({ errorCode: 31, dirs: [] });
    });
  });
});
