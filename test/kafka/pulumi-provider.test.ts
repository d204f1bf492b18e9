/**
 * The Kafka dynamic provider's implementation (what `meshform/pulumi/kafka-provider` exports),
 * driven as the dynamic-provider host drives it, against the test broker; effects checked with
 * kafkajs's admin client, requests counted at the broker.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, ResourcePatternTypes, type Admin } from 'kafkajs';
import { provider, closeSessions, lastApplyOf, wideAt, writeWindowMs, type KafkaProductInputs, type KafkaProductOutputs, type StoredKafkaInputs, type StoredKafkaOutputs } from '../../src/adapters/pulumi/kafka-provider';
import { readStored } from '../../src/adapters/pulumi/kafka-state';
import type { TestBroker } from '@meshform/kafka-test-broker';
import { restoreEnvAfterAll } from '../support/env';
import { ADMIN, adminConnection, startAdminBroker } from './broker';
import { ownerAcl } from './fixtures';
import { withAdmin as oracleAdmin } from './oracle';
import { startTcpProxy } from '../support/tcp-proxy';
import { HOSTILE, NEUTRAL } from '../support/secrets';

const orders = 'acme.retail.orders';
const placed = `${orders}._public.placed`;
const scratch = `${orders}._private.scratch`;
const ENV = ['MESHFORM_KAFKA_BOOTSTRAP', 'MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD'];

let broker: TestBroker;
restoreEnvAfterAll(ENV);

/** What the engine hands every dynamic provider at Configure: the stack's config, secrets decrypted. */
function stackConfig(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'meshform:gcpProject': 'acme-data-dev',
    'meshform:kafkaBootstrap': broker.bootstrap,
    'meshform:kafkaSaslMechanism': 'plain',
    'meshform:kafkaUsername': ADMIN.username,
    'meshform:kafkaPassword': ADMIN.password,
    ...extra,
  };
}

async function configure(config: Record<string, string>): Promise<void> {
  await provider.configure({ config: { get: (key: string) => config[key], require: (key: string) => config[key] } });
}

beforeAll(() => {
  for (const key of ENV) delete process.env[key];
});

beforeEach(async () => {
  ({ broker } = await startAdminBroker());
  await configure(stackConfig());
});

afterEach(async () => {
  for (const key of ENV) delete process.env[key];
  await closeSessions();
  await broker.stop();
});

/** Inputs as the program writes them (kafka-state.ts), by hand: two topics, the owner's WRITE on `<product>.`. */
function inputs(partitions = 3, extra: Partial<KafkaProductInputs> = {}): KafkaProductInputs {
  return {
    product: orders,
    principal: `User:${orders}`,
    topics: { [placed]: `partitions=${partitions} replicas=1 retention.ms=86400000`, [scratch]: 'partitions=1 replicas=1' },
    acls: { [`TOPIC:PREFIXED:${orders}.`]: { [`User:${orders}`]: 'ALLOW WRITE' } },
    allowDelete: false,
    allowDeletePrivate: false,
    ...extra,
  };
}

const without = (i: KafkaProductInputs, topic: string): KafkaProductInputs => {
  const { [topic]: _gone, ...topics } = i.topics;
  return { ...i, topics };
};

/** A product `id` with one topic `<id>._public.a` and the owner's WRITE on `<id>.`. */
const oneTopic = (id: string, partitions: number): KafkaProductInputs => ({
  product: id,
  principal: `User:${id}`,
  topics: { [`${id}._public.a`]: `partitions=${partitions} replicas=1` },
  acls: { [`TOPIC:PREFIXED:${id}.`]: { [`User:${id}`]: 'ALLOW WRITE' } },
  allowDelete: false,
  allowDeletePrivate: false,
});

/** What the provider keeps of a product after the last apply: its outputs, read in full (kafka-state.ts's readStored, as the provider reads them). */
async function created(i: KafkaProductInputs = inputs()): Promise<KafkaProductOutputs> {
  return readStored((await provider.create(i)).outs!, i.product) as KafkaProductOutputs;
}

function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  return oracleAdmin(adminConnection(broker.bootstrap), work);
}

