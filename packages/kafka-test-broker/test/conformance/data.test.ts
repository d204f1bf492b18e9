import { Admin } from 'kafkajs';
import type { TestBroker } from '../../src';
import { APIS } from '../../src/apis';
import { acl, aclToKafkajs } from '@meshform/peers/testing/clients/acl-names';
import { describeWithClients, kafkajsFor } from '@meshform/peers/testing/clients/kafkajs';
import { kcatMissing, kcatSasl, runKcat } from '@meshform/peers/testing/clients/kcat';
import { SeenMessage, kcatConsume, kcatProduce } from '@meshform/peers/testing/clients/kcat-messages';
import { ADMIN, ALICE, startClusterWithAdmin, stopCluster, withSaslUsers } from './support/cluster';
import { PythonKafka, Step, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';

/** librdkafka logs "ApiVersionRequest" for ApiVersions and "OffsetRequest" for ListOffsets; compare names loosely. */
function librdkafkaName(name: string): string {
  const loose = name.toLowerCase().replace(/s$/, '');
  return loose === 'listoffset' ? 'offset' : loose;
}

function coreFields(messages: SeenMessage[]): SeenMessage[] {
  return messages.map(({ partition, offset, key, value }) => ({ partition, offset, key, value }));
}

describeWithClients('messages cross between kafkajs, kafka-python and kcat', [pythonKafkaMissing(), kcatMissing()], () => {
  let broker: TestBroker;
  let python: PythonKafka;
  let admin: Admin;
  const asAdmin = <T>(step: Step) => python.value<T>(broker.bootstrap, step, ADMIN);
  const kcatAdmin = kcatSasl(ADMIN);

  async function createTopic(topic: string, numPartitions: number): Promise<void> {
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }] });
  }

  beforeAll(async () => {
    // Three nodes: each partition's leader is a different node, so every client has to route by leader.
    ({ broker, python, admin } = await startClusterWithAdmin(withSaslUsers({ brokers: 3 }), ADMIN));
  });

  afterAll(() => stopCluster({ admin, python, broker }));

  it('kafka-python producer -> kafka-python consumer (assign, seek_to_beginning, poll) round trip', async () => {
    await createTopic('py.round-trip', 2);
    const sent = await asAdmin<Array<{ partition: number; offset: number }>>({
      op: 'produce',
      topic: 'py.round-trip',
      messages: [
        { partition: 0, key: 'k0', value: 'first' },
        { partition: 1, key: 'k1', value: 'second' },
        { partition: 0, key: null, value: 'third, no key' },
        { partition: 1, key: 'k3', value: null },
      ],
    });
    expect(sent).toEqual([
      { partition: 0, offset: 0 },
      { partition: 1, offset: 0 },
      { partition: 0, offset: 1 },
      { partition: 1, offset: 1 },
    ]);
    const consumed = await asAdmin<SeenMessage[]>({ op: 'consume', topic: 'py.round-trip', partitions: [0, 1], count: 4 });
    expect(coreFields(consumed)).toEqual([
      { partition: 0, offset: 0, key: 'k0', value: 'first' },
      { partition: 0, offset: 1, key: null, value: 'third, no key' },
      { partition: 1, offset: 0, key: 'k1', value: 'second' },
      { partition: 1, offset: 1, key: 'k3', value: null },
    ]);
  });

  it('kcat -P -K: then kcat -C -e -o beginning returns the messages with keys and offsets', async () => {
    await createTopic('kcat.round-trip', 2);
    await kcatProduce(broker.bootstrap, 'kcat.round-trip', 1, [
      { key: 'a', value: 'alpha' },
      { key: 'b', value: 'beta' },
    ], kcatAdmin);
    await kcatProduce(broker.bootstrap, 'kcat.round-trip', 0, [{ key: 'c', value: 'gamma' }], kcatAdmin);
    expect(await kcatConsume(broker.bootstrap, 'kcat.round-trip', kcatAdmin)).toEqual([
      { partition: 0, offset: 0, key: 'c', value: 'gamma' },
      { partition: 1, offset: 0, key: 'a', value: 'alpha' },
      { partition: 1, offset: 1, key: 'b', value: 'beta' },
    ]);
  });

  it('messages produced by kafkajs are consumed identically by kafka-python and kcat', async () => {
    await createTopic('js.out', 3);
    const producer = kafkajsFor(broker.bootstrap, ADMIN).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: 'js.out',
        messages: [
          { partition: 0, key: 'order-1', value: 'created', headers: { source: 'kafkajs' } },
          { partition: 2, key: 'order-2', value: 'paid' },
          { partition: 2, key: 'order-2', value: 'shipped' },
          { partition: 1, key: null, value: 'ünïcödé ✓' },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const expected: SeenMessage[] = [
      { partition: 0, offset: 0, key: 'order-1', value: 'created' },
      { partition: 1, offset: 0, key: null, value: 'ünïcödé ✓' },
      { partition: 2, offset: 0, key: 'order-2', value: 'paid' },
      { partition: 2, offset: 1, key: 'order-2', value: 'shipped' },
    ];
    const byPython = await asAdmin<SeenMessage[]>({ op: 'consume', topic: 'js.out', partitions: [0, 1, 2], count: 4 });
    expect(coreFields(byPython)).toEqual(expected);
    expect(byPython[0].headers).toEqual([['source', 'kafkajs']]);
    expect(await kcatConsume(broker.bootstrap, 'js.out', kcatAdmin)).toEqual(expected);
  });

  it('messages produced by kafka-python and kcat are read back identically by kcat, kafka-python and kafkajs offsets', async () => {
    await createTopic('mixed.in', 2);
    await asAdmin({ op: 'produce', topic: 'mixed.in', messages: [{ partition: 0, key: 'py', value: 'from python' }] });
    await kcatProduce(broker.bootstrap, 'mixed.in', 0, [{ key: 'kc', value: 'from kcat' }], kcatAdmin);
    await asAdmin({ op: 'produce', topic: 'mixed.in', messages: [{ partition: 1, key: 'py2', value: 'python again' }] });
    const expected: SeenMessage[] = [
      { partition: 0, offset: 0, key: 'py', value: 'from python' },
      { partition: 0, offset: 1, key: 'kc', value: 'from kcat' },
      { partition: 1, offset: 0, key: 'py2', value: 'python again' },
    ];
    expect(await kcatConsume(broker.bootstrap, 'mixed.in', kcatAdmin)).toEqual(expected);
    expect(coreFields(await asAdmin<SeenMessage[]>({ op: 'consume', topic: 'mixed.in', partitions: [0, 1], count: 3 }))).toEqual(expected);
    // ListOffsets through kafkajs agrees on where each partition ends.
    const offsets = await admin.fetchTopicOffsets('mixed.in');
    expect(offsets.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([
      [0, '0', '2'],
      [1, '0', '1'],
    ]);
  });

  it('a batch over the topic max.message.bytes is refused with 10 for kafka-python and kcat; acks=0 writes without an answer', async () => {
    await admin.createTopics({ topics: [{ topic: 'small', numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1000' }] }] });
    const [tooLarge, fireAndForget] = await python.run(
      broker.bootstrap,
      [
        { op: 'produce', topic: 'small', messages: [{ partition: 0, key: 'big', value: 'x'.repeat(5000) }] },
        { op: 'produce', topic: 'small', acks: 0, messages: [{ partition: 0, key: 'tiny', value: 'fits' }] },
      ],
      ADMIN,
    );
    expect(tooLarge).toEqual({ ok: false, error: 'MessageSizeTooLargeError', errno: 10 });
    // With acks=0 kafka-python reports offset -1: the broker sends no response.
    expect(fireAndForget).toEqual({ ok: true, value: [{ partition: 0, offset: -1 }] });

    const refused = await runKcat(['-b', broker.bootstrap, '-P', '-t', 'small', '-p', '0', '-K:', '-m', '5', ...kcatAdmin], `big:${'y'.repeat(5000)}\n`);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Delivery failed for message: Broker: Message size too large/);
    expect(await kcatConsume(broker.bootstrap, 'small', kcatAdmin)).toEqual([{ partition: 0, offset: 0, key: 'tiny', value: 'fits' }]);
  });

  it('a SASL user with DESCRIBE but without READ cannot consume, and without WRITE cannot produce (29)', async () => {
    await createTopic('guarded', 1);
    await asAdmin({ op: 'produce', topic: 'guarded', messages: [{ partition: 0, key: 'k', value: 'secret' }] });
    await admin.createAcls({ acl: [aclToKafkajs(acl('User:alice', 'DESCRIBE', 'guarded'))] });

    const [consume, produce] = await python.run(
      broker.bootstrap,
      [
        { op: 'consume', topic: 'guarded', partitions: [0], count: 1, timeoutMs: 2000 },
        { op: 'produce', topic: 'guarded', messages: [{ partition: 0, key: 'k', value: 'forged' }] },
      ],
      ALICE,
    );
    expect(consume).toEqual({ ok: false, error: 'TopicAuthorizationFailedError', errno: 29 });
    expect(produce).toEqual({ ok: false, error: 'TopicAuthorizationFailedError', errno: 29 });

    // kcat must report the refusal and exit; a hang here (killed after 5 s, code null) is FINDINGS.md finding 1.
    const kcatRead = await runKcat(['-b', broker.bootstrap, '-C', '-t', 'guarded', '-o', 'beginning', '-e', '-J', '-m', '5', ...kcatSasl(ALICE)], undefined, 5_000);
    expect(kcatRead.stdout).not.toContain('secret');
    expect(kcatRead.stderr.split('\n').filter((line) => !line.includes('PROTOERR')).join('\n')).toMatch(/Topic authorization failed/);
    expect(kcatRead.code).not.toBeNull();

    // With READ granted the same consumer sees the message (and the refused produce left nothing behind).
    await admin.createAcls({ acl: [aclToKafkajs(acl('User:alice', 'READ', 'guarded'))] });
    const granted = await python.value<SeenMessage[]>(broker.bootstrap, { op: 'consume', topic: 'guarded', partitions: [0], count: 1 }, ALICE);
    expect(coreFields(granted)).toEqual([{ partition: 0, offset: 0, key: 'k', value: 'secret' }]);
    expect(await kcatConsume(broker.bootstrap, 'guarded', kcatSasl(ALICE))).toEqual([{ partition: 0, offset: 0, key: 'k', value: 'secret' }]);
  });

  it('kcat (librdkafka) sends only advertised API versions and parses every answer of a produce/consume round trip', async () => {
    await createTopic('kcat.debug', 1);
    const debug = ['-d', 'protocol', ...kcatAdmin];
    const produced = await runKcat(['-b', broker.bootstrap, '-P', '-t', 'kcat.debug', '-p', '0', '-K:', '-m', '5', ...debug], 'k:v\n');
    const consumed = await runKcat(['-b', broker.bootstrap, '-C', '-t', 'kcat.debug', '-o', 'beginning', '-e', '-J', '-m', '5', ...debug]);
    expect([produced.code, consumed.code]).toEqual([0, 0]);
    const log = produced.stderr + consumed.stderr;
    expect(log).not.toMatch(/PROTOERR|parse failure|UNSUPPORTED_VERSION/i);

    const sent = new Map<string, Set<number>>();
    for (const [, name, version] of log.matchAll(/Sent (\w+)Request \(v(\d+)/g)) {
      sent.set(name, (sent.get(name) ?? new Set()).add(Number(version)));
    }
    const advertised = new Map(APIS.map((api) => [librdkafkaName(api.name), api.versions]));
    const outside = [...sent].flatMap(([name, versions]) =>
      [...versions].filter((v) => { const range = advertised.get(librdkafkaName(name)); return !range || v < range.min || v > range.max; }).map((v) => `${name} v${v}`),
    );
    expect(outside).toEqual([]);
    expect([...sent.keys()]).toEqual(expect.arrayContaining(['ApiVersion', 'SaslHandshake', 'SaslAuthenticate', 'Metadata', 'Produce', 'Fetch']));
  });

  describeWithClients('a one-member kafkajs consumer group', [], () => {
    it('reads what kafka-python and kcat produced, in order, and commits its offsets', async () => {
      await createTopic('to.kafkajs', 1);
      await asAdmin({ op: 'produce', topic: 'to.kafkajs', messages: [{ partition: 0, key: 'p', value: 'python' }] });
      await kcatProduce(broker.bootstrap, 'to.kafkajs', 0, [{ key: 'k', value: 'kcat' }], kcatAdmin);

      const consumer = kafkajsFor(broker.bootstrap, ADMIN).consumer({ groupId: 'conformance-group', sessionTimeout: 6000, heartbeatInterval: 500 });
      const seen: SeenMessage[] = [];
      try {
        await consumer.connect();
        await consumer.subscribe({ topic: 'to.kafkajs', fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`kafkajs consumer saw ${seen.length} of 2 messages within 15 s`)), 15_000);
          void consumer.run({
            eachMessage: async ({ partition, message }) => {
              seen.push({ partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value?.toString() ?? null });
              if (seen.length === 2) {
                clearTimeout(timer);
                resolve();
              }
            },
          });
        });
      } finally {
        await consumer.disconnect();
      }
      expect(seen).toEqual([
        { partition: 0, offset: 0, key: 'p', value: 'python' },
        { partition: 0, offset: 1, key: 'k', value: 'kcat' },
      ]);
      const committed = await admin.fetchOffsets({ groupId: 'conformance-group', topics: ['to.kafkajs'] });
      expect(committed).toEqual([{ topic: 'to.kafkajs', partitions: [expect.objectContaining({ partition: 0, offset: '2' })] }]);
    });
  });
});
