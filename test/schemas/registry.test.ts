/**
 * `meshform schemas` and `meshform kafka apply` against a real schema registry (Apicurio, from
 * `npm run peers`). What is registered is read back with plain HTTP from the registry's own API,
 * never through meshform's client; expected schemas are written by hand.
 */
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { runCli } from '../cli/support';
import { ADMIN, startAdminBroker } from '../kafka/broker';
import { readFileSync } from 'node:fs';
import { restoreEnvAfterAll, withEnv } from '../support/env';
import { withAdmin } from '../kafka/oracle';
import { describeWithPeer } from '@meshform/peers/testing/peers';
import { startRealRegistry, type RealRegistry } from '@meshform/peers/testing/real-registry';
import { avroRecord, productSpec, tempTree, type TempTree } from './support';

const DRAFT7 = 'http://json-schema.org/draft-07/schema#';
const REPO = path.resolve(__dirname, '../..');

describeWithPeer('registry', 'schemas against a real schema registry (Apicurio)', (peer) => {
  let registry: RealRegistry;
  const trees: TempTree[] = [];
  restoreEnvAfterAll(['MESHFORM_SCHEMA_REGISTRY_URL', 'MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD']);

  beforeAll(async () => {
    registry = await startRealRegistry(peer.home);
  }, 120_000);
  afterAll(async () => {
    for (const t of trees) t.cleanup();
    await registry?.stop();
  });

  function tree(files: Record<string, string>): TempTree {
    const t = tempTree(files);
    trees.push(t);
    return t;
  }
  const schemas = (verb: 'plan' | 'apply', dir: string, ...more: string[]) => runCli('schemas', verb, dir, '--stack', 'prod', '--registry', registry.url, ...more);
  async function get(route: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${registry.url}${route}`);
    return { status: res.status, body: await res.json() };
  }
  const versions = async (subject: string) => (await get(`/subjects/${subject}/versions`)).body;
  async function latest(subject: string): Promise<{ schema: unknown; schemaType: string }> {
    const { body } = await get(`/subjects/${subject}/versions/latest`);
    const b = body as { schema: string; schemaType?: string };
    const schemaType = b.schemaType ?? 'AVRO';
    return { schema: schemaType === 'PROTOBUF' ? b.schema : JSON.parse(b.schema), schemaType };
  }
  const level = async (subject: string) => ((await get(`/config/${subject}`)).body as { compatibilityLevel: string }).compatibilityLevel;

  const closedJson = { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: false };

  it('registers Avro and JSON Schema value and key subjects, each with its level; a re-run is a no-op', async () => {
    const t = tree({
      'orders.yaml': productSpec({ id: 'acme.t1.orders', avroKey: { type: 'string' }, json: closedJson, jsonCompatibility: 'FULL' }),
      'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'string' }]),
    });
    const first = await schemas('apply', t.dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('+ CREATED subject acme.t1.orders._public.placed-value version 1 (register AVRO schema, compatibility BACKWARD)');
    expect(first.stdout).toContain('+ CREATED subject acme.t1.orders._public.placed-key version 1');
    expect(first.stdout).toContain('+ CREATED subject acme.t1.orders._protected.state-value version 1 (register JSON schema, compatibility FULL)');

    const subjects = (await get('/subjects')).body as string[];
    expect(subjects).toEqual(expect.arrayContaining(['acme.t1.orders._public.placed-value', 'acme.t1.orders._public.placed-key', 'acme.t1.orders._protected.state-value']));
    expect(await latest('acme.t1.orders._public.placed-value')).toEqual({
      schemaType: 'AVRO',
      schema: { type: 'record', name: 'Placed', namespace: 'acme', fields: [{ name: 'orderId', type: 'string' }] },
    });
    expect(await latest('acme.t1.orders._public.placed-key')).toEqual({ schemaType: 'AVRO', schema: 'string' });
    expect(await latest('acme.t1.orders._protected.state-value')).toEqual({ schemaType: 'JSON', schema: { $schema: DRAFT7, ...closedJson } });
    expect(await level('acme.t1.orders._public.placed-value')).toBe('BACKWARD');
    expect(await level('acme.t1.orders._protected.state-value')).toBe('FULL');

    const again = await schemas('apply', t.dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('schemas: 0 created, 0 updated, 0 deleted, 3 unchanged');
    for (const s of ['placed-value', 'placed-key']) expect(await versions(`acme.t1.orders._public.${s}`)).toEqual([1]);
    expect(await versions('acme.t1.orders._protected.state-value')).toEqual([1]);
  });

  it('Avro: adding an optional field registers version 2; retyping a field is REFUSED with the reason and holds back the product', async () => {
    const t = tree({
      'orders.yaml': productSpec({ id: 'acme.t2.orders', json: closedJson }),
      'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'string' }]),
    });
    expect((await schemas('apply', t.dir)).code).toBe(0);

    t.write({ 'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'string' }, { name: 'note', type: ['null', 'string'], default: null }]) });
    const compatible = await schemas('apply', t.dir);
    expect(compatible.code).toBe(0);
    expect(compatible.stdout).toContain('~ UPDATED subject acme.t2.orders._public.placed-value version 2 (register a new AVRO version)');
    expect(await versions('acme.t2.orders._public.placed-value')).toEqual([1, 2]);

    // One incompatible change and one compatible change in the same product: neither is applied.
    t.write({
      'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'int' }, { name: 'note', type: ['null', 'string'], default: null }]),
      'orders.yaml': productSpec({ id: 'acme.t2.orders', json: { ...closedJson, properties: { ...closedJson.properties, note: { type: 'string' } } } }),
    });
    const planned = await schemas('plan', t.dir, '--json');
    expect(planned.code).toBe(1);
    const byName = Object.fromEntries((JSON.parse(planned.stdout).resources as Array<{ subject: string; state: string; reason?: string }>).map((r) => [r.subject, r]));
    expect(byName['acme.t2.orders._public.placed-value']).toMatchObject({ state: 'REFUSED', reason: expect.stringMatching(/^the registry refuses it under BACKWARD: .*meshform's check: .*orderId/) });
    expect(byName['acme.t2.orders._protected.state-value']).toMatchObject({ state: 'REFUSED', reason: expect.stringContaining('held back: schema acme.t2.orders._public.placed-value was refused') });

    const refused = await schemas('apply', t.dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/! REFUSED subject acme\.t2\.orders\._public\.placed-value: the registry refuses it under BACKWARD/);
    expect(refused.stdout.split('\n').pop()).toBe('schemas: 0 created, 0 updated, 0 deleted, 0 unchanged, 2 refused');
    expect(await versions('acme.t2.orders._public.placed-value')).toEqual([1, 2]);
    expect(await versions('acme.t2.orders._protected.state-value')).toEqual([1]);
  });

  it('JSON Schema: an optional property added to a closed content model is compatible; a retyped property is refused', async () => {
    const t = tree({
      'orders.yaml': productSpec({ id: 'acme.t3.orders', json: closedJson }),
      'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'string' }]),
    });
    expect((await schemas('apply', t.dir)).code).toBe(0);
    const added = { ...closedJson, properties: { id: { type: 'string' }, note: { type: 'string' } } };
    t.write({ 'orders.yaml': productSpec({ id: 'acme.t3.orders', json: added }) });
    const compatible = await schemas('apply', t.dir);
    expect(compatible.stdout).toContain('~ UPDATED subject acme.t3.orders._protected.state-value version 2');
    expect(compatible.code).toBe(0);

    t.write({ 'orders.yaml': productSpec({ id: 'acme.t3.orders', json: { ...added, properties: { id: { type: 'integer' }, note: { type: 'string' } } } }) });
    const refused = await schemas('apply', t.dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/REFUSED subject acme\.t3\.orders\._protected\.state-value: the registry refuses it under BACKWARD: .*\/properties\/id: type changed from string to integer/);
    expect(await versions('acme.t3.orders._protected.state-value')).toEqual([1, 2]);
  });

  it('a stricter level with a schema that breaks it is refused before anything changes (checked locally)', async () => {
    const t = tree({
      'orders.yaml': productSpec({ id: 'acme.t4.orders', json: closedJson, jsonCompatibility: 'NONE' }),
      'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'string' }]),
    });
    expect((await schemas('apply', t.dir)).code).toBe(0);
    expect(await level('acme.t4.orders._protected.state-value')).toBe('NONE');
    t.write({ 'orders.yaml': productSpec({ id: 'acme.t4.orders', json: { ...closedJson, properties: { id: { type: 'integer' } } }, jsonCompatibility: 'BACKWARD' }) });
    const refused = await schemas('apply', t.dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("REFUSED subject acme.t4.orders._protected.state-value (compatibility NONE -> BACKWARD): incompatible under BACKWARD with registered version 1 (meshform's check, the subject's level being NONE until apply sets it)");
    expect(await level('acme.t4.orders._protected.state-value')).toBe('NONE');
    expect(await versions('acme.t4.orders._protected.state-value')).toEqual([1]);
  });

  it('never deletes a subject without --allow-delete', async () => {
    const t = tree({
      'orders.yaml': productSpec({ id: 'acme.t5.orders', json: closedJson }),
      'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'string' }]),
    });
    expect((await schemas('apply', t.dir)).code).toBe(0);
    t.write({ 'orders.yaml': productSpec({ id: 'acme.t5.orders' }) });
    const refused = await schemas('apply', t.dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('! REFUSED subject acme.t5.orders._protected.state-value (delete subject): not declared in the specs; deleting it needs --allow-delete');
    expect((await get('/subjects')).body).toContain('acme.t5.orders._protected.state-value');
    const deleted = await schemas('apply', t.dir, '--allow-delete');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('- DELETED subject acme.t5.orders._protected.state-value');
    expect((await get('/subjects')).body).not.toContain('acme.t5.orders._protected.state-value');
    expect((await get('/subjects')).body).toContain('acme.t5.orders._public.placed-value');
  });

  it('registers every schema of the example specs, then finds nothing to do', async () => {
    const plan = await runCli('plan', path.join(REPO, 'specs'), '--stack', 'prod', '--json');
    const planned = (JSON.parse(plan.stdout).resources as Array<{ kind: string; properties: { subject: string } }>)
      .filter((r) => r.kind === 'schema:Subject')
      .map((r) => r.properties.subject);
    expect(planned.length).toBeGreaterThanOrEqual(16);
    const first = await schemas('apply', path.join(REPO, 'specs'));
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').pop()).toBe(`schemas: ${planned.length} created, 0 updated, 0 deleted, 0 unchanged`);
    expect((await get('/subjects')).body).toEqual(expect.arrayContaining(planned));
    const kinds = new Set<string>();
    for (const subject of planned) kinds.add((await latest(subject)).schemaType);
    expect(kinds).toEqual(new Set(['AVRO', 'JSON', 'PROTOBUF']));
    const again = await schemas('plan', path.join(REPO, 'specs'));
    expect(again.stdout).toBe(`schemas: 0 to create, 0 to update, 0 to delete, ${planned.length} unchanged`);
  });

  describe('inside meshform kafka apply', () => {
    beforeAll(() => {
      process.env.MESHFORM_KAFKA_SASL_MECHANISM = 'plain';
      process.env.MESHFORM_KAFKA_USERNAME = ADMIN.username;
      process.env.MESHFORM_KAFKA_PASSWORD = ADMIN.password;
    });

    it('registers schemas after the topics; an incompatible schema holds back all of its product, topics included', async () => {
      const { broker } = await startAdminBroker();
      try {
        const t = tree({
          'orders.yaml': productSpec({ id: 'acme.t6.orders', json: closedJson }),
          'other.yaml': productSpec({ id: 'acme.t6.other' }),
          'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'string' }]),
        });
        const kafka = (...more: string[]) => runCli('kafka', 'apply', t.dir, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--registry', registry.url, '--yes', ...more);
        const first = await kafka('--json');
        expect(first.code).toBe(0);
        const out = JSON.parse(first.stdout);
        expect(out.summary).toMatchObject({ refused: 0, failed: 0 });
        expect(out.schemas.summary).toEqual({ create: 3, update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 });
        expect(await versions('acme.t6.orders._public.placed-value')).toEqual([1]);

        // orders: an incompatible payload and a new topic; other: a new topic only.
        t.write({
          'schemas/placed-v2.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'long' }]),
          'orders.yaml': productSpec({ id: 'acme.t6.orders', json: closedJson, extraAvroTopic: true }).replace('./schemas/placed.avsc', './schemas/placed-v2.avsc'),
          'other.yaml': productSpec({ id: 'acme.t6.other', extraAvroTopic: true }),
        });
        const second = await kafka();
        expect(second.code).toBe(1);
        expect(second.stdout).toMatch(/! REFUSED topic acme\.t6\.orders\._private\.audit: held back: schema acme\.t6\.orders\._public\.placed-value was refused/);
        expect(second.stdout).toContain('+ CREATED topic acme.t6.other._private.audit');
        expect(second.stdout).toMatch(/! REFUSED subject acme\.t6\.orders\._public\.placed-value: the registry refuses it under BACKWARD/);
        expect(second.stdout).toContain('+ CREATED subject acme.t6.other._private.audit-value version 1');
        const admin = new Kafka({ brokers: [broker.bootstrap], clientId: 'probe', sasl: { mechanism: 'plain', ...ADMIN }, logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        try {
          const topics = await admin.listTopics();
          expect(topics).toContain('acme.t6.other._private.audit');
          expect(topics).not.toContain('acme.t6.orders._private.audit');
        } finally {
          await admin.disconnect();
        }
        expect((await get('/subjects')).body).not.toContain('acme.t6.orders._private.audit-value');
      } finally {
        await broker.stop();
      }
    });

    it('a saved plan carries its schema changes; a subject changed behind its back makes it stale (exit 2, nothing changed)', async () => {
      const { broker, connection } = await startAdminBroker();
      const login = { MESHFORM_SCHEMA_REGISTRY_USERNAME: 'reg-user-5d1c', MESHFORM_SCHEMA_REGISTRY_PASSWORD: 'reg-pw-8e2f09' };
      try {
        const t = tree({
          'orders.yaml': productSpec({ id: 'acme.t7.orders', json: closedJson }),
          'schemas/placed.avsc': avroRecord('Placed', [{ name: 'orderId', type: 'string' }]),
        });
        const file = path.join(t.dir, 'dev.plan.json');
        const plan = () => withEnv(login, () => runCli('kafka', 'plan', t.dir, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--registry', registry.url, '--out', file));
        const apply = () => withEnv(login, () => runCli('kafka', 'apply', '--plan', file, '--bootstrap', broker.bootstrap, '--registry', registry.url, '--yes'));

        const planned = await plan();
        expect(planned.code).toBe(0);
        expect(planned.stdout).toContain('+ CREATE subject acme.t7.orders._public.placed-value (register AVRO schema, compatibility BACKWARD)');
        const text = readFileSync(file, 'utf8');
        expect(text).toContain(registry.url);
        expect(text).not.toContain(login.MESHFORM_SCHEMA_REGISTRY_USERNAME);
        expect(text).not.toContain(login.MESHFORM_SCHEMA_REGISTRY_PASSWORD);

        // Someone registers the subject first, with another schema.
        const other = { schema: avroRecord('Placed', [{ name: 'orderId', type: 'long' }]), schemaType: 'AVRO' };
        const posted = await fetch(`${registry.url}/subjects/acme.t7.orders._public.placed-value/versions`, {
          method: 'POST',
          headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
          body: JSON.stringify(other),
        });
        expect(posted.status).toBe(200);
        const stale = await apply();
        expect(stale.code).toBe(2);
        // The registry now refuses the planned schema, which holds back the product's other subject too.
        const moved = stale.stderr.split('\n').pop();
        expect(moved).toMatch(/^meshform kafka apply: the schema registry moved since the plan was made \(.*\): /);
        expect(moved).toContain('subject acme.t7.orders._protected.state-value: planned CREATE (register JSON schema, compatibility BACKWARD), now REFUSED');
        expect(moved).toContain('subject acme.t7.orders._public.placed-value: planned CREATE (register AVRO schema, compatibility BACKWARD), now REFUSED (compatibility NONE -> BACKWARD)');
        expect(await withAdmin(connection, (a) => a.listTopics())).toEqual([]);
        expect(await versions('acme.t7.orders._public.placed-value')).toEqual([1]);

        // A plan made now sees the registered version; applied, it makes exactly its changes.
        await fetch(`${registry.url}/subjects/acme.t7.orders._public.placed-value`, { method: 'DELETE' });
        await fetch(`${registry.url}/subjects/acme.t7.orders._public.placed-value?permanent=true`, { method: 'DELETE' });
        expect((await plan()).code).toBe(0);
        const applied = await apply();
        expect(applied.code).toBe(0);
        expect(applied.stdout).toContain('+ CREATED subject acme.t7.orders._public.placed-value version 1 (register AVRO schema, compatibility BACKWARD)');
        expect(await latest('acme.t7.orders._public.placed-value')).toEqual({
          schemaType: 'AVRO',
          schema: { type: 'record', name: 'Placed', namespace: 'acme', fields: [{ name: 'orderId', type: 'string' }] },
        });
        expect((await withAdmin(connection, (a) => a.listTopics())).sort()).toEqual(['acme.t7.orders._protected.state', 'acme.t7.orders._public.placed']);
      } finally {
        await broker.stop();
      }
    });
  });
});
