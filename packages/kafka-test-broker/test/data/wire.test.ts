import { readFileSync } from 'fs';
import { join } from 'path';
import { Admin } from 'kafkajs';
import { TestBroker, startTestBroker } from '../../src';
import { adminFor } from '../kafka';
import { WireClient } from '../wire-client';

const BATCH = Buffer.from(readFileSync(join(__dirname, 'fixtures', 'batch-two-records-t1700000000000.hex'), 'utf8').trim(), 'hex');
const FIRST_TIMESTAMP = 1700000000000n;

type Partitions<T> = Array<{ partitions?: T[]; partitionResponses?: T[] }>;
interface ProducePartition {
  index: number;
  errorCode: number;
  baseOffset: bigint;
}
interface FetchPartition {
  errorCode: number;
  highWatermark: bigint;
  records: Buffer | null;
}
interface OffsetPartition {
  errorCode: number;
  offset: bigint;
}

function produceBody(topic: string, partition: number, records: Buffer, acks = -1) {
  return { transactionalId: null, acks, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] };
}

function fetchBody(topic: string, partition: number, fetchOffset: bigint, maxWaitMs = 0) {
  return { replicaId: -1, maxWaitMs, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, topics: [{ topic, partitions: [{ partition, fetchOffset, partitionMaxBytes: 1 << 20 }] }] };
}

async function produce(client: WireClient, topic: string, partition: number, records: Buffer, acks = -1): Promise<ProducePartition> {
  const res = await client.request<{ responses: Partitions<ProducePartition> }>(0, 7, produceBody(topic, partition, records, acks));
  return (res.responses[0].partitionResponses ?? [])[0];
}

async function fetchAt(client: WireClient, topic: string, partition: number, offset: bigint, maxWaitMs = 0): Promise<FetchPartition> {
  const res = await client.request<{ responses: Partitions<FetchPartition> }>(1, 11, fetchBody(topic, partition, offset, maxWaitMs));
  return (res.responses[0].partitions ?? [])[0];
}

async function listOffset(client: WireClient, topic: string, partition: number, timestamp: bigint): Promise<OffsetPartition> {
  const res = await client.request<{ topics: Partitions<OffsetPartition> }>(2, 3, { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp }] }] });
  return (res.topics[0].partitions ?? [])[0];
}

