import { Admin, ConfigResourceTypes } from 'kafkajs';
import type { TestBroker } from '../../src';
import { KAFKAJS_ANY_ACL, NamedAcl, acl, aclToKafkajs, aclsFromKafkajs, sortAcls } from '@meshform/peers/testing/clients/acl-names';
import { ClusterView, PythonCluster, PythonTopic, describeWithClients, kafkajsAdmin, viewFromKafkajs, viewFromKcat, viewFromPython } from '@meshform/peers/testing/clients/kafkajs';
import { kcatMetadata, kcatMissing, kcatSasl, runKcat } from '@meshform/peers/testing/clients/kcat';
import { ADMIN, ALICE, startClusterWithAdmin, stopCluster, withSaslUsers } from './support/cluster';
import { PythonKafka, SaslLogin, Step, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';

interface PythonConfigs {
  name: string;
  error: string;
  entries: Record<string, { value: string | null; source: number; readOnly: boolean }>;
}

interface KafkajsFailure {
  code?: number;
  errors?: KafkajsFailure[];
  cause?: KafkajsFailure;
  message?: string;
}

function codeOf(failure: KafkajsFailure): number | string {
  if (typeof failure.code === 'number') return failure.code;
  if (failure.errors?.length) return codeOf(failure.errors[0]);
  return failure.cause ? codeOf(failure.cause) : `no code: ${failure.message}`;
}

/** The Kafka error code kafkajs reports for a refused call, dug out of its retry and aggregate wrappers. */
async function kafkajsErrorCode(call: Promise<unknown>): Promise<number | string> {
  try {
    await call;
  } catch (e) {
    return codeOf(e as KafkajsFailure);
  }
  return 'accepted';
}

/** name -> {value, source} for one topic, as kafkajs reports it. */
async function kafkajsConfigs(admin: Admin, topic: string): Promise<Record<string, { value: string | null; source: number }>> {
  const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
  return Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, { value: e.configValue, source: e.configSource }]));
}

