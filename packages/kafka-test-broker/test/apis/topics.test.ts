import { kafkaErrorOf, suiteBroker } from '../kafka';
import { WireClient } from '../wire-client';

describe('topic administration (3-node cluster, no authorizer)', () => {
  const suite = suiteBroker({ brokers: 3 });

  it('lists every node in Metadata, each on its own port', async () => {
    const cluster = await suite.admin.describeCluster();
    expect(cluster.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...suite.broker.brokers].sort());
    expect(new Set(suite.broker.brokers).size).toBe(3);
    expect(cluster.controller).toBe(0);
  });

  it('creates a topic with partitions spread over the nodes and reports it in Metadata', async () => {
    expect(await suite.admin.createTopics({ topics: [{ topic: 'orders.created', numPartitions: 3, replicationFactor: 2 }] })).toBe(true);
    const { topics } = await suite.admin.fetchTopicMetadata({ topics: ['orders.created'] });
    const partitions = topics[0].partitions.sort((a, b) => a.partitionId - b.partitionId);
    expect(partitions).toHaveLength(3);
    for (const p of partitions) {
      expect(p.replicas).toHaveLength(2);
      expect(new Set(p.replicas).size).toBe(2);
      expect(p.leader).toBe(p.replicas[0]);
      expect(p.isr).toEqual(p.replicas);
    }
    expect(new Set(partitions.map((p) => p.leader))).toEqual(new Set([0, 1, 2]));
    expect(await suite.admin.listTopics()).toContain('orders.created');
  });

  it('uses the broker defaults (1 partition, factor 1) when a request says -1', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'defaults' }] });
    const { topics } = await suite.admin.fetchTopicMetadata({ topics: ['defaults'] });
    expect(topics[0].partitions).toHaveLength(1);
    expect(topics[0].partitions[0].replicas).toHaveLength(1);
  });

  it('validateOnly checks everything and creates nothing', async () => {
    // kafkajs would wait for leaders of a topic that a validateOnly request rightly did not create.
    expect(await suite.admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'dry.run', numPartitions: 2 }] })).toBe(true);
    expect(await suite.admin.listTopics()).not.toContain('dry.run');
    expect(await kafkaErrorOf(suite.admin.createTopics({ validateOnly: true, topics: [{ topic: 'dry.run', replicationFactor: 4 }] }))).toBe('INVALID_REPLICATION_FACTOR');
  });

  it('places replicas as an explicit assignment says', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'assigned', replicaAssignment: [{ partition: 0, replicas: [2, 1] }, { partition: 1, replicas: [1, 0] }] }] });
    const { topics } = await suite.admin.fetchTopicMetadata({ topics: ['assigned'] });
    const byId = Object.fromEntries(topics[0].partitions.map((p) => [p.partitionId, p.replicas]));
    expect(byId).toEqual({ 0: [2, 1], 1: [1, 0] });
    expect(await kafkaErrorOf(suite.admin.createTopics({ topics: [{ topic: 'bad.assignment', replicaAssignment: [{ partition: 0, replicas: [7] }] }] }))).toBe('INVALID_REPLICA_ASSIGNMENT');
  });

  it.each([
    ['INVALID_TOPIC_EXCEPTION', { topic: 'has space' }],
    ['INVALID_TOPIC_EXCEPTION', { topic: '..' }],
    ['INVALID_TOPIC_EXCEPTION', { topic: 'x'.repeat(250) }],
    ['INVALID_PARTITIONS', { topic: 'zero.partitions', numPartitions: 0 }],
    ['INVALID_REPLICATION_FACTOR', { topic: 'too.many.replicas', replicationFactor: 4 }],
    ['INVALID_REPLICATION_FACTOR', { topic: 'zero.replicas', replicationFactor: 0 }],
    ['INVALID_CONFIG', { topic: 'unknown.key', configEntries: [{ name: 'retention.mss', value: '1' }] }],
    ['INVALID_CONFIG', { topic: 'bad.value', configEntries: [{ name: 'retention.ms', value: 'soon' }] }],
    ['INVALID_CONFIG', { topic: 'below.min', configEntries: [{ name: 'retention.ms', value: '-2' }] }],
    ['INVALID_CONFIG', { topic: 'bad.policy', configEntries: [{ name: 'cleanup.policy', value: 'delete,shred' }] }],
  ])('refuses with %s: %j', async (type, topic) => {
    expect(await kafkaErrorOf(suite.admin.createTopics({ topics: [topic] }))).toBe(type);
    expect(await suite.admin.listTopics()).not.toContain(topic.topic);
  });

  it('answers TOPIC_ALREADY_EXISTS (36) for an existing topic', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'twice' }] });
    // kafkajs reports TOPIC_ALREADY_EXISTS as `false` rather than an error.
    expect(await suite.admin.createTopics({ topics: [{ topic: 'twice' }] })).toBe(false);
    const wire = await WireClient.open(suite.broker.bootstrap);
    const res = await wire.request<{ topics: Array<{ errorCode: number; errorMessage: string }> }>(19, 1, {
      topics: [{ name: 'twice', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 1000,
      validateOnly: false,
    });
    wire.close();
    expect(res.topics[0]).toMatchObject({ name: 'twice', errorCode: 36, errorMessage: "Topic 'twice' already exists." });
  });

  it('refuses a topic listed twice in one request with INVALID_REQUEST (42)', async () => {
    const wire = await WireClient.open(suite.broker.bootstrap);
    const topic = { name: 'dup', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] };
    const res = await wire.request<{ topics: Array<{ name: string; errorCode: number }> }>(19, 3, { topics: [topic, topic], timeoutMs: 1000, validateOnly: false });
    wire.close();
    expect(res.topics.map((t) => t.errorCode)).toEqual([42, 42]);
  });

  it('reports numPartitions, replicationFactor, topic id and configs in CreateTopics v7', async () => {
    const wire = await WireClient.open(suite.broker.bootstrap);
    const res = await wire.request<{ topics: Array<{ errorCode: number; topicId: string; numPartitions: number; replicationFactor: number; configs: Array<{ name: string; value: string; configSource: number }> }> }>(
      19,
      7,
      { topics: [{ name: 'v7.topic', numPartitions: 2, replicationFactor: 3, assignments: [], configs: [{ name: 'retention.ms', value: '1000' }] }], timeoutMs: 1000, validateOnly: false },
    );
    const meta = await wire.request<{ topics: Array<{ name: string; topicId: string }> }>(3, 12, { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'v7.topic' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    wire.close();
    const [created] = res.topics;
    expect(created).toMatchObject({ errorCode: 0, numPartitions: 2, replicationFactor: 3 });
    expect(created.topicId).toBe(meta.topics[0].topicId);
    expect(created.configs.find((c) => c.name === 'retention.ms')).toEqual(expect.objectContaining({ value: '1000', configSource: 1 }));
    expect(created.configs.find((c) => c.name === 'cleanup.policy')).toEqual(expect.objectContaining({ value: 'delete', configSource: 5 }));
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION (3) in Metadata for a missing topic and never creates it', async () => {
    expect(await kafkaErrorOf(suite.admin.fetchTopicMetadata({ topics: ['missing.topic'] }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(await suite.admin.listTopics()).not.toContain('missing.topic');
  });

  it('answers INVALID_TOPIC_EXCEPTION (17) in Metadata for an illegal name', async () => {
    const wire = await WireClient.open(suite.broker.bootstrap);
    const res = await wire.request<{ topics: Array<{ errorCode: number }> }>(3, 1, { topics: [{ name: 'no/slash' }] });
    wire.close();
    expect(res.topics[0].errorCode).toBe(17);
  });

  it('deletes topics and answers UNKNOWN_TOPIC_OR_PARTITION (3) for a missing one', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'doomed' }] });
    await suite.admin.deleteTopics({ topics: ['doomed'] });
    expect(await suite.admin.listTopics()).not.toContain('doomed');
    expect(await kafkaErrorOf(suite.admin.deleteTopics({ topics: ['doomed'] }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('deletes by topic id in DeleteTopics v6 and answers UNKNOWN_TOPIC_ID (100) for an unknown id', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'by.id' }] });
    const wire = await WireClient.open(suite.broker.bootstrap);
    const meta = await wire.request<{ topics: Array<{ topicId: string }> }>(3, 10, { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'by.id' }] });
    const res = await wire.request<{ responses: Array<{ name: string | null; errorCode: number }> }>(20, 6, {
      topics: [{ name: null, topicId: meta.topics[0].topicId }, { name: null, topicId: Buffer.alloc(16, 9).toString('base64url') }],
      timeoutMs: 1000,
    });
    wire.close();
    expect(res.responses).toEqual([expect.objectContaining({ name: 'by.id', errorCode: 0 }), expect.objectContaining({ name: null, errorCode: 100 })]);
    expect(await suite.admin.listTopics()).not.toContain('by.id');
  });

  it('adds partitions, and refuses a decrease, no change or an unknown topic', async () => {
    await suite.admin.createTopics({ topics: [{ topic: 'growing', numPartitions: 2, replicationFactor: 2 }] });
    await suite.admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 5 }] });
    const { topics } = await suite.admin.fetchTopicMetadata({ topics: ['growing'] });
    expect(topics[0].partitions).toHaveLength(5);
    expect(topics[0].partitions.every((p) => p.replicas.length === 2)).toBe(true);
    expect(await kafkaErrorOf(suite.admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 3 }] }))).toBe('INVALID_PARTITIONS');
    expect(await kafkaErrorOf(suite.admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 5 }] }))).toBe('INVALID_PARTITIONS');
    expect(await kafkaErrorOf(suite.admin.createPartitions({ topicPartitions: [{ topic: 'nowhere', count: 5 }] }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(await kafkaErrorOf(suite.admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 6, assignments: [[0, 9]] }] }))).toBe('INVALID_REPLICA_ASSIGNMENT');
    const after = await suite.admin.fetchTopicMetadata({ topics: ['growing'] });
    expect(after.topics[0].partitions).toHaveLength(5);
  });

  it('answers DescribeCluster v0 (flexible) with every node', async () => {
    const wire = await WireClient.open(suite.broker.bootstrap);
    const res = await wire.request<{ errorCode: number; clusterId: string; brokers: Array<{ brokerId: number; port: number }> }>(60, 0, { includeClusterAuthorizedOperations: false });
    wire.close();
    expect(res.errorCode).toBe(0);
    expect(res.brokers.map((b) => b.brokerId)).toEqual([0, 1, 2]);
  });
});
