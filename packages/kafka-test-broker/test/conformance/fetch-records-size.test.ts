import { TestBroker, startTestBroker } from '../../src';
import { describeWithClients, kafkajsAdmin } from '@meshform/peers/testing/clients/kafkajs';
import { rawFetchV11 } from './support/raw-fetch';

const UNKNOWN_TOPIC_OR_PARTITION = 3;

/**
 * librdkafka (kcat) drops a whole Fetch answer when any partition's records length is negative
 * ("Protocol parse failure for Fetch v11 ... invalid MessageSetSize -1") and retries forever, so
 * the partition's error never reaches the application. Kafka writes an empty (0-length) record set
 * for partitions that failed. See FINDINGS.md, finding 1.
 */
describeWithClients('Fetch v11 records length on the wire (what librdkafka parses)', [], () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker();
    const admin = await kafkajsAdmin(broker.bootstrap);
    try {
      await admin.createTopics({ topics: [{ topic: 'wire.fetch', numPartitions: 1 }] });
    } finally {
      await admin.disconnect();
    }
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('is 0, not null (-1), for an empty partition', async () => {
    expect(await rawFetchV11(broker.bootstrap, 'wire.fetch', 0)).toEqual([{ partitionIndex: 0, errorCode: 0, highWatermark: 0n, recordsSize: 0 }]);
  });

  it('is 0, not null (-1), for a partition answered with an error', async () => {
    const [missing] = await rawFetchV11(broker.bootstrap, 'wire.fetch', 7);
    expect(missing.errorCode).toBe(UNKNOWN_TOPIC_OR_PARTITION);
    expect(missing.recordsSize).toBe(0);
  });
});
