import { suiteBroker } from '../kafka';
import { consume, consumerFor, producerFor } from './clients';

describe('consumer groups through kafkajs', () => {
  const suite = suiteBroker();

  beforeAll(async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 2 }] });
  });

  async function send(values: string[]): Promise<void> {
    const producer = await producerFor(suite.broker);
    await producer.send({ topic: 'payments', messages: values.map((value, i) => ({ value, partition: i % 2 })) });
    await producer.disconnect();
  }

  it('commits offsets and a restarted member resumes after them', async () => {
    await send(['a', 'b', 'c', 'd']);
    const first = consumerFor(suite.broker, 'billing');
    await first.connect();
    await first.subscribe({ topics: ['payments'], fromBeginning: true });
    expect((await consume(first, 4)).map((m) => m.value).sort()).toEqual(['a', 'b', 'c', 'd']);
    await first.disconnect();

    const committed = await suite.admin.fetchOffsets({ groupId: 'billing', topics: ['payments'] });
    expect(committed[0].partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, '2'],
      [1, '2'],
    ]);

    await send(['e', 'f']);
    const restarted = consumerFor(suite.broker, 'billing');
    await restarted.connect();
    await restarted.subscribe({ topics: ['payments'], fromBeginning: true });
    const resumed = await consume(restarted, 2);
    await restarted.disconnect();
    expect(resumed.map((m) => m.value).sort()).toEqual(['e', 'f']);
    expect(resumed.map((m) => m.offset)).toEqual(['2', '2']);
  });

  it('splits partitions between two members after a rebalance', async () => {
    const assignments = new Map<string, number[]>();
    const members = [consumerFor(suite.broker, 'split'), consumerFor(suite.broker, 'split')];
    members.forEach((m, i) =>
      m.on(m.events.GROUP_JOIN, (e) => {
        assignments.set(`member-${i}`, e.payload.memberAssignment.payments ?? []);
      }),
    );
    for (const m of members) {
      await m.connect();
      await m.subscribe({ topics: ['payments'] });
    }
    await Promise.all(members.map((m) => m.run({ eachMessage: async () => undefined })));
    // The second join makes the first member rejoin on its next heartbeat (REBALANCE_IN_PROGRESS).
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && [...assignments.values()].map((a) => a.length).join() !== '1,1') await new Promise((r) => setTimeout(r, 100));
    await Promise.all(members.map((m) => m.disconnect()));
    expect([...assignments.values()].flat().sort()).toEqual([0, 1]);
  });
});