describeWithClients('kafkajs, kafka-python and kcat see the same cluster', [pythonKafkaMissing(), kcatMissing()], () => {
  let broker: TestBroker;
  let python: PythonKafka;
  let admin: Admin;
  const asAdmin = <T>(step: Step) => python.value<T>(broker.bootstrap, step, ADMIN);

  async function pythonView(login: SaslLogin): Promise<ClusterView> {
    const [cluster, topics] = await python.run(broker.bootstrap, [{ op: 'describe_cluster' }, { op: 'describe_topics' }], login);
    if (!cluster.ok || !topics.ok) throw new Error(`kafka-python metadata failed: ${JSON.stringify([cluster, topics])}`);
    return viewFromPython(cluster.value as PythonCluster, topics.value as PythonTopic[]);
  }

  async function pythonConfigs(topic: string): Promise<Record<string, { value: string | null; source: number }>> {
    const [described] = await asAdmin<PythonConfigs[]>({ op: 'describe_configs', resources: [{ type: 'TOPIC', name: topic }] });
    return Object.fromEntries(Object.entries(described.entries).map(([name, e]) => [name, { value: e.value, source: e.source }]));
  }

  beforeAll(async () => {
    ({ broker, python, admin } = await startClusterWithAdmin(withSaslUsers({ brokers: 3 }), ADMIN));
  });

  afterAll(() => stopCluster({ admin, python, broker }));

  afterEach(async () => {
    await admin.deleteAcls({ filters: [KAFKAJS_ANY_ACL] });
    const topics = await admin.listTopics();
    if (topics.length > 0) await admin.deleteTopics({ topics });
  });

  it('topics, configs and ACLs made with kafkajs look the same through kafka-python and kcat -L -J', async () => {
    await admin.createTopics({
      topics: [
        { topic: 'js.orders', numPartitions: 4, replicationFactor: 3, configEntries: [{ name: 'retention.ms', value: '86400000' }] },
        { topic: 'js.audit', numPartitions: 1, replicationFactor: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
    });
    const bindings = [acl('User:alice', 'READ', 'js.', { pattern: 'PREFIXED' }), acl('User:*', 'DESCRIBE', 'js.audit'), acl('User:bob', 'WRITE', 'js.orders', { permission: 'DENY' })];
    await admin.createAcls({ acl: bindings.map(aclToKafkajs) });

    const fromKafkajs = await viewFromKafkajs(admin);
    expect(fromKafkajs.topics.map((t) => t.name)).toEqual(['js.audit', 'js.orders']);
    expect(fromKafkajs.brokers.map((b) => b.address)).toEqual(broker.brokers);
    expect(await pythonView(ADMIN)).toEqual(fromKafkajs);
    expect(viewFromKcat(await kcatMetadata(broker.bootstrap, kcatSasl(ADMIN)))).toEqual(fromKafkajs);

    for (const topic of ['js.orders', 'js.audit']) {
      const fromJs = await kafkajsConfigs(admin, topic);
      expect(Object.keys(fromJs).length).toBeGreaterThan(10);
      expect(await pythonConfigs(topic)).toEqual(fromJs);
    }
    expect((await pythonConfigs('js.orders'))['retention.ms']).toEqual({ value: '86400000', source: 1 });

    const fromPython = await asAdmin<{ acls: NamedAcl[] }>({ op: 'describe_acls', filter: {} });
    expect(sortAcls(fromPython.acls)).toEqual(sortAcls(bindings));
    expect(aclsFromKafkajs(await admin.describeAcls(KAFKAJS_ANY_ACL))).toEqual(sortAcls(bindings));
  });

  it('topics, config changes and ACLs made with kafka-python look the same through kafkajs and kcat', async () => {
    await asAdmin({
      op: 'create_topics',
      topics: [
        { name: 'py.events', partitions: 6, replicationFactor: 2, configs: { 'max.message.bytes': '2000000' } },
        { name: 'py.single', partitions: 1, replicationFactor: 1 },
      ],
    });
    await asAdmin({ op: 'create_partitions', topics: { 'py.single': 3 } });
    await asAdmin({ op: 'alter_configs', resources: [{ type: 'TOPIC', name: 'py.events', configs: { 'retention.bytes': '1048576' } }] });
    const bindings = [acl('User:alice', 'DESCRIBE', 'py.', { pattern: 'PREFIXED' }), acl('User:alice', 'READ', 'py-group', { resourceType: 'GROUP' })];
    await asAdmin({ op: 'create_acls', acls: bindings });

    const fromPython = await pythonView(ADMIN);
    expect(fromPython.topics.map((t) => [t.name, t.partitions.length])).toEqual([
      ['py.events', 6],
      ['py.single', 3],
    ]);
    expect(await viewFromKafkajs(admin)).toEqual(fromPython);
    expect(viewFromKcat(await kcatMetadata(broker.bootstrap, kcatSasl(ADMIN)))).toEqual(fromPython);

    const configs = await kafkajsConfigs(admin, 'py.events');
    expect(configs).toEqual(await pythonConfigs('py.events'));
    // AlterConfigs replaced the whole set: max.message.bytes is back to its default.
    expect(configs['retention.bytes']).toEqual({ value: '1048576', source: 1 });
    expect(configs['max.message.bytes']).toEqual({ value: '1048588', source: 5 });

    expect(aclsFromKafkajs(await admin.describeAcls(KAFKAJS_ANY_ACL))).toEqual(sortAcls(bindings));
  });

  it('Metadata hides topics the principal may not DESCRIBE, identically for kcat, kafka-python and kafkajs', async () => {
    await admin.createTopics({
      topics: ['team.a', 'team.b', 'team.secret', 'other.x', 'readable.one'].map((topic) => ({ topic, numPartitions: 2, replicationFactor: 2 })),
    });
    await admin.createAcls({
      acl: [
        acl('User:alice', 'DESCRIBE', 'team.', { pattern: 'PREFIXED' }),
        acl('User:alice', 'DESCRIBE', 'team.secret', { permission: 'DENY' }),
        acl('User:*', 'READ', 'readable.one'),
      ].map(aclToKafkajs),
    });

    const kcatAsAlice = viewFromKcat(await kcatMetadata(broker.bootstrap, kcatSasl(ALICE)));
    expect(kcatAsAlice.topics.map((t) => t.name)).toEqual(['readable.one', 'team.a', 'team.b']);
    expect(await pythonView(ALICE)).toEqual(kcatAsAlice);
    const aliceAdmin = await kafkajsAdmin(broker.bootstrap, ALICE);
    try {
      expect(await viewFromKafkajs(aliceAdmin)).toEqual(kcatAsAlice);
    } finally {
      await aliceAdmin.disconnect();
    }

    const kcatAsAdmin = viewFromKcat(await kcatMetadata(broker.bootstrap, kcatSasl(ADMIN)));
    expect(kcatAsAdmin.topics.map((t) => t.name)).toEqual(['other.x', 'readable.one', 'team.a', 'team.b', 'team.secret']);
  });

  it('refusals carry the same Kafka error code in kafkajs and kafka-python', async () => {
    await admin.createTopics({ topics: [{ topic: 'taken', numPartitions: 2 }] });
    const cases: Array<{ code: number; kafkajs: () => Promise<unknown>; python: Step }> = [
      { code: 17, kafkajs: () => admin.createTopics({ topics: [{ topic: 'no spaces' }] }), python: { op: 'create_topics', topics: [{ name: 'no spaces' }] } },
      { code: 38, kafkajs: () => admin.createTopics({ topics: [{ topic: 'rf4', replicationFactor: 4 }] }), python: { op: 'create_topics', topics: [{ name: 'rf4', replicationFactor: 4 }] } },
      {
        code: 40,
        kafkajs: () => admin.createTopics({ topics: [{ topic: 'bad-config', configEntries: [{ name: 'cleanup.policy', value: 'shred' }] }] }),
        python: { op: 'create_topics', topics: [{ name: 'bad-config', configs: { 'cleanup.policy': 'shred' } }] },
      },
      { code: 37, kafkajs: () => admin.createPartitions({ topicPartitions: [{ topic: 'taken', count: 1 }] }), python: { op: 'create_partitions', topics: { taken: 1 } } },
      { code: 3, kafkajs: () => admin.deleteTopics({ topics: ['never-created'] }), python: { op: 'delete_topics', topics: ['never-created'] } },
    ];
    const fromPython = await python.run(broker.bootstrap, cases.map((c) => c.python), ADMIN);
    const fromKafkajs: Array<number | string> = [];
    for (const c of cases) fromKafkajs.push(await kafkajsErrorCode(c.kafkajs()));
    const expected = cases.map((c) => c.code);
    expect(fromPython.map((r) => (r.ok ? 'accepted' : r.errno))).toEqual(expected);
    expect(fromKafkajs).toEqual(expected);

    // TOPIC_ALREADY_EXISTS: kafka-python raises it; kafkajs turns exactly that code into `false`.
    expect((await python.run(broker.bootstrap, [{ op: 'create_topics', topics: [{ name: 'taken' }] }], ADMIN))[0]).toEqual({ ok: false, error: 'TopicAlreadyExistsError', errno: 36 });
    expect(await admin.createTopics({ topics: [{ topic: 'taken' }] })).toBe(false);
  });

  it('kcat with a wrong SASL password fails to authenticate and gets no metadata', async () => {
    const refused = await runKcat(['-b', broker.bootstrap, '-L', '-J', '-m', '1', ...kcatSasl({ username: 'alice', password: 'wrong' })]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/SASL authentication error: Authentication failed/);
    expect(refused.stdout).toBe('');
  });

  it('kcat asking for one hidden topic by name gets an authorization error; a missing topic gets unknown topic (3)', async () => {
    await admin.createTopics({ topics: [{ topic: 'hidden.t', numPartitions: 1 }] });
    const metadata = await kcatMetadata(broker.bootstrap, [...kcatSasl(ALICE), '-t', 'hidden.t']);
    expect(metadata.topics).toEqual([expect.objectContaining({ topic: 'hidden.t', error: 'Broker: Topic authorization failed', partitions: [] })]);
    // A user who may describe everything learns that a missing topic is missing (3); alice above did not.
    const missing = await kcatMetadata(broker.bootstrap, [...kcatSasl(ADMIN), '-t', 'never.created']);
    expect(missing.topics).toEqual([expect.objectContaining({ topic: 'never.created', error: 'Broker: Unknown topic or partition', partitions: [] })]);
  });
});
