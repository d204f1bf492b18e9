/**
 * Two `meshform kafka apply` processes against one real Apache Kafka (the kafka peer): the second
 * waits for the first's lease, saying whose it is, and then applies; with --lease-wait 0 it refuses
 * and changes nothing. Nothing of either run is lost: what each made is read with kafkajs's admin
 * client, not with meshform. To make the overlap certain, the first process talks to Kafka through
 * a proxy that holds its traffic once it holds the lease, until the second has said it waits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminConnection, ADMIN } from './broker';
import { ACCESS_SPEC_TOPICS } from './fixtures';
import { leaseAcls, withAdmin } from './oracle';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { REAL_KAFKA_START_MS, describeWithRealKafka, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';

const ROOT = join(__dirname, '..', '..');
const FIRST_SPECS = join(__dirname, 'specs', 'access');
const SECOND_TOPICS = ['acme.leased._public.events', 'acme.leased._private.state'];

interface Running {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `meshform kafka apply` as its own process (the packaged bin, built dist/), from the checkout. */
function apply(specs: string, bootstrap: string, ...more: string[]): Running {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'meshform.js'), 'kafka', 'apply', specs, '--stack', 'dev', '--bootstrap', bootstrap, '--yes', ...more], {
    cwd: ROOT,
    env: { ...process.env, MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: ADMIN.username, MESHFORM_KAFKA_PASSWORD: ADMIN.password, MESHFORM_KAFKA_LEASE_WAIT: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, stderr: () => stderr, done };
}

