import { ChildProcess, spawn, spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Kafka, logLevel } from 'kafkajs';

const BIN = join(__dirname, '..', 'bin', 'kafka-test-broker.js');

function start(args: string[]): Promise<{ child: ChildProcess; address: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const ready = /^listening on (\S+)\n/.exec(stdout);
      if (ready) resolve({ child, address: ready[1], output: () => stdout });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('kafka-test-broker bin', () => {
  it('prints its address, serves kafkajs, and on SIGTERM prints the request counts as one JSON line', async () => {
    const { child, address, output } = await start(['--port', '0', '--brokers', '2']);
    const admin = new Kafka({ brokers: [address], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'from.bin', replicationFactor: 2 }] });
    expect((await admin.describeCluster()).brokers).toHaveLength(2);
    await admin.disconnect();
    const done = exited(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
    const lines = output().trim().split('\n');
    expect(lines).toHaveLength(2);
    const stats = JSON.parse(lines[1]) as { requests: Record<string, number> };
    expect(stats.requests.CreateTopics).toBe(1);
    expect(stats.requests.ApiVersions).toBeGreaterThanOrEqual(1);
  });

  it('turns the authorizer on with --sasl-users and honours --super-users', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-test-broker-'));
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify({ admin: 'a-pw', alice: 'b-pw' }));
    const { child, address } = await start(['--port', '0', '--sasl-users', users, '--super-users', 'User:admin']);
    const connect = async (username: string, password: string) => {
      const admin = new Kafka({ brokers: [address], logLevel: logLevel.NOTHING, retry: { retries: 0 }, sasl: { mechanism: 'plain', username, password } }).admin();
      await admin.connect();
      return admin;
    };
    const admin = await connect('admin', 'a-pw');
    await admin.createTopics({ topics: [{ topic: 'guarded' }] });
    const alice = await connect('alice', 'b-pw');
    expect(await alice.listTopics()).toEqual([]);
    await expect(connect('alice', 'wrong')).rejects.toThrow('Authentication failed');
    await Promise.all([admin.disconnect(), alice.disconnect()]);
    const done = exited(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
  });

  it.each([
    [['--brokers', '2'], '--port is required'],
    [['--port', 'x'], "--port must be an integer from 0 to 65535, got 'x'"],
    [['--port', '0', '--brokers', '0'], '--brokers must be an integer from 1 to 64'],
    [['--port', '0', '--nope'], "Unknown option '--nope'"],
    [['--port', '0', '--sasl-users', '/nonexistent/users.json'], 'cannot read --sasl-users /nonexistent/users.json: ENOENT'],
  ])('refuses %j with a one-line error and exit code 2', (args, message) => {
    const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`kafka-test-broker: ${message}`);
  });

  it('does not echo passwords from a malformed users file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-test-broker-'));
    const users = join(dir, 'users.json');
    writeFileSync(users, '{"alice": "hunter2", ');
    const run = spawnSync(process.execPath, [BIN, '--port', '0', '--sasl-users', users], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('not valid JSON');
    expect(run.stderr).not.toContain('hunter2');
  });
});
