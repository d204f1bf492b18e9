import type { TestBroker } from '../../src';
import { PythonTopic, describeWithClients } from '@meshform/peers/testing/clients/kafkajs';
import { startCluster, stopCluster } from './support/cluster';
import { PythonKafka, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';

interface DescribedConfigs {
  type: string;
  name: string;
  error: string;
  entries: Record<string, { value: string | null; readOnly: boolean; source: number; sensitive: boolean }>;
}

/** DescribeConfigs config sources (KIP-226). */
const DYNAMIC_TOPIC_CONFIG = 1;
const DEFAULT_CONFIG = 5;

describeWithClients('kafka-python admin (KafkaAdminClient) against a 3-broker test cluster', [pythonKafkaMissing()], () => {
  let broker: TestBroker;
  let python: PythonKafka;
  const run = (steps: Parameters<PythonKafka['run']>[1]) => python.run(broker.bootstrap, steps);
  const value = <T>(step: Parameters<PythonKafka['value']>[1]) => python.value<T>(broker.bootstrap, step);

  beforeAll(async () => {
    ({ broker, python } = await startCluster({ brokers: 3 }));
  });

  afterAll(() => stopCluster({ python, broker }));

  it('creates topics with partitions, replication factor and configs, then lists and describes them', async () => {
    const created = await value({
      op: 'create_topics',
      topics: [
        { name: 'py.orders', partitions: 3, replicationFactor: 2, configs: { 'retention.ms': '3600000', 'cleanup.policy': 'compact' } },
        { name: 'py.audit', partitions: 1, replicationFactor: 3 },
      ],
    });
    expect(created).toEqual({ 'py.orders': 'NoError', 'py.audit': 'NoError' });

    expect(await value<string[]>({ op: 'list_topics' })).toEqual(expect.arrayContaining(['py.audit', 'py.orders']));
    const [audit, orders] = await value<PythonTopic[]>({ op: 'describe_topics', topics: ['py.orders', 'py.audit'] });
    expect(orders.name).toBe('py.orders');
    expect(orders.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of orders.partitions) {
      expect(p.replicas).toHaveLength(2);
      expect(new Set(p.replicas).size).toBe(2);
      expect(p.replicas[0]).toBe(p.leader);
      expect([...p.isr].sort()).toEqual([...p.replicas].sort());
    }
    // Leaders spread over the nodes as Kafka's assignment does.
    expect(new Set(orders.partitions.map((p) => p.leader)).size).toBe(3);
    expect([...audit.partitions[0].replicas].sort()).toEqual([0, 1, 2]);
  });

  it('validateOnly checks a creation without creating the topic', async () => {
    expect(await value({ op: 'create_topics', topics: [{ name: 'py.dry-run', partitions: 2 }], validateOnly: true })).toEqual({ 'py.dry-run': 'NoError' });
    expect(await value<string[]>({ op: 'list_topics' })).not.toContain('py.dry-run');
  });

  it('describe_configs tells set values (dynamic topic config) from broker defaults', async () => {
    await value({ op: 'create_topics', topics: [{ name: 'py.configs', configs: { 'retention.ms': '1000' } }] });
    const [described] = await value<DescribedConfigs[]>({ op: 'describe_configs', resources: [{ type: 'TOPIC', name: 'py.configs' }] });
    expect(described).toMatchObject({ type: 'TOPIC', name: 'py.configs', error: 'NoError' });
    expect(described.entries['retention.ms']).toEqual({ value: '1000', readOnly: false, source: DYNAMIC_TOPIC_CONFIG, sensitive: false });
    expect(described.entries['cleanup.policy']).toMatchObject({ value: 'delete', source: DEFAULT_CONFIG });
    expect(described.entries['max.message.bytes']).toMatchObject({ value: '1048588', source: DEFAULT_CONFIG });
  });

  it('alter_configs replaces the set values of a topic (unnamed ones fall back to defaults)', async () => {
    await value({ op: 'create_topics', topics: [{ name: 'py.alter', configs: { 'retention.ms': '1000' } }] });
    expect(await value({ op: 'alter_configs', resources: [{ type: 'TOPIC', name: 'py.alter', configs: { 'cleanup.policy': 'compact' } }] })).toEqual({
      'py.alter': 'NoError',
    });
    const [described] = await value<DescribedConfigs[]>({ op: 'describe_configs', resources: [{ type: 'TOPIC', name: 'py.alter' }] });
    expect(described.entries['cleanup.policy']).toMatchObject({ value: 'compact', source: DYNAMIC_TOPIC_CONFIG });
    expect(described.entries['retention.ms']).toMatchObject({ value: '604800000', source: DEFAULT_CONFIG });

    const refused = await value({ op: 'alter_configs', resources: [{ type: 'TOPIC', name: 'py.alter', configs: { 'no.such.config': '1' } }] });
    expect(refused).toEqual({ 'py.alter': 'InvalidConfigurationError' });
  });

  it('create_partitions grows a topic and refuses a decrease or same count with error 37', async () => {
    await value({ op: 'create_topics', topics: [{ name: 'py.grow', partitions: 2 }] });
    expect(await value({ op: 'create_partitions', topics: { 'py.grow': 5 } })).toEqual({ 'py.grow': 'NoError' });
    const [grown] = await value<PythonTopic[]>({ op: 'describe_topics', topics: ['py.grow'] });
    expect(grown.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3, 4]);

    const [decrease, same] = await run([
      { op: 'create_partitions', topics: { 'py.grow': 3 } },
      { op: 'create_partitions', topics: { 'py.grow': 5 } },
    ]);
    expect(decrease).toEqual({ ok: false, error: 'InvalidPartitionsError', errno: 37 });
    expect(same).toEqual({ ok: false, error: 'InvalidPartitionsError', errno: 37 });
  });

  it('deletes topics; describing a deleted topic reports unknown topic (3)', async () => {
    await value({ op: 'create_topics', topics: [{ name: 'py.doomed' }] });
    expect(await value({ op: 'delete_topics', topics: ['py.doomed'] })).toEqual({ 'py.doomed': 'NoError' });
    expect(await value<string[]>({ op: 'list_topics' })).not.toContain('py.doomed');
    const [gone] = await value<PythonTopic[]>({ op: 'describe_topics', topics: ['py.doomed'] });
    expect(gone.error).toBe('UnknownTopicOrPartitionError');
    const [again] = await run([{ op: 'delete_topics', topics: ['py.doomed'] }]);
    expect(again).toEqual({ ok: false, error: 'UnknownTopicOrPartitionError', errno: 3 });
  });

  it('reports Kafka error codes for bad creations: 17, 36, 37, 38, 40', async () => {
    await value({ op: 'create_topics', topics: [{ name: 'py.taken' }] });
    const results = await run([
      { op: 'create_topics', topics: [{ name: 'bad name!' }] },
      { op: 'create_topics', topics: [{ name: '..' }] },
      { op: 'create_topics', topics: [{ name: 'x'.repeat(250) }] },
      { op: 'create_topics', topics: [{ name: 'py.taken' }] },
      { op: 'create_topics', topics: [{ name: 'py.zero', partitions: 0 }] },
      { op: 'create_topics', topics: [{ name: 'py.rf4', replicationFactor: 4 }] },
      { op: 'create_topics', topics: [{ name: 'py.unknown-config', configs: { 'no.such.config': '1' } }] },
      { op: 'create_topics', topics: [{ name: 'py.bad-value', configs: { 'retention.ms': 'soon' } }] },
      { op: 'create_topics', topics: [{ name: 'py.bad-policy', configs: { 'cleanup.policy': 'shred' } }] },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.errno))).toEqual([17, 17, 17, 36, 37, 38, 40, 40, 40]);
    expect(await value<string[]>({ op: 'list_topics' })).toEqual(expect.not.arrayContaining(['py.zero', 'py.rf4', 'py.unknown-config', 'py.bad-value', 'py.bad-policy']));
  });

  it('describe_cluster lists the three nodes with their loopback addresses', async () => {
    const cluster = await value<{ brokers: Array<{ nodeId: number; host: string; port: number }>; controllerId: number }>({ op: 'describe_cluster' });
    expect(cluster.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(broker.brokers);
    expect(cluster.brokers.map((b) => b.nodeId)).toEqual([0, 1, 2]);
    expect(broker.brokers).toContain(`${cluster.brokers[cluster.controllerId].host}:${cluster.brokers[cluster.controllerId].port}`);
  });
});
