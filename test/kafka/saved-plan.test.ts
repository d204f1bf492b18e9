/**
 * Plans people can trust: `kafka plan|apply --product`, `kafka plan --out` + `kafka apply --plan`
 * (exactly the saved changes, or none when the cluster moved), `--strict` and `--detailed-exitcode`.
 * The cluster is read and changed behind meshform's back with kafkajs's public admin API (and, on
 * real Kafka, with Kafka's own kafka-configs), never with the engine's client.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestBroker, type TestBroker } from '@meshform/kafka-test-broker';
import { REAL_KAFKA_START_MS, describeWithRealKafka, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { kafkaConfigs } from '@meshform/peers/testing/clients/kafka-tools';
import type { KafkaConnection } from '../../src/adapters/kafka';
import { main } from '../../src/cli/main';
import { restoreEnvAfterAll, withEnv } from '../support/env';
import { runRecorded } from '../support/io';
import { ADMIN, adminConnection, startAdminBroker } from './broker';
import { ACCESS_SPEC_TOPICS } from './fixtures';
import { binding, growPartitionsOutOfBand, leaseAcls, observe, setTopicConfigOutOfBand, wipe, withAdmin, type Observed } from './oracle';
import { aclToKafkajs } from '@meshform/peers/testing/clients/acl-names';

const SPECS = join(__dirname, 'specs', 'access');
const WARNING_SPEC = join(__dirname, '..', 'fixtures', 'specs', 'invalid', 'grant-on-public-topic.yaml');
const ENV = ['MESHFORM_KAFKA_BOOTSTRAP', 'MESHFORM_KAFKA_SASL_MECHANISM', 'MESHFORM_KAFKA_USERNAME', 'MESHFORM_KAFKA_PASSWORD'];

restoreEnvAfterAll(ENV);
beforeAll(() => {
  process.env.MESHFORM_KAFKA_SASL_MECHANISM = 'plain';
  process.env.MESHFORM_KAFKA_USERNAME = ADMIN.username;
  process.env.MESHFORM_KAFKA_PASSWORD = ADMIN.password;
});

function kafka(...argv: string[]) {
  return runRecorded((io) => main(['kafka', ...argv], io));
}

/** A scratch folder with a copy of the access specs (user, billing, userprops), removed after the test. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshform-saved-plan-'));
  cpSync(SPECS, join(dir, 'specs'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const specs = () => join(dir, 'specs');
const planFile = () => join(dir, 'plans', 'dev.plan.json');

/** The spec of acme.user with the retention of its signups topic set to `ms`. */
function setSignupsRetention(ms: number): void {
  const file = join(specs(), 'user.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('retention.ms: 86400000', `retention.ms: ${ms}`));
}

/** Every topic, config and ACL, as kafkajs sees them, in one comparable value. */
const snapshot = async (connection: KafkaConnection) => JSON.stringify(await observe(connection), (_k, v) => (v instanceof Map ? [...v] : v));

describe('kafka plan --out, kafka apply --plan (test broker)', () => {
  let broker: TestBroker;
  let connection: KafkaConnection;
  beforeEach(async () => ({ broker, connection } = await startAdminBroker()));
  afterEach(() => broker.stop());

  const plan = (...more: string[]) => kafka('plan', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap, '--out', planFile(), ...more);
  const applyPlan = (...more: string[]) => kafka('apply', '--plan', planFile(), '--bootstrap', broker.bootstrap, ...more);

  it('makes exactly the saved changes, even when the specs change after the plan', async () => {
    const planned = await plan();
    expect(planned.code).toBe(0);
    expect(planned.stdout.split('\n').pop()).toBe('76 to create, 0 to update, 0 to delete, 0 unchanged');
    expect(planned.stderr).toContain(`meshform kafka plan: plan saved to ${planFile()}; 'meshform kafka apply --plan ${planFile()}' makes exactly these changes`);
    expect(await observe(connection)).toMatchObject({ topics: new Map(), acls: [] });

    // A new topic in the specs after the plan is not the plan's business.
    const user = join(specs(), 'user.yaml');
    writeFileSync(user, readFileSync(user, 'utf8').replace('  sessions:\n', '  audits:\n    address: _private.audits\n  sessions:\n'));

    const applied = await applyPlan('--yes');
    expect(applied.code).toBe(0);
    expect(applied.stderr.split('\n')[0]).toMatch(/^meshform kafka apply: Kafka at .* as User:admin \(SASL plain, TLS off\), stack 'dev', plan .*dev\.plan\.json made \d{4}-\d\d-\d\dT/);
    expect(applied.stdout).toContain('+ CREATED topic acme.user._public.signups (partitions 1, replicas 1, retention.ms=86400000)');
    expect(applied.stdout.split('\n').pop()).toBe('76 created, 0 updated, 0 deleted, 0 unchanged');
    const seen = await observe(connection);
    expect([...seen.topics.keys()]).toEqual(ACCESS_SPEC_TOPICS);
    expect(seen.configs['acme.user._public.signups']).toEqual({ 'retention.ms': '86400000' });
    expect(seen.acls).toContainEqual(binding('User:acme.billing', 'READ', 'acme.user._protected.profiles'));
    expect(seen.acls).toHaveLength(76 - ACCESS_SPEC_TOPICS.length);

    // The same plan again: the cluster is no longer as it was planned against.
    const twice = await applyPlan('--yes');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/the cluster moved since the plan was made \(.*\): topics of acme.billing, ACLs of acme.billing, topics of acme.user, ACLs of acme.user, topics of acme.userprops, ACLs of acme.userprops; nothing was changed/);
  });

  it.each([
    ['a partition added to a planned product\'s topic', (c: KafkaConnection) => growPartitionsOutOfBand(c, 'acme.user._public.signups', 2), 'topics of acme.user'],
    ['a config set on one of its topics', (c: KafkaConnection) => setTopicConfigOutOfBand(c, 'acme.user._private.sessions', { 'cleanup.policy': 'compact', 'segment.ms': '3600000' }), 'topics of acme.user'],
    ['a topic created under its names', (c: KafkaConnection) => withAdmin(c, (a) => a.createTopics({ topics: [{ topic: 'acme.billing._private.drafts', numPartitions: 1, replicationFactor: 1 }] })), 'topics of acme.billing'],
    ['an ACL added on its resources', (c: KafkaConnection) => withAdmin(c, (a) => a.createAcls({ acl: [aclToKafkajs(binding('User:mallory', 'READ', 'acme.userprops._public.changes'))] })), 'ACLs of acme.userprops'],
  ])('refuses with exit 2 and changes nothing after %s', async (_what, change, moved) => {
    expect((await kafka('apply', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes')).code).toBe(0);
    setSignupsRetention(3600000);
    const planned = await plan();
    expect(planned.stdout).toContain('~ UPDATE topic acme.user._public.signups (retention.ms 86400000 -> 3600000)');

    await change(connection);
    const before = await snapshot(connection);
    const refused = await applyPlan('--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n').pop()).toMatch(new RegExp(`^meshform kafka apply: the cluster moved since the plan was made \\(.*\\): ${moved}; nothing was changed: make a new plan`));
    expect(refused.stdout).toBe('');
    expect(await snapshot(connection)).toBe(before);
    expect((await observe(connection)).configs['acme.user._public.signups']).toEqual({ 'retention.ms': '86400000' });
  });

  it('lets the cluster change outside the plan\'s products (--product)', async () => {
    expect((await kafka('apply', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes')).code).toBe(0);
    setSignupsRetention(3600000);
    const planned = await plan('--product', 'acme.user');
    expect(planned.code).toBe(0);
    expect(planned.stderr).toContain("meshform kafka plan: 1 of 3 product(s) selected by --product acme.user: only their topics, ACLs and schemas are read and changed");
    expect(planned.stdout.split('\n').pop()).toBe('0 to create, 1 to update, 0 to delete, 26 unchanged');

    // acme.userprops is not in the plan: a change there does not make the plan stale.
    await setTopicConfigOutOfBand(connection, 'acme.userprops._public.changes', { 'retention.ms': '7200000' });
    const applied = await applyPlan('--yes');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe('~ UPDATED topic acme.user._public.signups (retention.ms 86400000 -> 3600000)\n0 created, 1 updated, 0 deleted, 26 unchanged');
    const seen = await observe(connection);
    expect(seen.configs['acme.user._public.signups']).toEqual({ 'retention.ms': '3600000' });
    expect(seen.configs['acme.userprops._public.changes']).toEqual({ 'retention.ms': '7200000' });
  });

  it('refuses a plan made for another cluster, exit 2, nothing changed there', async () => {
    expect((await plan()).code).toBe(0);
    const other = await startAdminBroker();
    try {
      const refused = await kafka('apply', '--plan', planFile(), '--bootstrap', other.broker.bootstrap, '--yes');
      expect(refused.code).toBe(2);
      expect(refused.stderr.split('\n').pop()).toMatch(/^meshform kafka apply: the plan was made for the cluster with id \S+ \(at 127\.0\.0\.1:\d+\); this one has id \S+; nothing was changed$/);
      expect((await observe(other.connection)).topics.size).toBe(0);
    } finally {
      await other.broker.stop();
    }
  });

  it('on a terminal shows the saved changes and asks; only yes applies', async () => {
    expect((await plan()).code).toBe(0);
    const asked = await runRecorded((io) => main(['kafka', 'apply', '--plan', planFile(), '--bootstrap', broker.bootstrap], io), { interactive: true, answer: () => 'no' });
    expect(asked.code).toBe(1);
    expect(asked.questions).toEqual([`Apply the 76 change(s) of ${planFile()} to Kafka at ${broker.bootstrap}? Only 'yes' applies: `]);
    expect(asked.stdout).toContain('+ CREATE topic acme.user._public.signups (partitions 1, replicas 1, retention.ms=86400000)');
    expect((await observe(connection)).topics.size).toBe(0);

    const noTerminal = await applyPlan();
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr.split('\n').pop()).toBe('meshform kafka apply: no change made: confirm on a terminal, or pass --yes (e.g. in CI)');

    const yes = await runRecorded((io) => main(['kafka', 'apply', '--plan', planFile(), '--bootstrap', broker.bootstrap], io), { interactive: true, answer: () => 'yes' });
    expect(yes.code).toBe(0);
    expect([...(await observe(connection)).topics.keys()]).toEqual(ACCESS_SPEC_TOPICS);
  });

  it("on a terminal takes the cluster's lease only after the answer, then checks again: moved while the question was open, exit 2 naming what moved", async () => {
    expect((await plan()).code).toBe(0);
    const seenWhileAsked: string[][] = [];
    const meanwhile = async () => {
      // While the question is open, no run of ours holds the cluster: the lease's bindings are empty.
      seenWhileAsked.push((await leaseAcls(connection)).map((a) => a.principal));
      await withAdmin(connection, (a) => a.createTopics({ topics: [{ topic: 'acme.billing._private.drafts', numPartitions: 1, replicationFactor: 1 }] }));
      return 'yes';
    };
    const moved = await runRecorded((io) => main(['kafka', 'apply', '--plan', planFile(), '--bootstrap', broker.bootstrap], io), { interactive: true, answer: meanwhile });
    expect(seenWhileAsked).toEqual([[]]);
    expect(moved.code).toBe(2);
    expect(moved.stderr.split('\n').pop()).toBe(`meshform kafka apply: the cluster moved since the plan was shown: topics of acme.billing; nothing was changed: make a new plan (meshform kafka plan --out ${planFile()})`);
    expect([...(await observe(connection)).topics.keys()]).toEqual(['acme.billing._private.drafts']);
    // The lease was taken after the answer and given back.
    expect(await leaseAcls(connection)).toEqual([]);
  });

  it('holds no password, user name or key', async () => {
    const login = { username: 'ops-7f3a9c', password: 'pw-91c2e4d5' };
    const secured = await startTestBroker({ brokers: 1, saslUsers: { [login.username]: login.password }, superUsers: [`User:${login.username}`], authorizer: true });
    try {
      await withEnv({ MESHFORM_KAFKA_USERNAME: login.username, MESHFORM_KAFKA_PASSWORD: login.password }, async () => {
        const planned = await kafka('plan', specs(), '--stack', 'dev', '--bootstrap', secured.bootstrap, '--out', planFile());
        expect(planned.code).toBe(0);
        const text = readFileSync(planFile(), 'utf8');
        expect(text).toContain('"format":"meshform-kafka-plan"');
        expect(text).not.toContain(login.password);
        expect(text).not.toContain(login.username);
        expect(text).not.toMatch(/password|sasl|jaas/i);
        expect((await kafka('apply', '--plan', planFile(), '--bootstrap', secured.bootstrap, '--yes')).code).toBe(0);
      });
    } finally {
      await secured.stop();
    }
  });

  it('rejects a file that is not a plan, or was changed, and flags the plan decided, exit 2', async () => {
    expect((await plan()).code).toBe(0);
    const text = readFileSync(planFile(), 'utf8');
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, text.replace('"partitions":1', '"partitions":2'));
    expect(await kafka('apply', '--plan', edited, '--yes')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^meshform kafka apply: .*edited\.json was changed after 'meshform kafka plan --out' wrote it \(its checksum does not match\); make the plan again/),
    });
    const notPlan = join(dir, 'not-a-plan.json');
    writeFileSync(notPlan, '{"summary": {}}');
    expect(await kafka('apply', '--plan', notPlan, '--yes')).toMatchObject({ code: 2, stderr: expect.stringMatching(/not-a-plan\.json is not a saved plan; make one with 'meshform kafka plan --out/) });
    expect(await kafka('apply', '--plan', join(dir, 'missing.json'), '--yes')).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot read the plan .*missing\.json: no such file or folder \(ENOENT\)/) });
    expect(await kafka('apply', specs(), '--plan', planFile(), '--yes')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--plan applies the changes saved in .*: give no spec paths/) });
    expect(await kafka('apply', '--plan', planFile(), '--allow-delete', '--yes')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--allow-delete was decided when the plan was made; make a new plan to change it/) });
    expect(await kafka('apply', '--plan', planFile(), '--stack', 'prod', '--yes')).toMatchObject({ code: 2, stderr: expect.stringMatching(/the plan in .* was made for stack 'dev', not 'prod'/) });
    expect(await kafka('apply', specs(), '--yes')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^meshform kafka apply: required option '-s, --stack <name>' not specified/) });
    expect((await observe(connection)).topics.size).toBe(0);
  });
});

