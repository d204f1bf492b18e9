import { Admin } from 'kafkajs';
import type { TestBroker } from '../../src';
import { describeWithClients, kafkajsFor } from '@meshform/peers/testing/clients/kafkajs';
import { kcatMissing, kcatOutput } from '@meshform/peers/testing/clients/kcat';
import { SeenMessage, kcatConsume, kcatProduce } from '@meshform/peers/testing/clients/kcat-messages';
import { startClusterWithAdmin, stopCluster } from './support/cluster';
import { PythonKafka, Step, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';

interface PythonOffsets {
  partition: number;
  earliest: number;
  latest: number;
  atTimestamp: number | null;
}

/** `kcat -Q -t topic:partition:timestamp ...` -> offset per partition (-1: no message at or after it). */
async function kcatOffsetsForTime(bootstrap: string, topic: string, partitions: number[], timestamp: number): Promise<Record<number, number>> {
  const out = await kcatOutput(['-b', bootstrap, '-Q', '-m', '5', ...partitions.flatMap((p) => ['-t', `${topic}:${p}:${timestamp}`])]);
  const offsets: Record<number, number> = {};
  for (const [, partition, offset] of out.matchAll(/\[(\d+)\] offset (-?\d+)/g)) offsets[Number(partition)] = Number(offset);
  return offsets;
}

describeWithClients('compressed batches and ListOffsets across kcat, kafka-python and kafkajs', [pythonKafkaMissing(), kcatMissing()], () => {
  let broker: TestBroker;
  let python: PythonKafka;
  let admin: Admin;
  const py = <T>(step: Step) => python.value<T>(broker.bootstrap, step);

  beforeAll(async () => {
    ({ broker, python, admin } = await startClusterWithAdmin());
  });

  afterAll(() => stopCluster({ admin, python, broker }));

  it('batches compressed by kcat with gzip, snappy, lz4 and zstd are stored and returned intact', async () => {
    await admin.createTopics({ topics: [{ topic: 'codecs', numPartitions: 1 }] });
    const codecs = ['gzip', 'snappy', 'lz4', 'zstd'];
    for (const codec of codecs) await kcatProduce(broker.bootstrap, 'codecs', 0, [{ key: codec, value: `${codec} ${'payload '.repeat(20)}` }], ['-z', codec]);
    const read = await kcatConsume(broker.bootstrap, 'codecs');
    expect(read.map((m) => [m.offset, m.key, m.value])).toEqual(codecs.map((codec, i) => [i, codec, `${codec} ${'payload '.repeat(20)}`]));
  });

  it('gzip batches cross between kafka-python and kcat both ways (the codec Debian kafka-python has built in)', async () => {
    await admin.createTopics({ topics: [{ topic: 'gzip.both', numPartitions: 1 }] });
    await kcatProduce(broker.bootstrap, 'gzip.both', 0, [{ key: 'from-kcat', value: 'zipped by librdkafka' }], ['-z', 'gzip']);
    await py({ op: 'produce', topic: 'gzip.both', compression: 'gzip', messages: [{ partition: 0, key: 'from-python', value: 'zipped by kafka-python' }] });
    const expected: SeenMessage[] = [
      { partition: 0, offset: 0, key: 'from-kcat', value: 'zipped by librdkafka' },
      { partition: 0, offset: 1, key: 'from-python', value: 'zipped by kafka-python' },
    ];
    const byPython = await py<SeenMessage[]>({ op: 'consume', topic: 'gzip.both', partitions: [0], count: 2 });
    expect(byPython.map(({ partition, offset, key, value }) => ({ partition, offset, key, value }))).toEqual(expected);
    expect(await kcatConsume(broker.bootstrap, 'gzip.both')).toEqual(expected);
  });

  it('earliest, latest and offsets by timestamp agree in kcat -Q, kafka-python and kafkajs', async () => {
    await admin.createTopics({ topics: [{ topic: 'timed', numPartitions: 2 }] });
    const base = Date.now() - 60_000;
    const producer = kafkajsFor(broker.bootstrap).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: 'timed',
        messages: [
          { partition: 0, value: 'p0-a', timestamp: String(base) },
          { partition: 0, value: 'p0-b', timestamp: String(base + 1000) },
          { partition: 0, value: 'p0-c', timestamp: String(base + 2000) },
          { partition: 1, value: 'p1-a', timestamp: String(base + 500) },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    // Record timestamps survive the round trip (CreateTime is the topic default).
    const stored = await py<SeenMessage[]>({ op: 'consume', topic: 'timed', partitions: [0, 1], count: 4 });
    expect(stored.map((m) => m.timestamp)).toEqual([base, base + 1000, base + 2000, base + 500]);

    const at = base + 800;
    expect(await kcatOffsetsForTime(broker.bootstrap, 'timed', [0, 1], at)).toEqual({ 0: 1, 1: -1 });
    expect(await py<PythonOffsets[]>({ op: 'list_offsets', topic: 'timed', partitions: [0, 1], timestamp: at })).toEqual([
      { partition: 0, earliest: 0, latest: 3, atTimestamp: 1 },
      { partition: 1, earliest: 0, latest: 1, atTimestamp: null },
    ]);
    // kafkajs answers "no such message" with the partition's end offset.
    const byKafkajs = await admin.fetchTopicOffsetsByTimestamp('timed', at);
    expect(byKafkajs.map((o) => [o.partition, o.offset]).sort()).toEqual([
      [0, '1'],
      [1, '1'],
    ]);
    const ends = await admin.fetchTopicOffsets('timed');
    expect(ends.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([
      [0, '0', '3'],
      [1, '0', '1'],
    ]);
    expect(await kcatOffsetsForTime(broker.bootstrap, 'timed', [0, 1], base)).toEqual({ 0: 0, 1: 0 });
  });
});
