/**
 * Changes verified from the broker's answers (reconcile's `verify: 'answers'`, what the Pulumi
 * provider uses) on real Apache Kafka (the kafka peer): CreateTopics v5+ describes each created
 * topic; what the answers confirm is not read back, the rest is. Requests are counted at a TCP proxy
 * in front of the broker (Kafka's API keys, written out below); what is on the cluster is read with
 * kafkajs's admin client; expected values are written by hand.
 */
import { ClusterLease, OwnershipScope, reconcile, type ReconcileRequest } from '../../src/adapters/kafka';
import type { Resource } from '../../src/plan/types';
import type { ClusterState } from '../../src/adapters/kafka/engine/state';
import { useProxiedRealKafka } from './broker';
import { acl, ownerAcl, state, topic } from './fixtures';
import { observe, withAdmin } from './oracle';
import { describeWithRealKafka } from '@meshform/peers/testing/real-kafka';

const API = { Metadata: 3, CreateTopics: 19, DescribeAcls: 29, CreateAcls: 30, DescribeConfigs: 32 };

describeWithRealKafka('changes verified from the broker answers, on real Kafka', () => {
  const kafka = useProxiedRealKafka();
  const { direct, counted } = kafka;
  /** A product's apply as the Pulumi provider makes it: its snapshot says nothing is there yet, changes verified from the answers. */
  const applyAnswered = (p: string, resources: Resource[], extra: Partial<ReconcileRequest> = {}) =>
    reconcile(kafka.wire(), {
      resources,
      scope: OwnershipScope.ofProducts([p], 'User:{domain}'),
      permissions: { allowDelete: false, allowDeletePrivate: false },
      mode: 'apply',
      lease: false,
      before: state(),
      verify: 'answers',
      ...extra,
    });
  /** Waits until kafkajs sees every named topic (the broker serves its metadata a moment after it answers). */
  const visible = async (names: string[]) => {
    for (let i = 0; i < 100; i++) {
      const seen = await observe(direct());
      if (names.every((n) => seen.topics.has(n))) return seen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not visible after 10 s: ${names.join(', ')}`);
  };

  it('CreateTopics answers each created topic as the controller made it (partitions, replication factor, configs set on it), in one request', async () => {
    kafka.proxy().resetRequests();
    const answers = await kafka.wire().createTopics([
      { topic: 'acme.ca._public.a', partitions: 2, replicas: 1, config: { 'retention.ms': '60000', 'cleanup.policy': 'compact' } },
      { topic: 'acme.ca._public.b', partitions: 1, replicas: 1, config: {} },
    ]);
    expect(counted(API.CreateTopics)).toBe(1);
    const setOnTopic = (name: string) =>
      Object.fromEntries((answers.get(name)?.created?.configs ?? []).filter((c) => c.setOnTopic).map((c) => [c.name, c.value]));
    expect([answers.get('acme.ca._public.a')?.errorCode, answers.get('acme.ca._public.a')?.created?.partitions, answers.get('acme.ca._public.a')?.created?.replicas]).toEqual([0, 2, 1]);
    expect(setOnTopic('acme.ca._public.a')).toEqual({ 'retention.ms': '60000', 'cleanup.policy': 'compact' });
    expect([answers.get('acme.ca._public.b')?.created?.partitions, setOnTopic('acme.ca._public.b')]).toEqual([1, {}]);
    // The answer describes all of the topic's configs (the defaults too), not only the ones set.
    expect((answers.get('acme.ca._public.b')?.created?.configs ?? []).length).toBeGreaterThan(10);
    const seen = await visible(['acme.ca._public.a', 'acme.ca._public.b']);
    expect([seen.topics.get('acme.ca._public.a'), seen.configs['acme.ca._public.a']]).toEqual([{ partitions: 2, replicas: 1 }, { 'retention.ms': '60000', 'cleanup.policy': 'compact' }]);

    // A second create of the same topic: refused, and no description.
    const again = await kafka.wire().createTopics([{ topic: 'acme.ca._public.b', partitions: 1, replicas: 1, config: {} }]);
    expect([again.get('acme.ca._public.b')?.errorCode, again.get('acme.ca._public.b')?.created]).toEqual([36, undefined]); // TOPIC_ALREADY_EXISTS
  });

  it("a product's creates confirmed by the answers are not read back: no Metadata, DescribeConfigs or DescribeAcls after the writes", async () => {
    const p = 'acme.cb';
    const resources = [
      topic(p, `${p}._public.orders`, 2, 1, { 'retention.ms': '86400000' }),
      topic(p, `${p}._private.state`, 1, 1),
      ownerAcl(p),
      acl(p, { principal: 'User:acme.reader', resourceName: `${p}._public.orders` }),
    ];
    let after: ClusterState | undefined;
    kafka.proxy().resetRequests();
    const report = await applyAnswered(p, resources, { onReadBack: (s) => (after = s) });
    expect(report.resources.map((r) => `${r.state} ${r.topic ?? r.name}`).sort()).toEqual(
      [`CREATED ${p}._private.state`, `CREATED ${p}._public.orders`, `CREATED ${p}/acl/User:${p}/WRITE/${p}.`, `CREATED ${p}/acl/User:acme.reader/READ/${p}._public.orders`].sort(),
    );
    expect([counted(API.CreateAcls), counted(API.CreateTopics), counted(API.Metadata), counted(API.DescribeConfigs), counted(API.DescribeAcls)]).toEqual([1, 1, 0, 0, 0]);
    // What the snapshot is given: the topics as the broker answered them, the two bindings.
    expect([...after!.topics.values()].map((t) => [t.name, t.partitions, t.replicas, t.config]).sort()).toEqual([
      [`${p}._private.state`, 1, 1, {}],
      [`${p}._public.orders`, 2, 1, { 'retention.ms': '86400000' }],
    ]);
    expect(after!.acls.map((a) => `${a.principal} ${a.operation} ${a.patternType} ${a.resourceName}`).sort()).toEqual([`User:${p} WRITE PREFIXED ${p}.`, `User:acme.reader READ LITERAL ${p}._public.orders`]);
    // The cluster, as kafkajs reads it once the broker serves it.
    const seen = await visible([`${p}._public.orders`, `${p}._private.state`]);
    expect([seen.topics.get(`${p}._public.orders`), seen.configs[`${p}._public.orders`], seen.topics.get(`${p}._private.state`)]).toEqual([
      { partitions: 2, replicas: 1 },
      { 'retention.ms': '86400000' },
      { partitions: 1, replicas: 1 },
    ]);
    for (let i = 0; i < 100 && seen.acls.filter((a) => a.name.startsWith(p)).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen.acls = (await observe(direct())).acls;
    }
    expect(seen.acls.filter((a) => a.name.startsWith(p)).map((a) => `${a.principal} ${a.operation} ${a.pattern} ${a.name}`).sort()).toEqual([
      `User:${p} WRITE PREFIXED ${p}.`,
      `User:acme.reader READ LITERAL ${p}._public.orders`,
    ]);
  });

  it('a lease released visibly: once the broker no longer shows it, a reader sees every change confirmed by answers before it', async () => {
    const products = Array.from({ length: 30 }, (_, i) => `acme.cv${i}`);
    const lease = await ClusterLease.acquire(kafka.wire(), { waitMs: 0 });
    await Promise.all(
      products.map((p) => applyAnswered(p, [topic(p, `${p}._public.x`, 1, 1, { 'retention.ms': '3600000' }), ownerAcl(p)], { lease })),
    );
    await lease.release({ visible: true });
    // One look, no polling: kafkajs sees all thirty topics, their configs and bindings, and no lease.
    const seen = await observe(direct());
    expect(products.filter((p) => seen.topics.get(`${p}._public.x`)?.partitions === 1 && seen.configs[`${p}._public.x`]?.['retention.ms'] === '3600000')).toEqual(products);
    expect(products.filter((p) => seen.acls.some((a) => a.principal === `User:${p}` && a.name === `${p}.` && a.pattern === 'PREFIXED'))).toEqual(products);
    expect(seen.acls.filter((a) => a.name === '__meshform_lease')).toEqual([]);
  });

  it('what the answers leave open is read back, and only that: a topic made by someone else since the snapshot is reported as it is', async () => {
    const p = 'acme.cc';
    // Another tool makes one of the product's topics after the snapshot (`before`) was read.
    await withAdmin(direct(), (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic: `${p}._public.taken`, numPartitions: 3, replicationFactor: 1 }] }));
    await visible([`${p}._public.taken`]);
    kafka.proxy().resetRequests();
    const report = await applyAnswered(p, [topic(p, `${p}._public.taken`, 1, 1), topic(p, `${p}._public.fresh`, 1, 1), ownerAcl(p)]);
    const byName = Object.fromEntries(report.resources.map((r) => [r.topic ?? r.name, r]));
    expect([byName[`${p}._public.fresh`].state, byName[`${p}/acl/User:${p}/WRITE/${p}.`].state, byName[`${p}._public.taken`].state]).toEqual(['CREATED', 'CREATED', 'FAILED']);
    expect(byName[`${p}._public.taken`].error).toMatch(/TOPIC_ALREADY_EXISTS/);
    // One read of that topic alone; no ACL read (both bindings were confirmed).
    expect([counted(API.Metadata), counted(API.DescribeConfigs), counted(API.DescribeAcls)]).toEqual([1, 1, 0]);
  });
});
