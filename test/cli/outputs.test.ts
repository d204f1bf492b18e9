/** Where the CLI writes: usage and files, never over something a user has not asked to replace. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, type TestBroker } from '@meshform/kafka-test-broker';
import { runCli } from './support';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshform-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('meshform without a command', () => {
  it('prints the usage on stderr, nothing on stdout, exit 2', async () => {
    const run = await runCli();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: meshform \[options\] \[command\]$/m);
  });

  it('prints the usage on stdout with --help, exit 0', async () => {
    const run = await runCli('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: meshform \[options\] \[command\]$/m);
    expect(run.stderr).toBe('');
  });
});

describe('meshform crossplane render --out', () => {
  it('says that --out takes a folder when it names a file, exit 2, and leaves the file alone', async () => {
    const file = join(dir, 'notes.yaml');
    writeFileSync(file, 'mine\n');
    const run = await runCli('crossplane', 'render', '--stack', 'staging', '--out', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`meshform crossplane: cannot write to ${file}: ${file} is a file; --out takes a folder`);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });
});

describe('meshform kafka export --out', () => {
  const ENV = ['MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD'] as const;
  const saved = ENV.map((k) => process.env[k]);
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker({ saslUsers: { admin: 'admin-secret' }, superUsers: ['User:admin'] });
    Object.assign(process.env, { MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: 'admin', MESHFORM_KAFKA_PASSWORD: 'admin-secret' });
    // Something to export: a topic of the product.
    const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', username: 'admin', password: 'admin-secret' } }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'acme.retail.orders._public.placed', numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
  });
  afterAll(async () => {
    ENV.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
    await broker.stop();
  });

  const exportTo = async (out: string, ...more: string[]) => {
    const run = await runCli('kafka', 'export', '--domain', 'urn:acme:retail:orders', '--bootstrap', broker.bootstrap, '--out', out, ...more);
    const [target, ...rest] = run.stderr.split('\n');
    expect(target).toBe(`meshform kafka export: reading Kafka at ${broker.bootstrap} as User:admin (SASL plain, TLS off)`);
    return { ...run, stderr: rest.join('\n') };
  };

  it('creates the folder it is asked to write into (was: ENOENT stack trace, exit 70)', async () => {
    const out = join(dir, 'new', 'folder', 'orders.yaml');
    const run = await exportTo(out);
    expect(run.stderr).toBe(`meshform kafka export: wrote ${out}`);
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^id: urn:acme:retail:orders$/m);
  });

  it('keeps an existing file unless --force, exit 2, and never prints the password', async () => {
    const out = join(dir, 'orders.yaml');
    writeFileSync(out, '# edited by the team\n');
    const refused = await exportTo(out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`meshform kafka export: ${out} already exists; pass --force to overwrite it`);
    expect(readFileSync(out, 'utf8')).toBe('# edited by the team\n');

    const forced = await exportTo(out, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^asyncapi: 3\.0\.0$/m);
    expect(refused.stderr + forced.stderr + forced.stdout).not.toContain('admin-secret');
  });

  it('says so in one line when a part of the folder path is a file', async () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    const run = await exportTo(join(file, 'orders.yaml'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`meshform kafka export: cannot write ${join(file, 'orders.yaml')}: a part of its folder path is a file`);
    expect(existsSync(join(file, 'orders.yaml'))).toBe(false);
  });
});
