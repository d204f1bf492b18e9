/**
 * The Kafka dynamic provider's implementation (what `meshform/pulumi/kafka-provider` exports),
 * driven as the dynamic-provider host drives it, against the test broker; effects checked with
 * kafkajs's admin client, requests counted at the broker.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, ResourcePatternTypes, type Admin } from 'kafkajs';
import { provider, closeSessions, encodeAcl, type KafkaProductInputs, type KafkaProductOutputs } from '../../src/adapters/pulumi/kafka-provider';
import type { TestBroker } from '@meshform/kafka-test-broker';
import { restoreEnvAfterAll } from '../support/env';
import { ADMIN, adminConnection, startAdminBroker } from './broker';
import { ownerAcl, topic } from './fixtures';
import { withAdmin as oracleAdmin } from './oracle';
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

function inputs(partitions = 3, extra: Partial<KafkaProductInputs> = {}): KafkaProductInputs {
  return {
    product: orders,
    principal: `User:${orders}`,
    topics: { [placed]: topic(orders, placed, partitions, 1, { 'retention.ms': '86400000' }).properties, [scratch]: topic(orders, scratch, 1).properties },
    acls: { owner: encodeAcl(ownerAcl(orders).properties) },
    allowDelete: false,
    allowDeletePrivate: false,
    ...extra,
  };
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
    expect(created.outs?.lastApply).toBe('3 created, 0 updated, 0 deleted, 0 unchanged');
    expect(await partitionsByTopic()).toEqual(new Map([[placed, 3], [scratch, 1]]));

    const updated = await provider.update(orders, created.outs!, inputs(6));
    expect(updated.outs?.lastApply).toBe('0 created, 1 updated, 0 deleted, 2 unchanged');
    expect((await partitionsByTopic()).get(placed)).toBe(6);
  });

  it('fails an update that would delete without permission, and changes nothing', async () => {
    const created = await provider.create(inputs());
    const withoutPlaced = inputs();
    delete withoutPlaced.topics[placed];
    await expect(provider.update(orders, created.outs!, withoutPlaced)).rejects.toThrow(/REFUSED topic acme.retail.orders._public.placed: .*--allow-delete/);
    expect((await partitionsByTopic()).has(placed)).toBe(true);
  });

  it('destroy follows the same delete permissions', async () => {
    await provider.create(inputs());
    await expect(provider.delete(orders, { ...inputs(), lastApply: '' })).rejects.toThrow(/REFUSED/);
    expect((await partitionsByTopic()).size).toBe(2);

    await expect(provider.delete(orders, { ...inputs(3, { allowDelete: true }), lastApply: '' })).rejects.toThrow(/_private topic .*--allow-delete-private/);
    expect([...(await partitionsByTopic()).keys()]).toEqual([scratch]);

    await provider.delete(orders, { ...inputs(3, { allowDelete: true, allowDeletePrivate: true }), lastApply: '' });
    expect((await partitionsByTopic()).size).toBe(0);
  });

  it('does not delete a topic another product consumes, even with allowDelete, unless allowBreaking', async () => {
    const created = await provider.create(inputs());
    const consumed = { consumedBy: { [placed]: ['acme.finance.billing'] }, allowDelete: true };
    const withoutPlaced = inputs(3, consumed);
    delete withoutPlaced.topics[placed];
    await expect(provider.update(orders, created.outs!, withoutPlaced)).rejects.toThrow(/REFUSED topic acme\.retail\.orders\._public\.placed: consumed by acme\.finance\.billing .*--allow-breaking/);
    expect((await partitionsByTopic()).has(placed)).toBe(true);

    const breaking = inputs(3, { ...consumed, allowBreaking: true });
    delete breaking.topics[placed];
    await provider.update(orders, created.outs!, breaking);
    expect((await partitionsByTopic()).has(placed)).toBe(false);
  });

  it('reads the cluster once per process: creates of many products, then reads, add no state reads', async () => {
    const products = Array.from({ length: 20 }, (_, i) => `acme.p${i}`);
    const productInputs = (id: string): KafkaProductInputs => ({
      product: id,
      principal: `User:${id}`,
      topics: { [`${id}._public.a`]: topic(id, `${id}._public.a`).properties },
      acls: { owner: encodeAcl(ownerAcl(id).properties) },
      allowDelete: false,
      allowDeletePrivate: false,
    });
    broker.resetStats();
    const outs = await Promise.all(products.map(async (id) => (await provider.create(productInputs(id))).outs!));
    const creates = { ...broker.stats().requests };
    // One snapshot (Metadata + DescribeConfigs + DescribeAcls) and one connection for all products;
    // per product: its writes and the read-back of its own resources only (Metadata and
    // DescribeConfigs of its topics, a DescribeAcls per ACL pattern it binds: one here). The
    // creates share one cluster lease: three reads of its bindings (anyone else's? ours visible?
    // anyone else's now?), one binding written, and removed when the last create is done.
    expect(creates.SaslAuthenticate).toBe(1);
    expect(creates.Metadata).toBe(1 + products.length);
    expect(creates.DescribeAcls).toBe(1 + products.length + 3);
    expect(creates.DeleteAcls).toBe(1);

    await closeSessions(); // a new provider process, as `pulumi refresh` starts
    broker.resetStats();
    const read = await Promise.all(products.map((id, i) => provider.read(id, outs[i])));
    const requests = broker.stats().requests;
    const total = Object.values(requests).reduce((a, b) => a + b, 0);
    expect(requests).toMatchObject({ Metadata: 1, DescribeConfigs: 1, DescribeAcls: 1 });
    expect(total).toBeLessThanOrEqual(6);
    read.forEach((r, i) => expect(r.props).toEqual({ ...outs[i], lastApply: 'read from the cluster' }));
  });

  it('read finds drift made behind its back: a config change, a removed ACL, an extra topic', async () => {
    const outs = (await provider.create(inputs())).outs as KafkaProductOutputs;
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
    const { props } = await provider.read(orders, outs);
    expect(props!.topics[placed].config).toEqual({ 'retention.ms': '1000' });
    expect(props!.topics[`${orders}._public.extra`]).toEqual({ topic: `${orders}._public.extra`, partitions: 2, replicas: 1, config: {} });
    expect(props!.topics[scratch]).toEqual(outs.topics[scratch]);
    expect(props!.acls).toEqual({});
    // Against the refreshed outputs the desired inputs differ exactly where the cluster drifted.
    expect(await provider.diff(orders, props as KafkaProductOutputs, inputs())).toMatchObject({ changes: true });
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

describe('configured as an explicit provider', () => {
  it('needs only the Kafka keys (what the program gives it under disable-default-providers)', async () => {
    const only = stackConfig();
    delete only['meshform:gcpProject'];
    await configure(only);
    expect((await provider.create(inputs())).outs?.lastApply).toBe('3 created, 0 updated, 0 deleted, 0 unchanged');
  });

});

describe('deletes under the stack as it is now', () => {
  it('a permission the stack gives now counts for a delete whose props predate it', async () => {
    const created = await provider.create(inputs());
    await configure(stackConfig({ 'meshform:allowDelete': 'true', 'meshform:allowDeletePrivate': 'true' }));
    await provider.delete(orders, created.outs as KafkaProductOutputs);
    expect((await partitionsByTopic()).size).toBe(0);
  });
});