describe('kafka plan|apply --product', () => {
  let broker: TestBroker;
  let connection: KafkaConnection;
  beforeEach(async () => ({ broker, connection } = await startAdminBroker()));
  afterEach(() => broker.stop());

  it('reads and changes only the selected products; another product\'s leftovers are not its business', async () => {
    // Something of acme.billing's that its spec does not declare: a plan of all products deletes it (dev allows deletes).
    await withAdmin(connection, (a) => a.createTopics({ topics: [{ topic: 'acme.billing._public.old', numPartitions: 1, replicationFactor: 1 }] }));
    const all = await kafka('plan', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap);
    expect(all.stdout).toContain('- DELETE topic acme.billing._public.old');

    const applied = await kafka('apply', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap, '--product', 'acme.user', '--yes');
    expect(applied.code).toBe(0);
    expect(applied.stdout).not.toContain('acme.billing._public.old');
    // acme.user's 3 topics, 20 owner ACLs, READ and DESCRIBE for User:* on signups and for acme.billing on profiles.
    expect(applied.stdout.split('\n').pop()).toBe('27 created, 0 updated, 0 deleted, 0 unchanged');
    const seen = await observe(connection);
    expect([...seen.topics.keys()]).toEqual(['acme.billing._public.old', ...ACCESS_SPEC_TOPICS.filter((t) => t.startsWith('acme.user.'))]);
    // acme.user's grant to acme.billing is acme.user's ACL: made with acme.user.
    expect(seen.acls).toContainEqual(binding('User:acme.billing', 'READ', 'acme.user._protected.profiles'));
    expect(seen.acls.filter((a) => a.principal === 'User:acme.billing' || a.name.startsWith('acme.billing'))).toEqual([
      binding('User:acme.billing', 'DESCRIBE', 'acme.user._protected.profiles'),
      binding('User:acme.billing', 'READ', 'acme.user._protected.profiles'),
    ]);
  });

  it('a pattern that matches no product is a usage error naming the near miss', async () => {
    const run = await kafka('plan', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap, '--product', 'acme.usr');
    expect(run).toMatchObject({ code: 2, stderr: expect.stringMatching(/meshform kafka plan: --product acme.usr matches no product in the mesh \(did you mean acme.user\?\)/) });
  });
});

