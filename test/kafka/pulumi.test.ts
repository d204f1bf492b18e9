import * as pulumi from '@pulumi/pulumi';
import type { KafkaProductInputs, StoredKafkaInputs } from '../../src/adapters/pulumi/kafka';
import { decodeAcl } from '../../src/adapters/pulumi/kafka-provider';
import { absoluteAcls, decodeAcls, encodeAcls } from '../../src/adapters/pulumi/kafka-state';
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
    const resources = [
      topic(orders, placed, 3, 1, { 'retention.ms': '1000' }),
      ownerAcl(orders),
      acl(orders, { principal: 'User:*', resourceName: placed }),
      acl(orders, { principal: 'User:*', resourceName: placed, operation: 'DESCRIBE' }),
      acl(orders, { principal: 'User:acme.ops', resourceName: placed }),
    ];
    const consumers = new Map([[placed, ['acme.finance.billing', orders]], ['acme.retail.shipping._public.parcels', [orders]]]);
    registerKafka(orders, resources, { parent: new Parent(), stack, consumers });
    await new Promise((r) => setTimeout(r, 200));

    const kafka = registered.filter((r) => r.type === 'pulumi-nodejs:dynamic/meshform:KafkaProduct');
    expect(kafka).toHaveLength(1);
    expect(kafka[0].name).toBe(`${orders}-kafka`);
    const inputs = kafka[0].inputs as unknown as StoredKafkaInputs;
    // Topics by name relative to the product (`~` for its id), in the compact text written by hand here:
    // partitions x replicas, configs, then the principals with a reader's grant (DESCRIBE and READ) on it.
    expect(inputs.topics).toEqual({ '~._public.placed': '3x1 retention.ms=1000 read-by User:*' });
    // Other ACLs by resource pattern, then principal: the owner's WRITE on `<product>.` (not the plan's
    // whole set of owner grants, so written out), a READ without DESCRIBE.
    expect(inputs.acls).toEqual({
      'TOPIC:LITERAL:~._public.placed': { 'User:acme.ops': 'ALLOW READ' },
      'TOPIC:PREFIXED:~.': { 'User:~': 'ALLOW WRITE' },
    });
    expect(decodeAcls(absoluteAcls(orders, inputs.acls!))).toEqual([resources[4].properties, resources[1].properties]); // in pattern order
    // No delete permission in this stack, the owner's grants written out: no word in flags.
    expect(inputs.flags).toBe('');
    // Principals may hold spaces, commas and quotes; hosts other than * are kept.
    const dn = { ...ownerAcl(orders).properties, principal: 'User:CN=svc, O=Acme "ops"', host: '10.0.0.1' };
    expect(decodeAcls(encodeAcls([dn]))).toEqual([dn]);
    expect(decodeAcl(ownerAcl(orders).properties)).toEqual(ownerAcl(orders).properties); // state written before the text form
    // The principal `User:<product>` is not written (kafka-state.ts: absent means that one).
    expect(inputs.principal).toBeUndefined();
    // Only the product's own topics, and only other products, guard its deletes; it receives from shipping.
    expect(inputs.consumedBy).toEqual({ '~._public.placed': ['acme.finance.billing'] });
    expect(inputs.consumes).toEqual(['acme.retail.shipping._public.parcels']);
    // Where and as whom is provider configuration, never an input: no bootstrap, no user, no secret.
    expect(Object.keys(inputs).sort()).toEqual(['acls', 'consumedBy', 'consumes', 'flags', 'product', 'topics', '__provider'].sort());
    // The provider kept in state is a short shell: it must carry code, not credentials.
    const shell = kafka[0].inputs.__provider as string;
    expect(shell.length).toBeLessThan(250);
    const serialized = JSON.stringify(kafka[0].inputs);
    expect(serialized).not.toContain('top-secret-pw');
    expect(serialized).not.toContain('admin');
    expect(serialized).not.toContain('kafka:9092');
    // ...and no path: the implementation is loaded by package name where the provider runs.
    expect(shell).toContain('"meshform/pulumi/kafka-provider"');
    expect(shell).not.toContain(process.cwd());
    expect(shell).not.toMatch(/\.ts['"]/);
  });
});

describe('names relative to the product in state', () => {
  it('writes the product id as ~ only where a name starts with it and a delimiter, escapes a leading ~, and reads every text back', async () => {
    const { relativeName, absoluteName, relativePrincipal, absolutePrincipal } = await import('../../src/adapters/pulumi/kafka-state');
    const cases: [string, string][] = [
      [placed, '~._public.placed'],
      [`${orders}-`, '~-'],
      [orders, '~'],
      [`${orders}x._public.a`, `${orders}x._public.a`], // another product whose id starts with this one's
      ['acme.retail', 'acme.retail'],
      ['~odd-group', '~~odd-group'],
      ['~', '~~'],
      ['orders-legacy', 'orders-legacy'],
    ];
    for (const [name, text] of cases) {
      expect(relativeName(orders, name)).toBe(text);
      expect(absoluteName(orders, text)).toBe(name);
    }
    expect(relativePrincipal(orders, `User:${orders}`)).toBe('User:~');
    expect(relativePrincipal(orders, 'User:CN=svc, O=Acme')).toBe('User:CN=svc, O=Acme');
    expect(absolutePrincipal(orders, 'User:~')).toBe(`User:${orders}`);
    expect(absolutePrincipal(orders, 'User:~~x')).toBe('User:~x');
  });
});

