/**
 * The reconcile engine against a SASL cluster with an authorizer: the in-process test broker, real
 * Apache Kafka (the `kafka` peer) and Kafka in a container (the `containers` peer's image). What is on the
 * cluster is read with kafkajs (test/kafka/oracle.ts), never with the engine's own client, and
 * compared with expectations written here by hand.
 */
import type { KafkaReport } from '../../src/adapters/kafka';
import { startTestBroker } from '@meshform/kafka-test-broker';
import type { MeshKafkaBackend } from '../../src/testing';
import { mutationsIn } from '../support/mutating-apis';
import { REAL_KAFKA_START_MS, realKafkaBackend, startRealKafka } from '@meshform/peers/testing/real-kafka';
import { adminConnection, apply, requestCounter, states, useAdminCluster } from './broker';
import { acl, ownerAcl, topic } from './fixtures';
import { binding, createAclsOutOfBand, deleteAclOutOfBand, observe, setTopicConfigOutOfBand, sortAcls } from './oracle';
import { containersBackend } from '@meshform/peers/testing/containers';

const backends: [MeshKafkaBackend, string | undefined][] = [
  ['in-process', undefined],
  realKafkaBackend('reconcile suite on real Kafka'),
  containersBackend('reconcile suite on containers'),
];
for (const [backend, reason] of backends) if (reason) console.warn(`reconcile suite on ${backend} skipped: ${reason}`);

const orders = 'acme.retail.orders';
const placed = `${orders}._public.placed`;
const scratch = `${orders}._private.scratch`;
const OWNER = `User:${orders}`;

function ordersPlan(placedPartitions = 3, placedConfig: Record<string, string> = { 'retention.ms': '86400000' }) {
  return [
    topic(orders, placed, placedPartitions, 1, placedConfig),
    topic(orders, scratch, 1, 1),
    ownerAcl(orders, 'WRITE'),
    ownerAcl(orders, 'READ'),
    acl(orders, { principal: 'User:*', resourceName: placed }),
  ];
}

/** The bindings of ordersPlan, written out by hand. */
const ORDERS_ACLS = sortAcls([
  binding(OWNER, 'WRITE', `${orders}.`, { pattern: 'PREFIXED' }),
  binding(OWNER, 'READ', `${orders}.`, { pattern: 'PREFIXED' }),
  binding('User:*', 'READ', placed),
]);

/**
 * One good topic, one with more replicas than the cluster has brokers, one with a bad config value,
 * and an ACL, applied in one request: the two bad topics FAIL with their Kafka errors, the rest is done.
 */
function withBadItems(good: string, brokers: number) {
  return [topic(orders, good, 3, brokers), topic(orders, `${orders}._public.too_many_replicas`, 3, brokers + 1), topic(orders, `${orders}._public.bad_config`, 3, 1, { 'retention.ms': 'soon' }), ownerAcl(orders)];
}

function expectBadItemsRefused(report: KafkaReport, good: string, plan: ReturnType<typeof withBadItems>): void {
  expect(states(report)).toEqual({
    [good]: 'CREATED',
    [`${orders}._public.too_many_replicas`]: 'FAILED',
    [`${orders}._public.bad_config`]: 'FAILED',
    [plan[3].name]: 'CREATED',
  });
  const errors = Object.fromEntries(report.resources.map((r) => [r.topic ?? r.name, r.error]));
  expect(errors[`${orders}._public.too_many_replicas`]).toMatch(/^INVALID_REPLICATION_FACTOR \(38\)/);
  expect(errors[`${orders}._public.bad_config`]).toMatch(/^INVALID_CONFIG \(40\)/);
}

