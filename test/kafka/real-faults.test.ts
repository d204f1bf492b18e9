/**
 * Faults on real Kafka in the middle of an apply: the network cut (a TCP proxy between meshform
 * and the broker) and the broker frozen while a write is in flight (SIGSTOP: thawed, it may carry the write
 * out after meshform gave up waiting, or drop it with the closed connection). Each time the report says what is unknown, a
 * re-run converges, and kafkajs finds every topic and ACL exactly once. (The in-process variants,
 * with the broker's fault hooks, are in reconcile.test.ts.)
 */
import type { KafkaConnection } from '../../src/adapters/kafka';
import { describeWithRealKafka, REAL_KAFKA_START_MS, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { ADMIN, adminConnection, apply, states } from './broker';
import { acl, ownerAcl, topic } from './fixtures';
import { binding, observe, sortAcls, wipe } from './oracle';

const orders = 'acme.retail.orders';
const placed = `${orders}._public.placed`;
const scratch = `${orders}._private.scratch`;
const plan = [
  topic(orders, placed, 3, 1, { 'retention.ms': '86400000' }),
  topic(orders, scratch, 1, 1),
  ownerAcl(orders, 'WRITE'),
  ownerAcl(orders, 'READ'),
  acl(orders, { principal: 'User:*', resourceName: placed }),
];
const EXPECTED_ACLS = sortAcls([
  binding(`User:${orders}`, 'WRITE', `${orders}.`, { pattern: 'PREFIXED' }),
  binding(`User:${orders}`, 'READ', `${orders}.`, { pattern: 'PREFIXED' }),
  binding('User:*', 'READ', placed),
]);

describeWithRealKafka('faults on real Kafka mid-apply', () => {
  let kafka: RealKafka;
  let direct: KafkaConnection;

  beforeAll(async () => {
    kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    direct = adminConnection(kafka.bootstrap);
  }, REAL_KAFKA_START_MS);
  afterAll(() => kafka?.stop());
  afterEach(() => wipe(direct), 60000);

  /** Re-runs converge: one run does what is missing, the next finds nothing to do; kafkajs sees everything once. */
  async function convergesFrom(connection: KafkaConnection): Promise<void> {
    const rerun = await apply(connection, [orders], plan);
    expect(rerun.summary.failed).toBe(0);
    const final = await apply(connection, [orders], plan);
    expect(final.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 5, refused: 0, failed: 0 });
    const seen = await observe(direct);
    expect(seen.topics).toEqual(new Map([[placed, { partitions: 3, replicas: 1 }], [scratch, { partitions: 1, replicas: 1 }]]));
    expect(seen.configs[placed]).toEqual({ 'retention.ms': '86400000' });
    expect(seen.acls).toEqual(EXPECTED_ACLS);
  }

  it('a network cut as the topics are sent: reported, and a re-run converges without duplicates', async () => {
    const proxy: TcpProxy = await startTcpProxy(kafka.bootstrap);
    try {
      const through = { ...adminConnection(proxy.address) };
      const broken = await apply(through, [orders], plan, {}, 'apply', {
        onRequest: (api) => {
          if (api === 'CreateTopics') proxy.cut();
        },
        requestTimeoutMs: 5000,
        connectionTimeoutMs: 2000,
      });
      // The ACLs (sent first) were created before the cut; the topics' outcome is unknown and nothing could be read back.
      const acls = broken.resources.filter((r) => r.kind === 'kafka:Acl');
      expect(acls.map((r) => r.state)).toEqual(['CREATED', 'CREATED', 'CREATED']);
      const topics = broken.resources.filter((r) => r.kind === 'kafka:Topic');
      expect(topics.map((r) => r.state)).toEqual(['FAILED', 'FAILED']);
      for (const r of topics) expect(r.error).toMatch(/^outcome unknown \(connection lost or timed out\): CreateTopics failed: .*; could not read back, re-run to converge$/);

      proxy.restore();
      await convergesFrom(through);
    } finally {
      await proxy.close();
    }
  }, 120000);

  it('the broker frozen while the topics are being created: meshform gives up, the outcome is unknown, a re-run converges', async () => {
    const broken = await apply(direct, [orders], plan, {}, 'apply', {
      onRequest: (api) => {
        if (api === 'CreateTopics') process.kill(kafka.pid, 'SIGSTOP');
      },
      requestTimeoutMs: 3000,
      connectionTimeoutMs: 2000,
    });
    process.kill(kafka.pid, 'SIGCONT');
    // The ACLs went first and were answered; the topics' outcome is unknown.
    expect(broken.resources.filter((r) => r.kind === 'kafka:Acl').map((r) => r.state)).toEqual(['CREATED', 'CREATED', 'CREATED']);
    expect(broken.summary.failed).toBe(2);
    for (const r of broken.resources.filter((r) => r.kind === 'kafka:Topic')) expect(r.error).toMatch(/^outcome unknown \(connection lost or timed out\): .*timed out; could not read back, re-run to converge$/);
    // Thawed, Kafka may carry out the CreateTopics it had received (or may have dropped it with the
    // connection meshform closed): the outcome really is unknown. Either way the re-run does exactly what is missing.
    let appeared = 0;
    for (let i = 0; i < 30 && appeared < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      appeared = (await observe(direct)).topics.size;
    }
    expect([0, 2]).toContain(appeared);
    const rerun = await apply(direct, [orders], plan);
    const topicState = appeared === 2 ? 'UNCHANGED' : 'CREATED';
    // (With nothing to create, the re-run still reports its topics UNCHANGED.)
    expect(states(rerun)).toMatchObject({ [placed]: topicState, [scratch]: topicState });
    expect(rerun.summary.create).toBe(appeared === 2 ? 0 : 2);
    await convergesFrom(direct);
  }, 120000);
});
