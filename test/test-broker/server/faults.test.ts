import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker } from '../../../src/test-broker';
import { adminFor } from '../kafka';
import { WireClient } from '../wire-client';

describe('fault hooks and stats', () => {
  it('counts requests by API name and resets the counts', async () => {
    const broker = await startTestBroker();
    const admin = await adminFor(broker);
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
    await admin.disconnect();
    await broker.stop();
  });

  it('drops the connection carrying request N+1, once, counted across every node', async () => {
    const broker = await startTestBroker({ brokers: 2 });
    const first = await WireClient.open(broker.brokers[0]);
    const second = await WireClient.open(broker.brokers[1]);
    broker.setFaults({ dropConnectionAfterRequests: 2 });
    await first.request(18, 0, {});
    await second.request(18, 0, {});
    await expect(second.request(18, 0, {})).rejects.toThrow('connection closed');
    expect(first.closed).toBe(false);
    // One-shot: the next connection is served normally.
    expect((await first.request<{ errorCode: number }>(18, 0, {})).errorCode).toBe(0);
    expect(broker.stats().requests.ApiVersions).toBe(3);
    first.close();
    await broker.stop();
  });

  it('makes a client lose its connection mid-apply; the request that was dropped had no effect', async () => {
    const broker = await startTestBroker();
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
      await broker.stop();
    }
  });

  it('delays every response by delayMs, until the fault is cleared', async () => {
    const delayMs = 400;
    const broker = await startTestBroker({ faults: { delayMs } });
    const wire = await WireClient.open(broker.bootstrap);
    try {
      let started = Date.now();
      await wire.request(18, 0, {});
      expect(Date.now() - started).toBeGreaterThanOrEqual(delayMs - 10);
      broker.setFaults({});
      started = Date.now();
      await wire.request(18, 0, {});
      // Generous: only has to show that the delay is gone, even on a loaded machine.
      expect(Date.now() - started).toBeLessThan(delayMs - 100);
    } finally {
      wire.close();
      await broker.stop();
    }
  });

  it('answers in request order on one connection even when responses are delayed', async () => {
    const broker = await startTestBroker({ faults: { delayMs: 20 } });
    const wire = await WireClient.open(broker.bootstrap);
    const answers = await Promise.all([wire.request<{ apiKeys: unknown[] }>(18, 0, {}), wire.request<{ brokers: unknown[] }>(3, 1, { topics: null }), wire.request<{ apiKeys: unknown[] }>(18, 1, {})]);
    expect(answers[0].apiKeys.length).toBeGreaterThan(0);
    expect(answers[1].brokers).toHaveLength(1);
    wire.close();
    await broker.stop();
  });

  it('binds consecutive ports from a given first port and refuses bad options', async () => {
    const probe = await startTestBroker();
    const base = Number(probe.bootstrap.split(':')[1]);
    await probe.stop();
    const broker = await startTestBroker({ port: base, brokers: 2 });
    expect(broker.brokers).toEqual([`127.0.0.1:${base}`, `127.0.0.1:${base + 1}`]);
    await expect(startTestBroker({ port: base })).rejects.toThrow('EADDRINUSE');
    await broker.stop();
    await expect(startTestBroker({ brokers: 0 })).rejects.toThrow('brokers must be a positive integer, got 0');
  });
});
