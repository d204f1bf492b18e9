import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaWire, type KafkaConnection } from '../../src/adapters/kafka';
import { main } from '../../src/cli/main';
import { loadMesh } from '../../src/model';
import type { TestBroker } from '@meshform/kafka-test-broker';
import { restoreEnvAfterAll, withEnv } from '../support/env';
import { runRecorded } from '../support/io';
import { expectRecorded } from '../support/recorded';
import { REAL_KAFKA_START_MS, describeWithRealKafka, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { startTcpProxy } from '../support/tcp-proxy';
import { ADMIN, adminConnection, startAdminBroker } from './broker';
import { ACCESS_SPEC_TOPICS } from './fixtures';
import { growPartitionsOutOfBand, leaseAcls, observe, wipe, withAdmin } from './oracle';

/** The kafka verbs as the command line has them. */
const run = (argv: string[], io: Parameters<typeof main>[1]) => main(['kafka', ...argv], io);

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

/** Topic names on the cluster as kafkajs's admin client lists them (not the engine). */
const topicsOnCluster = async () => [...(await observe(connection)).topics.keys()];

const EXAMPLE_SPECS = join(__dirname, '..', '..', 'specs');

/** As if a person at a terminal answered `answer` to the confirmation. */
function kafkaAnswering(answer: (question: string) => Promise<string> | string, ...argv: string[]) {
  return runRecorded((io) => run(argv, io), { interactive: true, answer });
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

    const applied = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('+ CREATED topic acme.user._protected.profiles (partitions 1, replicas 1)');
    expect(applied.stdout.split('\n').pop()).toBe(`${planned.summary.create} created, 0 updated, 0 deleted, 0 unchanged`);

    const again = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`0 to create, 0 to update, 0 to delete, ${planned.summary.create} unchanged`);
  });

  it('exits 1 and names the remedy when a change is refused', async () => {
    await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
    const wire = await KafkaWire.open(connection);
    await wire.metadata();
    await wire.createPartitions([{ topic: 'acme.user._public.signups', count: 3 }]);
    await wire.close();

    const refused = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/! REFUSED topic acme.user._public.signups: partitions 3 -> 1: Kafka cannot remove partitions; raise the spec.s partitions .scaled by the stack.s partitionFactor. so the plan keeps 3 or more/);
    expect(refused.stdout.split('\n').pop()).toMatch(/, 1 refused$/);
  });

  it('refuses to delete a topic another spec still consumes, even on a stack that allows deletes, unless --allow-breaking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshform-guard-'));
    try {
      cpSync(SPECS, dir, { recursive: true });
      expect((await kafka('apply', dir, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes')).code).toBe(0);
      // The owner drops its public signups topic; billing still receives from it.
      const user = readFileSync(join(dir, 'user.yaml'), 'utf8');
      writeFileSync(join(dir, 'user.yaml'), user.replace(/ {2}signups:\n[\s\S]*?(?= {2}profiles:)/, '').replace(/ {2}sendSignups:\n.*\n.*\n/, ''));

      const refused = await kafka('apply', dir, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('! REFUSED topic acme.user._public.signups: consumed by acme.billing (their specs still receive from it): deleting it breaks them, so it also needs --allow-breaking');
      expect(await topicsOnCluster()).toContain('acme.user._public.signups');

      const deleted = await kafka('apply', dir, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--allow-breaking', '--yes');
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toContain('- DELETED topic acme.user._public.signups');
      expect(await topicsOnCluster()).not.toContain('acme.user._public.signups');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports configuration and connection problems in one line, exit 2, without the password', async () => {
    const unreachable = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', '127.0.0.1:1');
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.split('\n')).toHaveLength(2);
    expect(unreachable.stderr.split('\n')[1]).toMatch(/^meshform kafka plan: cannot connect to Kafka at 127.0.0.1:1/);

    const bad = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', 'no-port');
    expect(bad).toMatchObject({ code: 2, stderr: "meshform kafka: bad Kafka bootstrap: 'no-port' is not a broker address: no port (expected host:port[,host:port...], an IPv6 address in brackets: [::1]:9092)" });

    await withEnv({ MESHFORM_KAFKA_PASSWORD: 'wrong-password-123' }, async () => {
      const denied = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
      expect(denied.code).toBe(2);
      expect(denied.stderr).not.toContain('wrong-password-123');
      expect(denied.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('reaches a broker at an IPv6 address in brackets', async () => {
    const proxy = await startTcpProxy(broker.bootstrap, '::1');
    try {
      expect(proxy.address).toMatch(/^\[::1\]:\d+$/);
      const applied = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', proxy.address, '--yes');
      expect(applied.code).toBe(0);
      expect(applied.stderr).toContain(`Kafka at ${proxy.address} as User:admin`);
      // What the apply made, read by kafkajs's admin through the IPv4 address (not through meshform's wire).
      expect((await topicsOnCluster()).sort()).toEqual([...ACCESS_SPEC_TOPICS].sort());
      expect(proxy.requests().size).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('says to set SASL credentials when a SASL listener drops an unauthenticated client', async () => {
    const withoutSasl = Object.fromEntries(ENV.slice(1).map((key) => [key, undefined]));
    await withEnv(withoutSasl, async () => {
      const result = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/closed the connection: if its listener requires SASL, set MESHFORM_KAFKA_SASL_MECHANISM/);
      expect(result.stderr.trim().split('\n')).toHaveLength(2);
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
    await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
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

describe('meshform kafka: where and as whom', () => {
  it('names the cluster, the principal and the stack on stderr in every run, not only on a terminal', async () => {
    const plan = await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap);
    expect(plan.stderr.split('\n')[0]).toBe(`meshform kafka plan: Kafka at ${broker.bootstrap} as User:admin (SASL plain, TLS off), stack 'dev'`);
    const apply = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
    expect(apply.stderr.split('\n')[0]).toBe(`meshform kafka apply: Kafka at ${broker.bootstrap} as User:admin (SASL plain, TLS off), stack 'dev'`);
    const exported = await kafka('export', '--domain', 'urn:acme:user', '--bootstrap', broker.bootstrap);
    expect(exported.stderr.split('\n')[0]).toBe(`meshform kafka export: reading Kafka at ${broker.bootstrap} as User:admin (SASL plain, TLS off)`);
    expect(plan.stderr + apply.stderr + exported.stderr).not.toContain(ADMIN.password);
  });
});

describe('meshform kafka plan --detailed-exitcode', () => {
  it('exits 2 while there are changes (a refused one too), 0 once there are none, 1 for any error', async () => {
    const plan = (...more: string[]) => kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--detailed-exitcode', ...more);
    expect((await plan()).code).toBe(2);
    await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
    expect((await plan()).code).toBe(0);
    expect((await plan('--json')).code).toBe(0);

    const wire = await KafkaWire.open(connection);
    await wire.metadata();
    await wire.createPartitions([{ topic: 'acme.user._public.signups', count: 3 }]);
    await wire.close();
    expect((await plan()).code).toBe(2);

    expect((await kafka('plan', SPECS, '--stack', 'nope', '--detailed-exitcode')).code).toBe(1);
    expect((await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', '127.0.0.1:1', '--detailed-exitcode')).code).toBe(1);
    expect((await kafka('plan', SPECS, '--stack', 'dev', '--frobnicate', '--detailed-exitcode')).code).toBe(1);
  });
});

describe('meshform kafka apply: confirmation', () => {
  const apply = ['apply', SPECS, '--stack', 'dev'];
  // The access specs on an empty cluster: 6 topics; 20 owner ACLs for each of the 3 products (topics
  // under its 3 visibility prefixes, groups and transactional ids under `<id>.` and `<id>-`), READ and
  // DESCRIBE for User:* on 3 public topics and for acme.billing on 2 protected ones: 6 + 60 + 6 + 4 = 76.
  const CHANGES = 76;

  it('without a terminal and without --yes it changes nothing, exit 2', async () => {
    const run = await kafka(...apply, '--bootstrap', broker.bootstrap);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[1]).toBe('meshform kafka apply: no change made: confirm on a terminal, or pass --yes (e.g. in CI)');
    expect(await topicsOnCluster()).toEqual([]);
  });

  it("on a terminal it shows the changes and asks; anything but 'yes' cancels, exit 1, nothing changed", async () => {
    const run = await kafkaAnswering(() => 'y', ...apply, '--bootstrap', broker.bootstrap);
    expect(run.code).toBe(1);
    expect(run.questions).toEqual([`Apply ${CHANGES} change(s) to Kafka at ${broker.bootstrap}? Only 'yes' applies: `]);
    expect(run.stdout).toContain('+ CREATE topic acme.user._protected.profiles (partitions 1, replicas 1)');
    expect(run.stdout.split('\n').pop()).toBe(`${CHANGES} to create, 0 to update, 0 to delete, 0 unchanged`);
    expect(run.stderr.split('\n').pop()).toBe('meshform kafka apply: cancelled; no change made');
    expect(await topicsOnCluster()).toEqual([]);
    // The whole session as a person sees it (stdout, the question, stderr), the broker's port masked.
    const session = [run.stdout, ...run.questions.map((q) => `${q}y`), run.stderr].join('\n').split(broker.bootstrap).join('<bootstrap>');
    expectRecorded(join(__dirname, 'recorded', 'apply-answered-no.txt'), session);
  });

  it("on 'yes' it makes the changes it showed; with nothing to change it does not ask", async () => {
    const run = await kafkaAnswering(() => 'yes', ...apply, '--bootstrap', broker.bootstrap);
    expect(run.code).toBe(0);
    const [shown, done] = run.stdout.split(`${CHANGES} to create, 0 to update, 0 to delete, 0 unchanged\n`);
    expect(shown).toContain('+ CREATE topic acme.user._public.signups');
    expect(done).toContain('+ CREATED topic acme.user._public.signups');
    expect(done.split('\n').pop()).toBe(`${CHANGES} created, 0 updated, 0 deleted, 0 unchanged`);
    expect(await topicsOnCluster()).toEqual(ACCESS_SPEC_TOPICS);

    const again = await kafkaAnswering(() => 'yes', ...apply, '--bootstrap', broker.bootstrap);
    expect(again).toMatchObject({ code: 0, questions: [], stdout: `0 to create, 0 to update, 0 to delete, ${CHANGES} unchanged` });
  });

  it("holds no lease while the question is open; if the cluster changes meanwhile, it changes nothing and names what moved, exit 2", async () => {
    const leasesWhileAsked: unknown[] = [];
    const meanwhile = async () => {
      leasesWhileAsked.push(...(await leaseAcls(connection)));
      await withAdmin(connection, (admin) => admin.createTopics({ topics: [{ topic: 'acme.user._public.signups', numPartitions: 2, replicationFactor: 1 }] }));
      return 'yes';
    };
    const run = await kafkaAnswering(meanwhile, ...apply, '--bootstrap', broker.bootstrap);
    expect(leasesWhileAsked).toEqual([]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').pop()).toBe('meshform kafka apply: the cluster moved since the plan was shown: topics of acme.user; nothing was changed: run the command again');
    expect(await topicsOnCluster()).toEqual(['acme.user._public.signups']);
    expect(await leaseAcls(connection)).toEqual([]);
  });

  it('--all-or-nothing holds back the other changes of a product with a refused one', async () => {
    await kafka(...apply, '--bootstrap', broker.bootstrap, '--yes');
    const wire = await KafkaWire.open(connection);
    await wire.metadata();
    await wire.createPartitions([{ topic: 'acme.user._public.signups', count: 3 }]);
    await wire.deleteTopics(['acme.user._private.sessions', 'acme.billing._public.invoices']);
    await wire.close();

    const run = await kafka(...apply, '--bootstrap', broker.bootstrap, '--yes', '--all-or-nothing');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '! REFUSED topic acme.user._private.sessions: held back: all or nothing: topic acme.user._public.signups is refused; nothing of acme.user is changed',
    );
    expect(run.stdout).toContain('+ CREATED topic acme.billing._public.invoices');
    expect(await topicsOnCluster()).not.toContain('acme.user._private.sessions');
    expect(await topicsOnCluster()).toContain('acme.billing._public.invoices');
  });
});

describe('meshform kafka export --stack', () => {
  it("writes sizes the stack turns back into the cluster's, so the export plans no change there (was: REFUSED partitions 2 -> 1)", async () => {
    await kafka('apply', EXAMPLE_SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
    const dir = mkdtempSync(join(tmpdir(), 'meshform-export-'));
    try {
      const out = join(dir, 'orders.yaml');
      const exported = await kafka('export', '--domain', 'urn:acme:retail:orders', '--stack', 'dev', '--bootstrap', broker.bootstrap, '--out', out);
      expect(exported.code).toBe(0);
      expect(exported.stderr).toContain(
        "meshform kafka export: note: sizes of 3 topic(s) written as the spec values that stack 'dev' turns into the cluster's " +
          '(partitions / partitionFactor 0.25, replicas at replicasCap 1 left to defaultReplicas)',
      );
      const { mesh } = await loadMesh([out]);
      // On dev, order_placed has ceil(6 * 0.25) = 2 partitions: written as 2 / 0.25 = 8; the other two have 1: written as 4.
      expect(mesh?.products[0].topics.map((t) => [t.name, t.partitions, t.replicas])).toEqual([
        ['acme.retail.orders._private.order_state', 4, undefined],
        ['acme.retail.orders._protected.order_payment', 4, undefined],
        ['acme.retail.orders._public.order_placed', 8, undefined],
      ]);
      const replanned = await kafka('plan', out, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--json');
      expect(replanned.code).toBe(0);
      expect(JSON.parse(replanned.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0, refused: 0 });

      // Without --stack the cluster's values are copied as they are, which dev scales down again.
      const raw = join(dir, 'raw.yaml');
      await kafka('export', '--domain', 'urn:acme:retail:orders', '--bootstrap', broker.bootstrap, '--out', raw);
      const refused = await kafka('plan', raw, '--stack', 'dev', '--bootstrap', broker.bootstrap);
      expect(refused.stdout).toMatch(/! REFUSED topic acme\.retail\.orders\._public\.order_placed: partitions 2 -> 1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 and writes nothing when nothing on the cluster belongs to the product, naming the nearest one', async () => {
    await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes');
    const dir = mkdtempSync(join(tmpdir(), 'meshform-export-'));
    try {
      const out = join(dir, 'users.yaml');
      const run = await kafka('export', '--domain', 'urn:acme:users', '--bootstrap', broker.bootstrap, '--out', out);
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')[1]).toBe(
        'meshform kafka export: no topic of urn:acme:users on the cluster (none under acme.users._public/_protected/_private) (did you mean urn:acme:user?); nothing written',
      );
      expect(() => readFileSync(out)).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The same commands on real Apache Kafka, as a user of the `dev` stack meets them: the bootstrap
 * says `localhost`, the broker advertises `127.0.0.1` (every change used to fail there). The cluster
 * is read and changed out of band with kafkajs.
 */
describeWithRealKafka('meshform kafka on real Kafka, through localhost', () => {
  let real: RealKafka;
  let via: string;
  let direct: KafkaConnection;

  beforeAll(async () => {
    real = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    via = real.bootstrap.replace(/^127\.0\.0\.1:/, 'localhost:');
    direct = adminConnection(real.bootstrap);
  }, REAL_KAFKA_START_MS);
  afterAll(() => real?.stop());
  afterEach(() => wipe(direct), 60000);

  it('applies everything, then finds nothing to do; a partition decrease is refused with the remedy', async () => {
    const applied = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', via, '--yes', '--json');
    expect(applied.code).toBe(0);
    const summary = JSON.parse(applied.stdout).summary;
    expect(summary).toMatchObject({ update: 0, delete: 0, unchanged: 0, refused: 0, failed: 0 });
    expect([...(await observe(direct)).topics.keys()]).toEqual(ACCESS_SPEC_TOPICS);
    expect((await kafka('plan', SPECS, '--stack', 'dev', '--bootstrap', via)).stdout).toBe(`0 to create, 0 to update, 0 to delete, ${summary.create} unchanged`);

    await growPartitionsOutOfBand(direct, 'acme.user._public.signups', 3);
    const refused = await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', via, '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/! REFUSED topic acme.user._public.signups: partitions 3 -> 1: Kafka cannot remove partitions/);
  });

  it('exports a domain whose spec validates and plans no change', async () => {
    expect((await kafka('apply', SPECS, '--stack', 'dev', '--bootstrap', via, '--yes')).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'meshform-export-real-'));
    try {
      const out = join(dir, 'user.yaml');
      expect((await kafka('export', '--domain', 'urn:acme:user', '--bootstrap', via, '--out', out)).code).toBe(0);
      const { mesh, diagnostics } = await loadMesh([out]);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(mesh?.products[0].topics.map((t) => t.name)).toEqual(ACCESS_SPEC_TOPICS.filter((t) => t.startsWith('acme.user.')));
      const adopted = await kafka('plan', out, '--stack', 'dev', '--bootstrap', via, '--json');
      expect(JSON.parse(adopted.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0, refused: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
