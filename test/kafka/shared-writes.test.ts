/**
 * SharedWrites: the writes of reconciles that run at once go out in shared requests, and each
 * caller gets the answers for its own items. Against the test broker, requests counted at the
 * broker, effects read with kafkajs's admin client.
 */
import type { TestBroker } from '@meshform/kafka-test-broker';
import { KafkaWire, type KafkaConnection } from '../../src/adapters/kafka';
import { SharedWrites } from '../../src/adapters/kafka/engine/shared-writes';
import type { KafkaAclProps } from '../../src/plan/types';
import { startAdminBroker } from './broker';
import { withAdmin } from './oracle';

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
