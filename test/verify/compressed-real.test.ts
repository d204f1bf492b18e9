/**
 * `meshform verify` reads record batches compressed with snappy, lz4 and zstd, as real producers
 * and brokers write them. Two writers we did not write: Apache Kafka's broker, which re-compresses
 * what it stores when a topic's `compression.type` names a codec (Java's snappy with its xerial
 * framing, LZ4 frames, zstd), and kcat (librdkafka), which compresses its own batches. Which
 * offsets are bad is known from the lines written, never from meshform.
 */
import { runCli } from '../cli/support';
import { restoreEnvAfterAll } from '../support/env';
import { tempTree, type TempTree } from '../schemas/support';
import { describeWithClients, kafkajsAdmin } from '@meshform/peers/testing/clients/kafkajs';
import { kcatMissing, kcatSasl, runKcat } from '@meshform/peers/testing/clients/kcat';
import { REAL_KAFKA_START_MS, describeWithRealKafka, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import type { VerifyReport } from '../../src/adapters/kafka/reports/types';
import { sendingSpec } from './support';

const ADMIN = { username: 'admin', password: 'admin-pw' };
const P = 'acme.verify.codecs';
/** Topics whose broker stores batches with the codec, and one where the producer's codec is kept. */
const BROKER_CODECS = ['snappy', 'lz4', 'zstd'] as const;
const PRODUCER_CODECS = ['snappy', 'lz4', 'zstd'] as const;
const PAYLOAD = '{type: object, properties: {orderId: {type: string}}, required: [orderId]}';

function spec(): string {
  const channels = [
    ...BROKER_CODECS.map((c) => [`  ${c}:`, `    address: _public.${c}`, `    bindings: {kafka: {partitions: 1, topicConfiguration: {compression.type: ${c}}}}`, `    messages: {m: {payload: ${PAYLOAD}}}`]),
    ['  producer:', '    address: _public.producer', '    bindings: {kafka: {partitions: 1}}', `    messages: {m: {payload: ${PAYLOAD}}}`],
  ].flat();
  const names = [...BROKER_CODECS, 'producer'];
  return sendingSpec('urn:acme:verify:codecs', 'Codecs', channels, names);
}

/** Lines in one batch: offsets 1 and 3 break the schema (no orderId; not JSON). */
const LINES = ['{"orderId": "a"}', '{"quantity": 2}', '{"orderId": "c"}', 'not json', '{"orderId": "e"}'];

describeWithRealKafka('meshform verify on compressed batches (real Kafka)', () => {
  describeWithClients('written by the broker and by kcat', [kcatMissing()], () => {
    let kafka: RealKafka;
    let tree: TempTree;
    restoreEnvAfterAll(['MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD', 'MESHFORM_SCHEMA_REGISTRY_URL']);

    beforeAll(async () => {
      kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`] });
      process.env.MESHFORM_KAFKA_SASL_MECHANISM = 'plain';
      process.env.MESHFORM_KAFKA_USERNAME = ADMIN.username;
      process.env.MESHFORM_KAFKA_PASSWORD = ADMIN.password;
      delete process.env.MESHFORM_SCHEMA_REGISTRY_URL;
      tree = tempTree({ 'codecs.yaml': spec() });
      const applied = await runCli('kafka', 'apply', tree.dir, '--stack', 'dev', '--bootstrap', kafka.bootstrap, '--yes');
      expect(applied.code).toBe(0);
    }, REAL_KAFKA_START_MS);
    afterAll(async () => {
      tree?.cleanup();
      await kafka?.stop();
    });

    const produce = async (topic: string, extra: string[] = []) => {
      // -X linger.ms: the five lines leave in one batch.
      const run = await runKcat(['-b', kafka.bootstrap, ...kcatSasl(ADMIN), '-X', 'linger.ms=200', ...extra, '-P', '-t', topic, '-p', '0'], LINES.map((l) => `${l}\n`).join(''));
      expect(run.code).toBe(0);
    };
    const verify = async () => {
      const run = await runCli('verify', tree.dir, '--stack', 'dev', '--bootstrap', kafka.bootstrap, '--json', '--product', P);
      return { code: run.code, report: JSON.parse(run.stdout) as VerifyReport };
    };

    it('the broker stores each topic with its codec (kafkajs admin describes the configs)', async () => {
      const admin = await kafkajsAdmin(kafka.bootstrap, ADMIN);
      try {
        const described = await admin.describeConfigs({
          includeSynonyms: false,
          resources: BROKER_CODECS.map((c) => ({ type: 2, name: `${P}._public.${c}`, configNames: ['compression.type'] })),
        });
        const codecs = Object.fromEntries(described.resources.map((r) => [r.resourceName, r.configEntries[0].configValue]));
        expect(codecs).toEqual(Object.fromEntries(BROKER_CODECS.map((c) => [`${P}._public.${c}`, c])));
      } finally {
        await admin.disconnect();
      }
    });

    it('reads every record of broker-compressed snappy (xerial), lz4 and zstd batches and names the bad offsets', async () => {
      for (const codec of BROKER_CODECS) await produce(`${P}._public.${codec}`);
      const { code, report } = await verify();
      expect(code).toBe(1);
      for (const codec of BROKER_CODECS) {
        const topic = report.topics.find((t) => t.topic === `${P}._public.${codec}`)!;
        expect({ codec, records: topic.records, violations: topic.violations, offsets: topic.examples.map((e) => e.offset), notes: topic.notes }).toEqual({ codec, records: 5, violations: 2, offsets: [1, 3], notes: [] });
        expect(topic.examples.map((e) => e.reason)).toEqual([expect.stringContaining("must have required property 'orderId'"), expect.stringContaining('value: not JSON')]);
      }
    });

    it("reads batches kcat compressed itself with each codec, kept as the producer wrote them", async () => {
      for (const codec of PRODUCER_CODECS) await produce(`${P}._public.producer`, ['-X', `compression.codec=${codec}`]);
      const { report } = await verify();
      const topic = report.topics.find((t) => t.topic === `${P}._public.producer`)!;
      expect(topic.notes).toEqual([]);
      expect(topic.records).toBe(15);
      expect(topic.violations).toBe(6);
      // Three batches of the five lines at offsets 0, 5 and 10; verify lists the first five.
      expect(topic.examples.map((e) => e.offset)).toEqual([1, 3, 6, 8, 11]);
    });
  });
});
