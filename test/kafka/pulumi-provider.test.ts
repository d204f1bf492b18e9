import { KafkaWire, type KafkaConnection } from '../../src/adapters/kafka';
import { kafkaProvider, type KafkaProductInputs } from '../../src/adapters/pulumi/kafka';
import type { TestBroker } from '../../src/test-broker';
import { restoreEnvAfterAll } from '../support/env';
import { ADMIN, startAdminBroker } from './broker';
import { ownerAcl, topic } from './fixtures';

const orders = 'acme.retail.orders';
const placed = `${orders}._public.placed`;
const scratch = `${orders}._private.scratch`;
const ENV = ['MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD'];

let broker: TestBroker;
let connection: KafkaConnection;
restoreEnvAfterAll(ENV);

beforeAll(() => {
  for (const key of ENV) delete process.env[key];
});

beforeEach(async () => {
  ({ broker, connection } = await startAdminBroker());
  // What `pulumi up` hands the provider process: the stack's secret config, never resource inputs.
  const config: Record<string, string> = {
    'meshform:kafkaSaslMechanism': 'plain',
    'meshform:kafkaUsername': ADMIN.username,
    'meshform:kafkaPassword': ADMIN.password,
  };
  await kafkaProvider.configure!({ config: { get: (key: string) => config[key], require: (key: string) => config[key] } });
});

afterEach(async () => {
  for (const key of ENV) delete process.env[key];
  await broker.stop();
});

function inputs(partitions = 3, extra: Partial<KafkaProductInputs> = {}): KafkaProductInputs {
  return {
    product: orders,
    principal: `User:${orders}`,
    topics: { [placed]: topic(orders, placed, partitions).properties, [scratch]: topic(orders, scratch, 1).properties },
    acls: { owner: ownerAcl(orders).properties },
    allowDelete: false,
    allowDeletePrivate: false,
    connection: { bootstrap: broker.bootstrap, clientId: 'meshform-pulumi', tls: false, saslMechanism: 'plain' },
    ...extra,
  };
}

async function topics(): Promise<Map<string, number>> {
  const wire = await KafkaWire.open(connection);
  try {
    return new Map((await wire.metadata()).topics.map((t) => [t.name, t.partitions]));
  } finally {
    await wire.close();
  }
}

describe('the Kafka dynamic provider against the test broker', () => {
  it('creates and updates through the reconcile engine', async () => {
    const created = await kafkaProvider.create!(inputs());
    expect(created.id).toBe(orders);
    expect(created.outs?.lastApply).toBe('3 created, 0 updated, 0 deleted, 0 unchanged');
    expect(await topics()).toEqual(new Map([[placed, 3], [scratch, 1]]));

    const updated = await kafkaProvider.update!(orders, created.outs!, inputs(6));
    expect(updated.outs?.lastApply).toBe('0 created, 1 updated, 0 deleted, 2 unchanged');
    expect((await topics()).get(placed)).toBe(6);
  });

  it('fails an update that would delete without permission, and changes nothing', async () => {
    const created = await kafkaProvider.create!(inputs());
    const withoutPlaced = inputs();
    delete withoutPlaced.topics[placed];
    await expect(kafkaProvider.update!(orders, created.outs!, withoutPlaced)).rejects.toThrow(/REFUSED topic acme.retail.orders._public.placed: .*--allow-delete/);
    expect((await topics()).has(placed)).toBe(true);
  });

  it('destroy follows the same delete permissions', async () => {
    await kafkaProvider.create!(inputs());
    await expect(kafkaProvider.delete!(orders, { ...inputs(), lastApply: '' })).rejects.toThrow(/REFUSED/);
    expect((await topics()).size).toBe(2);

    await expect(kafkaProvider.delete!(orders, { ...inputs(3, { allowDelete: true }), lastApply: '' })).rejects.toThrow(/_private topic .*--allow-delete-private/);
    expect([...(await topics()).keys()]).toEqual([scratch]);

    await kafkaProvider.delete!(orders, { ...inputs(3, { allowDelete: true, allowDeletePrivate: true }), lastApply: '' });
    expect((await topics()).size).toBe(0);
  });

  it('does not delete a topic another product consumes, even with allowDelete, unless allowBreaking', async () => {
    const created = await kafkaProvider.create!(inputs());
    const consumed = { consumedBy: { [placed]: ['acme.finance.billing'] }, allowDelete: true };
    const withoutPlaced = inputs(3, consumed);
    delete withoutPlaced.topics[placed];
    await expect(kafkaProvider.update!(orders, created.outs!, withoutPlaced)).rejects.toThrow(/REFUSED topic acme\.retail\.orders\._public\.placed: consumed by acme\.finance\.billing .*--allow-breaking/);
    expect((await topics()).has(placed)).toBe(true);

    const breaking = inputs(3, { ...consumed, allowBreaking: true });
    delete breaking.topics[placed];
    await kafkaProvider.update!(orders, created.outs!, breaking);
    expect((await topics()).has(placed)).toBe(false);
  });
});
