/**
 * TLS for real: `meshform kafka apply` over SASL_SSL to real Apache Kafka (the kafka peer) whose
 * client listener presents a self-signed certificate. meshform's only TLS setting is the stack's
 * `kafkaTls`, with the system's trust store, so the CLI runs as its own process, given the broker's
 * certificate through NODE_EXTRA_CA_CERTS as an operator would. What the apply made is read with
 * kafkajs over the same TLS listener; the expected topics and ACLs are written by hand below.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Admin } from 'kafkajs';
import { stringify } from 'yaml';
import { REAL_KAFKA_START_MS, describeWithRealKafka, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { selfSignedKeystore, type SelfSigned } from '../support/tls';
import { withAdmin as oracleAdmin } from './oracle';
import { plainLogin } from '../../src/adapters/kafka';

const ROOT = join(__dirname, '..', '..');
const ADMIN = { username: 'admin', password: 'tls-admin-secret' };
const PRODUCT = 'acme.tls.orders';

const SPEC = {
  asyncapi: '3.0.0',
  id: 'urn:acme:tls:orders',
  info: { title: 'Orders over TLS', version: '1.0.0' },
  'x-meshform': { owners: ['group:orders@acme.com'] },
  channels: {
    placed: { address: '_public.placed' },
    state: { address: '_private.state' },
  },
  operations: {
    sendPlaced: { action: 'send', channel: { $ref: '#/channels/placed' } },
    sendState: { action: 'send', channel: { $ref: '#/channels/state' } },
  },
};

describeWithRealKafka('kafka apply over TLS (SASL_SSL) on real Kafka', () => {
  let dir: string;
  let cert: SelfSigned;
  let kafka: RealKafka;
  let project: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshform-tls-'));
    cert = selfSignedKeystore(dir);
    kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`], tls: cert });
    project = join(dir, 'project');
    mkdirSync(join(project, 'specs'), { recursive: true });
    mkdirSync(join(project, 'stacks'));
    writeFileSync(join(project, 'specs', 'orders.yaml'), stringify(SPEC));
    // Through `localhost` (the certificate names both); the broker advertises 127.0.0.1.
    const port = kafka.bootstrap.split(':')[1];
    writeFileSync(
      join(project, 'stacks', 'Pulumi.tls.yaml'),
      stringify({
        config: {
          'meshform:gcpProject': 'acme-data-tls',
          'meshform:location': 'EU',
          'meshform:replicasCap': '1',
          'meshform:kafkaBootstrap': `localhost:${port}`,
          'meshform:kafkaTls': true,
          'meshform:kafkaSaslMechanism': 'plain',
          'meshform:kafkaUsername': ADMIN.username,
        },
      }),
    );
  }, REAL_KAFKA_START_MS);

  afterAll(async () => {
    await kafka?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function apply(extraEnv: Record<string, string | undefined>) {
    const env: NodeJS.ProcessEnv = { ...process.env, MESHFORM_KAFKA_PASSWORD: ADMIN.password, ...extraEnv };
    for (const key of ['NODE_EXTRA_CA_CERTS', 'MESHFORM_KAFKA_BOOTSTRAP', 'MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME']) {
      if (!(key in extraEnv)) delete env[key];
    }
    return spawnSync(process.execPath, [join(ROOT, 'bin', 'meshform.js'), 'kafka', 'apply', 'specs', '--stack', 'tls', '--yes'], { cwd: project, env, encoding: 'utf8' });
  }

  const withAdmin = <T>(work: (admin: Admin) => Promise<T>) =>
    oracleAdmin({ brokers: [kafka.bootstrap], clientId: 'tls-oracle', tls: true, sasl: plainLogin(ADMIN) }, work, cert.ca);

  const ourTopics = async () => (await withAdmin((admin) => admin.listTopics())).filter((t) => t.startsWith(`${PRODUCT}.`)).sort();

  it('refuses a certificate it does not trust: exit 2, what failed and where, no stack trace, no password, nothing created', async () => {
    const res = apply({});
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/certificate/i);
    expect(res.stderr).toContain('NODE_EXTRA_CA_CERTS'); // the remedy
    expect(res.stderr).toContain(`localhost:${kafka.bootstrap.split(':')[1]}`);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(res.stdout + res.stderr).not.toContain(ADMIN.password);
    expect(await ourTopics()).toEqual([]);
  });

  it("creates the spec's topics and the owner's ACLs when the broker's certificate is trusted", async () => {
    const res = apply({ NODE_EXTRA_CA_CERTS: cert.caFile });
    expect({ status: res.status, stderr: res.stderr }).toMatchObject({ status: 0 });
    expect(res.stdout + res.stderr).not.toContain(ADMIN.password);
    expect(await ourTopics()).toEqual([`${PRODUCT}._private.state`, `${PRODUCT}._public.placed`]);

    const owner = await withAdmin((admin) =>
      admin.describeAcls({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: `${PRODUCT}._public.`,
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        principal: `User:${PRODUCT}`,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ALLOW,
      }),
    );
    const operations = owner.resources.flatMap((r) => r.acls.map((a) => a.operation)).sort((a, b) => a - b);
    // The owner's rights on its public prefix: READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS.
    expect(operations).toEqual([AclOperationTypes.READ, AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE, AclOperationTypes.DESCRIBE_CONFIGS].sort((a, b) => a - b));

    // A second apply over TLS changes nothing.
    const again = apply({ NODE_EXTRA_CA_CERTS: cert.caFile });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/0 created, 0 updated, 0 deleted/);
  });
});