async function partitionsByTopic(): Promise<Map<string, number>> {
  return withAdmin(async (admin) => {
    const { topics } = await admin.fetchTopicMetadata({ topics: await admin.listTopics() });
    return new Map(topics.map((t) => [t.name, t.partitions.length]));
  });
}

describe('the Kafka dynamic provider against the test broker', () => {
  it('creates and updates through the reconcile engine, connecting with the stack config only', async () => {
    const created = await provider.create(inputs());
    expect(created.id).toBe(orders);
    expect(lastApplyOf(orders)).toBe('3 created, 0 updated, 0 deleted, 0 unchanged');
    expect(await partitionsByTopic()).toEqual(new Map([[placed, 3], [scratch, 1]]));

    await provider.update(orders, created.outs!, inputs(6));
    expect(lastApplyOf(orders)).toBe('0 created, 1 updated, 0 deleted, 2 unchanged');
    expect((await partitionsByTopic()).get(placed)).toBe(6);
  });

  it('fails an update that would delete without permission, and changes nothing', async () => {
    const outs = await created();
    await expect(provider.update(orders, outs, without(inputs(), placed))).rejects.toThrow(/REFUSED topic acme.retail.orders._public.placed: .*--allow-delete/);
    expect((await partitionsByTopic()).has(placed)).toBe(true);
  });

  it('a product with anything refused changes nothing: a grant added with a partition decrease is not made', async () => {
    const outs = await created();
    const grant = { ...inputs(1).acls, [`TOPIC:LITERAL:${placed}`]: { 'User:acme.finance.billing': 'ALLOW DESCRIBE,READ' } };
    await expect(provider.update(orders, outs, { ...inputs(1), acls: grant })).rejects.toThrow(/REFUSED topic acme\.retail\.orders\._public\.placed: partitions 3 -> 1: Kafka cannot remove partitions/);
    const acls = await withAdmin((admin) => admin.describeAcls({ resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY }));
    expect(acls.resources.map((r) => r.resourceName)).toEqual([`${orders}.`]);
  });

  it('within a product additions come before removals: the new ACL is written before the old one goes', async () => {
    const proxy = await startTcpProxy(broker.bootstrap);
    try {
      await configure(stackConfig({ 'meshform:kafkaBootstrap': proxy.address }));
      const outs = await created(inputs(3, { allowDelete: true }));
      proxy.resetRequests();
      const moved = { [`TOPIC:PREFIXED:${orders}.`]: { [`User:${orders}`]: 'ALLOW READ' } };
      await provider.update(orders, outs, { ...inputs(3, { allowDelete: true }), acls: moved });
      // Kafka's API keys: CreateAcls 30, DeleteAcls 31. The cluster's lease binding is created first and
      // deleted last; between them the product's new ACL is created before its old one is deleted.
      expect(proxy.log().filter((key) => key === 30 || key === 31)).toEqual([30, 30, 31, 31]);
    } finally {
      await closeSessions();
      await proxy.close();
    }
  });

  it('a product removed from the specs (its resource deleted in an up) follows the same delete permissions', async () => {
    const outs = await created();
    await provider.check({} as KafkaProductInputs, { ...inputs(), product: 'acme.other', principal: 'User:acme.other' }); // another product stays: this is an up
    await expect(provider.delete(orders, outs)).rejects.toThrow(/REFUSED/);
    expect((await partitionsByTopic()).size).toBe(2);

    await expect(provider.delete(orders, { ...outs, allowDelete: true })).rejects.toThrow(/_private topic .*allow-delete-private.*\n.*pulumi config set meshform:allowDeletePrivate true/s);
    // Nothing of the product changed: the public topic is refused with the private one held back... kept too.
    expect((await partitionsByTopic()).size).toBe(2);

    await provider.delete(orders, { ...outs, allowDelete: true, allowDeletePrivate: true });
    expect((await partitionsByTopic()).size).toBe(0);
  });

  it('does not delete a topic another product consumes, even with allowDelete, unless allowBreaking', async () => {
    const outs = await created();
    const consumed = { consumedBy: { [placed]: ['acme.finance.billing'] }, allowDelete: true };
    await expect(provider.update(orders, outs, without(inputs(3, consumed), placed))).rejects.toThrow(/REFUSED topic acme\.retail\.orders\._public\.placed: consumed by acme\.finance\.billing .*--allow-breaking/);
    expect((await partitionsByTopic()).has(placed)).toBe(true);

    await provider.update(orders, outs, without(inputs(3, { ...consumed, allowBreaking: true }), placed));
    expect((await partitionsByTopic()).has(placed)).toBe(false);
  });

  it('reads the cluster once per process: creates of many products, then reads, add no state reads', async () => {
    const products = Array.from({ length: 20 }, (_, i) => `acme.p${i}`);
    broker.resetStats();
    const outs = await Promise.all(products.map(async (id) => (await provider.create(oneTopic(id, 3))).outs!));
    const creates = { ...broker.stats().requests };
    // One snapshot (Metadata + DescribeConfigs + DescribeAcls + DescribeClientQuotas) and one
    // connection for all products' writes, a second for their read-backs. The twenty products'
    // writes are answered together, so their read-backs wait together and go out as one round:
    // one Metadata and one DescribeConfigs of their twenty topics, and, twenty ACL patterns being
    // more than one product's, one DescribeAcls of every binding. The creates share one cluster
    // lease: three reads of its bindings (anyone else's? ours visible? anyone else's now?), one
    // binding written, and removed when the last create is done.
    expect(creates.SaslAuthenticate).toBe(2);
    expect(creates.Metadata).toBe(1 + 1);
    // (The snapshot of the empty cluster has no topic whose configs it reads.)
    expect(creates.DescribeConfigs).toBe(0 + 1);
    expect(creates.DescribeAcls).toBe(1 + 1 + 3);
    expect(creates.DeleteAcls).toBe(1);
    // The products written at the same time share their writes: one request per kind for all twenty (the lease's binding aside).
    expect([creates.CreateAcls, creates.CreateTopics]).toEqual([2, 1]);
    expect(await partitionsByTopic()).toEqual(new Map(products.map((id) => [`${id}._public.a`, 3])));

    await closeSessions(); // a new provider process, as `pulumi refresh` starts
    broker.resetStats();
    const read = await Promise.all(products.map((id, i) => provider.read(id, outs[i])));
    const requests = broker.stats().requests;
    const total = Object.values(requests).reduce((a, b) => a + b, 0);
    expect(requests).toMatchObject({ Metadata: 1, DescribeConfigs: 1, DescribeAcls: 1, DescribeClientQuotas: 1 });
    expect(total).toBeLessThanOrEqual(7);
    // As the last apply made it: nothing changes, not even lastApply, and the inputs stay.
    read.forEach((r, i) => expect([r.props, r.inputs]).toEqual([outs[i], undefined]));
  });

  it('a product handed over 50 ms after the last one read back reuses its lease and snapshot; the last write still releases the lease before it answers', async () => {
    broker.resetStats();
    const first = provider.create(oneTopic('acme.p0', 2));
    // The first product has read back (the snapshot's Metadata, then its read-back's): it is done but for the lease.
    while ((broker.stats().requests.Metadata ?? 0) < 2) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([first, provider.create(oneTopic('acme.p1', 2))]);
    const requests = broker.stats().requests;
    // One lease (its binding created once and deleted once) and one snapshot (one Metadata) for
    // both; each product's own CreateAcls and one read-back round (one Metadata) of its own.
    expect([requests.CreateAcls, requests.DeleteAcls]).toEqual([1 + 2, 1]);
    expect(requests.Metadata).toBe(1 + 2);
    const leftover = await withAdmin((admin) =>
      admin.describeAcls({ resourceType: AclResourceTypes.TOPIC, resourceName: '__meshform_lease', resourcePatternType: ResourcePatternTypes.LITERAL, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY }),
    );
    expect(leftover.resources).toEqual([]);
    expect(await partitionsByTopic()).toEqual(new Map([['acme.p0._public.a', 2], ['acme.p1._public.a', 2]]));
  });

  it('read finds drift made behind its back: a config change, a removed ACL, an extra topic', async () => {
    const outs = await created();
    await withAdmin(async (admin) => {
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: placed, configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
      await admin.createTopics({ topics: [{ topic: `${orders}._public.extra`, numPartitions: 2, replicationFactor: 1 }] });
      const owner = ownerAcl(orders).properties; // WRITE on the PREFIXED topic name `<product>.`
      await admin.deleteAcls({
        filters: [
          {
            resourceType: AclResourceTypes.TOPIC,
            resourceName: owner.resourceName,
            resourcePatternType: ResourcePatternTypes.PREFIXED,
            principal: owner.principal,
            host: owner.host,
            operation: AclOperationTypes.WRITE,
            permissionType: AclPermissionTypes.ALLOW,
          },
        ],
      });
    });
    await closeSessions();
    const read = await provider.read(orders, outs);
    // The recorded inputs become what the cluster holds, in the inputs' form.
    const refreshed = read.inputs as unknown as StoredKafkaInputs;
    // Written by hand in the stored form (docs/pulumi.md): partitions x replicas, then configs.
    expect(refreshed.topics).toEqual({
      '~._public.extra': '2x1',
      '~._public.placed': '3x1 retention.ms=1000',
      '~._private.scratch': '1x1',
    });
    expect(refreshed.acls).toBeUndefined();
    expect((read.props as StoredKafkaOutputs).applied).not.toBe(outs.applied);
    // Against the refreshed outputs the desired inputs differ, and the preview names what drifted.
    expect(await provider.diff(orders, read.props!, inputs(3, { allowDelete: true }))).toMatchObject({ changes: true });
    const { changedKeys } = await import('../../src/adapters/pulumi/kafka-provider');
    expect(changedKeys(readStored(refreshed), inputs())).toEqual([`topics["${orders}._public.extra"]`, `topics["${placed}"]`, `acls["TOPIC:PREFIXED:${orders}."]`]);
  });

  it('a product that adopted a topic and a principal: the topic is in its scope (not `outside`), its quota on the adopted principal, refresh reads both back unchanged, the estate\'s DENY on it stays', async () => {
    const legacy = 'orders-legacy';
    const nameOf = (names: object, value: number) => Object.entries(names).find(([, v]) => v === value)?.[0];
    await withAdmin(async (admin) => {
      await admin.createTopics({ topics: [{ topic: legacy, numPartitions: 2, replicationFactor: 1 }] });
      await admin.createAcls({
        acl: [{ resourceType: AclResourceTypes.TOPIC, resourceName: legacy, resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:intruder', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.DENY }],
      });
    });
    const adopting = inputs(3, {
      topics: { [placed]: 'partitions=3 replicas=1 retention.ms=86400000', [legacy]: 'partitions=2 replicas=1' },
      acls: { [`TOPIC:LITERAL:${legacy}`]: { 'User:orders-svc': 'ALLOW DESCRIBE,WRITE' } },
      adopted: { topics: [{ name: legacy, visibility: 'protected' }], principals: ['User:orders-svc'], groups: [], transactionalIds: [] },
      quotas: { producer_byte_rate: 1048576 },
    });
    const outs = await created(adopting);
    expect(outs.outside).toBeUndefined();
    // By hand: placed created, legacy unchanged, the two LITERAL bindings of orders-svc and its quota created.
    expect(lastApplyOf(orders)).toBe('4 created, 0 updated, 0 deleted, 1 unchanged');
    const acls = await withAdmin(async (admin) =>
      (await admin.describeAcls({ resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY })).resources.flatMap((r) =>
        r.acls.map((a) => `${nameOf(AclPermissionTypes, a.permissionType)} ${a.principal} ${nameOf(AclOperationTypes, a.operation)} ${r.resourceName}`),
      ),
    );
    expect(acls.sort()).toEqual(['ALLOW User:orders-svc DESCRIBE orders-legacy', 'ALLOW User:orders-svc WRITE orders-legacy', 'DENY User:intruder READ orders-legacy']);
    await closeSessions();
    // Refresh reads the adopted topic and the adopted principal's quota back as they were applied: no drift.
    const read = await provider.read(orders, outs);
    expect(read.inputs).toBeUndefined();
    expect(read.props!.applied).toBe(outs.applied);
    const { changedKeys } = await import('../../src/adapters/pulumi/kafka-provider');
    expect(changedKeys(adopting, { ...adopting, adopted: undefined })).toEqual(['adopted']);
  });

  it('an environment override changes where the provider connects, never an input', async () => {
    process.env.MESHFORM_KAFKA_BOOTSTRAP = '127.0.0.1:1';
    await configure(stackConfig());
    await expect(provider.create(inputs())).rejects.toThrow(/cannot connect to Kafka at 127\.0\.0\.1:1/);
    delete process.env.MESHFORM_KAFKA_BOOTSTRAP;
  });

  it('fails with the same message whatever the wrong password is, and never prints it', async () => {
    const failureWith = async (password: string) => {
      await configure(stackConfig({ 'meshform:kafkaPassword': password }));
      return provider.create(inputs()).then(() => 'created', (e: Error) => e.message.split(broker.bootstrap).join('<broker>'));
    };
    const neutral = await failureWith(NEUTRAL);
    expect(neutral).toMatch(/^meshform kafka \(acme\.retail\.orders\) at <broker> \(SASL plain as admin, TLS off\): cannot connect to Kafka at <broker>: /);
    expect(neutral).not.toContain(NEUTRAL);
    for (const password of HOSTILE) expect(await failureWith(password)).toBe(neutral);
  });
});

describe('preview judges against the cluster what up would refuse', () => {
  it('check of a new product whose topic has more partitions in the cluster than the specs: a failure naming it', async () => {
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic: placed, numPartitions: 5, replicationFactor: 1 }] }));
    const result = await provider.check({} as KafkaProductInputs, inputs());
    expect(result.failures?.map((f) => f.reason)).toEqual([expect.stringMatching(/^! REFUSED topic acme\.retail\.orders\._public\.placed .*: partitions 5 -> 3: Kafka cannot remove partitions/)]);
    expect((await partitionsByTopic()).get(placed)).toBe(5);
  });

  it('diff of a changed product: refused (a topic grown behind Pulumi\'s back, and a new grant) names the refusal; nothing is made', async () => {
    const outs = await created();
    await withAdmin((admin) => admin.createPartitions({ topicPartitions: [{ topic: placed, count: 5 }] }));
    await closeSessions(); // a new run: its snapshot sees the cluster as it is now
    const grant = { ...inputs().acls, [`TOPIC:LITERAL:${placed}`]: { 'User:acme.finance.billing': 'ALLOW DESCRIBE,READ' } };
    await expect(provider.diff(orders, outs, { ...inputs(), acls: grant })).rejects.toThrow(/up would refuse this change.*\n! REFUSED topic acme\.retail\.orders\._public\.placed: partitions 5 -> 3/s);
    // Unchanged inputs are no change, whatever the cluster: nothing to judge.
    expect(await provider.diff(orders, outs, inputs())).toMatchObject({ changes: false });
  });

  it('a change up would make is no failure', async () => {
    const outs = await created();
    expect(await provider.diff(orders, outs, inputs(6))).toMatchObject({ changes: true });
    expect((await provider.check({} as KafkaProductInputs, { ...inputs(), product: 'acme.new', principal: 'User:acme.new', topics: { 'acme.new._public.x': 'partitions=1 replicas=1' }, acls: {} })).failures).toEqual([]);
  });
});