describe('data plane on the wire', () => {
  let broker: TestBroker;
  let admin: Admin;
  let client: WireClient;

  beforeAll(async () => {
    broker = await startTestBroker({ brokers: 2 });
    admin = await adminFor(broker);
    await admin.createTopics({ topics: [{ topic: 'wire', numPartitions: 2, replicationFactor: 1 }] });
    client = await WireClient.open(broker.bootstrap);
  });

  afterAll(async () => {
    client.close();
    await admin.disconnect();
    await broker.stop();
  });

  /** Partition 0 of `wire` is led by node 0 (round-robin placement); node 0 is the bootstrap. */
  async function ledByBootstrap(): Promise<number> {
    const meta = await admin.fetchTopicMetadata({ topics: ['wire'] });
    const p = meta.topics[0].partitions.find((x) => x.leader === 0);
    if (!p) throw new Error('no partition led by node 0');
    return p.partitionId;
  }

  it('assigns offsets in the batch header and returns the batch as stored', async () => {
    const partition = await ledByBootstrap();
    const first = await produce(client, 'wire', partition, BATCH);
    const second = await produce(client, 'wire', partition, BATCH);
    expect([first.errorCode, first.baseOffset, second.errorCode, second.baseOffset]).toEqual([0, 0n, 0, 2n]);
    const fetched = await fetchAt(client, 'wire', partition, 3n);
    expect(fetched.errorCode).toBe(0);
    expect(fetched.highWatermark).toBe(4n);
    // The whole batch holding offset 3 comes back: base offset 2 rewritten, everything after the epoch untouched.
    expect(fetched.records?.readBigInt64BE(0)).toBe(2n);
    expect(fetched.records?.subarray(16)).toEqual(BATCH.subarray(16));
    expect((await fetchAt(client, 'wire', partition, 4n)).records).toEqual(Buffer.alloc(0));
  });

  it('answers ListOffsets for earliest (-2), latest (-1) and by timestamp', async () => {
    const partition = await ledByBootstrap();
    expect((await listOffset(client, 'wire', partition, -2n)).offset).toBe(0n);
    expect((await listOffset(client, 'wire', partition, -1n)).offset).toBe(4n);
    // The second record of each batch is 10 ms after the first: the first match is offset 1.
    expect((await listOffset(client, 'wire', partition, FIRST_TIMESTAMP + 5n)).offset).toBe(1n);
    expect((await listOffset(client, 'wire', partition, FIRST_TIMESTAMP + 11n)).offset).toBe(-1n);
    expect((await listOffset(client, 'missing', 0, -1n)).errorCode).toBe(3);
  });

  it('refuses unknown partitions (3), a node that does not lead (6), bad offsets (1), bad acks (21) and damaged batches (2, 87)', async () => {
    const partition = await ledByBootstrap();
    expect((await produce(client, 'wire', 7, BATCH)).errorCode).toBe(3);
    expect((await produce(client, 'missing', 0, BATCH)).errorCode).toBe(3);
    expect((await produce(client, 'wire', 1 - partition, BATCH)).errorCode).toBe(6);
    expect((await fetchAt(client, 'wire', 1 - partition, 0n)).errorCode).toBe(6);
    expect((await fetchAt(client, 'wire', partition, 99n)).errorCode).toBe(1);
    expect((await fetchAt(client, 'missing', 0, 0n)).errorCode).toBe(3);
    expect((await produce(client, 'wire', partition, BATCH, 2)).errorCode).toBe(21);
    const corrupt = Buffer.from(BATCH);
    corrupt[corrupt.length - 1] ^= 0xff;
    expect((await produce(client, 'wire', partition, corrupt)).errorCode).toBe(2);
    const oldMagic = Buffer.from(BATCH);
    oldMagic.writeInt8(1, 16);
    expect((await produce(client, 'wire', partition, oldMagic)).errorCode).toBe(87);
    expect((await listOffset(client, 'wire', partition, -1n)).offset).toBe(4n);
  });

  it('sends nothing back for acks=0 but appends', async () => {
    const partition = await ledByBootstrap();
    const before = (await listOffset(client, 'wire', partition, -1n)).offset;
    const api = client.request(0, 7, produceBody('wire', partition, BATCH, 0));
    api.catch(() => undefined);
    const other = await WireClient.open(broker.bootstrap);
    await expect(Promise.race([api.then(() => 'answered'), new Promise((r) => setTimeout(() => r('silent'), 200))])).resolves.toBe('silent');
    expect((await listOffset(other, 'wire', partition, -1n)).offset).toBe(before + 2n);
    other.close();
    client.close();
    client = await WireClient.open(broker.bootstrap);
  });

  it('parks a fetch at the end of the log until data arrives or the wait ends', async () => {
    const partition = await ledByBootstrap();
    const end = (await listOffset(client, 'wire', partition, -1n)).offset;
    let started = Date.now();
    const empty = await fetchAt(client, 'wire', partition, end, 300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(empty.records).toEqual(Buffer.alloc(0));

    const producer = await WireClient.open(broker.bootstrap);
    started = Date.now();
    const parked = fetchAt(client, 'wire', partition, end, 5000);
    await new Promise((r) => setTimeout(r, 100));
    await produce(producer, 'wire', partition, BATCH);
    const arrived = await parked;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(arrived.records?.readBigInt64BE(0)).toBe(end);
    producer.close();
  });

  it('names node 0 as coordinator and refuses group requests on other nodes (16)', async () => {
    const found = await client.request<{ errorCode: number; nodeId: number; port: number }>(10, 2, { key: 'g', keyType: 0 });
    expect(found).toMatchObject({ errorCode: 0, nodeId: 0, port: Number(broker.bootstrap.split(':')[1]) });
    const other = await WireClient.open(broker.brokers[1]);
    const hb = await other.request<{ errorCode: number }>(12, 3, { groupId: 'g', generationId: 1, memberId: 'm' });
    expect(hb.errorCode).toBe(16);
    other.close();
  });

  it('asks a new member for a member id from JoinGroup v4 (79) and joins it directly before', async () => {
    const join = (version: number, memberId: string) =>
      client.request<{ errorCode: number; memberId: string; generationId: number; leader: string }>(11, version, {
        groupId: `join-v${version}`,
        sessionTimeoutMs: 10000,
        rebalanceTimeoutMs: 10000,
        memberId,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.from('m') }],
      });
    const v3 = await join(3, '');
    expect(v3.errorCode).toBe(0);
    expect(v3.leader).toBe(v3.memberId);
    const required = await join(5, '');
    expect(required.errorCode).toBe(79);
    expect(required.memberId).toMatch(/^wire-test-/);
    const joined = await join(5, required.memberId);
    expect(joined).toMatchObject({ errorCode: 0, memberId: required.memberId, generationId: 1, leader: required.memberId });
    expect((await join(5, 'never-issued')).errorCode).toBe(25);
  });
});
