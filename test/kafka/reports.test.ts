/**
 * `meshform kafka storage|consumption` on real Apache Kafka (the `kafka` peer) and on the test
 * broker, after the same writes by kafkajs (a client we did not write): sizes worked out by hand
 * from Kafka's record batch format, offsets and lags from what was written and committed, and the
 * two backends' reports compared with each other.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { join } from 'node:path';
import { KafkaWire, type KafkaConnection, plainLogin } from '../../src/adapters/kafka';
import { readConsumption } from '../../src/adapters/kafka/reports/consumption';
import { readStorage } from '../../src/adapters/kafka/reports/storage';
import type { ConsumptionReport, StorageReport } from '../../src/adapters/kafka/reports/types';
import { main } from '../../src/cli/main';
import { loadMesh } from '../../src/model';
import type { Mesh } from '../../src/vocabulary/mesh';
import { startTestBroker } from '@meshform/kafka-test-broker';
import { withEnv } from '../support/env';
import { runRecorded } from '../support/io';
import { REAL_KAFKA_START_MS, realKafkaBackend, startRealKafka } from '@meshform/peers/testing/real-kafka';

/** The kafka verbs as the command line has them. */
const run = (argv: string[], io: Parameters<typeof main>[1]) => main(['kafka', ...argv], io);

const ADMIN = { username: 'admin', password: 'admin-pw' };
const ORDERS = { username: 'acme.retail.orders', password: 'orders-pw' };
const USERS = { [ADMIN.username]: ADMIN.password, [ORDERS.username]: ORDERS.password };

const PLACED = 'acme.retail.orders._public.order_placed';
const PAYMENT = 'acme.retail.orders._protected.order_payment';
/** Under the orders prefix, but in no spec. */
const LEGACY = 'acme.retail.orders._public.legacy_feed';
const OTHER = 'someone.else.topic';
/** Declared in specs/retail-orders.yaml but never created here. */
const STATE = 'acme.retail.orders._private.order_state';

/**
 * Kafka's record batch v2 (KIP-98): a 61-byte header, then per record: length (varint), attributes
 * (1), timestamp delta (varint, 0 here: every record has the same timestamp), offset delta (1
 * byte below 64), key length (varint, 1 byte) + key (1 byte), value length (varint of 100: 2
 * bytes) + value (100), header count (1): 108 bytes, plus 2 for the length varint.
 */
const BATCH_HEADER = 61;
const RECORD = 110;
const batchBytes = (records: number) => BATCH_HEADER + records * RECORD;

interface Backend {
  bootstrap: string;
  stop(): Promise<void>;
}

const backends: Array<[string, string | undefined, () => Promise<Backend>]> = [
  ['the test broker', undefined, () => startTestBroker({ saslUsers: USERS, superUsers: ['User:admin'] })],
  [...realKafkaBackend('kafka reports on real Kafka'), () => startRealKafka({ saslUsers: USERS, superUsers: ['User:admin'] })],
];

const connection = (bootstrap: string, user = ADMIN): KafkaConnection => ({ brokers: [bootstrap], clientId: 'meshform-test', tls: false, sasl: plainLogin(user) });

function kafkajs(bootstrap: string, user = ADMIN) {
  return new Kafka({ brokers: [bootstrap], clientId: 'reports-test', logLevel: logLevel.NOTHING, retry: { retries: 2 }, sasl: { mechanism: 'plain', ...user } });
}

