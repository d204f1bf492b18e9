import { readFileSync } from 'fs';
import { join } from 'path';
import { APIS } from '../../src/apis';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec';
import { ByteReader } from '../../src/protocol/reader';
import { ByteWriter } from '../../src/protocol/writer';

/**
 * The data-plane schemas against encoders and decoders we did not write: every version kafkajs
 * 2.2.4 implements inside our advertised range is encoded by kafkajs and decoded by us, and our
 * response is decoded by kafkajs. The versions only kafka-python or librdkafka use are covered by
 * the conformance tests.
 */

const BATCH = Buffer.from(readFileSync(join(__dirname, 'fixtures', 'batch-two-records-t1700000000000.hex'), 'utf8').trim(), 'hex');

interface KafkajsRequest {
  apiVersion: number;
  encode(): Promise<{ buffer: Buffer }>;
}

function api(name: string) {
  const found = APIS.find((a) => a.name === name);
  if (!found) throw new Error(`no api ${name}`);
  return found;
}

function range(name: string, kafkajsMax: number): number[] {
  const { min, max } = api(name).versions;
  const versions: number[] = [];
  for (let v = min; v <= Math.min(max, kafkajsMax); v++) versions.push(v);
  return versions;
}

interface Case {
  name: string;
  dir: string;
  kafkajsMax: number;
  args: object;
  decoded: object;
  response: object;
  kafkajsSees: (decoded: Record<string, unknown>) => void;
}

const group = { groupId: 'g', memberId: 'm', groupGenerationId: 3, generationId: 3 };

