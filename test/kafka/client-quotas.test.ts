/**
 * Client quotas end to end: meshform's DescribeClientQuotas / AlterClientQuotas (both versions)
 * on the test broker and on real Apache Kafka, the answers compared; the reconcile engine
 * setting, changing and removing a product's quotas; on real Kafka the result read back with
 * Kafka's own ConfigCommand and a producer throttled to its quota. Expected values are written by
 * hand from the plans below.
 */
import { KafkaWire, type KafkaConnection } from '../../src/adapters/kafka';
import { describeClientQuotas, alterClientQuotas, QUOTA_MATCH, type QuotaAlteration } from '../../src/adapters/kafka/client/requests/client-quotas';
import type { KafkaQuota, Resource } from '../../src/plan/types';
import type { Quotas } from '../../src/vocabulary/mesh';
import type { MeshKafkaBackend } from '../../src/testing';
import { REAL_KAFKA_START_MS, realKafkaBackend, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { describeUserQuotasWithKafka } from '@meshform/peers/testing/clients/kafka-config-command';
import { kcatMissing, kcatSasl, runKcat } from '@meshform/peers/testing/clients/kcat';
import { ADMIN, adminConnection, apply, states, useAdminCluster } from './broker';
import { ownerAcl, topic } from './fixtures';

const backends: [MeshKafkaBackend, string | undefined][] = [['in-process', undefined], realKafkaBackend('client quotas on real Kafka')];
for (const [backend, reason] of backends) if (reason) console.warn(`client quota suite on ${backend} skipped: ${reason}`);

const ORDERS = 'acme.retail.orders';
const BILLING = 'acme.finance.billing';

function quota(product: string, quotas: Quotas): KafkaQuota {
  return { kind: 'kafka:Quota', name: `${product}/quota/User:${product}`, product, properties: { principal: `User:${product}`, entity: { user: product }, quotas } };
}

const user = (name: string) => [{ entityType: 'user', entityName: name }];

/** One wire session's view of the answers, in a form both brokers must give alike. */
async function wireScenario(connection: KafkaConnection, version: number) {
  const wire = await KafkaWire.open(connection);
  try {
    const node = (await wire.metadata()).brokers[0].nodeId;
    const send = <T>(protocol: { request: { apiName: string } }) => wire.readFrom<T>(node, { protocol });
    const alter = (a: QuotaAlteration[], validateOnly = false) => send<Array<{ errorCode: number; entity: unknown }>>(alterClientQuotas(version, a, validateOnly));
    // A KRaft broker answers a write once the controller committed it; its own view follows a moment later.
    const settled = async (entries: number) => {
      for (let i = 0; ; i++) {
        const d = await describe();
        if (d.entries.length === entries || i >= 100) return d;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const describe = async () => {
      const d = await send<{ errorCode: number; entries: Array<{ entity: Array<{ entityName: string | null }>; values: Record<string, number> }> }>(
        describeClientQuotas(version, [{ entityType: 'user', matchType: QUOTA_MATCH.ANY, match: null }], true),
      );
      return { errorCode: d.errorCode, entries: d.entries.map((e) => [e.entity[0].entityName, e.values] as const).sort(([a], [b]) => String(a).localeCompare(String(b))) };
    };
    const set = await alter([
      { entity: user(`v${version}.a`), ops: [{ key: 'producer_byte_rate', value: 1048576 }, { key: 'request_percentage', value: 12.5 }] },
      { entity: user(`v${version}.b`), ops: [{ key: 'consumer_byte_rate', value: 2048 }] },
    ]);
    const afterSet = await settled(2);
    const checkedOnly = await alter([{ entity: user(`v${version}.a`), ops: [{ key: 'producer_byte_rate', value: 5 }] }], true);
    const refused = await alter([
      { entity: user(`v${version}.c`), ops: [{ key: 'consumer_byte_rate', value: 1.5 }] },
      { entity: user(`v${version}.d`), ops: [{ key: 'producer_bytes_rate', value: 1 }] },
    ]);
    const removed = await alter([{ entity: user(`v${version}.a`), ops: [{ key: 'producer_byte_rate', value: null }, { key: 'request_percentage', value: null }] }, { entity: user(`v${version}.b`), ops: [{ key: 'consumer_byte_rate', value: null }] }]);
    const afterRemove = await settled(0);
    return { set: set.map((r) => r.errorCode), afterSet, checkedOnly: checkedOnly.map((r) => r.errorCode), refused: refused.map((r) => r.errorCode), removed: removed.map((r) => r.errorCode), afterRemove };
  } finally {
    await wire.close();
  }
}

/** What Kafka answers, written by hand from ClientQuotaControlManager: 42 = INVALID_REQUEST. */
function expectedScenario(version: number) {
  return {
    set: [0, 0],
    afterSet: { errorCode: 0, entries: [[`v${version}.a`, { producer_byte_rate: 1048576, request_percentage: 12.5 }], [`v${version}.b`, { consumer_byte_rate: 2048 }]] },
    checkedOnly: [0],
    refused: [42, 42],
    removed: [0, 0],
    afterRemove: { errorCode: 0, entries: [] },
  };
}

const answers: Record<string, unknown> = {};

describe.each(backends)('client quotas on the %s broker', (backend, reason) => {
  if (reason) {
    it.skip(`skipped: ${reason}`, () => undefined);
    return;
  }
  const cluster = useAdminCluster(backend);
  const connection = () => cluster().connection;

  it.each([0, 1])('DescribeClientQuotas and AlterClientQuotas v%i: set, check only, refuse, remove', async (version) => {
    const got = await wireScenario(connection(), version);
    answers[`${backend} v${version}`] = got;
    expect(got).toEqual(expectedScenario(version));
  });

  it('reconcile: creates a product quota, leaves it unchanged, updates it, refuses removal without --allow-delete, removes it with', async () => {
    const base: Resource[] = [topic(ORDERS, `${ORDERS}._public.placed`, 1, 1), ownerAcl(ORDERS)];
    const created = await apply(connection(), [ORDERS], [...base, quota(ORDERS, { producer_byte_rate: 1048576, consumer_byte_rate: 2097152 })]);
    expect(created.resources.find((r) => r.kind === 'kafka:Quota')).toMatchObject({ state: 'CREATED', changes: ['producer_byte_rate=1048576', 'consumer_byte_rate=2097152'], quota: { principal: `User:${ORDERS}`, user: ORDERS } });

    const again = await apply(connection(), [ORDERS], [...base, quota(ORDERS, { producer_byte_rate: 1048576, consumer_byte_rate: 2097152 })], {}, 'plan');
    expect(again.summary).toMatchObject({ create: 0, update: 0, delete: 0 });

    const changed = await apply(connection(), [ORDERS], [...base, quota(ORDERS, { producer_byte_rate: 524288, request_percentage: 25 })]);
    expect(changed.resources.find((r) => r.kind === 'kafka:Quota')).toMatchObject({
      state: 'UPDATED',
      changes: ['producer_byte_rate 1048576 -> 524288', 'request_percentage=25', 'remove consumer_byte_rate (was 2097152)'],
    });
    if (backend === 'real') expect(await describeUserQuotasWithKafka(connection().brokers[0], ADMIN, ORDERS)).toEqual({ producer_byte_rate: 524288, request_percentage: 25 });

    // Out of scope: billing's quota is not orders' to remove, whatever the permissions.
    await apply(connection(), [BILLING], [quota(BILLING, { consumer_byte_rate: 4096 })]);
    const refused = await apply(connection(), [ORDERS], base);
    expect(refused.resources.filter((r) => r.kind === 'kafka:Quota').map((r) => [r.name, r.state, r.reason])).toEqual([
      [`quota User:${ORDERS}`, 'REFUSED', "not declared in the specs; removing it needs --allow-delete (or the stack's allowDelete)"],
    ]);
    const removed = await apply(connection(), [ORDERS], base, { allowDelete: true });
    expect(states(removed)[`quota User:${ORDERS}`]).toBe('DELETED');
    const left = await wireScenarioUsers(connection());
    expect(left).toEqual({ [BILLING]: { consumer_byte_rate: 4096 } });
    if (backend === 'real') {
      expect(await describeUserQuotasWithKafka(connection().brokers[0], ADMIN, ORDERS)).toEqual({});
      expect(await describeUserQuotasWithKafka(connection().brokers[0], ADMIN, BILLING)).toEqual({ consumer_byte_rate: 4096 });
    }
    await apply(connection(), [BILLING], [], { allowDelete: true });
  });
});

/** Every user entity's quotas, read through meshform's wire (its reads are compared with Kafka's above). */
async function wireScenarioUsers(connection: KafkaConnection): Promise<Record<string, Record<string, number>>> {
  const wire = await KafkaWire.open(connection);
  try {
    return Object.fromEntries((await wire.describeUserQuotas()).map((q) => [q.user, q.values]));
  } finally {
    await wire.close();
  }
}

describe('the test broker answers as real Kafka does', () => {
  it('has the same answers for both versions on both brokers (when both ran)', () => {
    const ran = Object.keys(answers);
    if (!ran.some((k) => k.startsWith('real'))) {
      console.warn(`client quota differential skipped: real Kafka did not run (${backends[1][1]})`);
      expect(ran.filter((k) => k.startsWith('in-process'))).toHaveLength(2);
      return;
    }
    for (const v of [0, 1]) expect(answers[`in-process v${v}`]).toEqual(answers[`real v${v}`]);
  });
});

const realReason = backends[1][1] ?? kcatMissing() ?? undefined;
(realReason ? describe.skip : describe)('a product quota on real Kafka throttles its producer', () => {
  let kafka: RealKafka;
  const PRODUCT = 'acme.probe.load';
  const TOPIC = `${PRODUCT}._public.events`;
  const users = { [ADMIN.username]: ADMIN.password, [PRODUCT]: 'load-secret' };
  beforeAll(async () => {
    kafka = await startRealKafka({ saslUsers: users, superUsers: ['User:admin'] });
  }, REAL_KAFKA_START_MS);
  afterAll(() => kafka?.stop());

  /** kcat produces `count` messages of 1 KiB as `login`; the seconds until all are acknowledged. */
  async function produceSeconds(login: { username: string; password: string }, count: number): Promise<number> {
    const payload = Array.from({ length: count }, (_, i) => `${String(i).padStart(6, '0')}${'x'.repeat(1018)}`).join('\n') + '\n';
    const started = Date.now();
    const run = await runKcat(['-b', kafka.bootstrap, ...kcatSasl(login), '-P', '-t', TOPIC, '-X', 'linger.ms=0', '-X', 'batch.num.messages=1'], payload, 90_000);
    if (run.code !== 0) throw new Error(`kcat exited ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return (Date.now() - started) / 1000;
  }

  it('a 2 KiB/s producer_byte_rate makes 40 KiB take seconds for the product, not for an unlimited principal', async () => {
    const connection = adminConnection(kafka.bootstrap);
    const report = await apply(connection, [PRODUCT], [topic(PRODUCT, TOPIC, 1, 1), ownerAcl(PRODUCT, 'WRITE'), ownerAcl(PRODUCT, 'DESCRIBE'), quota(PRODUCT, { producer_byte_rate: 2048 })]);
    expect(report.summary.failed + report.summary.refused).toBe(0);
    expect(await describeUserQuotasWithKafka(kafka.bootstrap, ADMIN, PRODUCT)).toEqual({ producer_byte_rate: 2048 });
    const unlimited = await produceSeconds(ADMIN, 40);
    const limited = await produceSeconds({ username: PRODUCT, password: users[PRODUCT] }, 40);
    // Kafka measures the rate over ~10 s of windows: 40 KiB at 2 KiB/s is ~20 s of quota, ~10 s of it throttled.
    console.log(`produce probe: 40 KiB as admin ${unlimited.toFixed(1)} s, as ${PRODUCT} (2 KiB/s) ${limited.toFixed(1)} s`);
    expect(limited).toBeGreaterThan(5);
    expect(limited).toBeGreaterThan(2 * unlimited);
  }, 180_000);
});