describe("the owner's bindings on its prefixes in state", () => {
  it('are written as ownerAcls: true when all are there as the plan gives them, and read back exactly; otherwise kept', async () => {
    const { withoutOwnerAcls, withOwnerAcls } = await import('../../src/adapters/pulumi/kafka-state');
    const me = `User:${orders}`;
    // Written by hand: the owner's grants on its three topic prefixes and two client prefixes each, a reader's on one topic.
    const full = {
      [`GROUP:PREFIXED:${orders}-`]: { [me]: 'ALLOW DESCRIBE,READ' },
      [`GROUP:PREFIXED:${orders}.`]: { [me]: 'ALLOW DESCRIBE,READ' },
      [`TOPIC:LITERAL:${placed}`]: { 'User:*': 'ALLOW DESCRIBE,READ' },
      [`TOPIC:PREFIXED:${orders}._private.`]: { [me]: 'ALLOW DESCRIBE,DESCRIBE_CONFIGS,READ,WRITE' },
      [`TOPIC:PREFIXED:${orders}._protected.`]: { 'User:acme.ops': 'ALLOW DESCRIBE', [me]: 'ALLOW DESCRIBE,DESCRIBE_CONFIGS,READ,WRITE' }, // principals in text order, as encodeAcls writes them
      [`TOPIC:PREFIXED:${orders}._public.`]: { [me]: 'ALLOW DESCRIBE,DESCRIBE_CONFIGS,READ,WRITE' },
      [`TRANSACTIONAL_ID:PREFIXED:${orders}-`]: { [me]: 'ALLOW DESCRIBE,WRITE' },
      [`TRANSACTIONAL_ID:PREFIXED:${orders}.`]: { [me]: 'ALLOW DESCRIBE,WRITE' },
    };
    const compact = withoutOwnerAcls(orders, me, full);
    expect(compact).toEqual({
      acls: { [`TOPIC:LITERAL:${placed}`]: { 'User:*': 'ALLOW DESCRIBE,READ' }, [`TOPIC:PREFIXED:${orders}._protected.`]: { 'User:acme.ops': 'ALLOW DESCRIBE' } },
      ownerAcls: true,
    });
    expect(JSON.stringify(withOwnerAcls(orders, me, compact.acls))).toBe(JSON.stringify(full)); // same entries, same order
    // One owner grant differs from the plan's (no WRITE on _public.): nothing is taken out.
    const other = { ...full, [`TOPIC:PREFIXED:${orders}._public.`]: { [me]: 'ALLOW DESCRIBE,DESCRIBE_CONFIGS,READ' } };
    expect(withoutOwnerAcls(orders, me, other)).toEqual({ acls: other });
  });
});

