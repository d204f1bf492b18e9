/**
 * All or nothing per product, and applying exactly what was confirmed. On the in-process broker
 * and on real Apache Kafka (the peer), checked with kafkajs's admin client, not with the engine.
 */
import { OwnershipScope, reconcileKafka, StalePlanError, type KafkaConnection, type KafkaReport, type ReconcileRequest, plainLogin } from '../../src/adapters/kafka';
import type { Resource } from '../../src/plan/types';
import { realKafkaBackend, REAL_KAFKA_START_MS, startRealKafka } from '@meshform/peers/testing/real-kafka';
import { ADMIN, startAdminBroker } from './broker';
import { acl, ownerAcl, topic } from './fixtures';
import { observe } from './oracle';

const orders = 'acme.retail.orders';
const billing = 'acme.finance.billing';
const placed = `${orders}._public.placed`;
const shipped = `${orders}._public.shipped`;
const invoices = `${billing}._public.invoices`;

type Backend = 'in-process' | 'real';
const backends: [Backend, string | undefined][] = [['in-process', undefined], realKafkaBackend('all-or-nothing suite on real Kafka')];

async function startCluster(backend: Backend): Promise<{ connection: KafkaConnection; stop(): Promise<void> }> {
  if (backend === 'in-process') {
    const { broker, connection } = await startAdminBroker();
    return { connection, stop: () => broker.stop() };
  }
  const kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
  return { connection: { brokers: [kafka.bootstrap], clientId: 'meshform-test', tls: false, sasl: plainLogin(ADMIN) }, stop: () => kafka.stop() };
}

/** What the cluster holds, as kafkajs's admin client sees it: partitions by topic, `principal OPERATION resource` per ACL. */
async function observed(connection: KafkaConnection): Promise<{ topics: Record<string, number>; acls: string[] }> {
  const seen = await observe(connection);
  return {
    topics: Object.fromEntries([...seen.topics].map(([name, t]) => [name, t.partitions])),
    acls: seen.acls.map((a) => `${a.principal} ${a.operation} ${a.name}`).sort(),
  };
}

function request(resources: Resource[], extra: Partial<ReconcileRequest> = {}): ReconcileRequest {
  return {
    resources,
    scope: OwnershipScope.ofProducts([orders, billing], 'User:{domain}'),
    permissions: { allowDelete: false, allowDeletePrivate: false },
    mode: 'apply',
    ...extra,
  };
}

const billingPlan = () => [topic(billing, invoices, 1, 1), ownerAcl(billing, 'WRITE')];

function states(report: KafkaReport): Record<string, string> {
  return Object.fromEntries(report.resources.map((r) => [r.topic ?? r.name, r.state]));
}

describe.each(backends)('all or nothing per product on the %s broker', (backend, reason) => {
  if (reason) {
    it.skip(`skipped: ${reason}`, () => undefined);
    return;
  }
  let cluster: { connection: KafkaConnection; stop(): Promise<void> };
  beforeEach(async () => {
    cluster = await startCluster(backend);
  }, REAL_KAFKA_START_MS);
  afterEach(() => cluster?.stop());

  it('a refused change (a rename whose delete is not allowed, a shrink) holds back the rest of that product only', async () => {
    const { connection } = cluster;
    await reconcileKafka(connection, request([topic(orders, placed, 3, 1)]));
    // The spec now wants placed with 1 partition (refused: Kafka cannot remove partitions) and a new topic and ACL.
    const wanted = [topic(orders, placed, 1, 1), topic(orders, shipped, 1, 1), acl(orders, { principal: 'User:*', resourceName: shipped }), ...billingPlan()];

    const plan = await reconcileKafka(connection, request(wanted, { mode: 'plan', allOrNothing: true }));
    expect(states(plan)).toMatchObject({ [placed]: 'REFUSED', [shipped]: 'REFUSED', [invoices]: 'CREATE' });
    expect(plan.resources.find((r) => r.topic === shipped)?.reason).toBe(
      `held back: all or nothing: topic ${placed} is refused; nothing of ${orders} is changed`,
    );

    const report = await reconcileKafka(connection, request(wanted, { allOrNothing: true }));
    expect(report.summary).toEqual({ create: 2, update: 0, delete: 0, unchanged: 0, refused: 3, failed: 0 });
    const seen = await observed(connection);
    expect(seen.topics).toEqual({ [placed]: 3, [invoices]: 1 });
    expect(seen.acls).toEqual([`User:${billing} WRITE ${billing}.`]);

    // Without the option the same run creates what it can (the old behaviour).
    const partial = await reconcileKafka(connection, request(wanted));
    expect(states(partial)).toMatchObject({ [placed]: 'REFUSED', [shipped]: 'CREATED' });
    expect((await observed(connection)).topics).toEqual({ [placed]: 3, [shipped]: 1, [invoices]: 1 });
  });

  it("a change Kafka's validate-only check rejects (replicas beyond the brokers) holds back the product before anything is made", async () => {
    const { connection } = cluster;
    const wanted = [topic(orders, shipped, 1, 1), topic(orders, placed, 1, 3), ownerAcl(orders, 'WRITE'), ...billingPlan()];

    const plan = await reconcileKafka(connection, request(wanted, { mode: 'plan', allOrNothing: true }));
    expect(states(plan)).toMatchObject({ [placed]: 'REFUSED', [shipped]: 'REFUSED', [invoices]: 'CREATE' });
    expect(plan.resources.find((r) => r.topic === shipped)?.reason).toMatch(
      new RegExp(`^held back: all or nothing: Kafka would refuse topic ${placed}: INVALID_REPLICATION_FACTOR .*; nothing of ${orders} is changed$`),
    );
    expect((await observed(connection)).topics).toEqual({});

    const report = await reconcileKafka(connection, request(wanted, { allOrNothing: true }));
    expect(states(report)).toMatchObject({ [placed]: 'REFUSED', [shipped]: 'REFUSED', [invoices]: 'CREATED' });
    const seen = await observed(connection);
    expect(seen.topics).toEqual({ [invoices]: 1 });
    expect(seen.acls).toEqual([`User:${billing} WRITE ${billing}.`]);
  });

  it('applies only the changes that were confirmed: if the cluster moved meanwhile, nothing', async () => {
    const { connection } = cluster;
    const wanted = [topic(orders, shipped, 1, 1), ...billingPlan()];
    const plan = await reconcileKafka(connection, request(wanted, { mode: 'plan' }));
    // Someone creates invoices by hand (with 2 partitions) between the plan and the confirmation.
    await reconcileKafka(connection, request([topic(billing, invoices, 2, 1)]));
    await expect(reconcileKafka(connection, request(wanted, { approved: plan.resources }))).rejects.toThrow(StalePlanError);
    expect((await observed(connection)).topics).toEqual({ [invoices]: 2 });

    const again = await reconcileKafka(connection, request([topic(orders, shipped, 1, 1), topic(billing, invoices, 2, 1), ownerAcl(billing, 'WRITE')], { mode: 'plan' }));
    const applied = await reconcileKafka(connection, request([topic(orders, shipped, 1, 1), topic(billing, invoices, 2, 1), ownerAcl(billing, 'WRITE')], { approved: again.resources }));
    expect(applied.summary).toMatchObject({ create: 2, failed: 0, refused: 0 });
  });
});
