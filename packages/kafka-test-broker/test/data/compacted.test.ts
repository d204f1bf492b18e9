import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../../src';

/** Found against real Kafka (the access matrix on the kafka peer): a compacted topic refuses records without a key. */
describe('produce to a compacted topic', () => {
  let broker: TestBroker;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compacted-test', logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'compacted', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }, { topic: 'plain' }] });
    await admin.disconnect();
  });

  afterAll(() => broker.stop());

  it('refuses a record without a key with INVALID_RECORD, and takes keyed records and keyless ones elsewhere', async () => {
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      await expect(producer.send({ topic: 'compacted', messages: [{ key: 'k', value: 'a' }, { value: 'no key' }] })).rejects.toMatchObject({ type: 'INVALID_RECORD' });
      await expect(producer.send({ topic: 'compacted', messages: [{ key: 'k', value: 'a' }] })).resolves.toHaveLength(1);
      await expect(producer.send({ topic: 'plain', messages: [{ value: 'no key' }] })).resolves.toHaveLength(1);
      await expect(producer.send({ topic: 'compacted', compression: 1, messages: [{ value: 'gzip, no key' }] })).rejects.toMatchObject({ type: 'INVALID_RECORD' });
    } finally {
      await producer.disconnect();
    }
  });
});