async function write(bootstrap: string): Promise<void> {
  const client = kafkajs(bootstrap);
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: PLACED, numPartitions: 2, replicationFactor: 1 },
        { topic: PAYMENT, numPartitions: 1, replicationFactor: 1 },
        { topic: LEGACY, numPartitions: 1, replicationFactor: 1 },
        { topic: OTHER, numPartitions: 1, replicationFactor: 1 },
      ],
    });
    const producer = client.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const records = (partition: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ partition, key: String(i), value: 'x'.repeat(100), timestamp: '1700000000000' }));
    // One send per partition: one batch each, so the sizes below follow from the record counts.
    await producer.send({ topic: PLACED, messages: records(0, 5) });
    await producer.send({ topic: PLACED, messages: records(1, 3) });
    await producer.send({ topic: PAYMENT, messages: records(0, 2) });
    await producer.send({ topic: OTHER, messages: records(0, 1) });
    await producer.disconnect();
    await commit(admin, 'acme.finance.billing.orders-reader', PAYMENT, [[0, 1]]);
    await commit(admin, 'acme.finance.billing.peek', PLACED, [[0, 5]]);
    await commit(admin, 'acme.retail.shipping.orders-reader', PLACED, [[0, 2], [1, 0]]);
    await commit(admin, 'adhoc-tool', OTHER, [[0, 0]]);
  } finally {
    await admin.disconnect();
  }
}

/** kafkajs's admin sets the offsets (it joins the group, seeks, commits and leaves): the group stays, Empty. */
function commit(admin: Admin, groupId: string, topic: string, offsets: Array<[number, number]>): Promise<void> {
  return admin.setOffsets({ groupId, topic, partitions: offsets.map(([partition, offset]) => ({ partition, offset: String(offset) })) });
}

const NOW = () => new Date('2030-01-01T00:00:00.000Z');
const results = new Map<string, { storage: StorageReport; consumption: ConsumptionReport; limited: StorageReport }>();
let mesh: Mesh;

beforeAll(async () => {
  const loaded = await loadMesh([join(__dirname, '..', '..', 'specs')]);
  mesh = loaded.mesh!;
});

