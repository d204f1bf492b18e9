/**
 * `meshform verify` on real Apache Kafka with a real schema registry (Apicurio). Records are written
 * by clients we did not write (kafka-python, kcat), their bytes encoded by Apache Avro's own Python
 * library and Google's protobuf runtime, framed with the ids the registry's own API gives. Which
 * offsets are bad is known from the producers' answers, never from meshform; lag is checked against
 * kafka-python's committed and end offsets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes } from 'kafkajs';
import { runCli } from '../cli/support';
import { restoreEnvAfterAll } from '../support/env';
import { tempTree, type TempTree } from '../schemas/support';
import { describeWithClients } from '@meshform/peers/testing/clients/kafkajs';
import { kcatMissing, kcatSasl, runKcat } from '@meshform/peers/testing/clients/kcat';
import { PythonKafka, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';
import { describeWithPeer } from '@meshform/peers/testing/peers';
import { REAL_KAFKA_START_MS, describeWithRealKafka, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { startRealRegistry, type RealRegistry } from '@meshform/peers/testing/real-registry';
import { encode, framed, pythonEncodersMissing, sendingSpec } from './support';
import type { VerifyReport } from '../../src/adapters/kafka/reports/types';
import { freePort } from '../../src/local-host';

const ADMIN = { username: 'admin', password: 'admin-pw' };
/** A principal that may see topics but is given READ only where a test says so. */
const AUDITOR = { username: 'auditor', password: 'auditor-pw' };
const P = 'acme.verify.orders';
const T = {
  avro: `${P}._public.avro_placed`,
  json: `${P}._public.json_placed`,
  proto: `${P}._public.proto_placed`,
  state: `${P}._private.state`,
  heartbeat: `${P}._public.heartbeat`,
  daily: `${P}._public.daily`,
  lagged: `${P}._public.lagged`,
};

const AVRO_SCHEMA = { type: 'record', name: 'OrderPlaced', namespace: 'acme', fields: [{ name: 'orderId', type: 'string' }, { name: 'quantity', type: 'int' }] };
const PROTO = 'syntax = "proto3";\npackage acme;\n\nmessage OrderPlaced {\n  string order_id = 1;\n  int32 quantity = 2;\n}\n';
const PROTO_FIELDS = [{ name: 'order_id', number: 1, type: 'string' }, { name: 'quantity', number: 2, type: 'int32' }];

function channel(name: string, address: string, extra: string[] = [], payload = '{type: object}'): string[] {
  return [`  ${name}:`, `    address: ${address}`, ...extra.map((l) => `    ${l}`), '    bindings: {kafka: {partitions: 1}}', '    messages:', `      ${name}:`, `        payload: ${payload}`];
}

function ordersSpec(statePolicy: 'delete' | 'compact'): string {
  const channels = [
    ...channel('avroPlaced', '_public.avro_placed', [], "{schemaFormat: 'application/vnd.apache.avro;version=1.9.0', schema: {$ref: './schemas/placed.avsc'}}"),
    ...channel('jsonPlaced', '_public.json_placed', [], '{type: object, properties: {orderId: {type: string}, quantity: {type: integer}}, required: [orderId]}'),
    ...channel('protoPlaced', '_public.proto_placed', [], "{schemaFormat: 'application/vnd.google.protobuf;version=3', schema: {$ref: './schemas/placed.proto'}}"),
    '  state:', '    address: _private.state', `    bindings: {kafka: {partitions: 1, topicConfiguration: {cleanup.policy: [${statePolicy}]}}}`, '    messages: {state: {payload: {type: object}}}',
    ...channel('heartbeat', '_public.heartbeat', ['x-meshform: {freshness: PT8S}']),
    ...channel('daily', '_public.daily', ['x-meshform: {freshness: P1D}']),
    ...channel('lagged', '_public.lagged', ['x-meshform: {maxLag: 100}']),
  ];
  const names = ['avroPlaced', 'jsonPlaced', 'protoPlaced', 'state', 'heartbeat', 'daily', 'lagged'];
  return sendingSpec('urn:acme:verify:orders', 'Orders', channels, names);
}

/** A consumer of `lagged`, with its own limit or none (then the owner's 100 applies). */
function consumerSpec(id: string, maxLag?: number): string {
  return [
    'asyncapi: 3.0.0',
    `id: urn:${id.replace(/\./g, ':')}`,
    'info: {title: Consumer, version: 1.0.0}',
    'x-meshform: {owners: [user:bob@acme.com]}',
    'channels:',
    '  lagged:',
    `    address: ${T.lagged}`,
    ...(maxLag === undefined ? [] : [`    x-meshform: {maxLag: ${maxLag}}`]),
    '    messages: {m: {payload: {type: object}}}',
    'operations:',
    "  read: {action: receive, channel: {$ref: '#/channels/lagged'}}",
    '',
  ].join('\n');
}

