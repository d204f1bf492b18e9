import { KafkaWire, type KafkaConnection } from '../../src/adapters/kafka';
import type { TestBroker } from '../../src/test-broker';
import type { MeshKafkaBackend } from '../../src/testing';
import { acl, ownerAcl, topic } from './fixtures';
import { mutationsIn } from '../support/mutating-apis';
import { apply, startAdminCluster, states, type AdminCluster } from './broker';
import { containerRuntimeAbsent } from './runtime';

const backends: [MeshKafkaBackend, string | undefined][] = [
  ['in-process', undefined],
  ['testcontainers', containerRuntimeAbsent()],
];
for (const [backend, reason] of backends) if (reason) console.warn(`reconcile suite on ${backend} skipped: ${reason}`);

const orders = 'acme.retail.orders';
const placed = `${orders}._public.placed`;
const scratch = `${orders}._private.scratch`;

function ordersPlan(placedPartitions = 3, placedConfig: Record<string, string> = { 'retention.ms': '86400000' }) {
  return [
    topic(orders, placed, placedPartitions, 1, placedConfig),
    topic(orders, scratch, 1, 1),
    ownerAcl(orders, 'WRITE'),
    ownerAcl(orders, 'READ'),
    acl(orders, { principal: 'User:*', resourceName: placed }),
  ];
}

async function inspect(connection: KafkaConnection) {
  const wire = await KafkaWire.open(connection);
  try {
    const metadata = await wire.metadata();
    const configs = await wire.describeTopicConfigs(metadata.topics.map((t) => t.name));
    const setConfigs = Object.fromEntries(configs.map((c) => [c.topic, Object.fromEntries(c.entries.filter((e) => e.setOnTopic).map((e) => [e.name, e.value]))]));
    return { topics: new Map(metadata.topics.map((t) => [t.name, t])), configs: setConfigs, acls: await wire.describeAllAcls() };
  } finally {
    await wire.close();
  }
}

