/**
 * Shared writes and read-backs on real Apache Kafka (the kafka peer): requests counted at a TCP
 * proxy in front of the broker (Kafka's API keys: Metadata 3, CreateTopics 19, DescribeAcls 29,
 * DescribeConfigs 32), what they made and read checked with kafkajs's admin client.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { SharedReads } from '../../src/adapters/kafka/engine/shared-reads';
import { SharedWrites } from '../../src/adapters/kafka/engine/shared-writes';
import { DEFAULT_LIMITS } from '../../src/adapters/kafka/engine/batches';
import { useProxiedRealKafka } from './broker';
import { makeProductsOutOfBand, withAdmin } from './oracle';
import { describeWithRealKafka } from '@meshform/peers/testing/real-kafka';

const API = { Metadata: 3, CreateTopics: 19, DescribeAcls: 29, DescribeConfigs: 32 };

describeWithRealKafka('shared writes and read-backs on real Kafka', () => {
  const kafka = useProxiedRealKafka();
  const { direct, counted } = kafka;

  it('three products read back in one round: one Metadata, one DescribeConfigs, one DescribeAcls of every binding; each gets only its own', async () => {
    const products = ['acme.ra', 'acme.rb', 'acme.rc'];
    await withAdmin(direct(), async (admin) => {
      await makeProductsOutOfBand(admin, products, ['acme.rz']);
      // The broker shows new bindings a moment after it answers.
      for (let seen = 0; seen < 4; await new Promise((r) => setTimeout(r, 100))) {
        seen = (await admin.describeAcls({ resourceType: AclResourceTypes.TOPIC, resourcePatternType: ResourcePatternTypes.PREFIXED, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY })).resources.length;
      }
    });
    const reads = new SharedReads(kafka.wire(), { wideAt: 2 });
    kafka.proxy().resetRequests();
    const states = await Promise.all(
      products.map((p) => reads.readNamed([`${p}._public.x`], [{ resourceType: 'TOPIC', patternType: 'PREFIXED', resourceName: `${p}.` }], false)),
    );
    expect([counted(API.Metadata), counted(API.DescribeConfigs), counted(API.DescribeAcls)]).toEqual([1, 1, 1]);
    states.forEach((state, i) => {
      const p = products[i];
      expect([...state.topics.values()].map((t) => [t.name, t.partitions, t.config['retention.ms']])).toEqual([[`${p}._public.x`, i + 1, String(1000 * (i + 1))]]);
      expect(state.acls).toEqual([{ principal: `User:${p}`, resourceType: 'TOPIC', patternType: 'PREFIXED', resourceName: `${p}.`, operation: 'WRITE', permission: 'ALLOW', host: '*' }]);
    });
  });

  it('two products 20 ms apart within a 1 s window: one CreateTopics, both topics made', async () => {
    const shared = new SharedWrites(kafka.wire(), DEFAULT_LIMITS, 1000);
    kafka.proxy().resetRequests();
    const first = shared.createTopics([{ topic: 'acme.wa._public.x', partitions: 1, replicas: 1, config: {} }]);
    await new Promise((r) => setTimeout(r, 20));
    const [a, b] = await Promise.all([first, shared.createTopics([{ topic: 'acme.wb._public.x', partitions: 2, replicas: 1, config: {} }])]);
    expect(counted(API.CreateTopics)).toBe(1);
    expect([a.get('acme.wa._public.x')?.errorCode, b.get('acme.wb._public.x')?.errorCode]).toEqual([0, 0]);
    const made = await withAdmin(direct(), async (admin) => {
      for (;;) {
        const topics = await admin.listTopics();
        if (topics.includes('acme.wa._public.x') && topics.includes('acme.wb._public.x')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return (await admin.fetchTopicMetadata({ topics: ['acme.wa._public.x', 'acme.wb._public.x'] })).topics.map((t) => [t.name, t.partitions.length]);
    });
    expect(new Map(made as [string, number][])).toEqual(new Map([['acme.wa._public.x', 1], ['acme.wb._public.x', 2]]));
  });
});
