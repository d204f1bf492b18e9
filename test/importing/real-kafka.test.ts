/**
 * Adopting an estate on real Kafka. The estate is built as each tool would have left it, with
 * kafka-python as the admin (topics with configs, each tool's style of ACLs, written here by hand
 * from the tools' documented behaviour, and records in the topics); the three tools' files are
 * imported into one folder; then `meshform kafka plan` must change no topic and delete no ACL (even
 * with --allow-delete), `kafka apply` must keep every ACL the estate had and add only ACLs without
 * effect on what exists (DESCRIBE beside READ/WRITE, which Kafka's authorizer implies, or prefixes
 * that reach no topic or group of the cluster), each principal keeps exactly its produce and
 * group-consume access (kafka-python as that principal), the records stay, and a second plan is a
 * no-op. Every check reads the cluster with kafka-python, never with meshform's client.
 */
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REAL_KAFKA_START_MS, describeWithRealKafka, startRealKafka, type RealKafka } from '@meshform/peers/testing/real-kafka';
import { PythonKafka, pythonKafkaMissing } from '@meshform/peers/testing/clients/python-kafka';
import type { NamedAcl } from '@meshform/peers/testing/clients/acl-names';
import { withEnv } from '../support/env';
import { runCli } from '../cli/support';

const FIXTURES = join(__dirname, '..', 'fixtures', 'import');
const PASSWORD = 'estate-secret';
const PRINCIPALS = ['orders-svc', 'shipping-svc', 'orders-auditor', 'inventory-svc', 'payments-api', 'ledger-writer', 'fraud'];
const ADMIN = { username: 'admin', password: 'admin-secret' };
const login = (user: string) => ({ username: user, password: PASSWORD });

type Acl = NamedAcl;
const allow = (user: string, resourceType: string, name: string, operation: string, pattern = 'LITERAL'): Acl => ({ principal: `User:${user}`, host: '*', operation, permission: 'ALLOW', resourceType, name, pattern });

// The topics each tool's files define, as the tool creates them.
const TOPICS = [
  { name: 'acme.erp.orders.placed', partitions: 3, configs: { 'retention.ms': '604800000' } },
  { name: 'acme.erp.orders.audit', partitions: 1, configs: { 'cleanup.policy': 'compact' } },
  { name: 'inventory-levels', partitions: 2, configs: { 'retention.ms': '3600000', 'cleanup.policy': 'delete' } },
  { name: 'payments.authorised', partitions: 3, configs: { 'retention.ms': '86400000' } },
  { name: 'payments.ledger', partitions: 1, configs: { 'cleanup.policy': 'compact' } },
];

// JulieOps: a producer DESCRIBE+WRITE per topic, WRITE+DESCRIBE on its transactional id, IDEMPOTENT_WRITE on the
// cluster; a consumer DESCRIBE+READ per topic and READ on its group.
const JULIEOPS: Acl[] = [
  ...['acme.erp.orders.placed', 'acme.erp.orders.audit'].flatMap((t) => [allow('orders-svc', 'TOPIC', t, 'DESCRIBE'), allow('orders-svc', 'TOPIC', t, 'WRITE')]),
  allow('orders-svc', 'TRANSACTIONAL_ID', 'orders-tx', 'DESCRIBE'),
  allow('orders-svc', 'TRANSACTIONAL_ID', 'orders-tx', 'WRITE'),
  allow('orders-svc', 'CLUSTER', 'kafka-cluster', 'IDEMPOTENT_WRITE'),
  ...['acme.erp.orders.placed', 'acme.erp.orders.audit'].flatMap((t) => [allow('shipping-svc', 'TOPIC', t, 'DESCRIBE'), allow('shipping-svc', 'TOPIC', t, 'READ')]),
  allow('shipping-svc', 'GROUP', 'shipping-app', 'READ'),
  allow('orders-auditor', 'TOPIC', 'acme.erp.orders.audit', 'DESCRIBE'),
  allow('orders-auditor', 'TOPIC', 'acme.erp.orders.audit', 'READ'),
  allow('orders-auditor', 'GROUP', 'orders-audit', 'READ'),
];
// Terraform: exactly the kafka_acl resources of the state file.
const TERRAFORM: Acl[] = [
  allow('inventory-svc', 'TOPIC', 'inventory-levels', 'WRITE'),
  allow('orders-svc', 'TOPIC', 'inventory-levels', 'READ'),
  allow('orders-svc', 'GROUP', 'orders-inventory-reader', 'READ'),
];
// kafka-gitops (describe-topic-enabled off): WRITE per produced topic, READ per consumed one, READ on the group id.
const KAFKA_GITOPS: Acl[] = [
  allow('payments-api', 'TOPIC', 'payments.authorised', 'WRITE'),
  allow('ledger-writer', 'TOPIC', 'payments.authorised', 'READ'),
  allow('ledger-writer', 'TOPIC', 'payments.ledger', 'WRITE'),
  allow('ledger-writer', 'GROUP', 'ledger-writer-group', 'READ'),
  allow('fraud', 'TOPIC', 'payments.authorised', 'READ'),
  allow('fraud', 'TOPIC', 'payments.ledger', 'READ'),
  allow('fraud', 'GROUP', 'fraud-check', 'READ'),
];
const ESTATE = [...JULIEOPS, ...TERRAFORM, ...KAFKA_GITOPS];