describe.each(backends)('reconcile against the %s broker', (backend, reason) => {
  if (reason) {
    it.skip(`skipped: ${reason}`, () => undefined);
    return;
  }
  // Tests that count requests (broker.stats()) or inject faults (broker.setFaults()) need the in-process broker.
  const inProcessOnly: jest.It = backend === 'in-process' ? it : it.skip;
  let cluster: AdminCluster;
  let broker: TestBroker;
  let connection: KafkaConnection;

  // A fresh cluster per test, as every test starts from an empty one (a container takes a while to start).
  beforeEach(async () => {
    cluster = await startAdminCluster(backend);
    ({ connection } = cluster);
    if (cluster.broker) broker = cluster.broker;
  }, 240000);

  afterEach(async () => {
    await cluster?.stop();
  });

  inProcessOnly('fresh apply creates everything in one request per kind and verifies it', async () => {
    const report = await apply(connection, [orders], ordersPlan());
    expect(report.summary).toEqual({ create: 5, update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 });
    expect(new Set(report.resources.map((r) => r.state))).toEqual(new Set(['CREATED']));
    expect(mutationsIn(broker.stats().requests)).toEqual({ CreateTopics: 1, CreateAcls: 1 });
    const actual = await inspect(connection);
    expect(actual.topics.get(placed)).toMatchObject({ partitions: 3, replicas: 1 });
    expect(actual.configs[placed]).toEqual({ 'retention.ms': '86400000' });
    expect(actual.acls).toHaveLength(3);
  });

  inProcessOnly('splits a batch only where the limits demand, keeping every item', async () => {
    const { reconcileKafka, OwnershipScope } = await import('../../src/adapters/kafka');
    const report = await reconcileKafka(connection, {
      resources: ordersPlan(),
      scope: new OwnershipScope([orders]),
      permissions: { allowDelete: false, allowDeletePrivate: false },
      mode: 'apply',
      // placed costs 1 + 3 partitions + 1 config = 5 records, scratch 1 + 1 = 2: they cannot share a request.
      limits: { maxBytes: 1024 * 1024, maxRecords: 5 },
    });
    expect(report.summary).toMatchObject({ create: 5, failed: 0 });
    expect(mutationsIn(broker.stats().requests)).toEqual({ CreateTopics: 2, CreateAcls: 1 });
  });

  inProcessOnly('a no-op re-run makes no mutation and only the reads the protocol needs', async () => {
    await apply(connection, [orders], ordersPlan());
    broker.resetStats();
    const plan = await apply(connection, [orders], ordersPlan(), {}, 'plan');
    const rerun = await apply(connection, [orders], ordersPlan());
    expect(plan.summary.unchanged).toBe(5);
    expect(rerun.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 5, refused: 0, failed: 0 });
    const requests = broker.stats().requests;
    expect(mutationsIn(requests)).toEqual({});
    // Per run: the connection handshake (ApiVersions, SaslHandshake, SaslAuthenticate), then one read of each kind.
    expect(requests).toEqual({ ApiVersions: 2, SaslHandshake: 2, SaslAuthenticate: 2, Metadata: 2, DescribeConfigs: 2, DescribeAcls: 2 });
  });

  it('changes configs: sets, changes and unsets keys without touching the others', async () => {
    await apply(connection, [orders], ordersPlan(3, { 'retention.ms': '1000', 'cleanup.policy': 'delete' }));
    const report = await apply(connection, [orders], ordersPlan(3, { 'retention.ms': '2000', 'max.message.bytes': '2048' }));
    expect(states(report)[placed]).toBe('UPDATED');
    expect(report.resources.find((r) => r.topic === placed)?.changes).toEqual([
      'retention.ms 1000 -> 2000',
      'set max.message.bytes=2048',
      'unset cleanup.policy (was delete)',
    ]);
    expect((await inspect(connection)).configs[placed]).toEqual({ 'retention.ms': '2000', 'max.message.bytes': '2048' });
  });

  inProcessOnly('grows partitions and refuses to shrink them, with the remedy, changing nothing', async () => {
    await apply(connection, [orders], ordersPlan(3));
    const grown = await apply(connection, [orders], ordersPlan(6));
    expect(states(grown)[placed]).toBe('UPDATED');
    expect((await inspect(connection)).topics.get(placed)?.partitions).toBe(6);

    broker.resetStats();
    const shrunk = await apply(connection, [orders], ordersPlan(2));
    const status = shrunk.resources.find((r) => r.topic === placed)!;
    expect(status.state).toBe('REFUSED');
    expect(status.reason).toMatch(/partitions 6 -> 2: Kafka cannot remove partitions; .* so the plan keeps 6 or more/);
    expect(mutationsIn(broker.stats().requests)).toEqual({});
    expect((await inspect(connection)).topics.get(placed)?.partitions).toBe(6);
  });

  it('refuses to delete without permission; with it, spares _private topics unless allowed too', async () => {
    await apply(connection, [orders], ordersPlan());
    const onlyOwner = [ownerAcl(orders, 'WRITE'), ownerAcl(orders, 'READ')];

    const refused = await apply(connection, [orders], onlyOwner);
    expect(states(refused)).toMatchObject({ [placed]: 'REFUSED', [scratch]: 'REFUSED' });
    expect(refused.summary.refused).toBe(3);
    expect((await inspect(connection)).topics.size).toBe(2);

    const deleted = await apply(connection, [orders], onlyOwner, { allowDelete: true });
    expect(states(deleted)).toMatchObject({ [placed]: 'DELETED', [scratch]: 'REFUSED' });
    expect(deleted.resources.find((r) => r.topic === scratch)?.reason).toMatch(/--allow-delete-private/);
    const after = await inspect(connection);
    expect([...after.topics.keys()]).toEqual([scratch]);
    expect(after.acls.map((a) => a.principal)).toEqual([`User:${orders}`, `User:${orders}`]);

    const all = await apply(connection, [orders], onlyOwner, { allowDelete: true, allowDeletePrivate: true });
    expect(states(all)[scratch]).toBe('DELETED');
    expect((await inspect(connection)).topics.size).toBe(0);
  });

  it("one product's apply leaves another product's topics and ACLs alone, even with full delete permission", async () => {
    const user = 'acme.user';
    const userprops = 'acme.userprops';
    const theirs = [
      topic(userprops, `${userprops}._public.changes`),
      topic(userprops, `${userprops}._private.raw`),
      ownerAcl(userprops),
      acl(userprops, { principal: `User:${user}`, resourceName: `${userprops}._public.changes` }),
    ];
    await apply(connection, [userprops], theirs);
    const before = await inspect(connection);

    const ours = [topic(user, `${user}._public.profile`), ownerAcl(user)];
    const report = await apply(connection, [user], ours, { allowDelete: true, allowDeletePrivate: true });
    expect(report.summary).toEqual({ create: 2, update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 });
    const after = await inspect(connection);
    for (const name of before.topics.keys()) expect(after.topics.get(name)).toEqual(before.topics.get(name));
    expect(after.acls).toEqual(expect.arrayContaining(before.acls));
  });

  // Handshake (3) and the reads (Metadata, DescribeAcls) are served, then the connection drops
  // carrying CreateTopics (after 5) or CreateAcls (after 6).
  inProcessOnly.each([
    [5, 'CreateTopics', 'FAILED', 2],
    [6, 'CreateAcls', 'CREATED', 3],
  ])('a connection dropped mid-apply (after %i requests, at %s) is reported, and a re-run converges without duplicates', async (after, _api, placedState, lost) => {
    const plan = ordersPlan();
    broker.setFaults({ dropConnectionAfterRequests: after });
    const broken = await apply(connection, [orders], plan);
    expect(broken.summary.failed).toBe(lost);
    for (const r of broken.resources.filter((r) => r.state === 'FAILED')) expect(r.error).toMatch(/^not done \(connection lost or timed out\): Create(Topics|Acls) failed: Closed connection/);
    // Exactly what the broker did before the drop is reported as done.
    expect(states(broken)[placed]).toBe(placedState);

    broker.setFaults({});
    const rerun = await apply(connection, [orders], plan);
    expect(rerun.summary.failed).toBe(0);
    expect(rerun.summary.create).toBe(broken.summary.failed);
    const final = await apply(connection, [orders], plan);
    expect(final.summary.unchanged).toBe(5);
    const actual = await inspect(connection);
    expect(actual.topics.size).toBe(2);
    expect(actual.acls).toHaveLength(3);
  });
});