describe.each(backends)('kafka reports on %s', (name, skip, start) => {
  if (skip) {
    it.skip(`skipped: ${skip}`, () => undefined);
    return;
  }
  let backend: Backend;
  let storage: StorageReport;
  let consumption: ConsumptionReport;

  beforeAll(async () => {
    backend = await start();
    await write(backend.bootstrap);
    const wire = await KafkaWire.open(connection(backend.bootstrap));
    try {
      storage = await readStorage(wire, mesh, NOW);
      consumption = await readConsumption(wire, mesh, NOW);
    } finally {
      await wire.close();
    }
    // A product principal without DESCRIBE on the cluster (nor any topic ACL): what it may not see is said, not guessed.
    const limitedWire = await KafkaWire.open(connection(backend.bootstrap, ORDERS));
    try {
      results.set(name, { storage, consumption, limited: await readStorage(limitedWire, mesh, NOW) });
    } finally {
      await limitedWire.close();
    }
  }, REAL_KAFKA_START_MS);
  afterAll(() => backend?.stop());

  it('storage: the orders topics with their sizes and offsets, the undeclared one marked, the missing one too', () => {
    const orders = storage.products.find((p) => p.product === 'acme.retail.orders')!;
    const byTopic = Object.fromEntries(orders.topics.map((t) => [t.topic, t]));
    expect(byTopic[PLACED]).toMatchObject({
      declared: true,
      exists: true,
      bytes: batchBytes(5) + batchBytes(3),
      bytesOnDisk: batchBytes(5) + batchBytes(3),
      offsets: 8,
      partitions: [
        { partition: 0, bytes: batchBytes(5), startOffset: 0, endOffset: 5 },
        { partition: 1, bytes: batchBytes(3), startOffset: 0, endOffset: 3 },
      ],
    });
    expect(byTopic[PAYMENT]).toMatchObject({ declared: true, exists: true, bytes: batchBytes(2), offsets: 2 });
    expect(byTopic[LEGACY]).toMatchObject({ declared: false, exists: true, bytes: 0, offsets: 0 });
    expect(byTopic[STATE]).toMatchObject({ declared: true, exists: false, partitions: [], bytes: 0, offsets: 0 });
    expect(orders).toMatchObject({ bytes: batchBytes(5) + batchBytes(3) + batchBytes(2), offsets: 10 });
    expect(storage.otherTopics.map((t) => [t.topic, t.bytes, t.offsets])).toEqual([[OTHER, batchBytes(1), 1]]);
    expect(storage.notes).toEqual([]);
    expect(storage.readAt).toBe('2030-01-01T00:00:00.000Z');
  });

  it('consumption: lag per product, group and topic; a topic the spec does not read is marked; other groups apart', () => {
    const lag = (report: ConsumptionReport) =>
      report.products.map((p) => ({
        product: p.product,
        lag: p.lag,
        groups: p.groups.map((g) => ({ group: g.group, state: g.state, lag: g.lag, topics: g.topics.map((t) => [t.topic, t.owner, t.declared, t.lag, t.partitions]) })),
      }));
    expect(lag(consumption)).toEqual([
      {
        product: 'acme.finance.billing',
        lag: 1,
        groups: [
          // billing's spec receives order_payment (granted), not order_placed.
          { group: 'acme.finance.billing.orders-reader', state: 'Empty', lag: 1, topics: [[PAYMENT, 'acme.retail.orders', true, 1, [{ partition: 0, committed: 1, endOffset: 2, lag: 1 }]]] },
          { group: 'acme.finance.billing.peek', state: 'Empty', lag: 0, topics: [[PLACED, 'acme.retail.orders', false, 0, [{ partition: 0, committed: 5, endOffset: 5, lag: 0 }]]] },
        ],
      },
      {
        product: 'acme.retail.shipping',
        lag: 6,
        groups: [
          {
            group: 'acme.retail.shipping.orders-reader',
            state: 'Empty',
            lag: 6,
            topics: [
              [
                PLACED,
                'acme.retail.orders',
                true,
                6,
                [
                  { partition: 0, committed: 2, endOffset: 5, lag: 3 },
                  { partition: 1, committed: 0, endOffset: 3, lag: 3 },
                ],
              ],
            ],
          },
        ],
      },
    ]);
    expect(consumption.otherGroups.map((g) => [g.group, g.lag, g.topics.map((t) => [t.topic, t.owner ?? null, t.declared])])).toEqual([['adhoc-tool', 1, [[OTHER, null, false]]]]);
    expect(consumption.notes).toEqual([]);
  });

  it('without DESCRIBE on the cluster, storage says so and reports no sizes', () => {
    const limited = results.get(name)!.limited;
    expect(limited.notes).toEqual(['sizes unknown on broker 0: DescribeLogDirs needs DESCRIBE on the CLUSTER resource (CLUSTER_AUTHORIZATION_FAILED (31))']);
    // Metadata hides every topic from a principal without DESCRIBE on it: declared ones show as missing.
    const orders = limited.products.find((p) => p.product === 'acme.retail.orders')!;
    expect(orders.topics.every((t) => !t.exists)).toBe(true);
  });

  it('the commands print them for people and as JSON, and never print the password', async () => {
    await withEnv({ MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: ADMIN.username, MESHFORM_KAFKA_PASSWORD: ADMIN.password }, async () => {
      const human = await runRecorded((io) => run(['storage', '--bootstrap', backend.bootstrap], io));
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(new RegExp(`  ${PLACED.replace(/\./g, '\\.')} +2 +1002 B +1002 B +8`));
      expect(human.stdout).toContain(`${LEGACY}  (in no spec)`);
      expect(human.stdout).toContain(`${STATE}  (not on the cluster)`);
      const json = await runRecorded((io) => run(['consumption', '--bootstrap', backend.bootstrap, '--json'], io));
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout).report).toBe('meshform.kafka.consumption/v1');
      const text = await runRecorded((io) => run(['consumption', '--bootstrap', backend.bootstrap], io));
      expect(text.stdout).toContain(`    ${PLACED}  (NOT in the spec)`);
      for (const out of [human, json, text]) expect(out.stdout + out.stderr).not.toContain(ADMIN.password);
    });
  });
});

describe('real Kafka and the test broker', () => {
  const [, skip] = backends[1];
  const test = skip ? it.skip : it;
  test(`give the same reports${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const testBroker = results.get('the test broker');
    const real = results.get('real');
    expect(testBroker && real).toBeTruthy();
    expect(real!.storage).toEqual(testBroker!.storage);
    expect(real!.consumption).toEqual(testBroker!.consumption);
    expect(real!.limited).toEqual(testBroker!.limited);
  });
});
