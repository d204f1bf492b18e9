/**
 * SharedWrites: the writes of reconciles that run at once go out in shared requests (also those
 * asked within a collection window), and each caller gets the answers for its own items.
 * SharedReads: their read-backs go out as one round, each caller answered with what it named. Against the test broker, requests counted at the
 * broker, effects read with kafkajs's admin client.
 */
import type { TestBroker } from '@meshform/kafka-test-broker';
import { KafkaWire, type KafkaConnection } from '../../src/adapters/kafka';
import { SharedWrites } from '../../src/adapters/kafka/engine/shared-writes';
import { SharedReads } from '../../src/adapters/kafka/engine/shared-reads';
import { DEFAULT_LIMITS } from '../../src/adapters/kafka/engine/batches';
import type { KafkaAclProps } from '../../src/plan/types';
import { startAdminBroker } from './broker';
import { makeProductsOutOfBand, withAdmin } from './oracle';

let broker: TestBroker;
let connection: KafkaConnection;
let wire: KafkaWire;

beforeEach(async () => {
  ({ broker, connection } = await startAdminBroker());
  wire = await KafkaWire.open(connection);
});

afterEach(async () => {
  await wire.close();
  await broker.stop();
});

const acl = (product: string): KafkaAclProps => ({
  principal: `User:${product}`,
  resourceType: 'TOPIC',
  patternType: 'PREFIXED',
  resourceName: `${product}.`,
  operation: 'WRITE',
  permission: 'ALLOW',
  host: '*',
});

