import * as pulumi from '@pulumi/pulumi';
import type { KafkaProductInputs } from '../../src/adapters/pulumi/kafka';
import { decodeAcl, encodeAcl } from '../../src/adapters/pulumi/kafka-provider';
import { stack as testStack } from '../support/stack';
import { acl, ownerAcl, topic } from './fixtures';
import { Secret } from '../../src/vocabulary/secret';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'meshform',
    'test',
    true,
  );
});

const orders = 'acme.retail.orders';
const placed = `${orders}._public.placed`;

describe('registerKafka under Pulumi mocks', () => {
  it('registers one resource per product with keyed topics and ACLs and no credentials', async () => {
    const { registerKafka } = await import('../../src/adapters/pulumi/kafka');
    class Parent extends pulumi.ComponentResource {
      constructor() {
        super('meshform:mesh:DataProduct', orders, {});
      }
    }
    const stack = testStack({ kafka: { connection: { bootstrap: 'kafka:9092', clientId: 'meshform-test' } } });
    stack.kafka.connection = { ...stack.kafka.connection, saslMechanism: 'plain', username: 'admin', password: new Secret('top-secret-pw') };
    const resources = [topic(orders, placed, 3, 1, { 'retention.ms': '1000' }), ownerAcl(orders), acl(orders, { principal: 'User:*', resourceName: placed })];
    const consumers = new Map([[placed, ['acme.finance.billing', orders]], ['acme.retail.shipping._public.parcels', [orders]]]);
    registerKafka(orders, resources, { parent: new Parent(), stack, consumers });
    await new Promise((r) => setTimeout(r, 200));

    const kafka = registered.filter((r) => r.type === 'pulumi-nodejs:dynamic/meshform:KafkaProduct');
    expect(kafka).toHaveLength(1);
    expect(kafka[0].name).toBe(`${orders}-kafka`);
    const inputs = kafka[0].inputs as unknown as KafkaProductInputs;
    expect(Object.keys(inputs.topics)).toEqual([placed]);
    expect(inputs.topics[placed]).toEqual({ topic: placed, partitions: 3, replicas: 1, config: { 'retention.ms': '1000' } });
    expect(Object.keys(inputs.acls).sort()).toEqual([resources[1].name, resources[2].name].sort());
    // One text per binding, which decodes to exactly the plan's binding (principals may hold spaces and commas).
    expect(decodeAcl(inputs.acls[resources[2].name])).toEqual(resources[2].properties);
    const owner = ownerAcl(orders).properties;
    const dn = { ...owner, principal: 'User:CN=svc, O=Acme "ops"' };
    expect(decodeAcl(encodeAcl(dn))).toEqual(dn);
    expect(decodeAcl(owner)).toEqual(owner); // state written before the text form
    expect(inputs.principal).toBe(`User:${orders}`);
    // Only the product's own topics, and only other products, guard its deletes.
    expect(inputs.consumedBy).toEqual({ [placed]: ['acme.finance.billing'] });
    expect(inputs.allowBreaking).toBe(false);
    // Where and as whom is provider configuration, never an input: no bootstrap, no user, no secret.
    expect(Object.keys(inputs).sort()).toEqual(
      ['acls', 'allowBreaking', 'allowDelete', 'allowDeletePrivate', 'consumedBy', 'principal', 'product', 'topics', '__provider'].sort(),
    );
    // The serialized provider is stored in state too: it must carry code, not credentials.
    expect(typeof kafka[0].inputs.__provider).toBe('string');
    const serialized = JSON.stringify(kafka[0].inputs);
    expect(serialized).not.toContain('top-secret-pw');
    expect(serialized).not.toContain('admin');
    expect(serialized).not.toContain('kafka:9092');
    // ...and no path: the implementation is loaded by package name where the provider runs.
    expect(kafka[0].inputs.__provider).toContain('meshform/pulumi/${subpath}');
    expect(kafka[0].inputs.__provider).toContain('"kafka-provider"');
    expect(kafka[0].inputs.__provider).not.toContain(process.cwd());
    expect(kafka[0].inputs.__provider).not.toMatch(/\.ts['"]/);
  });
});

describe('the provider before it touches a cluster', () => {
  const base = (): KafkaProductInputs => ({
    product: orders,
    principal: `User:${orders}`,
    topics: { [placed]: topic(orders, placed, 3).properties },
    acls: { owner: encodeAcl(ownerAcl(orders).properties) },
    allowDelete: false,
    allowDeletePrivate: false,
  });

  it('preview names each topic and ACL that changes', async () => {
    const { changedKeys, provider } = await import('../../src/adapters/pulumi/kafka-provider');
    const news = base();
    news.topics[placed] = { ...news.topics[placed], partitions: 6 };
    news.topics[`${orders}._public.shipped`] = topic(orders, `${orders}._public.shipped`).properties;
    delete news.acls.owner;
    expect(changedKeys(base(), news)).toEqual([`topics["${placed}"]`, `topics["${orders}._public.shipped"]`, 'acls["owner"]']);
    expect(await provider.diff('id', { ...base(), lastApply: '' }, news)).toMatchObject({ changes: true, replaces: [] });
    expect(await provider.diff('id', { ...base(), lastApply: '' }, base())).toMatchObject({ changes: false });
  });

  it('check refuses a partition decrease and a replication-factor change', async () => {
    const { provider } = await import('../../src/adapters/pulumi/kafka-provider');
    const news = base();
    news.topics[placed] = { ...news.topics[placed], partitions: 1, replicas: 3 };
    const result = await provider.check(base(), news);
    expect(result.failures?.map((f) => f.reason)).toEqual([
      expect.stringMatching(/REFUSED .*partitions 3 -> 1/),
      expect.stringMatching(/REFUSED .*replicas 1 -> 3/),
    ]);
  });
});