// Who writes what and reads what with which group, as the estate grants it (the expectations, by hand).
const WRITES: Record<string, string[]> = {
  'orders-svc': ['acme.erp.orders.placed', 'acme.erp.orders.audit'],
  'inventory-svc': ['inventory-levels'],
  'payments-api': ['payments.authorised'],
  'ledger-writer': ['payments.ledger'],
};
const READS: Array<[user: string, topic: string, group: string]> = [
  ['shipping-svc', 'acme.erp.orders.placed', 'shipping-app'],
  ['shipping-svc', 'acme.erp.orders.audit', 'shipping-app'],
  ['orders-auditor', 'acme.erp.orders.audit', 'orders-audit'],
  ['orders-svc', 'inventory-levels', 'orders-inventory-reader'],
  ['ledger-writer', 'payments.authorised', 'ledger-writer-group'],
  ['fraud', 'payments.authorised', 'fraud-check'],
  ['fraud', 'payments.ledger', 'fraud-check'],
];
const GROUPS = [...new Set(READS.map(([, , g]) => g))];
const key = (a: Acl) => `${a.permission} ${a.principal} ${a.operation} ${a.resourceType}:${a.pattern}:${a.name}`;

const skipPython = pythonKafkaMissing();

describeWithRealKafka('adopting a JulieOps + Terraform + kafka-gitops estate on real Kafka', () => {
  if (skipPython) {
    it.skip(`skipped: ${skipPython}`, () => undefined);
    return;
  }
  let kafka: RealKafka;
  let python: PythonKafka;
  let dir: string;
  let cwd: string;
  let before: Acl[];

  const admin = <T>(step: { op: string; [k: string]: unknown }) => python.value<T>(kafka.bootstrap, step, ADMIN);
  const acls = async () => (await admin<{ acls: Acl[] }>({ op: 'describe_acls', filter: {} })).acls;
  const cli = (...argv: string[]) =>
    withEnv({ MESHFORM_KAFKA_SASL_MECHANISM: 'plain', MESHFORM_KAFKA_USERNAME: ADMIN.username, MESHFORM_KAFKA_PASSWORD: ADMIN.password }, () => runCli(...argv));
  const canWrite = async (user: string, topic: string) => (await python.run(kafka.bootstrap, [{ op: 'produce', topic, messages: [{ key: 'probe', value: `probe-${user}` }] }], login(user)))[0].ok;
  const latest = async (topic: string, partitions: number) =>
    (await admin<Array<{ latest: number }>>({ op: 'list_offsets', topic, partitions: [...Array(partitions).keys()], timestamp: 0 })).reduce((n, p) => n + p.latest, 0);

  beforeAll(async () => {
    kafka = await startRealKafka({ saslUsers: { [ADMIN.username]: ADMIN.password, ...Object.fromEntries(PRINCIPALS.map((p) => [p, PASSWORD])) }, superUsers: ['User:admin'] });
    python = new PythonKafka();
    dir = mkdtempSync(join(tmpdir(), 'meshform-adopt-'));
    cwd = process.cwd();
    process.chdir(dir);

    const created = await admin<Record<string, string>>({ op: 'create_topics', topics: TOPICS.map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: 1, configs: t.configs })) });
    expect(Object.values(created)).toEqual(TOPICS.map(() => 'NoError'));
    expect(await admin<boolean>({ op: 'wait_for_topics', topics: TOPICS.map((t) => t.name), timeoutMs: 20_000 })).toBe(true);
    const made = await admin<{ failed: unknown[] }>({ op: 'create_acls', acls: ESTATE });
    expect(made.failed).toEqual([]);
    // A broker's metadata follows the controller's: wait until it shows the ACLs just made.
    before = await acls();
    for (let i = 0; i < 100 && before.length < ESTATE.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      before = await acls();
    }
    expect(before.map(key).sort()).toEqual(ESTATE.map(key).sort());
    // Records, written by each producer as itself: 2 per topic.
    for (const [user, topics] of Object.entries(WRITES)) {
      for (const topic of topics) {
        const sent = await python.run(kafka.bootstrap, [{ op: 'produce', topic, messages: [{ key: 'k1', value: 'one' }, { key: 'k2', value: 'two' }] }], login(user));
        expect([user, topic, sent[0].ok]).toEqual([user, topic, true]);
      }
    }

    for (const [tool, file] of [['julieops', 'julieops/topology.yaml'], ['terraform', 'terraform/terraform.tfstate'], ['kafka-gitops', 'kafka-gitops/state.yaml']]) {
      cpSync(join(FIXTURES, file), file.split('/')[1]);
      const run = await runCli('import', tool, file.split('/')[1], '--out', 'mesh');
      expect([tool, run.code, run.stderr]).toEqual([tool, tool === 'kafka-gitops' ? 0 : 1, expect.stringContaining(`meshform import ${tool}: `) as unknown]);
    }
    mkdirSync('stacks');
    writeFileSync(
      join('stacks', 'Pulumi.estate.yaml'),
      `config:\n  meshform:gcpProject: estate\n  meshform:location: EU\n  meshform:kafkaBootstrap: ${kafka.bootstrap}\n  meshform:kafkaClientId: meshform-adopt\n  meshform:crossplane: false\n`,
    );
  }, REAL_KAFKA_START_MS + 120_000);

  afterAll(async () => {
    if (cwd) process.chdir(cwd);
    await python?.close();
    await kafka?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('import cluster: the live estate as a mesh, products by who writes; its plan changes no topic and deletes no ACL', async () => {
    const run = await cli('import', 'cluster', '--stack', 'estate', '--out', 'live', '--json');
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { products: Array<{ id: string; topics: Array<{ name: string; visibility: string; grants?: string[] }>; principals: string[]; groups: string[] }>; unmapped: Array<{ what: string }> };
    // By hand: each principal is a product of its own (nothing groups them on a cluster), owning what it writes.
    expect(json.products.map((p) => [p.id, p.principals, p.topics.map((t) => `${t.name} ${t.visibility} ${(t.grants ?? []).join(',')}`), p.groups])).toEqual([
      ['estate.fraud', ['User:fraud'], [], ['fraud-check']],
      ['estate.inventory-svc', ['User:inventory-svc'], ['inventory-levels protected estate.orders-svc'], []],
      ['estate.ledger-writer', ['User:ledger-writer'], ['payments.ledger protected estate.fraud'], ['ledger-writer-group']],
      ['estate.orders-auditor', ['User:orders-auditor'], [], ['orders-audit']],
      ['estate.orders-svc', ['User:orders-svc'], ['acme.erp.orders.audit protected estate.orders-auditor,estate.shipping-svc', 'acme.erp.orders.placed protected estate.shipping-svc'], ['orders-inventory-reader']],
      ['estate.payments-api', ['User:payments-api'], ['payments.authorised protected estate.fraud,estate.ledger-writer'], []],
      ['estate.shipping-svc', ['User:shipping-svc'], [], ['shipping-app']],
    ]);
    expect(json.unmapped.map((u) => u.what)).toEqual(['ALLOW User:orders-svc IDEMPOTENT_WRITE CLUSTER:LITERAL:kafka-cluster']);

    const plan = await cli('kafka', 'plan', 'live', '--stack', 'estate', '--allow-delete', '--json');
    expect([plan.code, plan.stderr]).toEqual([0, expect.any(String)]);
    const report = JSON.parse(plan.stdout) as { resources: Array<{ kind: string; topic?: string; state: string }> };
    expect(report.resources.filter((r) => r.kind === 'kafka:Topic').map((t) => [t.topic, t.state]).sort()).toEqual(TOPICS.map((t) => [t.name, 'UNCHANGED']).sort());
    expect(report.resources.filter((r) => r.state === 'DELETE' || r.state === 'REFUSED')).toEqual([]);
  }, 60_000);

  it('the first plan changes no topic and deletes no ACL, even with --allow-delete', async () => {
    const run = await cli('kafka', 'plan', 'mesh', '--stack', 'estate', '--allow-delete', '--json');
    expect([run.code, run.stderr]).toEqual([0, expect.any(String)]);
    const report = JSON.parse(run.stdout) as { resources: Array<{ kind: string; topic?: string; state: string }> };
    const topics = report.resources.filter((r) => r.kind === 'kafka:Topic');
    expect(topics.map((t) => [t.topic, t.state]).sort()).toEqual(TOPICS.map((t) => [t.name, 'UNCHANGED']).sort());
    expect(report.resources.filter((r) => r.state === 'DELETE' || r.state === 'REFUSED')).toEqual([]);
  }, 60_000);

  it('apply keeps every ACL of the estate and adds none with an effect on what exists; access is exactly the estate\'s; records stay; a second plan is a no-op', async () => {
    const run = await cli('kafka', 'apply', 'mesh', '--stack', 'estate', '--yes', '--json');
    expect([run.code, JSON.parse(run.stdout).summary.failed]).toEqual([0, 0]);

    const after = await acls();
    // apply reads back what it wrote, so the broker shows it now.
    const had = new Set(before.map(key));
    expect(before.filter((a) => !after.some((b) => key(b) === key(a)))).toEqual([]);
    const topics = await admin<string[]>({ op: 'list_topics' });
    const added = after.filter((a) => !had.has(key(a)));
    expect(added.length).toBeGreaterThan(0);
    for (const a of added) {
      const implied =
        a.permission === 'ALLOW' && a.operation === 'DESCRIBE' && a.resourceType === 'TOPIC' && a.pattern === 'LITERAL' &&
        before.some((b) => b.principal === a.principal && b.resourceType === 'TOPIC' && b.name === a.name && (b.operation === 'READ' || b.operation === 'WRITE'));
      const reachesNothing = a.pattern === 'PREFIXED' && ![...topics, ...GROUPS, 'orders-tx'].some((n) => n.startsWith(a.name));
      expect([key(a), implied || reachesNothing || a.permission === 'DENY']).toEqual([key(a), true]);
    }

    // Produce: each principal writes what it wrote and nothing else of the estate.
    for (const user of PRINCIPALS) {
      for (const t of TOPICS) expect([user, t.name, await canWrite(user, t.name)]).toEqual([user, t.name, (WRITES[user] ?? []).includes(t.name)]);
    }
    // Consume with its group: the 2 records and the producers' probes are there to read.
    for (const [user, topic, groupId] of READS) {
      const [read] = await python.run(kafka.bootstrap, [{ op: 'consume_group', topic, groupId, count: 3, timeoutMs: 15_000 }], login(user));
      expect([user, topic, read.ok]).toEqual([user, topic, true]);
      expect([user, topic, (read as { value: unknown[] }).value.length]).toEqual([user, topic, 3]);
    }
    // Not widened: a reader of one topic cannot read another, nor read with another principal's group (neither
    // group has committed offsets on that topic, so a permitted read would return its records from the start).
    const [auditorOnPlaced] = await python.run(kafka.bootstrap, [{ op: 'consume_group', topic: 'acme.erp.orders.placed', groupId: 'orders-audit', count: 1, timeoutMs: 8_000 }], login('orders-auditor'));
    // kafka-python's group consumer logs an authorization failure on a subscribed topic and reads nothing.
    expect(!auditorOnPlaced.ok || (auditorOnPlaced.value as unknown[]).length === 0).toBe(true);
    const [fraudWithLedgerGroup] = await python.run(kafka.bootstrap, [{ op: 'consume_group', topic: 'payments.ledger', groupId: 'ledger-writer-group', count: 1, timeoutMs: 8_000 }], login('fraud'));
    expect(!fraudWithLedgerGroup.ok || (fraudWithLedgerGroup.value as unknown[]).length === 0).toBe(true);

    // Records: the 2 written before the import plus each probe of its producer.
    for (const t of TOPICS) {
      const probes = Object.entries(WRITES).filter(([, ts]) => ts.includes(t.name)).length;
      expect([t.name, await latest(t.name, t.partitions)]).toEqual([t.name, 2 + probes]);
    }

    const again = await cli('kafka', 'plan', 'mesh', '--stack', 'estate', '--json');
    expect(JSON.parse(again.stdout).summary).toEqual(expect.objectContaining({ create: 0, update: 0, delete: 0, refused: 0 }));
  }, 240_000);
});