describe('kafka plan --detailed-exitcode and --strict', () => {
  let broker: TestBroker;
  let connection: KafkaConnection;
  beforeEach(async () => ({ broker, connection } = await startAdminBroker()));
  afterEach(() => broker.stop());

  it('counts a refused change as pending (exit 2) and names it; 1 is for errors only', async () => {
    const detailed = (...more: string[]) => kafka('plan', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap, '--detailed-exitcode', ...more);
    expect((await kafka('apply', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap, '--yes')).code).toBe(0);
    expect((await detailed()).code).toBe(0);

    // A leftover private topic, whose deletion dev refuses without --allow-delete-private: the cluster still differs from the specs.
    await withAdmin(connection, (a) => a.createTopics({ topics: [{ topic: 'acme.user._private.legacy', numPartitions: 1, replicationFactor: 1 }] }));
    const refused = await detailed();
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('! REFUSED topic acme.user._private.legacy: _private topic not declared in the specs; deleting its data needs --allow-delete-private (or the stack\'s allowDeletePrivate) as well');
    expect(refused.stderr.split('\n').pop()).toBe('meshform kafka plan: 1 refused change(s) pending (exit 2 with --detailed-exitcode): topic acme.user._private.legacy');
    // Without the flag a refusal is a failure to act on: exit 1, as before.
    expect((await kafka('plan', specs(), '--stack', 'dev', '--bootstrap', broker.bootstrap)).code).toBe(1);
    expect((await detailed('--json')).code).toBe(2);
  });

  it('--strict fails on a warning before connecting (exit 1; 2 with --detailed-exitcode would mean changes)', async () => {
    const strict = await kafka('plan', WARNING_SPEC, '--stack', 'dev', '--bootstrap', '127.0.0.1:1', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('warning MF-GRANT-PUBLIC');
    expect(strict.stderr.split('\n').pop()).toBe('0 error(s), 1 warning(s); --strict: warnings fail');
    expect((await kafka('plan', WARNING_SPEC, '--stack', 'dev', '--bootstrap', '127.0.0.1:1', '--strict', '--detailed-exitcode')).code).toBe(1);
    // Without --strict the warning is printed and the run goes on (here: to a cluster that is not there).
    expect((await kafka('plan', WARNING_SPEC, '--stack', 'dev', '--bootstrap', '127.0.0.1:1')).code).toBe(2);
  });
});

/**
 * On real Apache Kafka: the cluster is changed between plan and apply with Kafka's own
 * kafka-configs tool and with kafkajs.
 */
describeWithRealKafka('kafka plan --out, kafka apply --plan on real Kafka', () => {
  let real: RealKafka;
  let connection: KafkaConnection;

  beforeAll(async () => {
    real = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password }, superUsers: ['User:admin'] });
    connection = adminConnection(real.bootstrap);
  }, REAL_KAFKA_START_MS);
  afterAll(() => real?.stop());
  afterEach(() => wipe(connection), 60000);

  const plan = () => kafka('plan', specs(), '--stack', 'dev', '--bootstrap', real.bootstrap, '--out', planFile());
  const applyPlan = () => kafka('apply', '--plan', planFile(), '--bootstrap', real.bootstrap, '--yes');

  it('refuses after kafka-configs changed a planned topic, then applies a new plan exactly', async () => {
    expect((await kafka('apply', specs(), '--stack', 'dev', '--bootstrap', real.bootstrap, '--yes')).code).toBe(0);
    setSignupsRetention(3600000);
    expect((await plan()).stdout).toContain('~ UPDATE topic acme.user._public.signups (retention.ms 86400000 -> 3600000)');

    const tool = await kafkaConfigs(real.bootstrap, ADMIN, ['--entity-type', 'topics', '--entity-name', 'acme.user._protected.profiles', '--alter', '--add-config', 'max.message.bytes=2097152']);
    expect(tool).toMatchObject({ code: 0 });
    await waitFor(async () => (await observe(connection)).configs['acme.user._protected.profiles']?.['max.message.bytes'] === '2097152');
    const before = await snapshot(connection);

    const refused = await applyPlan();
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n').pop()).toMatch(/the cluster moved since the plan was made \(.*\): topics of acme.user; nothing was changed/);
    expect(await snapshot(connection)).toBe(before);

    // A new plan sees the tool's change too (and would unset it); applied, it makes exactly that.
    const again = await plan();
    expect(again.stdout).toContain('~ UPDATE topic acme.user._protected.profiles (unset max.message.bytes (was 2097152))');
    const applied = await applyPlan();
    expect(applied.code).toBe(0);
    expect(applied.stdout.split('\n').pop()).toBe('0 created, 2 updated, 0 deleted, 74 unchanged');
    const seen: Observed = await observe(connection);
    expect(seen.configs['acme.user._public.signups']).toEqual({ 'retention.ms': '3600000' });
    expect(seen.configs['acme.user._protected.profiles']).toEqual({});
  });

  it('refuses after an ACL was added with kafkajs on a planned product\'s topic', async () => {
    expect((await plan()).code).toBe(0);
    const mallory = binding('User:mallory', 'READ', 'acme.billing._public.invoices');
    await withAdmin(connection, (a) => a.createAcls({ acl: [aclToKafkajs(mallory)] }));
    await waitFor(async () => (await observe(connection)).acls.some((a) => a.principal === 'User:mallory'));
    const refused = await applyPlan();
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n').pop()).toMatch(/the cluster moved since the plan was made \(.*\): ACLs of acme.billing; nothing was changed/);
    const seen = await observe(connection);
    expect(seen.topics.size).toBe(0);
    expect(seen.acls).toEqual([mallory]);
  });
});

async function waitFor(seen: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await seen()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not visible after 10 s');
}