describeWithRealKafka('meshform verify on real Kafka', () => {
  describeWithPeer('registry', 'with a real schema registry (Apicurio)', (peer) => {
    describeWithClients('and records from kafka-python, kcat, Apache Avro and protobuf', [kcatMissing(), pythonKafkaMissing(), pythonEncodersMissing()], () => {
      let kafka: RealKafka;
      let registry: RealRegistry;
      let tree: TempTree;
      const python = new PythonKafka();
      restoreEnvAfterAll(['MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD', 'MESHFORM_SCHEMA_REGISTRY_URL']);

      beforeAll(async () => {
        [kafka, registry] = await Promise.all([
          startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password, [AUDITOR.username]: AUDITOR.password }, superUsers: [`User:${ADMIN.username}`] }),
          startRealRegistry(peer.home),
        ]);
        process.env.MESHFORM_KAFKA_SASL_MECHANISM = 'plain';
        process.env.MESHFORM_KAFKA_USERNAME = ADMIN.username;
        process.env.MESHFORM_KAFKA_PASSWORD = ADMIN.password;
        delete process.env.MESHFORM_SCHEMA_REGISTRY_URL;
        tree = tempTree({
          'orders.yaml': ordersSpec('delete'),
          'billing.yaml': consumerSpec('acme.verify.billing', 2),
          'audit.yaml': consumerSpec('acme.verify.audit'),
          'schemas/placed.avsc': JSON.stringify(AVRO_SCHEMA, null, 2),
          'schemas/placed.proto': PROTO,
        });
        const applied = await apply();
        expect(applied.code).toBe(0);
      }, REAL_KAFKA_START_MS);
      afterAll(async () => {
        await python.close();
        tree?.cleanup();
        await Promise.all([kafka?.stop(), registry?.stop()]);
      });

      const apply = () => runCli('kafka', 'apply', tree.dir, '--stack', 'dev', '--bootstrap', kafka.bootstrap, '--registry', registry.url, '--yes');
      async function verify(...more: string[]): Promise<{ code: number; report: VerifyReport; stderr: string }> {
        const run = await runCli('verify', tree.dir, '--stack', 'dev', '--bootstrap', kafka.bootstrap, '--registry', registry.url, '--json', ...more);
        return { code: run.code, report: JSON.parse(run.stdout) as VerifyReport, stderr: run.stderr };
      }
      const topicOf = (report: VerifyReport, name: string) => report.topics.find((t) => t.topic === name)!;
      /** The schema id of a subject's latest version, from the registry's own API. */
      async function idOf(subject: string): Promise<number> {
        const res = await fetch(`${registry.url}/subjects/${subject}/versions/latest`);
        return ((await res.json()) as { id: number }).id;
      }
      /** kafka-python produces to partition 0; the broker's offsets for each record. */
      async function produce(topic: string, messages: Array<{ value?: Buffer | string | null; key?: string | null; timestamp?: number }>): Promise<number[]> {
        const sent = await python.value<Array<{ offset: number }>>(kafka.bootstrap, {
          op: 'produce',
          topic,
          messages: messages.map((m) => ({
            partition: 0,
            ...(Buffer.isBuffer(m.value) ? { valueBase64: m.value.toString('base64') } : { value: m.value ?? null }),
            key: m.key ?? null,
            ...(m.timestamp !== undefined && { timestamp: m.timestamp }),
          })),
        }, ADMIN);
        return sent.map((s) => s.offset);
      }
      const groupsOnCluster = async () => {
        const admin = new Kafka({ brokers: [kafka.bootstrap], logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...ADMIN } }).admin();
        await admin.connect();
        try {
          return (await admin.listGroups()).groups.map((g) => g.groupId).sort();
        } finally {
          await admin.disconnect();
        }
      };

      it('names exactly the bad offsets of Avro, JSON Schema and Protobuf records, framed and not', async () => {
        const avroId = await idOf(`${T.avro}-value`);
        const jsonId = await idOf(`${T.json}-value`);
        const protoId = await idOf(`${T.proto}-value`);
        // A schema of another subject, registered through the registry's own API.
        const other = await fetch(`${registry.url}/subjects/acme.other-value/versions`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
          body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Other', fields: [{ name: 'x', type: 'long' }] }) }),
        });
        const otherId = ((await other.json()) as { id: number }).id;
        expect(new Set([avroId, jsonId, protoId, otherId]).size).toBe(4);

        const [goodAvro, otherAvro] = encode([
          { op: 'avro', schema: AVRO_SCHEMA, datum: { orderId: 'o-1', quantity: 3 } },
          { op: 'avro', schema: { type: 'record', name: 'Other', fields: [{ name: 'x', type: 'long' }] }, datum: { x: 7 } },
        ]);
        const avro = await produce(T.avro, [
          { value: framed(avroId, goodAvro), key: 'o-1' },
          { value: framed(avroId, goodAvro.subarray(0, goodAvro.length - 1)), key: 'o-2' }, // truncated
          { value: goodAvro, key: 'o-3' }, // no frame
          { value: framed(99_999, goodAvro), key: 'o-4' }, // unknown id
          { value: framed(otherId, otherAvro), key: 'o-5' }, // another subject's schema
          { value: framed(avroId, goodAvro), key: 'o-6' },
          { value: null, key: 'o-7' }, // a tombstone is not decoded
        ]);

        // JSON text from kcat, one record per line; framed JSON from kafka-python.
        const lines = ['{"orderId": "j-1", "quantity": 2}', '{"quantity": 2}', '{"orderId": "j-3", "quantity": "two"}', 'not json', '{"orderId": "j-5"}'];
        const kcat = await runKcat(['-b', kafka.bootstrap, ...kcatSasl(ADMIN), '-P', '-t', T.json, '-p', '0', '-K:'], lines.map((l, i) => `k${i}:${l}\n`).join(''));
        expect(kcat.code).toBe(0);
        const jsonFramed = await produce(T.json, [
          { value: framed(jsonId, Buffer.from('{"orderId": "j-6"}')), key: 'k5' },
          { value: framed(jsonId, Buffer.from('{"orderId": 6}')), key: 'k6' },
        ]);
        expect(jsonFramed).toEqual([5, 6]);

        const [goodProto] = encode([{ op: 'protobuf', package: 'acme', message: 'OrderPlaced', fields: PROTO_FIELDS, values: { order_id: 'p-1', quantity: 4 } }]);
        const proto = await produce(T.proto, [
          { value: framed(protoId, goodProto, [0]), key: 'p-1' },
          { value: framed(protoId, Buffer.from([0x0a, 0x09, 0x61]), [0]), key: 'p-2' }, // a length past the end
          { value: framed(protoId, goodProto, [3]), key: 'p-3' }, // no fourth message
          { value: framed(protoId, goodProto, [0]), key: 'p-4' },
        ]);

        const before = await groupsOnCluster();
        const { code, report } = await verify('--product', P);
        expect(code).toBe(1);
        const offsets = (name: string) => topicOf(report, name).examples.map((e) => e.offset);
        expect(offsets(T.avro)).toEqual([avro[1], avro[2], avro[3], avro[4]]);
        expect(offsets(T.json)).toEqual([1, 2, 3, jsonFramed[1]]);
        expect(offsets(T.proto)).toEqual([proto[1], proto[2]]);
        expect(topicOf(report, T.avro)).toMatchObject({ records: 7, violations: 4 });
        expect(topicOf(report, T.json)).toMatchObject({ records: 7, violations: 4 });
        expect(topicOf(report, T.proto)).toMatchObject({ records: 4, violations: 2 });

        const reasons = (name: string) => topicOf(report, name).examples.map((e) => e.reason);
        expect(reasons(T.avro)).toEqual([
          expect.stringMatching(/^value \(schema id \d+\): not Avro data of the schema: truncated buffer/),
          expect.stringContaining('value: not in the Confluent wire format'),
          'value: schema id 99999 is not in the registry',
          `value: schema id ${otherId} is not a version of subject ${T.avro}-value (it is registered under acme.other-value)`,
        ]);
        expect(reasons(T.json)).toEqual([
          expect.stringContaining("must have required property 'orderId'"),
          expect.stringContaining('/quantity must be integer'),
          expect.stringContaining('value: not JSON'),
          expect.stringContaining('/orderId must be string'),
        ]);
        expect(reasons(T.proto)).toEqual([expect.stringContaining('not Protobuf data of OrderPlaced'), 'value (schema id ' + protoId + '): message indexes [3] name no message of the schema']);
        // Read as the admin, without a group: nothing joined, nothing committed.
        expect(await groupsOnCluster()).toEqual(before);
      });

      it('flags keyless records once the topic is compacted, and only those', async () => {
        // Kafka refuses keyless records on a compacted topic: they are written while it is not.
        const lines = ['{"a": 1}', '{"a": 2}'];
        const keyless = await runKcat(['-b', kafka.bootstrap, ...kcatSasl(ADMIN), '-P', '-t', T.state, '-p', '0'], lines.map((l) => `${l}\n`).join(''));
        expect(keyless.code).toBe(0);
        const keyed = await produce(T.state, [{ value: '{"a": 3}', key: 's-1' }]);
        expect(keyed).toEqual([2]);
        tree.write({ 'orders.yaml': ordersSpec('compact') });
        expect((await apply()).code).toBe(0);
        const [configs] = await python.value<Array<{ entries: Record<string, { value: string }> }>>(kafka.bootstrap, { op: 'describe_configs', resources: [{ type: 'TOPIC', name: T.state }] }, ADMIN);
        expect(configs.entries['cleanup.policy'].value).toBe('compact');

        const { report } = await verify('--product', P);
        expect(topicOf(report, T.state)).toMatchObject({ compacted: true, records: 3, keyless: 2, violations: 2 });
        expect(topicOf(report, T.state).examples.map((e) => [e.offset, e.reason])).toEqual([
          [0, expect.stringContaining('no key on a compacted topic')],
          [1, expect.stringContaining('no key on a compacted topic')],
        ]);
      });

      it('reports a topic left idle past its freshness as stale, and one with an old newest record', async () => {
        const twoDaysAgo = Date.now() - 2 * 86_400_000;
        await produce(T.heartbeat, [{ value: '{}', key: 'h' }]);
        await produce(T.daily, [{ value: '{}', key: 'd', timestamp: twoDaysAgo }]);
        const fresh = (await verify('--product', P)).report;
        expect(topicOf(fresh, T.heartbeat).freshness).toMatchObject({ expected: 'PT8S', seconds: 8, stale: false });
        expect(topicOf(fresh, T.daily).freshness).toMatchObject({ expected: 'P1D', seconds: 86_400, newest: new Date(twoDaysAgo).toISOString(), stale: true });
        expect(topicOf(fresh, T.daily).freshness!.ageSeconds).toBeGreaterThanOrEqual(2 * 86_400);

        await new Promise((resolve) => setTimeout(resolve, 9_000)); // idle past PT8S
        const idle = await verify('--product', P);
        expect(idle.code).toBe(1);
        expect(topicOf(idle.report, T.heartbeat).freshness).toMatchObject({ stale: true });
        expect(topicOf(idle.report, T.heartbeat).freshness!.ageSeconds).toBeGreaterThanOrEqual(9);
        expect(topicOf(idle.report, T.heartbeat).violations).toBe(1);

        const text = await runCli('verify', tree.dir, '--stack', 'dev', '--bootstrap', kafka.bootstrap, '--registry', registry.url, '--product', P);
        expect(text.stdout).toMatch(new RegExp(`${T.heartbeat.replace(/\./g, '\\.')}.*\\n  freshness PT8S: STALE, newest record \\d+s old`));
      }, 60_000);

      it("reports a consumer group left behind over its product's maxLag, and one within the topic's", async () => {
        await produce(T.lagged, [{ value: '{}', key: 'a' }, { value: '{}', key: 'b' }]);
        for (const group of ['acme.verify.billing.reader', 'acme.verify.audit-reader']) {
          const read = await python.value<unknown[]>(kafka.bootstrap, { op: 'consume_group', topic: T.lagged, groupId: group, count: 2 }, ADMIN);
          expect(read).toHaveLength(2);
        }
        await produce(T.lagged, [1, 2, 3, 4, 5].map((i) => ({ value: '{}', key: `k${i}` })));
        // The lag, read independently: end offset minus committed offset (kafka-python).
        const [ends] = await python.value<Array<{ latest: number }>>(kafka.bootstrap, { op: 'list_offsets', topic: T.lagged, partitions: [0], timestamp: 0 }, ADMIN);
        const committed = async (group: string) => (await python.value<Array<{ offset: number }>>(kafka.bootstrap, { op: 'group_offsets', groupId: group }, ADMIN))[0].offset;
        const billingLag = ends.latest - (await committed('acme.verify.billing.reader'));
        const auditLag = ends.latest - (await committed('acme.verify.audit-reader'));
        expect([billingLag, auditLag]).toEqual([5, 5]);

        const { code, report } = await verify('--product', P);
        expect(code).toBe(1);
        expect(topicOf(report, T.lagged).lag).toEqual([
          { consumer: 'acme.verify.audit', group: 'acme.verify.audit-reader', lag: auditLag, maxLag: 100, over: false },
          { consumer: 'acme.verify.billing', group: 'acme.verify.billing.reader', lag: billingLag, maxLag: 2, over: true },
        ]);
        expect(topicOf(report, T.lagged).violations).toBe(1);
      }, 60_000);

      it('fails (exit 1, unread) when its principal may not read a partition that holds records, and passes once it may', async () => {
        const quiet = 'acme.verify.quiet._protected.ticks';
        fs.writeFileSync(path.join(tree.dir, 'quiet.yaml'), sendingSpec('urn:acme:verify:quiet', 'Quiet', [...channel('ticks', '_protected.ticks')], ['ticks']));
        expect((await apply()).code).toBe(0);
        expect(await produce(quiet, [{ value: '{"n": 1}', key: 'a' }])).toEqual([0]);
        // The auditor may see the topic (Metadata, offsets, configs), not read it: ACLs set with kafkajs.
        const acl = (operation: AclOperationTypes) => ({ resourceType: AclResourceTypes.TOPIC, resourceName: quiet, resourcePatternType: ResourcePatternTypes.LITERAL, principal: `User:${AUDITOR.username}`, host: '*', operation, permissionType: AclPermissionTypes.ALLOW });
        const admin = new Kafka({ brokers: [kafka.bootstrap], logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', ...ADMIN } }).admin();
        await admin.connect();
        const asAuditor = async (...more: string[]) => {
          process.env.MESHFORM_KAFKA_USERNAME = AUDITOR.username;
          process.env.MESHFORM_KAFKA_PASSWORD = AUDITOR.password;
          try {
            return await runCli('verify', tree.dir, '--stack', 'dev', '--bootstrap', kafka.bootstrap, '--registry', registry.url, '--product', 'acme.verify.quiet', ...more);
          } finally {
            process.env.MESHFORM_KAFKA_USERNAME = ADMIN.username;
            process.env.MESHFORM_KAFKA_PASSWORD = ADMIN.password;
          }
        };
        try {
          await admin.createAcls({ acl: [acl(AclOperationTypes.DESCRIBE), acl(AclOperationTypes.DESCRIBE_CONFIGS)] });
          const refused = await asAuditor('--json');
          expect(refused.code).toBe(1);
          const report = JSON.parse(refused.stdout) as VerifyReport;
          expect(report.summary).toEqual({ topics: 1, records: 0, violations: 0, unread: 1 });
          expect(topicOf(report, quiet).notes).toEqual([expect.stringMatching(/^partition 0: Fetch acme\.verify\.quiet\._protected\.ticks\/0 from offset 0: .*AUTHORIZATION/)]);
          const text = await asAuditor();
          expect(text.code).toBe(1);
          expect(text.stdout).toContain('0 violation(s), 1 partition(s) NOT READ (see the notes)');
          expect(text.stdout).toContain(`${quiet}  (acme.verify.quiet)  0 record(s), not verified, 1 partition(s) not read`);

          await admin.createAcls({ acl: [acl(AclOperationTypes.READ)] });
          const allowed = await asAuditor('--json');
          expect(allowed.code).toBe(0);
          expect((JSON.parse(allowed.stdout) as VerifyReport).summary).toEqual({ topics: 1, records: 1, violations: 0, unread: 0 });
        } finally {
          await admin.disconnect();
        }
      }, 90_000);

      it('exits 2 when the cluster cannot be reached, when the registry cannot be, and for an unknown product', async () => {
        const port = await freePort();
        const down = await runCli('verify', tree.dir, '--stack', 'dev', '--bootstrap', `127.0.0.1:${port}`);
        expect(down.code).toBe(2);
        expect(down.stderr).toContain(`meshform verify: cannot connect to Kafka at 127.0.0.1:${port}`);
        // The Avro topic holds framed records (the first test): their schema ids must be looked up.
        const noRegistry = await runCli('verify', tree.dir, '--stack', 'dev', '--bootstrap', kafka.bootstrap, '--registry', `http://127.0.0.1:${port}`, '--product', P);
        expect(noRegistry.code).toBe(2);
        expect(noRegistry.stderr).toMatch(new RegExp(`meshform verify: .*127\\.0\\.0\\.1:${port}`));
        expect(noRegistry.stdout).toBe('');
        const typo = await runCli('verify', tree.dir, '--stack', 'dev', '--bootstrap', kafka.bootstrap, '--product', 'acme.verify.order');
        expect(typo.code).toBe(2);
        expect(typo.stderr).toContain('--product acme.verify.order matches no product in the mesh (did you mean acme.verify.orders?)');
      });
    });
  });
});
