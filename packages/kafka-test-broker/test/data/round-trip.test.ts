import { suiteBroker } from '../kafka';
import { consume, consumerFor, producerFor } from './clients';

describe('produce and consume through kafkajs', () => {
  const suite = suiteBroker();

  it('delivers keyed messages with headers from several partitions in per-partition order', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
    const producer = await producerFor(suite.broker);
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `customer-${i % 5}`, value: `order-${i}`, headers: { trace: `t${i}` } }));
    const acks = await producer.send({ topic: 'orders', messages: sent });
    await producer.disconnect();
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);

    const consumer = consumerFor(suite.broker, 'orders-reader');
    await consumer.connect();
    await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
    const got = await consume(consumer, sent.length);
    await consumer.disconnect();

    expect(got.map((m) => m.value).sort()).toEqual(sent.map((m) => m.value).sort());
    for (const m of got) {
      const original = sent.find((s) => s.value === m.value);
      expect(m.key).toBe(original?.key);
      expect(m.headers).toEqual(original?.headers);
    }
    // kafkajs' default partitioner hashes keys: one key, one partition; offsets are dense from 0 in each.
    const partitionsByKey = new Map<string, Set<number>>();
    for (const m of got) partitionsByKey.set(m.key ?? '', (partitionsByKey.get(m.key ?? '') ?? new Set()).add(m.partition));
    expect([...partitionsByKey.values()].every((p) => p.size === 1)).toBe(true);
    for (const partition of new Set(got.map((m) => m.partition))) {
      const inPartition = got.filter((m) => m.partition === partition);
      expect(inPartition.map((m) => Number(m.offset))).toEqual(inPartition.map((_, i) => i));
      const values = inPartition.map((m) => Number(m.value?.replace('order-', '')));
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  });
});