describe('inputs and outputs as state keeps them', () => {
  const me = `User:${orders}`;
  // Written by hand: the plan's owner grants on the product's prefixes, two readers of one topic, one of them a DN with spaces.
  const ownerGrants = {
    [`GROUP:PREFIXED:${orders}-`]: { [me]: 'ALLOW DESCRIBE,READ' },
    [`GROUP:PREFIXED:${orders}.`]: { [me]: 'ALLOW DESCRIBE,READ' },
    [`TOPIC:PREFIXED:${orders}._private.`]: { [me]: 'ALLOW DESCRIBE,DESCRIBE_CONFIGS,READ,WRITE' },
    [`TOPIC:PREFIXED:${orders}._protected.`]: { [me]: 'ALLOW DESCRIBE,DESCRIBE_CONFIGS,READ,WRITE' },
    [`TOPIC:PREFIXED:${orders}._public.`]: { [me]: 'ALLOW DESCRIBE,DESCRIBE_CONFIGS,READ,WRITE' },
    [`TRANSACTIONAL_ID:PREFIXED:${orders}-`]: { [me]: 'ALLOW DESCRIBE,WRITE' },
    [`TRANSACTIONAL_ID:PREFIXED:${orders}.`]: { [me]: 'ALLOW DESCRIBE,WRITE' },
  };
  const full: KafkaProductInputs = {
    product: orders,
    principal: me,
    topics: { [placed]: 'partitions=3 replicas=1 cleanup.policy=compact,delete', [`${orders}._private.x`]: 'partitions=1 replicas=1' },
    acls: {
      ...ownerGrants,
      [`TOPIC:LITERAL:${placed}`]: { 'User:CN=svc, O=Acme': 'ALLOW DESCRIBE,READ', 'User:acme.finance.billing': 'ALLOW DESCRIBE,READ', 'User:acme.ops': 'ALLOW READ' },
      'TOPIC:LITERAL:legacy-orders': { [me]: 'ALLOW READ' },
    },
    allowDelete: true,
    allowDeletePrivate: false,
    allowBreaking: true,
    consumedBy: { [placed]: ['acme.finance.billing'] },
    consumes: ['acme.retail.shipping._public.parcels'],
  };

  it('inputs: readers with their topic, owner grants and permissions as flags, names relative; read back exactly, in text order', async () => {
    const { storeInputs, readStored } = await import('../../src/adapters/pulumi/kafka-state');
    const stored = storeInputs(full);
    expect(stored).toEqual({
      product: orders,
      topics: { '~._public.placed': '3x1 cleanup.policy=compact,delete read-by User:CN=svc,%20O=Acme User:acme.finance.billing', '~._private.x': '1x1' },
      acls: { 'TOPIC:LITERAL:~._public.placed': { 'User:acme.ops': 'ALLOW READ' }, 'TOPIC:LITERAL:legacy-orders': { 'User:~': 'ALLOW READ' } },
      flags: 'ownerAcls allowDelete allowBreaking',
      consumedBy: { '~._public.placed': ['acme.finance.billing'] },
      consumes: ['acme.retail.shipping._public.parcels'],
    });
    const back = readStored(stored as unknown as KafkaProductInputs);
    expect(back).toEqual(full);
    // Topics and ACLs in text order (the digest is over their JSON).
    expect(Object.keys(back.topics)).toEqual([`${orders}._private.x`, placed]);
    expect(Object.keys(back.acls)).toEqual(Object.keys(full.acls).sort());
    // Another principal than `User:<product>` is written, relative where it can be.
    expect(storeInputs({ ...full, principal: `User:${orders}-svc`, acls: {} })).toMatchObject({ principal: 'User:~-svc', flags: 'allowDelete allowBreaking' });
  });

  it("outputs: no product (the resource's id), no topics, flags; read back with the id", async () => {
    const { storeOutputs, readStored } = await import('../../src/adapters/pulumi/kafka-state');
    const { topics: _t, acls: _a, consumes: _c, ...settings } = full;
    const outputs = { ...settings, applied: '0123456789abcdef' };
    const stored = storeOutputs(outputs);
    expect(stored).toEqual({ flags: 'allowDelete allowBreaking', consumedBy: { '~._public.placed': ['acme.finance.billing'] }, applied: '0123456789abcdef' });
    expect(readStored(stored, orders)).toEqual(outputs);
  });
});

describe('the provider before it touches a cluster', () => {
  const owner = `TOPIC:PREFIXED:${orders}.`;
  const base = (): KafkaProductInputs => ({
    product: orders,
    principal: `User:${orders}`,
    topics: { [placed]: 'partitions=3 replicas=1' },
    acls: { [owner]: { [`User:${orders}`]: 'ALLOW WRITE' } },
    allowDelete: false,
    allowDeletePrivate: false,
  });

  it('preview names each topic and ACL pattern that changes', async () => {
    const { changedKeys } = await import('../../src/adapters/pulumi/kafka-provider');
    const news = base();
    news.topics[placed] = 'partitions=6 replicas=1';
    news.topics[`${orders}._public.shipped`] = 'partitions=3 replicas=1';
    news.acls = {};
    expect(changedKeys(base(), news)).toEqual([`topics["${placed}"]`, `topics["${orders}._public.shipped"]`, `acls["${owner}"]`]);
  });

  it('unchanged inputs are no change (decided from the digest in the outputs, without a cluster)', async () => {
    const { provider } = await import('../../src/adapters/pulumi/kafka-provider');
    const { digestOf } = await import('../../src/adapters/pulumi/kafka-state');
    const { topics, acls, ...settings } = base();
    expect(await provider.diff('id', { ...settings, applied: digestOf(topics, acls) }, base())).toMatchObject({ changes: false, replaces: [] });
  });

  it('check refuses a partition decrease and a replication-factor change', async () => {
    const { provider } = await import('../../src/adapters/pulumi/kafka-provider');
    const news = base();
    news.topics[placed] = 'partitions=1 replicas=3';
    const result = await provider.check(base(), news);
    expect(result.failures?.map((f) => f.reason)).toEqual([
      expect.stringMatching(/REFUSED .*partitions 3 -> 1/),
      expect.stringMatching(/REFUSED .*replicas 1 -> 3/),
    ]);
  });
});

describe('the snapshot of a stack that selects products', () => {
  it("reads the configs of its own products' topics, and of topics in no product's namespace, not of another stack's", async () => {
    const { readsConfigsOf } = await import('../../src/adapters/pulumi/kafka-provider');
    const retail = { domains: ['acme.retail'], products: [] };
    expect(readsConfigsOf(retail, 'acme.retail.orders._public.placed')).toBe(true);
    expect(readsConfigsOf(retail, 'acme.finance.billing._public.invoiced')).toBe(false);
    // A nested product's topics are its own (domain acme.retail.orders), not its parent's.
    expect(readsConfigsOf(retail, 'acme.retail.orders.eu._public.placed')).toBe(false);
    expect(readsConfigsOf(retail, 'legacy-orders')).toBe(true);
    expect(readsConfigsOf(undefined, 'acme.finance.billing._public.invoiced')).toBe(true);
  });
});
