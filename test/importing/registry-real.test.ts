/**
 * `meshform import --registry`: an estate's schema subjects (registered through the registry's own
 * HTTP API, as the estate's producers did) become the imported specs' schemas, so the first
 * `schemas plan` of the imported mesh changes no schema and deletes no subject. The registry is
 * real (Apicurio, the `registry` peer); expected schemas and levels are written by hand.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../cli/support';
import { restoreEnvAfterAll } from '../support/env';
import { describeWithPeer } from '@meshform/peers/testing/peers';
import { startRealRegistry, type RealRegistry } from '@meshform/peers/testing/real-registry';

/** A kafka-gitops state written by hand: three topics, one producer each. */
const STATE = `topics:
  payments.authorised:
    partitions: 1
  payments.ledger:
    partitions: 1
  payments.refunds:
    partitions: 1
services:
  payments-api:
    type: application
    principal: User:payments-api
    produces:
      - payments.authorised
      - payments.ledger
      - payments.refunds
`;

const AUTHORISED = { type: 'record', name: 'Authorised', namespace: 'acme.payments', fields: [{ name: 'paymentId', type: 'string' }, { name: 'amount', type: 'long' }] };
const AUTHORISED_KEY = { type: 'string' };
const LEDGER = 'syntax = "proto3";\npackage acme.payments;\n\nmessage LedgerEntry {\n  string payment_id = 1;\n  int64 amount = 2;\n}\n';
const MONEY = { type: 'record', name: 'Money', namespace: 'acme', fields: [{ name: 'cents', type: 'long' }] };
const REFUND = { type: 'record', name: 'Refund', namespace: 'acme.payments', fields: [{ name: 'amount', type: 'acme.Money' }] };

describeWithPeer('registry', 'meshform import with the estate registry (Apicurio)', (peer) => {
  let registry: RealRegistry;
  let dir: string;
  restoreEnvAfterAll(['MESHFORM_SCHEMA_REGISTRY_URL']);

  async function call(method: string, route: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${registry.url}${route}`, {
      method,
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    expect([method, route, res.status]).toEqual([method, route, 200]);
    return res.json();
  }

  beforeAll(async () => {
    delete process.env.MESHFORM_SCHEMA_REGISTRY_URL;
    registry = await startRealRegistry(peer.home);
    dir = mkdtempSync(join(tmpdir(), 'meshform-import-registry-'));
    writeFileSync(join(dir, 'state.yaml'), STATE);
    // The estate, registered as its producers did.
    await call('POST', '/subjects/payments.authorised-value/versions', { schema: JSON.stringify(AUTHORISED) });
    await call('PUT', '/config/payments.authorised-value', { compatibility: 'FULL' });
    await call('POST', '/subjects/payments.authorised-key/versions', { schema: JSON.stringify(AUTHORISED_KEY) });
    await call('PUT', '/config/payments.authorised-key', { compatibility: 'FULL' });
    await call('POST', '/subjects/payments.ledger-value/versions', { schemaType: 'PROTOBUF', schema: LEDGER });
    await call('POST', '/subjects/acme.money/versions', { schema: JSON.stringify(MONEY) });
    await call('POST', '/subjects/payments.refunds-value/versions', { schema: JSON.stringify(REFUND), references: [{ name: 'acme.Money', subject: 'acme.money', version: 1 }] });
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await registry?.stop();
  });

  it('writes each subject of an imported topic as its schema, with its own level; a subject with references is listed, not mapped', async () => {
    const out = join(dir, 'mesh');
    const run = await runCli('import', 'kafka-gitops', join(dir, 'state.yaml'), '--out', out, '--registry', registry.url);
    expect(run.stderr).toContain('3 schema subject(s) found');
    const unmapped = run.stderr.split('\n').filter((l) => l.includes('MF-IMPORT-UNMAPPED'));
    expect(unmapped).toEqual([expect.stringContaining('schema subject payments.refunds-value (version 1): it refers to other subjects (acme.money v1)')]);
    expect(run.code).toBe(1);

    const spec = parse(readFileSync(join(out, 'estate.payments-api.yaml'), 'utf8')) as { channels: Record<string, { address: string; 'x-meshform'?: unknown; messages?: Record<string, { payload: { schemaFormat: string; schema: { $ref: string } }; bindings?: unknown }> }> };
    const byAddress = Object.fromEntries(Object.values(spec.channels).map((c) => [c.address, c]));
    const authorised = byAddress['payments.authorised'];
    expect(authorised['x-meshform']).toEqual({ compatibility: 'FULL' });
    const [message] = Object.values(authorised.messages!);
    expect(message.payload.schemaFormat).toMatch(/^application\/vnd\.apache\.avro/);
    expect(JSON.parse(readFileSync(join(out, message.payload.schema.$ref), 'utf8'))).toEqual(AUTHORISED);
    const key = (message.bindings as { kafka: { key: { schema: { $ref: string } } } }).kafka.key;
    expect(JSON.parse(readFileSync(join(out, key.schema.$ref), 'utf8'))).toEqual(AUTHORISED_KEY);

    const ledger = byAddress['payments.ledger'];
    // No level of its own: Apicurio answers GET /config/<subject> with its global level (NONE by
    // default), the level the subject is checked under; the spec keeps it.
    expect(ledger['x-meshform']).toEqual({ compatibility: 'NONE' });
    const [ledgerMessage] = Object.values(ledger.messages!);
    expect(ledgerMessage.payload.schemaFormat).toMatch(/^application\/vnd\.google\.protobuf/);
    expect(readFileSync(join(out, ledgerMessage.payload.schema.$ref), 'utf8').trim()).toBe(LEDGER.trim());
    expect(byAddress['payments.refunds'].messages).toBeUndefined();

    // The first schemas plan of the imported mesh: no schema registered, no subject deleted.
    const plan = await runCli('schemas', 'plan', out, '--stack', 'prod', '--registry', registry.url, '--json');
    const report = JSON.parse(plan.stdout) as { resources: Array<{ subject: string; state: string; changes: string[] }> };
    const bySubject = Object.fromEntries(report.resources.map((r) => [r.subject, { state: r.state, changes: r.changes }]));
    expect(bySubject).toEqual({
      'payments.authorised-value': { state: 'UNCHANGED', changes: [] },
      'payments.authorised-key': { state: 'UNCHANGED', changes: [] },
      'payments.ledger-value': { state: 'UNCHANGED', changes: [] },
      // Declared by nobody (not mapped): refused, never deleted without --allow-delete.
      'payments.refunds-value': { state: 'REFUSED', changes: ['delete subject'] },
    });
  });

  it('without a registry it says the subjects were not read', async () => {
    const out = join(dir, 'bare');
    const run = await runCli('import', 'kafka-gitops', join(dir, 'state.yaml'), '--out', out);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("no schema registry given (--registry, MESHFORM_SCHEMA_REGISTRY_URL or the stack's schemaRegistryUrl): the estate's schema subjects are not read");
  });

  it('an unreachable registry writes nothing (exit 2)', async () => {
    const out = join(dir, 'unreachable');
    const run = await runCli('import', 'kafka-gitops', join(dir, 'state.yaml'), '--out', out, '--registry', 'http://127.0.0.1:1');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nothing written');
    expect(() => readFileSync(join(out, 'meshform.yaml'))).toThrow();
  });
});