describe('configured as an explicit provider', () => {
  it('needs only the Kafka keys (what the program gives it under disable-default-providers)', async () => {
    const only = stackConfig();
    delete only['meshform:gcpProject'];
    await configure(only);
    await provider.create(inputs());
    expect(lastApplyOf(orders)).toBe('3 created, 0 updated, 0 deleted, 0 unchanged');
  });

});

describe('deletes under the stack as it is now', () => {
  it('a permission the stack gives now counts for a delete whose props predate it', async () => {
    const outs = await created();
    await provider.check({} as KafkaProductInputs, { ...inputs(), product: 'acme.other', principal: 'User:acme.other' }); // an up
    await configure(stackConfig({ 'meshform:allowDelete': 'true', 'meshform:allowDeletePrivate': 'true' }));
    await provider.delete(orders, outs);
    expect((await partitionsByTopic()).size).toBe(0);
  });
});

describe('pulumi destroy (nothing registered in the run): what the stack owns goes', () => {
  const billing = 'acme.finance.billing';
  const consumed = { allowDelete: true, consumedBy: { [placed]: [billing] } };

  it('a stack that allows deletes destroys private topics and topics its own products consume, with no further setting', async () => {
    const outs = await created(inputs(3, consumed));
    await configure(stackConfig({ 'meshform:allowDelete': 'true' }));
    await provider.delete(orders, outs);
    expect((await partitionsByTopic()).size).toBe(0);
  });

  it('a consumer another stack manages stays: its topic is refused, and nothing of the product is deleted', async () => {
    const outs = await created(inputs(3, consumed));
    await configure(stackConfig({ 'meshform:allowDelete': 'true', 'meshform:domains': 'acme.retail' }));
    await expect(provider.delete(orders, outs)).rejects.toThrow(/REFUSED topic acme\.retail\.orders\._public\.placed: consumed by acme\.finance\.billing.*\n.*pulumi config set meshform:allowBreaking true/s);
    expect((await partitionsByTopic()).size).toBe(2);
  });

  it('a stack that keeps private data (allowDeletePrivate: false written out) refuses, naming the setting', async () => {
    const outs = await created(inputs(3, consumed));
    await configure(stackConfig({ 'meshform:allowDelete': 'true', 'meshform:allowDeletePrivate': 'false' }));
    await expect(provider.delete(orders, outs)).rejects.toThrow(/REFUSED topic acme\.retail\.orders\._private\.scratch: .*allowDeletePrivate/);
    expect((await partitionsByTopic()).size).toBe(2);
  });

  it('a stack that does not allow deletes refuses', async () => {
    const outs = await created();
    await expect(provider.delete(orders, outs)).rejects.toThrow(/REFUSED .*--allow-delete \(or the stack's allowDelete\)/);
    expect((await partitionsByTopic()).size).toBe(2);
  });
});

describe('in an up, a removed product\'s topic is kept while a consumer that stays receives from it', () => {
  const billing = 'acme.finance.billing';
  const consumer = (consumes: string[]): KafkaProductInputs => ({ ...inputs(), product: billing, principal: `User:${billing}`, topics: {}, acls: {}, consumes });

  it('a consumer registered in this run (its spec still receives from the topic) keeps it', async () => {
    const outs = await created(inputs(3, { allowDelete: true, allowDeletePrivate: true }));
    await provider.check({} as KafkaProductInputs, consumer([placed]));
    await expect(provider.delete(orders, outs)).rejects.toThrow(/REFUSED topic acme\.retail\.orders\._public\.placed: consumed by acme\.finance\.billing/);
    expect((await partitionsByTopic()).size).toBe(2);
  });

  it('a consumer whose spec no longer receives from it does not', async () => {
    const outs = await created(inputs(3, { allowDelete: true, allowDeletePrivate: true, consumedBy: { [placed]: [billing] } }));
    await provider.check({} as KafkaProductInputs, consumer([]));
    await provider.delete(orders, outs);
    expect((await partitionsByTopic()).size).toBe(0);
  });
});

describe('how much the provider shares', () => {
  it('the write window: MESHFORM_KAFKA_WRITE_WINDOW_MS in whole milliseconds, else 20', () => {
    expect([writeWindowMs({}), writeWindowMs({ MESHFORM_KAFKA_WRITE_WINDOW_MS: '0' }), writeWindowMs({ MESHFORM_KAFKA_WRITE_WINDOW_MS: ' 75 ' }), writeWindowMs({ MESHFORM_KAFKA_WRITE_WINDOW_MS: '1.5' })]).toEqual([20, 0, 75, 20]);
  });

  it('a read-back round reads every binding from max(8, bindings / 250) patterns', () => {
    expect([wideAt(0), wideAt(2000), wideAt(3400), wideAt(34000)]).toEqual([8, 8, 14, 136]);
  });
});
