import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaWire, type KafkaConnection } from '../../src/adapters/kafka';
import { run } from '../../src/cli/kafka';
import { loadMesh } from '../../src/model';
import type { TestBroker } from '../../src/test-broker';
import { restoreEnvAfterAll, withEnv } from '../support/env';
import { runRecorded } from '../support/io';
import { ADMIN, startAdminBroker } from './broker';

const SPECS = join(__dirname, 'specs', 'access');
const ENV = ['MESHFORM_KAFKA_BOOTSTRAP', 'MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD'];

let broker: TestBroker;
let connection: KafkaConnection;
restoreEnvAfterAll(ENV);

beforeAll(() => {
  process.env.MESHFORM_KAFKA_SASL_MECHANISM = 'plain';
  process.env.MESHFORM_KAFKA_USERNAME = ADMIN.username;
  process.env.MESHFORM_KAFKA_PASSWORD = ADMIN.password;
});

beforeEach(async () => {
  ({ broker, connection } = await startAdminBroker());
});

afterEach(async () => {
  await broker.stop();
});

function kafka(...argv: string[]) {
  return runRecorded((io) => run(argv, io));
}

/** Topics as kafkajs's own admin client lists them (a client meshform does not drive). */
async function topicsSeenByKafkajs(): Promise<string[]> {
  const admin = new Kafka({ brokers: [broker.bootstrap], clientId: 'probe', sasl: { mechanism: 'plain', ...ADMIN }, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

describe('meshform kafka plan|apply', () => {
  it('plans, applies, and then finds nothing to do', async () => {
    const plan = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--json');
    expect(plan.code).toBe(0);
    const planned = JSON.parse(plan.stdout);
    expect(Object.keys(planned)).toEqual(['summary', 'resources']);
    expect(planned.summary.create).toBeGreaterThan(0);
    expect(planned.summary).toMatchObject({ update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 });
    expect(new Set(planned.resources.map((r: { state: string }) => r.state))).toEqual(new Set(['CREATE']));
    expect(planned.resources[0]).toEqual(expect.objectContaining({ kind: expect.stringMatching(/^kafka:/), name: expect.any(String), state: 'CREATE' }));

    const applied = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('+ CREATED topic acme.user._protected.profiles (partitions 1, replicas 1)');
    expect(applied.stdout.split('\n').pop()).toBe(`${planned.summary.create} created, 0 updated, 0 deleted, 0 unchanged`);

    const again = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`0 to create, 0 to update, 0 to delete, ${planned.summary.create} unchanged`);
  });

  it('exits 1 and names the remedy when a change is refused', async () => {
    await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
    const wire = await KafkaWire.open(connection);
    await wire.metadata();
    await wire.createPartitions([{ topic: 'acme.user._public.signups', count: 3 }]);
    await wire.close();

    const refused = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/! REFUSED topic acme.user._public.signups: partitions 3 -> 1: Kafka cannot remove partitions; raise the spec.s partitions .scaled by the stack.s partitionFactor. so the plan keeps 3 or more/);
    expect(refused.stdout.split('\n').pop()).toMatch(/, 1 refused$/);
  });

  it('refuses to delete a topic another spec still consumes, even on a stack that allows deletes, unless --allow-breaking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshform-guard-'));
    try {
      cpSync(SPECS, dir, { recursive: true });
      expect((await kafka('apply', dir, '--stack', 'dev', '--bootstrap', broker.bootstrap)).code).toBe(0);
      // The owner drops its public signups topic; billing still receives from it.
      const user = readFileSync(join(dir, 'user.yaml'), 'utf8');
      writeFileSync(join(dir, 'user.yaml'), user.replace(/ {2}signups:\n[\s\S]*?(?= {2}profiles:)/, '').replace(/ {2}sendSignups:\n.*\n.*\n/, ''));

      const refused = await kafka('apply', dir, '--stack', 'dev', '--bootstrap', broker.bootstrap);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('! REFUSED topic acme.user._public.signups: consumed by acme.billing (their specs still receive from it): deleting it breaks them, so it also needs --allow-breaking');
      expect(await topicsSeenByKafkajs()).toContain('acme.user._public.signups');

      const deleted = await kafka('apply', dir, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--allow-breaking');
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toContain('- DELETED topic acme.user._public.signups');
      expect(await topicsSeenByKafkajs()).not.toContain('acme.user._public.signups');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports configuration and connection problems in one line, exit 2, without the password', async () => {
    const unreachable = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', '127.0.0.1:1');
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^meshform kafka plan: cannot connect to Kafka at 127.0.0.1:1/);

    const bad = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', 'no-port');
    expect(bad).toMatchObject({ code: 2, stderr: 'meshform kafka: bad Kafka bootstrap "no-port": expected host:port[,host:port...]' });

    await withEnv({ MESHFORM_KAFKA_PASSWORD: 'wrong-password-123' }, async () => {
      const denied = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
      expect(denied.code).toBe(2);
      expect(denied.stderr).not.toContain('wrong-password-123');
      expect(denied.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('says to set SASL credentials when a SASL listener drops an unauthenticated client', async () => {
    const withoutSasl = Object.fromEntries(ENV.slice(1).map((key) => [key, undefined]));
    await withEnv(withoutSasl, async () => {
      const result = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/closed the connection: if its listener requires SASL, set MESHFORM_KAFKA_SASL_MECHANISM/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it('rejects a bad command line as a usage error, exit 2', async () => {
    expect(await kafka('destroy')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^meshform kafka: unknown command 'destroy'/) });
    expect(await kafka('plan', SPECS)).toMatchObject({ code: 2, stderr: expect.stringMatching(/required option '-s, --stack <name>' not specified/) });
    expect(await kafka('export', '--bootstrap', broker.bootstrap)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/required option '--domain <urn>' not specified/),
    });
    expect(await kafka('export', '--domain', 'acme', '--bootstrap', broker.bootstrap)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^meshform kafka export: "acme" is not a product URN/),
    });
  });
});

describe('meshform kafka export', () => {
  it('writes a spec that validates and whose plan changes nothing on the cluster', async () => {
    await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
    const dir = mkdtempSync(join(tmpdir(), 'meshform-export-'));
    try {
      const out = join(dir, 'user.yaml');
      const exported = await kafka('export', '--domain', 'urn:acme:user', '--bootstrap', broker.bootstrap, '--out', out);
      expect(exported.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text).toContain('replace-me@example.com');
      expect(text).toContain('grant-access:urn:acme:billing');
      expect(text).not.toContain('userprops');

      const { mesh, diagnostics } = await loadMesh([out]);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(mesh?.products.map((p) => [p.id, p.topics.map((t) => [t.name, t.visibility, t.partitions, t.config])])).toEqual([
        [
          'acme.user',
          [
            ['acme.user._private.sessions', 'private', 1, { 'cleanup.policy': 'compact' }],
            ['acme.user._protected.profiles', 'protected', 1, {}],
            ['acme.user._public.signups', 'public', 1, { 'retention.ms': '86400000' }],
          ],
        ],
      ]);

      const adopted = await kafka('plan', out, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--json');
      expect(adopted.code).toBe(0);
      expect(JSON.parse(adopted.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0, refused: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
