import { Kafka, logLevel } from 'kafkajs';
import { TestBroker, startTestBroker } from '../../src';
import { adminFor } from '../kafka';
import { WireClient } from '../wire-client';
import { withBroker } from '../with-broker';

describe('fault hooks and stats', () => {
  it('counts requests by API name and resets the counts', () =>
    withBroker({}, async (broker) => {
      const admin = await adminFor(broker);
      try {
        await admin.createTopics({ topics: [{ topic: 'counted' }] });
        await admin.fetchTopicMetadata({ topics: ['counted'] });
        const { requests } = broker.stats();
        expect(requests.ApiVersions).toBe(1);
        expect(requests.CreateTopics).toBe(1);
        expect(requests.Metadata).toBeGreaterThanOrEqual(2);
        broker.resetStats();
        expect(broker.stats().requests).toEqual({});
        await admin.fetchTopicMetadata({ topics: ['counted'] });
        expect(Object.keys(broker.stats().requests)).toEqual(['Metadata']);
      } finally {
        await admin.disconnect();
      }
    }));

  it('drops the connection carrying request N+1, once, counted across every node', () =>
    withBroker({ brokers: 2 }, async (broker) => {
      const first = await WireClient.open(broker.brokers[0]);
      const second = await WireClient.open(broker.brokers[1]);
      broker.setFaults({ dropConnectionAfterRequests: 2 });
      await first.request(18, 0, {});
      await second.request(18, 0, {});
      await expect(second.request(18, 0, {})).rejects.toThrow('connection closed');
      expect(first.closed).toBe(false);
      // One-shot: later requests are served again.
      expect((await first.request<{ errorCode: number }>(18, 0, {})).errorCode).toBe(0);
      expect(broker.stats().requests.ApiVersions).toBe(3);
      first.close();
    }));

  it('makes a client lose its connection mid-apply; the dropped request had no effect', () =>
    withBroker({}, async (broker) => {
      const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
      try {
        await admin.connect();
        // kafkajs createTopics = Metadata refresh, then CreateTopics: the CreateTopics is the one dropped.
        broker.setFaults({ dropConnectionAfterRequests: 1 });
        await expect(admin.createTopics({ topics: [{ topic: 'survives', numPartitions: 2 }] })).rejects.toThrow('Closed connection');
        expect(broker.stats().requests.CreateTopics).toBeUndefined();
        // The caller's retry reconnects and succeeds.
        expect(await admin.createTopics({ topics: [{ topic: 'survives', numPartitions: 2 }] })).toBe(true);
        expect(await admin.listTopics()).toContain('survives');
      } finally {
        await admin.disconnect();
      }
    }));

  it('delays every response by delayMs, until the fault is cleared', () => {
    const delayMs = 400;
    return withBroker({ faults: { delayMs } }, async (broker) => {
      const wire = await WireClient.open(broker.bootstrap);
      let started = Date.now();
      await wire.request(18, 0, {});
      expect(Date.now() - started).toBeGreaterThanOrEqual(delayMs - 10);
      broker.setFaults({});
      started = Date.now();
      await wire.request(18, 0, {});
      // Generous: it only has to show that the delay is gone, even on a loaded machine.
      expect(Date.now() - started).toBeLessThan(delayMs - 100);
      wire.close();
    });
  });

  it('answers in request order on one connection even when responses are delayed', () =>
    withBroker({ faults: { delayMs: 20 } }, async (broker) => {
      const wire = await WireClient.open(broker.bootstrap);
      const [versions, metadata, versionsAgain] = await Promise.all([
        wire.request<{ apiKeys: unknown[] }>(18, 0, {}),
        wire.request<{ brokers: unknown[] }>(3, 1, { topics: null }),
        wire.request<{ apiKeys: unknown[]; throttleTimeMs: number }>(18, 1, {}),
      ]);
      expect(versions.apiKeys.length).toBeGreaterThan(0);
      expect(metadata.brokers).toHaveLength(1);
      expect(versionsAgain.throttleTimeMs).toBe(0);
      wire.close();
    }));

  it('binds consecutive ports from a given first port and refuses bad options', async () => {
    // Another test may take an ephemeral port between the probe and the bind: try a few bases.
    let broker: TestBroker | undefined;
    let base = 0;
    for (let attempt = 0; attempt < 5 && !broker; attempt++) {
      const probe = await startTestBroker();
      base = Number(probe.bootstrap.split(':')[1]);
      await probe.stop();
      broker = await startTestBroker({ port: base, brokers: 2 }).catch(() => undefined);
    }
    if (!broker) throw new Error('no two consecutive free ports found');
    try {
      expect(broker.brokers).toEqual([`127.0.0.1:${base}`, `127.0.0.1:${base + 1}`]);
      await expect(startTestBroker({ port: base })).rejects.toThrow('EADDRINUSE');
    } finally {
      await broker.stop();
    }
    await expect(startTestBroker({ brokers: 0 })).rejects.toThrow('brokers must be a positive integer, got 0');
  });
});