async function until(what: string, test: () => Promise<boolean> | boolean, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!(await test())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeWithRealKafka('two kafka apply processes on real Kafka share it through the lease', () => {
  let kafka: RealKafka;
  let proxy: TcpProxy;
  let secondSpecs: string;

  beforeAll(async () => {
    kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: [`User:${ADMIN.username}`] });
    proxy = await startTcpProxy(kafka.bootstrap);
    secondSpecs = mkdtempSync(join(tmpdir(), 'meshform-lease-'));
    writeFileSync(
      join(secondSpecs, 'leased.yaml'),
      [
        'asyncapi: 3.0.0',
        'id: urn:acme:leased',
        'info: {title: Leased, version: 1.0.0}',
        'x-meshform: {owners: [user:ann@acme.com]}',
        'channels:',
        '  events: {address: _public.events}',
        '  state: {address: _private.state}',
        'operations:',
        "  send: {action: send, channel: {$ref: '#/channels/events'}}",
        "  keep: {action: send, channel: {$ref: '#/channels/state'}}",
        '',
      ].join('\n'),
    );
  }, REAL_KAFKA_START_MS);
  afterAll(async () => {
    await proxy?.close();
    await kafka?.stop();
    if (secondSpecs) rmSync(secondSpecs, { recursive: true, force: true });
  });

  const connection = () => adminConnection(kafka.bootstrap);
  const topics = () => withAdmin(connection(), async (admin) => (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort());
  /** Who holds the lease, from the bindings kafkajs lists (`<who>` is the principal's last, %-encoded part). */
  const leaseHolders = async () => (await leaseAcls(connection())).map((a) => decodeURIComponent(a.principal.split('/').slice(3).join('/')));

  /** Starts the first apply through the proxy and holds its traffic once it holds the lease. */
  async function firstHoldingTheLease(): Promise<Running> {
    // Its traffic is held at its first request after the lease's CreateAcls (API key 30), seen at the
    // proxy: the binding is made and the run stalls holding it, however quickly it would finish.
    let leased = false;
    proxy.watch(({ apiKey }) => {
      if (apiKey === 30) leased = true;
      else if (leased) {
        proxy.hold();
        proxy.watch(undefined);
      }
    });
    const first = apply(FIRST_SPECS, proxy.address);
    await until('the first apply to hold the lease', async () => (await leaseHolders()).length > 0);
    proxy.hold();
    expect(await leaseHolders()).toEqual([expect.stringMatching(new RegExp(`@.* pid ${first.child.pid}: meshform kafka apply \\(stack dev\\)$`))]);
    return first;
  }

  it('the second waits, naming the first, then applies; both exit 0 and everything of both is there', async () => {
    const first = await firstHoldingTheLease();
    const second = apply(secondSpecs, kafka.bootstrap);
    await until('the second apply to say it waits', () => second.stderr().includes("waiting for the cluster's lease"));
    expect(second.stderr()).toMatch(new RegExp(`meshform kafka apply: waiting for the cluster's lease: \\S+@\\S+ pid ${first.child.pid}: meshform kafka apply \\(stack dev\\) holds it \\(until \\S+ unless renewed\\)`));
    proxy.release();

    const [a, b] = await Promise.all([first.done, second.done]);
    expect([a.code, a.stderr]).toEqual([0, expect.any(String)]);
    expect([b.code, b.stderr]).toEqual([0, expect.any(String)]);
    expect(a.stdout).toMatch(/\+ CREATED topic acme\.user\._public\.signups/);
    expect(b.stdout).toMatch(/\+ CREATED topic acme\.leased\._public\.events/);
    expect(await topics()).toEqual([...ACCESS_SPEC_TOPICS, ...SECOND_TOPICS].sort());
    expect(await leaseHolders()).toEqual([]);
  }, 300_000);

  it('with --lease-wait 0 the second refuses: exit 2, whose lease it is, nothing of it made; the first finishes', async () => {
    // The first apply has work again (one of its topics to create), so it holds the lease long enough to be seen.
    await withAdmin(connection(), (admin) => admin.deleteTopics({ topics: [...SECOND_TOPICS, ACCESS_SPEC_TOPICS[0]] }));
    await until('the deleted topics to be gone', async () => !(await topics()).includes(ACCESS_SPEC_TOPICS[0]));
    const first = await firstHoldingTheLease();
    const second = await apply(secondSpecs, kafka.bootstrap, '--lease-wait', '0').done;
    proxy.release();
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n').pop()).toMatch(
      new RegExp(`^meshform kafka apply: another meshform run is changing this cluster: \\S+@\\S+ pid ${first.child.pid}: meshform kafka apply \\(stack dev\\) holds its lease \\(until \\S+ unless renewed\\)\\. Nothing was changed`),
    );
    expect((await first.done).code).toBe(0);
    expect(await topics()).toEqual([...ACCESS_SPEC_TOPICS].sort());
    expect(await leaseHolders()).toEqual([]);
  }, 300_000);

  it('a run with nothing to change takes no lease: only reads on the wire, and it does not wait for a lease another run holds', async () => {
    // The first specs are all applied by now: a re-run of them has nothing to change.
    proxy.resetRequests();
    const noop = await apply(FIRST_SPECS, proxy.address).done;
    expect(noop.code).toBe(0);
    const seen = proxy.requests();
    // Kafka's API keys (its protocol guide): none of the writes, each request kind at most once.
    const WRITES = { CreateTopics: 19, DeleteTopics: 20, CreateAcls: 30, DeleteAcls: 31, CreatePartitions: 37, IncrementalAlterConfigs: 44, AlterClientQuotas: 49 };
    expect(Object.entries(WRITES).filter(([, key]) => seen.has(key))).toEqual([]);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
    expect(seen.get(3)).toBe(1); // one Metadata
    expect(seen.get(29)).toBe(1); // one DescribeAcls

    // Another run's lease, written with kafkajs as docs/kafka.md describes it (DENY READ on TOPIC
    // __meshform_lease for User:meshform-lease/<expires at, ms>/<run id>/<who>): a no-op with
    // --lease-wait 0 neither waits nor refuses, and leaves that binding alone.
    const other = {
      resourceType: 2, // TOPIC
      resourceName: '__meshform_lease',
      resourcePatternType: 3, // LITERAL
      principal: `User:meshform-lease/${Date.now() + 600_000}/other-run/${encodeURIComponent('ci@elsewhere pid 7: meshform kafka apply (stack dev)')}`,
      host: '*',
      operation: 3, // READ
      permissionType: 2, // DENY
    };
    await withAdmin(connection(), (admin) => admin.createAcls({ acl: [other] }));
    try {
      await until('the other run\'s lease to be listed', async () => (await leaseHolders()).length === 1);
      const waited = await apply(FIRST_SPECS, kafka.bootstrap, '--lease-wait', '0').done;
      expect([waited.code, waited.stderr]).toEqual([0, expect.not.stringMatching(/lease/)]);
      expect(await leaseHolders()).toEqual(['ci@elsewhere pid 7: meshform kafka apply (stack dev)']);
    } finally {
      await withAdmin(connection(), (admin) => admin.deleteAcls({ filters: [other] }));
    }
  }, 300_000);
});