describe.each(backends)('reconcile against the %s broker', (backend, reason) => {
  if (reason) {
    it.skip(`skipped: ${reason}`, () => undefined);
    return;
  }
  const cluster = useAdminCluster(backend);
  // Fault injection needs the in-process broker (real Kafka: test/kafka/real-faults.test.ts).
  const inProcessOnly: jest.It = backend === 'in-process' ? it : it.skip;
  const counter = requestCounter();
  beforeEach(() => counter.reset());
  const connection = () => cluster().connection;
  const broker = () => cluster().broker;

  /** Mutating requests of the test so far: counted at the broker in-process, at the client otherwise. */
  const mutations = () => mutationsIn(broker()?.stats().requests ?? counter.counts);
  const resetCounts = () => (broker() ? broker()!.resetStats() : counter.reset());
  const run = (products: string[], resources: ReturnType<typeof ordersPlan>, permissions = {}, mode: 'plan' | 'apply' = 'apply') =>
    apply(connection(), products, resources, permissions, mode, counter.options);

  it('fresh apply creates everything in one request per kind, as kafkajs then sees it', async () => {
    const report = await run([orders], ordersPlan());
    expect(report.summary).toEqual({ create: 5, update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 });
    expect(new Set(report.resources.map((r) => r.state))).toEqual(new Set(['CREATED']));
    expect(mutations()).toEqual({ CreateTopics: 1, CreateAcls: 1 });
    const seen = await observe(connection());
    expect(seen.topics).toEqual(new Map([[placed, { partitions: 3, replicas: 1 }], [scratch, { partitions: 1, replicas: 1 }]]));
    expect(seen.configs).toEqual({ [placed]: { 'retention.ms': '86400000' }, [scratch]: {} });
    expect(seen.acls).toEqual(ORDERS_ACLS);
  });

  it('splits a batch only where the limits demand, keeping every item', async () => {
    const { reconcileKafka, OwnershipScope } = await import('../../src/adapters/kafka');
    const report = await reconcileKafka(
      connection(),
      {
        resources: ordersPlan(),
        scope: new OwnershipScope([orders]),
        permissions: { allowDelete: false, allowDeletePrivate: false },
        mode: 'apply',
        // placed costs 1 + 3 partitions + 1 config = 5 records, scratch 1 + 1 = 2: they cannot share a request.
        limits: { maxBytes: 1024 * 1024, maxRecords: 5 },
        lease: false,
      },
      counter.options,
    );
    expect(report.summary).toMatchObject({ create: 5, failed: 0 });
    expect(mutations()).toEqual({ CreateTopics: 2, CreateAcls: 1 });
    expect([...(await observe(connection())).topics.keys()]).toEqual([scratch, placed]);
  });

  it('a no-op re-run makes no mutation and only the reads the protocol needs', async () => {
    await run([orders], ordersPlan());
    resetCounts();
    const plan = await run([orders], ordersPlan(), {}, 'plan');
    const rerun = await run([orders], ordersPlan());
    expect(plan.summary.unchanged).toBe(5);
    expect(rerun.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 5, refused: 0, failed: 0 });
    expect(mutations()).toEqual({});
    if (broker()) {
      // Per run: the connection handshake (ApiVersions, SaslHandshake, SaslAuthenticate), then one read of each kind.
      expect(broker()!.stats().requests).toEqual({ ApiVersions: 2, SaslHandshake: 2, SaslAuthenticate: 2, Metadata: 2, DescribeConfigs: 2, DescribeAcls: 2, DescribeClientQuotas: 2 });
    } else {
      expect(counter.counts).toEqual({ Metadata: 2, DescribeConfigs: 2, DescribeAcls: 2, DescribeClientQuotas: 2 });
    }
  });

  it('changes configs: sets, changes and unsets keys without touching the others', async () => {
    await run([orders], ordersPlan(3, { 'retention.ms': '1000', 'cleanup.policy': 'delete' }));
    const report = await run([orders], ordersPlan(3, { 'retention.ms': '2000', 'max.message.bytes': '2048' }));
    expect(states(report)[placed]).toBe('UPDATED');
    expect(report.resources.find((r) => r.topic === placed)?.changes).toEqual([
      'retention.ms 1000 -> 2000',
      'set max.message.bytes=2048',
      'unset cleanup.policy (was delete)',
    ]);
    expect((await observe(connection())).configs[placed]).toEqual({ 'retention.ms': '2000', 'max.message.bytes': '2048' });
  });

  it('puts back what was changed out of band: a topic config and a deleted ACL (drift)', async () => {
    await run([orders], ordersPlan());
    // Someone with kafka-configs / kafka-acls: another retention, an extra key, one owner ACL gone.
    await setTopicConfigOutOfBand(connection(), placed, { 'retention.ms': '60000', 'segment.ms': '3600000' });
    await deleteAclOutOfBand(connection(), binding(OWNER, 'READ', `${orders}.`, { pattern: 'PREFIXED' }));

    const plan = await run([orders], ordersPlan(), {}, 'plan');
    expect(states(plan)).toMatchObject({ [placed]: 'UPDATE', [scratch]: 'UNCHANGED', [ownerAcl(orders, 'READ').name]: 'CREATE' });
    expect(plan.resources.find((r) => r.topic === placed)?.changes).toEqual(['retention.ms 60000 -> 86400000', 'unset segment.ms (was 3600000)']);

    const fixed = await run([orders], ordersPlan());
    expect(fixed.summary).toMatchObject({ create: 1, update: 1, unchanged: 3, failed: 0 });
    const seen = await observe(connection());
    expect(seen.configs[placed]).toEqual({ 'retention.ms': '86400000' });
    expect(seen.acls).toEqual(ORDERS_ACLS);
  });

  it('grows partitions and refuses to shrink them, with the remedy, changing nothing', async () => {
    await run([orders], ordersPlan(3));
    const grown = await run([orders], ordersPlan(6));
    expect(states(grown)[placed]).toBe('UPDATED');
    expect((await observe(connection())).topics.get(placed)?.partitions).toBe(6);

    resetCounts();
    const shrunk = await run([orders], ordersPlan(2));
    const status = shrunk.resources.find((r) => r.topic === placed)!;
    expect(status.state).toBe('REFUSED');
    expect(status.reason).toMatch(/partitions 6 -> 2: Kafka cannot remove partitions; .* so the plan keeps 6 or more/);
    expect(mutations()).toEqual({});
    expect((await observe(connection())).topics.get(placed)?.partitions).toBe(6);
  });

  it('refuses a replication-factor change, changing nothing', async () => {
    await run([orders], ordersPlan());
    const changed = ordersPlan();
    changed[0] = topic(orders, placed, 3, 2, { 'retention.ms': '86400000' });
    const report = await run([orders], changed);
    expect(states(report)[placed]).toBe('REFUSED');
    expect(report.resources.find((r) => r.topic === placed)?.reason).toMatch(/replicas 1 -> 2/);
    expect((await observe(connection())).topics.get(placed)).toEqual({ partitions: 3, replicas: 1 });
  });

  it('refuses to delete without permission; with it, spares _private topics unless allowed too', async () => {
    await run([orders], ordersPlan());
    const onlyOwner = [ownerAcl(orders, 'WRITE'), ownerAcl(orders, 'READ')];

    const refused = await run([orders], onlyOwner);
    expect(states(refused)).toMatchObject({ [placed]: 'REFUSED', [scratch]: 'REFUSED' });
    expect(refused.summary.refused).toBe(3);
    expect((await observe(connection())).topics.size).toBe(2);

    const deleted = await run([orders], onlyOwner, { allowDelete: true });
    expect(states(deleted)).toMatchObject({ [placed]: 'DELETED', [scratch]: 'REFUSED' });
    expect(deleted.resources.find((r) => r.topic === scratch)?.reason).toMatch(/--allow-delete-private/);
    const after = await observe(connection());
    expect([...after.topics.keys()]).toEqual([scratch]);
    expect(after.acls).toEqual(sortAcls([binding(OWNER, 'WRITE', `${orders}.`, { pattern: 'PREFIXED' }), binding(OWNER, 'READ', `${orders}.`, { pattern: 'PREFIXED' })]));

    const all = await run([orders], onlyOwner, { allowDelete: true, allowDeletePrivate: true });
    expect(states(all)[scratch]).toBe('DELETED');
    expect((await observe(connection())).topics.size).toBe(0);
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
    await run([userprops], theirs);
    const before = await observe(connection());

    const ours = [topic(user, `${user}._public.profile`), ownerAcl(user)];
    const report = await run([user], ours, { allowDelete: true, allowDeletePrivate: true });
    expect(report.summary).toEqual({ create: 2, update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 });
    const after = await observe(connection());
    for (const [name, described] of before.topics) expect(after.topics.get(name)).toEqual(described);
    expect(after.acls).toEqual(
      sortAcls([...before.acls, binding(`User:${user}`, 'WRITE', `${user}.`, { pattern: 'PREFIXED' })]),
    );
  });

  it('reports each refused item with its Kafka error while the rest of the batch is done', async () => {
    // One broker here.
    const plan = withBadItems(`${orders}._public.fine`, 1);
    expectBadItemsRefused(await run([orders], plan), `${orders}._public.fine`, plan);
    expect(mutations().CreateTopics).toBe(1);
    expect([...(await observe(connection())).topics.keys()]).toEqual([`${orders}._public.fine`]);
  });

  // Handshake (3) and the reads (Metadata, DescribeAcls, DescribeClientQuotas) are served, then the
  // connection drops carrying CreateAcls (after 6; new ACLs go first) or CreateTopics (after 7).
  inProcessOnly.each([
    [6, 'CreateAcls', 'CREATED', 3],
    [7, 'CreateTopics', 'FAILED', 2],
  ])('a connection dropped mid-apply (after %i requests, at %s) is reported, and a re-run converges without duplicates', async (after, _api, placedState, lost) => {
    const plan = ordersPlan();
    broker()!.setFaults({ dropConnectionAfterRequests: after });
    const broken = await run([orders], plan);
    expect(broken.summary.failed).toBe(lost);
    for (const r of broken.resources.filter((r) => r.state === 'FAILED')) expect(r.error).toMatch(/^not done \(connection lost or timed out\): Create(Topics|Acls) failed: Closed connection/);
    // Exactly what the broker did before the drop is reported as done.
    expect(states(broken)[placed]).toBe(placedState);

    broker()!.setFaults({});
    const rerun = await run([orders], plan);
    expect(rerun.summary.failed).toBe(0);
    expect(rerun.summary.create).toBe(broken.summary.failed);
    const final = await run([orders], plan);
    expect(final.summary.unchanged).toBe(5);
    const seen = await observe(connection());
    expect(seen.topics.size).toBe(2);
    expect(seen.acls).toEqual(ORDERS_ACLS);
  });
  // A change of form, as when meshform takes over an estate's ACLs: two LITERAL ACLs another tool made in the
  // product's namespace give way to its PREFIXED ones, one ACL per request (maxRecords 1). The old ones go only
  // once every new one is answered done, across batches: a connection dropped at the second of three
  // CreateAcls leaves the old ones, untried; dropped at the second of two DeleteAcls, every new one is there.
  describe('old ACLs give way to new ones only once every new one is in', () => {
    const OLD = [binding(OWNER, 'WRITE', placed), binding(OWNER, 'READ', placed)];
    const resources = [ownerAcl(orders, 'WRITE'), ownerAcl(orders, 'READ'), acl(orders, { principal: 'User:*', resourceName: placed })];
    const replace = async () => {
      const { reconcileKafka, OwnershipScope } = await import('../../src/adapters/kafka');
      return reconcileKafka(
        connection(),
        { resources, scope: new OwnershipScope([orders]), permissions: { allowDelete: true, allowDeletePrivate: false }, mode: 'apply', limits: { maxBytes: 1024 * 1024, maxRecords: 1 }, lease: false },
        counter.options,
      );
    };
    /** The requests a run serves before its first write: the handshake and the reads, as a plan run makes them. */
    const beforeWrites = async () => {
      resetCounts();
      await run([orders], resources, { allowDelete: true }, 'plan');
      const served = Object.values(broker()!.stats().requests).reduce((n, c) => n + c, 0);
      resetCounts();
      return served;
    };

    inProcessOnly.each([
      ['the second of three CreateAcls', 1],
      ['the second of two DeleteAcls', 4],
    ])('dropped at %s', async (_at, served) => {
      await createAclsOutOfBand(connection(), OLD);
      const reads = await beforeWrites();
      broker()!.setFaults({ dropConnectionAfterRequests: reads + served });
      const broken = await replace();
      broker()!.setFaults({});
      const sent = broker()!.stats().requests;
      const seen = (await observe(connection())).acls;
      const has = (a: (typeof OLD)[number]) => seen.some((b) => JSON.stringify(b) === JSON.stringify(a));
      const deletions = broken.resources.filter((r) => r.acl?.patternType === 'LITERAL' && r.acl.principal === OWNER);
      expect(deletions).toHaveLength(2);
      if (served === 1) {
        // A creation is not confirmed: no deletion is even sent, and both old bindings are there.
        expect(sent.DeleteAcls).toBeUndefined();
        expect(OLD.map(has)).toEqual([true, true]);
        for (const r of deletions) expect([r.state, r.error]).toEqual(['FAILED', expect.stringMatching(/^not attempted: \d+ new ACL\(s\) are not in place, and old ACLs are removed only after every new one is/)]);
      } else {
        // Every creation was confirmed before the first deletion was sent; the second deletion was cut.
        expect(sent.CreateAcls).toBe(3);
        expect(ORDERS_ACLS.map(has)).toEqual([true, true, true]);
        expect(OLD.filter(has)).toHaveLength(1);
        expect(deletions.map((r) => r.state).sort()).toEqual(['DELETED', 'FAILED']);
      }

      const rerun = await replace();
      expect(rerun.summary.failed).toBe(0);
      expect((await observe(connection())).acls).toEqual(ORDERS_ACLS);
    });
  });
});