describe('writes asked for at once share a request', () => {
  it('five callers, one CreateTopics and one CreateAcls; each gets its own answers', async () => {
    const shared = new SharedWrites(wire);
    const products = ['acme.a', 'acme.b', 'acme.c', 'acme.d', 'acme.e'];
    broker.resetStats();
    const answers = await Promise.all(
      products.map(async (p) => ({
        acls: await shared.createAcls([acl(p)]),
        topics: await shared.createTopics([{ topic: `${p}._public.x`, partitions: 2, replicas: 1, config: {} }]),
      })),
    );
    expect(broker.stats().requests).toMatchObject({ CreateAcls: 1, CreateTopics: 1 });
    answers.forEach((a, i) => {
      expect(a.acls).toEqual([expect.objectContaining({ errorCode: 0 })]);
      expect([...a.topics.keys()]).toEqual([`${products[i]}._public.x`]);
      expect(a.topics.get(`${products[i]}._public.x`)?.errorCode).toBe(0);
    });
    const seen = await withAdmin(connection, async (admin) => (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort());
    expect(seen).toEqual(products.map((p) => `${p}._public.x`));
  });

  it("a caller's failed item is its own: a topic that exists answers TOPIC_ALREADY_EXISTS (36) to that caller only", async () => {
    await withAdmin(connection, (admin) => admin.createTopics({ topics: [{ topic: 'acme.a._public.x', numPartitions: 1, replicationFactor: 1 }] }));
    const shared = new SharedWrites(wire);
    const [a, b] = await Promise.all([
      shared.createTopics([{ topic: 'acme.a._public.x', partitions: 1, replicas: 1, config: {} }]),
      shared.createTopics([{ topic: 'acme.b._public.x', partitions: 1, replicas: 1, config: {} }]),
    ]);
    expect(a.get('acme.a._public.x')?.errorCode).toBe(36);
    expect(b.get('acme.b._public.x')?.errorCode).toBe(0);
  });

  it('a caller that asks while a request is out waits and goes with the next one; ACL answers keep each caller\'s order', async () => {
    const shared = new SharedWrites(wire);
    broker.resetStats();
    const first = shared.createAcls([acl('acme.a')]);
    await new Promise((r) => setImmediate(r)); // the first request is out
    const [second, third] = await Promise.all([shared.createAcls([acl('acme.b'), acl('acme.c')]), shared.createAcls([acl('acme.d')])]);
    await first;
    expect(broker.stats().requests.CreateAcls).toBe(2);
    expect([second.length, third.length]).toEqual([2, 1]);
    const deleted = await shared.deleteAcls([acl('acme.c'), acl('acme.b')]);
    // DeleteAcls answers per filter: each matched exactly its own binding.
    expect(deleted.map((d) => (d as unknown as { matchingAcls?: unknown[] }).matchingAcls?.length ?? d.errorCode)).toEqual([1, 1]);
  });

  it('when the request fails as a whole, every caller in it hears so', async () => {
    const shared = new SharedWrites(wire);
    await wire.close();
    const results = await Promise.allSettled([shared.createAcls([acl('acme.a')]), shared.createAcls([acl('acme.b')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    wire = await KafkaWire.open(connection);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a collection window before writes', () => {
  it('a caller that asks 20 ms after the first, within a 1 s window, goes in the same request', async () => {
    const shared = new SharedWrites(wire, DEFAULT_LIMITS, 1000);
    broker.resetStats();
    const first = shared.createTopics([{ topic: 'acme.a._public.x', partitions: 1, replicas: 1, config: {} }]);
    await sleep(20);
    const second = shared.createTopics([{ topic: 'acme.b._public.x', partitions: 3, replicas: 1, config: {} }]);
    const [a, b] = await Promise.all([first, second]);
    expect(broker.stats().requests.CreateTopics).toBe(1);
    expect([a.get('acme.a._public.x')?.errorCode, b.get('acme.b._public.x')?.errorCode]).toEqual([0, 0]);
    const partitions = await withAdmin(connection, async (admin) => (await admin.fetchTopicMetadata({ topics: ['acme.a._public.x', 'acme.b._public.x'] })).topics.map((t) => [t.name, t.partitions.length]));
    expect(new Map(partitions as [string, number][])).toEqual(new Map([['acme.a._public.x', 1], ['acme.b._public.x', 3]]));
  });

  it('without a window, a caller 20 ms later goes in a request of its own', async () => {
    const shared = new SharedWrites(wire);
    broker.resetStats();
    const first = shared.createTopics([{ topic: 'acme.a._public.x', partitions: 1, replicas: 1, config: {} }]);
    await sleep(20);
    await Promise.all([first, shared.createTopics([{ topic: 'acme.b._public.x', partitions: 1, replicas: 1, config: {} }])]);
    expect(broker.stats().requests.CreateTopics).toBe(2);
  });
});

describe('read-backs asked for at once share a round', () => {
  const topic = (p: string) => `${p}._public.x`;
  const pattern = (p: string) => ({ resourceType: 'TOPIC' as const, patternType: 'PREFIXED' as const, resourceName: `${p}.` });

  /** Three products' topics (1, 2 and 3 partitions) and WRITE bindings, and a fourth's binding no reader names, made with kafkajs's admin. */
  async function threeProducts(): Promise<void> {
    await withAdmin(connection, (admin) => makeProductsOutOfBand(admin, ['acme.a', 'acme.b', 'acme.c'], ['acme.z']));
  }

  it('three readers past the wide threshold: one Metadata, one DescribeConfigs, one DescribeAcls; each gets only its own', async () => {
    await threeProducts();
    const reads = new SharedReads(wire, { wideAt: 2 });
    broker.resetStats();
    const states = await Promise.all(['acme.a', 'acme.b', 'acme.c'].map((p) => reads.readNamed([topic(p)], [pattern(p)], false)));
    expect(broker.stats().requests).toMatchObject({ Metadata: 1, DescribeConfigs: 1, DescribeAcls: 1 });
    states.forEach((state, i) => {
      const p = ['acme.a', 'acme.b', 'acme.c'][i];
      expect([...state.topics.values()].map((t) => [t.name, t.partitions, t.config['retention.ms']])).toEqual([[topic(p), i + 1, String(1000 * (i + 1))]]);
      expect(state.acls).toEqual([{ ...acl(p) }]);
      expect([...state.aclKeys]).toEqual([`User:${p}|ALLOW|WRITE|TOPIC|PREFIXED|${p}.|*`]);
    });
  });

  it('below the threshold each distinct pattern is asked once, a pattern two readers name only once', async () => {
    await threeProducts();
    const reads = new SharedReads(wire);
    broker.resetStats();
    const [a, again, b] = await Promise.all([
      reads.readNamed([topic('acme.a')], [pattern('acme.a')], false),
      reads.readNamed([], [pattern('acme.a')], false),
      reads.readNamed([topic('acme.b')], [pattern('acme.b')], false),
    ]);
    expect(broker.stats().requests).toMatchObject({ Metadata: 1, DescribeConfigs: 1, DescribeAcls: 2 });
    expect([a.acls, again.acls, b.acls]).toEqual([[acl('acme.a')], [acl('acme.a')], [acl('acme.b')]]);
    expect([[...a.topics.keys()], [...again.topics.keys()], [...b.topics.keys()]]).toEqual([[topic('acme.a')], [], [topic('acme.b')]]);
  });

  it('a reader that asks while a round is out is answered by the next round, which sees a topic made in between', async () => {
    const reads = new SharedReads(wire, { wideAt: 1 });
    const first = reads.readNamed([topic('acme.a')], [pattern('acme.a')], false);
    await new Promise((r) => setImmediate(r)); // the first round is out
    await withAdmin(connection, (admin) => admin.createTopics({ topics: [{ topic: topic('acme.a'), numPartitions: 2, replicationFactor: 1 }] }));
    broker.resetStats(); // kafkajs's admin sends Metadata of its own
    const second = await reads.readNamed([topic('acme.a')], [pattern('acme.a')], false);
    await first;
    expect(broker.stats().requests.Metadata).toBe(1);
    expect(second.topics.get(topic('acme.a'))?.partitions).toBe(2);
  });

  it('with a rest, a reader that asks again at once is answered by a round that goes the rest after the last one', async () => {
    const reads = new SharedReads(wire, { restMs: 300 });
    broker.resetStats();
    await reads.readNamed([topic('acme.a')], [pattern('acme.a')], false);
    const answered = Date.now();
    await Promise.all([reads.readNamed([topic('acme.a')], [pattern('acme.a')], false), reads.readNamed([topic('acme.b')], [pattern('acme.b')], false)]);
    expect(Date.now() - answered).toBeGreaterThanOrEqual(290);
    // Two rounds: the first reader's alone, then both of the second round together.
    expect(broker.stats().requests).toMatchObject({ Metadata: 2, DescribeAcls: 1 + 2 });
  });
});