const cases: Case[] = [
  {
    name: 'Produce',
    dir: 'produce',
    kafkajsMax: 7,
    args: { acks: -1, timeout: 500, topicData: [{ topic: 't', partitions: [{ partition: 1, messages: [{ key: 'k', value: 'v' }] }] }] },
    decoded: { acks: -1, timeoutMs: 500, transactionalId: null, topicData: [{ name: 't', partitionData: [{ index: 1 }] }] },
    response: { responses: [{ name: 't', partitionResponses: [{ index: 1, errorCode: 0, baseOffset: 42n, logAppendTimeMs: -1n, logStartOffset: 0n }] }], throttleTimeMs: 0 },
    kafkajsSees: (d) => expect(d.topics).toEqual([{ topicName: 't', partitions: [expect.objectContaining({ partition: 1, errorCode: 0, baseOffset: '42' })] }]),
  },
  {
    name: 'Fetch',
    dir: 'fetch',
    kafkajsMax: 11,
    args: { replicaId: -1, maxWaitTime: 100, minBytes: 1, maxBytes: 1000, topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: '5', maxBytes: 900 }] }] },
    decoded: { replicaId: -1, maxWaitMs: 100, minBytes: 1, topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 5n, partitionMaxBytes: 900 }] }] },
    response: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 2n, lastStableOffset: 2n, logStartOffset: 0n, abortedTransactions: null, preferredReadReplica: -1, records: BATCH }] }],
    },
    kafkajsSees: (d) => {
      const [topic] = d.responses as Array<{ partitions: Array<{ highWatermark: string; messages: Array<{ offset: string; value: Buffer }> }> }>;
      expect(topic.partitions[0].highWatermark).toBe('2');
      expect(topic.partitions[0].messages.map((m) => [m.offset, m.value.toString()])).toEqual([
        ['0', 'v0'],
        ['1', 'v1'],
      ]);
    },
  },
  {
    name: 'ListOffsets',
    dir: 'listOffsets',
    kafkajsMax: 3,
    args: { replicaId: -1, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 2, timestamp: -2 }] }] },
    decoded: { replicaId: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 2, timestamp: -2n }] }] },
    response: { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 2, errorCode: 0, timestamp: -1n, offset: 7n }] }] },
    kafkajsSees: (d) => expect(d.responses).toEqual([{ topic: 't', partitions: [expect.objectContaining({ partition: 2, errorCode: 0, offset: '7' })] }]),
  },
  {
    name: 'FindCoordinator',
    dir: 'findCoordinator',
    kafkajsMax: 2,
    args: { groupId: 'g', coordinatorKey: 'g', coordinatorType: 0 },
    decoded: { key: 'g', keyType: 0 },
    response: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 0, host: '127.0.0.1', port: 9092 },
    kafkajsSees: (d) => expect(d.coordinator).toEqual({ nodeId: 0, host: '127.0.0.1', port: 9092 }),
  },
  {
    name: 'JoinGroup',
    dir: 'joinGroup',
    kafkajsMax: 5,
    args: { ...group, sessionTimeout: 6000, rebalanceTimeout: 9000, protocolType: 'consumer', groupProtocols: [{ name: 'range', metadata: Buffer.from('md') }] },
    decoded: { groupId: 'g', sessionTimeoutMs: 6000, memberId: 'm', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from('md') }] },
    response: { throttleTimeMs: 0, errorCode: 0, generationId: 3, protocolName: 'range', leader: 'm', memberId: 'm', members: [{ memberId: 'm', groupInstanceId: null, metadata: Buffer.from('md') }] },
    kafkajsSees: (d) => {
      expect(d).toMatchObject({ generationId: 3, groupProtocol: 'range', leaderId: 'm', memberId: 'm' });
      expect((d.members as Array<{ memberMetadata: Buffer }>)[0].memberMetadata).toEqual(Buffer.from('md'));
    },
  },
  {
    name: 'SyncGroup',
    dir: 'syncGroup',
    kafkajsMax: 3,
    args: { ...group, groupAssignment: [{ memberId: 'm', memberAssignment: Buffer.from('as') }] },
    decoded: { groupId: 'g', generationId: 3, memberId: 'm', assignments: [{ memberId: 'm', assignment: Buffer.from('as') }] },
    response: { throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from('as') },
    kafkajsSees: (d) => expect(d.memberAssignment).toEqual(Buffer.from('as')),
  },
  {
    name: 'Heartbeat',
    dir: 'heartbeat',
    kafkajsMax: 3,
    args: group,
    decoded: { groupId: 'g', generationId: 3, memberId: 'm' },
    response: { throttleTimeMs: 0, errorCode: 0 },
    kafkajsSees: (d) => expect(d.errorCode).toBe(0),
  },
  {
    name: 'LeaveGroup',
    dir: 'leaveGroup',
    kafkajsMax: 3,
    args: { groupId: 'g', memberId: 'm', members: [{ memberId: 'm' }] },
    decoded: { groupId: 'g' },
    response: { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 0 }] },
    kafkajsSees: (d) => expect(d.errorCode).toBe(0),
  },
  {
    name: 'OffsetCommit',
    dir: 'offsetCommit',
    kafkajsMax: 5,
    args: { ...group, retentionTime: -1, topics: [{ topic: 't', partitions: [{ partition: 0, offset: '9' }] }] },
    decoded: { groupId: 'g', generationIdOrMemberEpoch: 3, memberId: 'm', topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 9n }] }] },
    response: { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] },
    kafkajsSees: (d) => expect(d.responses).toEqual([{ topic: 't', partitions: [{ partition: 0, errorCode: 0 }] }]),
  },
  {
    name: 'OffsetFetch',
    dir: 'offsetFetch',
    kafkajsMax: 4,
    args: { groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 0 }] }] },
    decoded: { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }] },
    response: { throttleTimeMs: 0, errorCode: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 9n, metadata: '', errorCode: 0 }] }] },
    kafkajsSees: (d) => expect(d.responses).toEqual([{ topic: 't', partitions: [expect.objectContaining({ partition: 0, offset: '9', errorCode: 0 })] }]),
  },
];

describe.each(cases)('$name against kafkajs 2.2.4', (c) => {
  const versions = range(c.name, c.kafkajsMax);

  it.each(versions)('v%i: kafkajs request decodes to the declared fields', async (version) => {
    const build = require(`kafkajs/src/protocol/requests/${c.dir}/v${version}/request`) as (a: object) => KafkajsRequest;
    const request = build(c.args);
    expect(request.apiVersion).toBe(version);
    const reader = new ByteReader((await request.encode()).buffer);
    expect(decodeMessage(api(c.name).request, version, reader)).toMatchObject(c.decoded);
    expect(reader.remaining).toBe(0);
  });

  it.each(versions)('v%i: our response is what kafkajs reads', async (version) => {
    const writer = new ByteWriter();
    encodeMessage(api(c.name).response, version, c.response, writer);
    const response = require(`kafkajs/src/protocol/requests/${c.dir}/v${version}/response`) as { decode(b: Buffer): Promise<Record<string, unknown>> };
    c.kafkajsSees(await response.decode(writer.toBuffer()));
  });
});