describe('a cluster without an authorizer', () => {
  const plain = (bootstrap: string) => ({ brokers: [bootstrap], clientId: 'meshform-test', tls: false });
  const refusal = /no authorizer \(SECURITY_DISABLED\)/;

  it('is a clear configuration error, not a stack trace (test broker)', async () => {
    const open = await startTestBroker({ brokers: 1 });
    try {
      await expect(apply(plain(open.bootstrap), [orders], ordersPlan(), {}, 'plan')).rejects.toThrow(refusal);
    } finally {
      await open.stop();
    }
  });

  const [, realReason] = realKafkaBackend('no-authorizer check on real Kafka');
  (realReason ? it.skip : it)('is a clear configuration error, not a stack trace (real Kafka)', async () => {
    const open = await startRealKafka();
    try {
      await expect(apply(plain(open.bootstrap), [orders], ordersPlan(), {}, 'plan')).rejects.toThrow(refusal);
    } finally {
      await open.stop();
    }
  }, REAL_KAFKA_START_MS);
});

// In-process: counts requests at the broker; real Kafka with three brokers: test/kafka/addresses.test.ts.
describe('a three-node cluster', () => {
  it('reports each refused item with its Kafka error while the rest of the batch is done', async () => {
    const cluster = await startTestBroker({ brokers: 3, saslUsers: { admin: 'admin-secret' }, superUsers: ['User:admin'], authorizer: true });
    try {
      // The first bootstrap address is dead: the engine moves on to the next one.
      const admin = { ...adminConnection(cluster.brokers[0]), brokers: ['127.0.0.1:1', ...cluster.brokers] };
      const plan = withBadItems(`${orders}._public.replicated`, 3);
      expectBadItemsRefused(await apply(admin, [orders], plan), `${orders}._public.replicated`, plan);
      expect(cluster.stats().requests.CreateTopics).toBe(1);
      expect((await observe(adminConnection(cluster.brokers[1]))).topics).toEqual(new Map([[`${orders}._public.replicated`, { partitions: 3, replicas: 3 }]]));
    } finally {
      await cluster.stop();
    }
  });
});