// In-process only: the container setup always has an authorizer.
describe('a cluster without an authorizer', () => {
  it('is a clear configuration error, not a stack trace', async () => {
    const { startTestBroker } = await import('../../src/test-broker');
    const open = await startTestBroker({ brokers: 1 });
    try {
      const plain = { brokers: [open.bootstrap], clientId: 'meshform-test', tls: false };
      await expect(apply(plain, [orders], ordersPlan(), {}, 'plan')).rejects.toThrow(/no authorizer \(SECURITY_DISABLED\)/);
    } finally {
      await open.stop();
    }
  });
});

// In-process only: one container is one broker, and the test counts requests (cluster.stats()).
describe('a three-node cluster', () => {
  it('reports each refused item with its Kafka error while the rest of the batch is done', async () => {
    const { startTestBroker } = await import('../../src/test-broker');
    const cluster = await startTestBroker({ brokers: 3, saslUsers: { admin: 'admin-secret' }, superUsers: ['User:admin'], authorizer: true });
    try {
      // The first bootstrap address is dead: the engine moves on to the next one.
      const admin: KafkaConnection = { brokers: ['127.0.0.1:1', ...cluster.brokers], clientId: 'meshform-test', tls: false, sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' } };
      const plan = [
        topic(orders, `${orders}._public.replicated`, 3, 3),
        topic(orders, `${orders}._public.too_many_replicas`, 3, 4),
        topic(orders, `${orders}._public.bad_config`, 3, 1, { 'retention.ms': 'soon' }),
        ownerAcl(orders),
      ];
      const report = await apply(admin, [orders], plan);
      expect(states(report)).toEqual({
        [`${orders}._public.replicated`]: 'CREATED',
        [`${orders}._public.too_many_replicas`]: 'FAILED',
        [`${orders}._public.bad_config`]: 'FAILED',
        [plan[3].name]: 'CREATED',
      });
      const errors = Object.fromEntries(report.resources.map((r) => [r.topic ?? r.name, r.error]));
      expect(errors[`${orders}._public.too_many_replicas`]).toMatch(/^INVALID_REPLICATION_FACTOR \(38\)/);
      expect(errors[`${orders}._public.bad_config`]).toMatch(/^INVALID_CONFIG \(40\)/);
      expect(cluster.stats().requests.CreateTopics).toBe(1);
    } finally {
      await cluster.stop();
    }
  });
});
